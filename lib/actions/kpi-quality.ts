'use server';
// KPI quality actions: save and delete organization KPI templates, set the KPI limits.
import { updateKpiLimits } from '@/lib/dal/kpi-quality/limits';
import { deleteKpiTemplate, saveKpiTemplate } from '@/lib/dal/kpi-quality/templates';
import { orgAction } from '@/lib/server/org-action';
import {
  deleteKpiTemplateSchema,
  saveKpiTemplateSchema,
  updateKpiLimitsSchema,
} from '@/lib/validation/kpi-quality';

export const saveKpiTemplateAction = orgAction({
  permission: 'kpis.write',
  input: saveKpiTemplateSchema,
  run: ({ ctx, input, tx }) => saveKpiTemplate(ctx, tx, input),
});

export const deleteKpiTemplateAction = orgAction({
  permission: 'settings.manage',
  input: deleteKpiTemplateSchema,
  run: ({ ctx, input, tx }) => deleteKpiTemplate(ctx, tx, input),
});

export const updateKpiLimitsAction = orgAction({
  permission: 'settings.manage',
  input: updateKpiLimitsSchema,
  run: ({ ctx, input, tx }) => updateKpiLimits(ctx, tx, input),
});
