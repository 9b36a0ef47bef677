import { z } from 'zod';
import { STATUSES } from '@/lib/domain/progress';
import { decimalString, idString, isoDateString } from './fields';
import { safeText } from './text';
import {
  CADENCES,
  DIRECTIONS,
  MEASURE_UNITS,
  MISSING_POLICIES,
  ROLLUPS,
  TIME_AGGREGATIONS,
} from './kpis';

/**
 * The REST API's request and response shapes. The routes parse with the request schemas and the
 * OpenAPI document is generated from all of them (zod-openapi), so the two cannot drift apart.
 */

/** Every status, `in_progress` (a flow early in its open period, not graded yet) included. */
export { STATUSES };

/** Most items in one batch of check-ins. */
export const MAX_BATCH_ITEMS = 1000;

/** A KPI by id or by its key (`sales.new_mrr`). */
export const kpiRefString = z
  .string({ error: 'Name the KPI by its id or its key' })
  .trim()
  .min(1, 'Name the KPI by its id or its key')
  .max(100, 'A KPI reference has at most 100 characters')
  .meta({
    description: 'A KPI id (uuid) or its key, such as `sales.new_mrr`',
    example: 'sales.new_mrr',
  });

const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

export const kpiListQuerySchema = z
  .object({
    unit: idString.optional().meta({ description: 'Only KPIs owned by this unit (id)' }),
    owner: idString.optional().meta({ description: 'Only KPIs owned by this person (user id)' }),
    status: z
      .enum(STATUSES)
      .optional()
      .meta({ description: 'Only KPIs with this status in their current period' }),
    northStar: booleanString
      .optional()
      .meta({ description: '`true`: only north stars; `false`: all but north stars' }),
  })
  .strict();

export const periodValuesQuerySchema = z
  .object({
    from: isoDateString.optional().meta({
      format: 'date',
      description: 'First day of the range (default: a year before `to`)',
      example: '2026-01-01',
    }),
    to: isoDateString.optional().meta({
      format: 'date',
      description: 'Last day of the range (default: today in the org time zone)',
      example: '2026-12-31',
    }),
  })
  .strict();

export const kpiPathParams = z.object({ kpi: kpiRefString });

const exactValue = z
  .string({ error: 'Send the value as a string of an exact decimal, such as "1250.50"' })
  .pipe(decimalString)
  .meta({
    type: 'string',
    description: 'An exact decimal as a string (at most 20 digits, 6 decimals)',
    example: '1250.50',
  });

export const apiCheckinItemSchema = z
  .object({
    kpi: kpiRefString,
    observedOn: isoDateString.meta({ type: 'string', format: 'date', example: '2026-11-30' }),
    value: exactValue,
    note: safeText('note', { multiline: true }).max(2000, 'Use at most 2000 characters').optional(),
  })
  .strict()
  .meta({ id: 'CheckinInput' });
export type ApiCheckinItem = z.output<typeof apiCheckinItemSchema>;

export const apiCheckinBatchSchema = z
  .object({
    items: z
      .array(apiCheckinItemSchema)
      .min(1, 'Send at least one item')
      .max(MAX_BATCH_ITEMS, `Send at most ${MAX_BATCH_ITEMS} items in one batch`),
  })
  .strict()
  .meta({ id: 'CheckinBatchInput' });

/** A batch's envelope; its items are parsed one by one, so every bad item is named at once. */
export const apiCheckinEnvelopeSchema = z
  .object({
    items: z
      .array(z.unknown())
      .min(1, 'Send at least one item')
      .max(MAX_BATCH_ITEMS, `Send at most ${MAX_BATCH_ITEMS} items in one batch`),
  })
  .strict();

/** One check-in, or `{ items: [...] }`: a batch that is written all or nothing. */
export const apiCheckinRequestSchema = z.union([apiCheckinBatchSchema, apiCheckinItemSchema]);

export const periodSchema = z
  .object({
    start: z.string().meta({ format: 'date', description: 'First day of the period' }),
    label: z.string().meta({ example: 'Nov 2026' }),
    value: z.string().nullable().meta({ description: 'Exact decimal; null without data' }),
    target: z.string().nullable().meta({
      description:
        "Exact decimal: the period's target override, else the default target; for a formula KPI with neither, the target implied by its inputs' targets (`targetImplied`)",
    }),
    targetImplied: z.boolean().meta({
      description:
        "True when `target` is implied by a formula KPI's inputs: the formula evaluated on their targets (each reduced to the period by its own time aggregation), `prev()` reading the earlier period's actual value where there is one, else its target. It grades the status like an own target.",
    }),
    progress: z.number().nullable().meta({
      description:
        'The actual as a share of the full target (1 = 100%), the same for both directions (0.11 = 11% of a "lower is better" budget; the status says whether that is good). Null without a value or with a zero or negative target.',
    }),
    status: z.enum(STATUSES),
    childrenReported: z.number().int().meta({
      description:
        'Children with a value in the period; for a formula KPI, its inputs with a value (each distinct key and `prev()` offset counts once). 0 for a period without a value.',
    }),
    childrenExpected: z.number().int().meta({
      description:
        'Children counted by the rollup; for a formula KPI, the inputs it reads (so `2` of `3` is "2 of 3 inputs").',
    }),
    missingInputs: z.array(z.string()).meta({
      description:
        'For a formula period without a value although an input reported (a `strict` formula missing inputs, a division by zero): the reads without a value, as `key` or `prev(key)` / `prev(key, n)`, and `childrenReported` of `childrenExpected` counts them. [] otherwise.',
      example: ['cs.churned_arr'],
    }),
    noValueReason: z.enum(['missing inputs', 'division by zero']).nullable().meta({
      description:
        'Why a formula period has no value although an input reported; null for a period with a value or without any input',
    }),
  })
  .meta({ id: 'Period' });

/** The fields a KPI's read shape and its definition shape (the write answers) share. */
export const kpiCommonFields = {
  id: z.uuid(),
  key: z.string().nullable(),
  name: z.string(),
  parentId: z.uuid().nullable(),
  isNorthStar: z.boolean(),
  isIndividual: z.boolean(),
  measureUnit: z.enum(MEASURE_UNITS),
  currency: z.string().nullable(),
  decimals: z.number().int(),
  direction: z.enum(DIRECTIONS),
  cadence: z.enum(CADENCES),
  timeAggregation: z.enum(TIME_AGGREGATIONS),
};

export const kpiSchema = z
  .object({
    ...kpiCommonFields,
    unit: z.object({ id: z.uuid(), name: z.string() }),
    owner: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
    rollup: z.enum(ROLLUPS).meta({
      description:
        'How the value is made: `manual` (check-ins), a rollup of its children, or `formula` (computed from other KPIs named by key in `formula`)',
    }),
    formula: z.string().nullable().meta({
      description:
        'The expression of a `formula` KPI in canonical form (decimals, KPI keys, `+ - * /`, parentheses, `prev(key[, n])`, `min`, `max`, `abs`, `coalesce`); null for every other rollup',
      example: 'prev(company.arr) + sales.new_arr + cs.expansion_arr - cs.churned_arr',
    }),
    missingPolicy: z.enum(MISSING_POLICIES).nullable().meta({
      description:
        'How a formula treats an input without a value: `strict` (the period has no value) or `zero` (the input reads 0); null when not a formula',
    }),
    inputs: z.array(z.string()).meta({
      description:
        'The keys of the KPIs the formula reads (in any period, so a self-reference through `prev()` is listed), sorted; [] when not a formula',
      example: ['company.arr', 'cs.churned_arr', 'cs.expansion_arr', 'sales.new_arr'],
    }),
    current: periodSchema,
    version: z.number().int().meta({
      description:
        'Bumped by every change of the definition; send it with a write (PATCH, archive) so a change made since is refused with 409 instead of overwritten',
    }),
  })
  .meta({
    id: 'Kpi',
    example: {
      id: '6f1c2a8e-3b4d-4e5f-9a6b-7c8d9e0f1a2b',
      key: 'company.arr',
      name: 'ARR',
      unit: { id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Company' },
      owner: null,
      parentId: null,
      isNorthStar: true,
      isIndividual: false,
      measureUnit: 'currency',
      currency: 'USD',
      decimals: 0,
      direction: 'increase',
      cadence: 'month',
      timeAggregation: 'last',
      rollup: 'formula',
      formula: 'prev(company.arr) + sales.new_arr + cs.expansion_arr - cs.churned_arr',
      missingPolicy: 'zero',
      inputs: ['company.arr', 'cs.churned_arr', 'cs.expansion_arr', 'sales.new_arr'],
      current: {
        start: '2026-11-01',
        label: 'Nov 2026',
        value: '1160',
        target: '1150',
        progress: 1.008695652173913,
        status: 'on_track',
        targetImplied: false,
        childrenReported: 4,
        childrenExpected: 4,
        missingInputs: [],
        noValueReason: null,
      },
      version: 7,
    },
  });

export const kpiListResponseSchema = z.object({ data: z.array(kpiSchema) }).meta({ id: 'KpiList' });
export const kpiResponseSchema = z.object({ data: kpiSchema }).meta({ id: 'KpiResponse' });
export const periodValuesResponseSchema = z
  .object({ data: z.object({ kpi: kpiSchema, periods: z.array(periodSchema) }) })
  .meta({ id: 'PeriodValues' });

export const checkinSchema = z
  .object({
    id: z.uuid(),
    kpiId: z.uuid(),
    observedOn: z.string().meta({ format: 'date' }),
    value: z.string(),
    note: z.string(),
    source: z.enum(['manual', 'csv', 'api']),
  })
  .meta({ id: 'Checkin' });

export const checkinWarningSchema = z
  .object({
    path: z.string().meta({
      description: 'The flagged value: `value`, or `items.<index>.value` in a batch',
      example: 'items.3.value',
    }),
    message: z.string().meta({
      example: 'This is 12x your usual value (about 802,500 USD, the median of recent readings).',
    }),
  })
  .meta({ id: 'CheckinWarning' });

export const checkinCreatedResponseSchema = z
  .object({
    data: z.object({ count: z.number().int(), ids: z.array(z.uuid()) }),
    warnings: z.array(checkinWarningSchema).meta({
      description:
        "Values recorded but far from their KPI's recent readings (more than 10 times, or under a tenth of, the median magnitude of its latest six readings dated on or before, or of the opposite sign; judged from 3 readings on). Empty when none. A value outside the KPI's valid range is refused with 422 instead.",
    }),
  })
  .meta({ id: 'CheckinsCreated' });

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        'UNAUTHENTICATED',
        'FORBIDDEN',
        'NOT_FOUND',
        'VALIDATION',
        'CONFLICT',
        'RATE_LIMITED',
        'METHOD_NOT_ALLOWED',
        'INTERNAL',
      ]),
      message: z.string(),
      details: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .meta({ description: 'Every refused field; batch items as `items.<index>.<field>`' }),
      currentVersion: z.number().int().optional().meta({
        description:
          "With a 409 for a stale `version`: the KPI's current version (read it again, then retry)",
        example: 8,
      }),
    }),
  })
  .meta({
    id: 'Error',
    example: {
      error: {
        code: 'VALIDATION',
        message: 'Please fix the highlighted fields.',
        details: [{ path: 'currency', message: 'Choose the currency (a code such as EUR)' }],
      },
    },
  });

/** The CSV export's query: a date range (default: the last 12 months) and an optional unit subtree. */
export const exportQuerySchema = z
  .object({
    from: isoDateString.optional(),
    to: isoDateString.optional(),
    unit: idString.optional(),
  })
  .strict();
