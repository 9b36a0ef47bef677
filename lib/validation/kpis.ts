import { z } from 'zod';
import {
  decimalString,
  idString,
  isoDateString,
  nameString,
  optionalDecimalString,
  positiveDecimalString,
  versionNumber,
} from './fields';
import { safeText } from './text';
import { ROLLUP_METHODS } from '@/lib/domain/rollup';
import { rangeOrderProblem } from '@/lib/domain/value-range';

export const MEASURE_UNITS = ['count', 'currency', 'percent', 'ratio', 'duration'] as const;
export const DIRECTIONS = ['increase', 'decrease'] as const;
export const CADENCES = ['month', 'quarter', 'year'] as const;
export const TIME_AGGREGATIONS = ['sum', 'last', 'average'] as const;
/** Rollup methods a KPI may use (the domain's list). */
export const ROLLUPS = ROLLUP_METHODS;
export const MISSING_POLICIES = ['strict', 'zero'] as const;
export const CATEGORIES = ['strategic', 'operational', 'functional'] as const;
export const INDICATORS = ['leading', 'lagging'] as const;

/** The shape of a KPI key: 2 to 63 lowercase letters, digits, '.', '_' or '-', from a letter. */
export const KPI_KEY_PATTERN = /^[a-z][a-z0-9_.-]{1,62}$/;

/** Stable external id of a KPI (CSV, API): `sales.new_mrr`. Empty means none. */
export const kpiKeyString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? null : v))
  .pipe(
    z
      .string()
      .regex(
        KPI_KEY_PATTERN,
        "Use 2 to 63 lowercase letters, digits, '.', '_' or '-', starting with a letter (such as sales.new_mrr)",
      )
      .nullable(),
  );

/** ISO 4217 code such as EUR or USD. */
export const currencyString = z
  .string({ error: 'Enter a currency code such as EUR' })
  .trim()
  .regex(/^[A-Z]{3}$/, 'Enter a three-letter currency code in capitals, such as EUR or USD');

const descriptionString = safeText('description', { multiline: true }).max(
  2000,
  'Use at most 2000 characters',
);

/** The fields a KPI form edits (the API's definition writes take the same). */
export const editableFields = {
  name: nameString,
  description: descriptionString.optional(),
  key: kpiKeyString.nullable().optional(),
  unitId: idString,
  measureUnit: z.enum(MEASURE_UNITS, { error: 'Choose a measure unit' }),
  currency: currencyString.nullable().optional(),
  decimals: z
    .number({ error: 'Choose 0 to 6 decimals' })
    .int('Choose 0 to 6 decimals')
    .min(0, 'Choose 0 to 6 decimals')
    .max(6, 'Choose 0 to 6 decimals')
    .optional(),
  direction: z.enum(DIRECTIONS, { error: 'Choose whether higher or lower is better' }),
  cadence: z.enum(CADENCES, { error: 'Choose month, quarter or year' }),
  timeAggregation: z.enum(TIME_AGGREGATIONS, { error: 'Choose sum, last or average' }),
  rollup: z.enum(ROLLUPS, { error: 'Choose a rollup method' }).optional(),
  /** The expression of a `formula` KPI (checked against the org's KPIs when saved). */
  formula: safeText('formula', { multiline: true })
    .max(2000, 'Use at most 2000 characters')
    .transform((v) => (v.trim() === '' ? null : v))
    .nullable()
    .optional(),
  missingPolicy: z.enum(MISSING_POLICIES, { error: 'Choose how missing inputs count' }).optional(),
  weight: positiveDecimalString.optional(),
  baseline: optionalDecimalString,
  defaultTarget: optionalDecimalString,
  /** The valid range of a reading; empty or null: unbounded. A new percent KPI defaults to 0-100. */
  validMin: optionalDecimalString,
  validMax: optionalDecimalString,
  category: z.enum(CATEGORIES, { error: 'Choose a category' }).optional(),
  indicator: z.enum(INDICATORS, { error: 'Choose leading or lagging' }).optional(),
};

/** Both bounds given: the lower one not above the upper (one given on an edit: the DAL checks). */
function checkRange(
  value: { validMin?: string | null | undefined; validMax?: string | null | undefined },
  ctx: z.RefinementCtx,
): void {
  if (value.validMin == null || value.validMax == null) return;
  const problem = rangeOrderProblem({ validMin: value.validMin, validMax: value.validMax });
  if (problem) ctx.addIssue({ code: 'custom', path: ['validMax'], message: problem });
}

/** The measure's rules: a currency code exactly for currency KPIs, and an ordered range. */
export function checkMeasure(
  value: {
    measureUnit?: string | undefined;
    currency?: string | null | undefined;
    validMin?: string | null | undefined;
    validMax?: string | null | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  checkRange(value, ctx);
  if (value.measureUnit === 'currency' && !value.currency) {
    ctx.addIssue({
      code: 'custom',
      path: ['currency'],
      message: 'Choose the currency (a code such as EUR)',
    });
  }
  if (value.measureUnit !== undefined && value.measureUnit !== 'currency' && value.currency) {
    ctx.addIssue({
      code: 'custom',
      path: ['currency'],
      message: 'Only KPIs measured in a currency have a currency code',
    });
  }
}

/** The fields of a new KPI (the form's create, the API's create). */
export const createFields = {
  ...editableFields,
  ownerUserId: idString.nullable().optional(),
  parentId: idString.nullable().optional(),
  isIndividual: z.boolean().optional(),
  /** An admin's confirmation to go past the organization's KPI limits (leads may not). */
  confirmOverLimit: z.boolean().optional(),
};

export function checkCreate(
  value: Parameters<typeof checkMeasure>[0] & {
    isIndividual?: boolean | undefined;
    ownerUserId?: string | null | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  checkMeasure(value, ctx);
  if (value.isIndividual && !value.ownerUserId) {
    ctx.addIssue({
      code: 'custom',
      path: ['ownerUserId'],
      message: 'An individual KPI needs an owner',
    });
  }
}

/** A new KPI. An individual KPI needs an owner; `parentId` links it at once. */
export const createKpiSchema = z.object(createFields).strict().superRefine(checkCreate);
export type CreateKpiInput = z.output<typeof createKpiSchema>;

/**
 * Edits a KPI seen at `version`: only the fields given change. Owner, parent and north star have
 * their own actions.
 */
export const updateKpiSchema = z
  .object(editableFields)
  .partial()
  .extend({
    kpiId: idString,
    version: versionNumber,
    /** An admin's confirmation to move the KPI to a unit at its KPI limit. */
    confirmOverLimit: z.boolean().optional(),
  })
  .strict()
  .superRefine(checkMeasure);
export type UpdateKpiInput = z.output<typeof updateKpiSchema>;

/** Archives a KPI; `replacementKpiId`: the KPI the formulas reading it should read instead. */
export const archiveKpiSchema = z
  .object({ kpiId: idString, version: versionNumber, replacementKpiId: idString.optional() })
  .strict();
export type ArchiveKpiInput = z.output<typeof archiveKpiSchema>;

/** Links a KPI (seen at `version`) under a parent KPI it rolls up into. */
export const linkKpiSchema = z
  .object({ kpiId: idString, parentId: idString, version: versionNumber })
  .strict();
export type LinkKpiInput = z.output<typeof linkKpiSchema>;

export const unlinkKpiSchema = z.object({ kpiId: idString, version: versionNumber }).strict();
export type UnlinkKpiInput = z.output<typeof unlinkKpiSchema>;

export const setNorthStarSchema = z
  .object({ kpiId: idString, isNorthStar: z.boolean({ error: 'Choose yes or no' }) })
  .strict();
export type SetNorthStarInput = z.output<typeof setNorthStarSchema>;

/** Sets (or with null clears) the owner of a KPI. */
export const assignKpiOwnerSchema = z
  .object({
    kpiId: idString,
    ownerUserId: idString.nullable(),
    /** An admin's confirmation to give the KPI to a person at their KPI limit. */
    confirmOverLimit: z.boolean().optional(),
  })
  .strict();
export type AssignKpiOwnerInput = z.output<typeof assignKpiOwnerSchema>;

/** A per-period target override; `periodStart` must start a period of the KPI's cadence. */
export const setTargetSchema = z
  .object({ kpiId: idString, periodStart: isoDateString, target: decimalString })
  .strict();
export type SetTargetInput = z.output<typeof setTargetSchema>;

export const clearTargetSchema = z.object({ kpiId: idString, periodStart: isoDateString }).strict();
export type ClearTargetInput = z.output<typeof clearTargetSchema>;

/** A period's target as the KPI form sends it: a number sets it, null clears it (default applies). */
export const formTargetSchema = z
  .object({ periodStart: isoDateString, target: decimalString.nullable() })
  .strict();

export function checkFormTargets(
  value: { targets?: readonly { periodStart: string }[] | undefined },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  value.targets?.forEach((t, i) => {
    if (seen.has(t.periodStart)) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets', i, 'periodStart'],
        message: 'This period is listed twice',
      });
    }
    seen.add(t.periodStart);
  });
}

/**
 * The KPI form, saved as one: `create` is a new KPI (and north star); `edit` changes the given
 * fields of a KPI seen at `version` and, when given, its owner, parent (null: top level), north
 * star and per-period targets. A stale `version` refuses the whole save.
 */
export const saveKpiFormSchema = z.discriminatedUnion('mode', [
  z
    .object({ mode: z.literal('create'), ...createFields, isNorthStar: z.boolean().optional() })
    .strict()
    .superRefine(checkCreate),
  z
    .object(editableFields)
    .partial()
    .extend({
      mode: z.literal('edit'),
      kpiId: idString,
      version: versionNumber,
      ownerUserId: idString.nullable().optional(),
      parentId: idString.nullable().optional(),
      isNorthStar: z.boolean().optional(),
      targets: z.array(formTargetSchema).max(500, 'Save at most 500 targets at once').optional(),
      /** An admin's confirmation to move or reassign the KPI past a KPI limit. */
      confirmOverLimit: z.boolean().optional(),
    })
    .strict()
    .superRefine((value, ctx) => {
      checkMeasure(value, ctx);
      checkFormTargets(value, ctx);
    }),
]);
export type SaveKpiFormInput = z.output<typeof saveKpiFormSchema>;

/**
 * A draft formula to preview in the KPI form (nothing is saved): the formula and the fields that
 * decide its values and checks; `kpiId` when editing (its own `prev()` and its place in the
 * graph), else `unitId` of the KPI being created (for the permission).
 */
export const previewFormulaSchema = z
  .object({
    kpiId: idString.optional(),
    unitId: idString,
    key: kpiKeyString.nullable().optional(),
    parentId: idString.nullable().optional(),
    formula: z.string().max(2000, 'Use at most 2000 characters'),
    cadence: editableFields.cadence,
    timeAggregation: editableFields.timeAggregation,
    missingPolicy: z.enum(MISSING_POLICIES, { error: 'Choose how missing inputs count' }),
    measureUnit: editableFields.measureUnit,
    currency: currencyString.nullable().optional(),
    decimals: editableFields.decimals,
    baseline: optionalDecimalString,
  })
  .strict();
export type PreviewFormulaInput = z.output<typeof previewFormulaSchema>;

/** One cell of a bulk target save: a number sets the period's target, null clears it. */
const targetCellSchema = z
  .object({ kpiId: idString, periodStart: isoDateString, target: decimalString.nullable() })
  .strict();

function checkTargetCells(
  value: { targets: readonly { kpiId: string; periodStart: string }[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  value.targets.forEach((t, i) => {
    const key = `${t.kpiId}:${t.periodStart}`;
    if (seen.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets', i, 'periodStart'],
        message: 'This period is listed twice',
      });
    }
    seen.add(key);
  });
}

const targetCells = z
  .array(targetCellSchema)
  .min(1, 'Change at least one target')
  .max(600, 'Save at most 600 targets at once');

/**
 * Per-period targets of one or more KPIs saved as one (the plan panel, the targets grid): all
 * or nothing.
 */
export const saveTargetsSchema = z
  .object({ targets: targetCells })
  .strict()
  .superRefine(checkTargetCells);
export type SaveTargetsInput = z.output<typeof saveTargetsSchema>;

/** A parent's target split down: the confirmed amounts of its children, all or nothing. */
export const splitTargetSchema = z
  .object({ parentId: idString, targets: targetCells })
  .strict()
  .superRefine(checkTargetCells);
export type SplitTargetInput = z.output<typeof splitTargetSchema>;

/** An explicit "leads" link: `leadKpiId` is believed to lead `laggingKpiId` (issue 24, item 3). */
export const kpiLeadSchema = z
  .object({ leadKpiId: idString, laggingKpiId: idString })
  .strict()
  .refine((v) => v.leadKpiId !== v.laggingKpiId, {
    message: 'A KPI cannot lead itself: pick another KPI.',
    path: ['leadKpiId'],
  });
export type KpiLeadInput = z.output<typeof kpiLeadSchema>;
