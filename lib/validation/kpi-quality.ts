import { z } from 'zod';
import { MAX_KPI_LIMIT, MIN_KPI_LIMIT } from '@/lib/domain/kpi-limits';
import { TEMPLATE_DEPARTMENTS } from '@/lib/domain/kpi-templates';
import { idString, nameString } from './fields';

/** Saves a KPI's definition as a template of the organization, under a department group. */
export const saveKpiTemplateSchema = z
  .object({
    kpiId: idString,
    department: z.enum(TEMPLATE_DEPARTMENTS, { error: 'Choose a group' }),
    /** Defaults to the KPI's name. */
    name: nameString.optional(),
  })
  .strict();
export type SaveKpiTemplateInput = z.output<typeof saveKpiTemplateSchema>;

export const deleteKpiTemplateSchema = z.object({ templateId: idString }).strict();
export type DeleteKpiTemplateInput = z.output<typeof deleteKpiTemplateSchema>;

const limitNumber = z
  .number({ error: `Enter a whole number from ${MIN_KPI_LIMIT} to ${MAX_KPI_LIMIT}` })
  .int(`Enter a whole number from ${MIN_KPI_LIMIT} to ${MAX_KPI_LIMIT}`)
  .min(MIN_KPI_LIMIT, `Enter a whole number from ${MIN_KPI_LIMIT} to ${MAX_KPI_LIMIT}`)
  .max(MAX_KPI_LIMIT, `Enter a whole number from ${MIN_KPI_LIMIT} to ${MAX_KPI_LIMIT}`);

/** The organization's guard rails against KPI overload. */
export const updateKpiLimitsSchema = z
  .object({ maxKpisPerUnit: limitNumber, maxKpisPerPerson: limitNumber })
  .strict();
export type UpdateKpiLimitsInput = z.output<typeof updateKpiLimitsSchema>;
