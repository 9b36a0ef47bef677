import { z } from 'zod';
import { idString, versionNumber } from './fields';
import { kpiCommonFields, kpiRefString } from './api';
import {
  CATEGORIES,
  checkCreate,
  checkFormTargets,
  checkMeasure,
  createFields,
  editableFields,
  formTargetSchema,
  INDICATORS,
  ROLLUPS,
  MISSING_POLICIES,
} from './kpis';

/**
 * The API's definition writes (`write:definitions` keys): the KPI form's own fields and checks
 * (lib/validation/kpis.ts), with KPIs named by id or key where the form takes an id. The routes
 * resolve the references and hand the rest to the DAL functions the form's actions call.
 */

/** Most per-period targets in one request (the KPI form's limit). */
export const MAX_TARGETS_PER_REQUEST = 500;

const decimalField = (description: string, example?: string) => ({
  description,
  ...(example ? { example } : {}),
});

/** Documentation of the form's fields (zod-openapi shows a transform's input as a bare string). */
const fieldDocs = {
  name: { description: 'Display name (1 to 120 characters)', example: 'New ARR' },
  description: { description: 'Free text, at most 2000 characters' },
  key: {
    description:
      "Stable external id: 2 to 63 lowercase letters, digits, '.', '_' or '-', from a letter; formulas and the API name KPIs by it. Empty or null: none",
    example: 'sales.new_arr',
  },
  unitId: { description: 'The unit (team, department or company) that owns the KPI (id)' },
  currency: { description: 'ISO 4217 code; exactly for `measureUnit: currency`', example: 'USD' },
  formula: {
    description:
      'For `rollup: formula`: an expression of KPI keys, decimals, `+ - * /`, parentheses, `prev(key[, n])`, `min`, `max`, `abs`, `coalesce`',
    example: 'sales.new_arr - cs.churned_arr',
  },
  weight: decimalField('Weight under a weighted-average parent (> 0)', '1'),
  baseline: decimalField('Starting value (exact decimal); empty or null: none'),
  defaultTarget: decimalField(
    'Target of every period without its own (exact decimal); empty or null: none',
    '100000',
  ),
  validMin: decimalField('Lowest valid reading; null: unbounded (percent KPIs default to 0-100)'),
  validMax: decimalField('Highest valid reading; null: unbounded'),
  confirmOverLimit: {
    description:
      "Go past the organization's KPI limits (per unit, per owner): refused with 422 naming the limit unless true",
  },
} as const;

function documented<T extends Record<string, z.ZodType>>(fields: T): T {
  const out: Record<string, z.ZodType> = { ...fields };
  for (const [name, meta] of Object.entries(fieldDocs)) {
    const field = out[name];
    if (field) out[name] = field.meta(meta);
  }
  return out as T;
}

const parentField = kpiRefString.nullable().meta({
  description:
    'The KPI this one rolls up into: its id or its key (null: top level). Checked like the form: no cycle, unit inside the parent unit subtree, cadence no longer, same measure unit under a computing parent',
  example: 'company.arr',
});

const ownerField = idString.nullable().meta({
  description:
    'The owner (a user id of a member); null: none. An individual KPI needs one. Counts toward the per-owner KPI limit',
});

/** POST /kpis: a new KPI, as the KPI form creates it; `parentId` by id or key. */
export const apiKpiCreateSchema = z
  .object({
    ...documented(createFields),
    ownerUserId: ownerField.optional(),
    parentId: parentField.optional(),
    isNorthStar: z
      .boolean()
      .optional()
      .meta({ description: 'Make it a north star (company unit KPIs only)' }),
  })
  .strict()
  .superRefine(checkCreate)
  .meta({
    id: 'KpiCreateInput',
    example: {
      name: 'New ARR',
      key: 'sales.new_arr',
      unitId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      measureUnit: 'currency',
      currency: 'USD',
      direction: 'increase',
      cadence: 'month',
      timeAggregation: 'sum',
      defaultTarget: '50000',
      parentId: 'company.arr',
    },
  });
export type ApiKpiCreateInput = z.output<typeof apiKpiCreateSchema>;

const targetItem = formTargetSchema.extend({
  periodStart: formTargetSchema.shape.periodStart.meta({
    type: 'string',
    format: 'date',
    description: "The first day of one of the KPI's periods",
    example: '2027-01-01',
  }),
  target: formTargetSchema.shape.target.meta({
    description: "An exact decimal sets the period's target; null clears it (the default applies)",
    example: '120000',
  }),
});

const targetList = z
  .array(targetItem)
  .max(MAX_TARGETS_PER_REQUEST, `Save at most ${MAX_TARGETS_PER_REQUEST} targets at once`);

/**
 * PATCH /kpis/{kpi}: changes the given fields of a KPI seen at `version` (stale: 409), and when
 * given its owner, parent (null: top level), north star and per-period targets, all in one
 * transaction, exactly as the KPI form's save.
 */
export const apiKpiUpdateSchema = z
  .object(documented(editableFields))
  .partial()
  .extend({
    version: versionNumber.meta({
      description: 'The version you read (GET /kpis/{kpi}); another write since: 409',
      example: 3,
    }),
    ownerUserId: ownerField.optional(),
    parentId: parentField.optional(),
    isNorthStar: z.boolean().optional(),
    targets: targetList.optional(),
    confirmOverLimit: createFields.confirmOverLimit.meta(fieldDocs.confirmOverLimit),
  })
  .strict()
  .superRefine((value, ctx) => {
    checkMeasure(value, ctx);
    checkFormTargets(value, ctx);
  })
  .meta({
    id: 'KpiUpdateInput',
    example: { version: 3, name: 'New ARR (net)', ownerUserId: null, parentId: 'company.arr' },
  });
export type ApiKpiUpdateInput = z.output<typeof apiKpiUpdateSchema>;

/** POST /kpis/{kpi}/archive: archives a KPI seen at `version`. */
export const apiKpiArchiveSchema = z
  .object({
    version: versionNumber.meta({ description: 'The version you read', example: 4 }),
    replacementKpiId: kpiRefString.optional().meta({
      description:
        'The KPI (id or key) the formulas reading this one should read instead; without it, a KPI that formulas read is refused (422 naming them)',
      example: 'sales.new_arr_v2',
    }),
  })
  .strict()
  .meta({ id: 'KpiArchiveInput' });

/** PUT /kpis/{kpi}/targets: per-period targets of one KPI, all or nothing. */
export const apiTargetsSchema = z
  .object({ targets: targetList.min(1, 'Change at least one target') })
  .strict()
  .superRefine(checkFormTargets)
  .meta({
    id: 'TargetsInput',
    example: {
      targets: [
        { periodStart: '2027-01-01', target: '120000' },
        { periodStart: '2027-02-01', target: null },
      ],
    },
  });

const nullableDecimal = z.string().nullable().meta({ description: 'Exact decimal, or null' });

/** A KPI's definition as the write routes answer it (its `version` for the next write). */
export const kpiDefinitionSchema = z
  .object({
    ...kpiCommonFields,
    description: z.string(),
    unitId: z.uuid(),
    ownerUserId: z.uuid().nullable(),
    rollup: z.enum(ROLLUPS),
    formula: z.string().nullable(),
    missingPolicy: z.enum(MISSING_POLICIES),
    weight: z.string(),
    baseline: nullableDecimal,
    defaultTarget: nullableDecimal,
    validMin: nullableDecimal,
    validMax: nullableDecimal,
    category: z.enum(CATEGORIES),
    indicator: z.enum(INDICATORS),
    archivedOn: z.string().nullable().meta({ format: 'date' }),
    version: z.number().int().meta({ description: 'Send it back with the next write' }),
  })
  .meta({
    id: 'KpiDefinition',
    example: {
      id: '7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      key: 'sales.new_arr',
      name: 'New ARR',
      description: '',
      unitId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      ownerUserId: null,
      parentId: '6f1c2a8e-3b4d-4e5f-9a6b-7c8d9e0f1a2b',
      isNorthStar: false,
      isIndividual: false,
      measureUnit: 'currency',
      currency: 'USD',
      decimals: 0,
      direction: 'increase',
      cadence: 'month',
      timeAggregation: 'sum',
      rollup: 'manual',
      formula: null,
      missingPolicy: 'strict',
      weight: '1',
      baseline: null,
      defaultTarget: '50000',
      validMin: null,
      validMax: null,
      category: 'operational',
      indicator: 'lagging',
      archivedOn: null,
      version: 1,
    },
  });

export const kpiDefinitionResponseSchema = z
  .object({ data: kpiDefinitionSchema })
  .meta({ id: 'KpiDefinitionResponse' });

export const targetsSavedResponseSchema = z
  .object({
    data: z.object({
      saved: z.number().int().meta({ description: 'Targets set or cleared' }),
    }),
  })
  .meta({ id: 'TargetsSaved' });
