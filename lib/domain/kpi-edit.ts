import { normalizeDecimal } from '@/lib/domain/decimal';
import type { Problem } from '@/lib/domain/problem';
import type { LinkKpi, LinkProblem } from '@/lib/domain/tree';
import type { FieldErrors } from '@/lib/errors';

/*
 * Rules of creating and editing a KPI that need no I/O: what an edit changes, the currency rule,
 * and how cascade link problems map to form fields. lib/dal/kpis/* loads what they judge under
 * the org cascade lock and turns a Problem into a VALIDATION error.
 */

/** Fields whose change is checked against the KPI's parent and children (`checkKpiLink`). */
export const LINK_CHECKED_FIELDS = [
  'unitId',
  'cadence',
  'rollup',
  'measureUnit',
  'currency',
] as const;

/** Fields whose change alters computed period values (the KPI and its ancestors recompute). */
export const VALUE_FIELDS = ['cadence', 'rollup', 'timeAggregation', 'weight'] as const;

const DECIMAL_FIELDS: ReadonlySet<string> = new Set([
  'weight',
  'baseline',
  'defaultTarget',
  'validMin',
  'validMax',
]);

/**
 * The fields an edit sets: the given ones only; a measure unit other than currency, given without
 * a currency, clears the currency.
 */
export function editPatch<T extends object>(raw: T): Partial<T> {
  const patch = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as {
    measureUnit?: unknown;
    currency?: unknown;
  };
  if (
    patch.measureUnit !== undefined &&
    patch.measureUnit !== 'currency' &&
    patch.currency === undefined
  ) {
    patch.currency = null;
  }
  return patch as Partial<T>;
}

/** A currency code exactly when the KPI is measured in a currency, else the field problem. */
export function currencyProblem(kpi: {
  measureUnit: string;
  currency?: string | null;
}): Problem | null {
  if ((kpi.measureUnit === 'currency') === (kpi.currency !== null && kpi.currency !== undefined)) {
    return null;
  }
  return {
    message: 'Please fix the highlighted fields.',
    fieldErrors: {
      currency: [
        kpi.measureUnit === 'currency'
          ? 'Choose the currency (a code such as EUR)'
          : 'Only KPIs measured in a currency have a currency code',
      ],
    },
  };
}

/** Whether `field` differs between two versions of a KPI (decimals compared by value). */
export function fieldChanged<T extends object>(before: T, after: T, field: keyof T): boolean {
  const a = after[field];
  const b = before[field];
  if (typeof a === 'string' && typeof b === 'string' && DECIMAL_FIELDS.has(String(field))) {
    return normalizeDecimal(a) !== normalizeDecimal(b);
  }
  return a !== b;
}

/** The fields `checkKpiLink` looks at, from any KPI shape. */
export function toLinkKpi(
  kpi: Pick<LinkKpi, 'id' | 'unitId' | 'cadence' | 'rollup' | 'measureUnit' | 'currency'>,
): LinkKpi {
  return {
    id: kpi.id,
    unitId: kpi.unitId,
    cadence: kpi.cadence,
    rollup: kpi.rollup,
    measureUnit: kpi.measureUnit,
    currency: kpi.currency,
  };
}

const PROBLEM_FIELD: Record<LinkProblem['code'], string> = {
  cycle: 'parentId',
  unit_outside_parent_subtree: 'unitId',
  cadence_longer_than_parent: 'cadence',
  measure_unit_mismatch: 'measureUnit',
};

/**
 * Link problems as one refusal: every message (each after its prefix) in the message, and each
 * under `field` or else the form field the problem is about. Null when there is none.
 */
export function linkProblemsProblem(
  problems: readonly { problem: LinkProblem; prefix: string }[],
  field?: string,
): Problem | null {
  if (problems.length === 0) return null;
  const fieldErrors: FieldErrors = {};
  const messages: string[] = [];
  for (const { problem, prefix } of problems) {
    const message = `${prefix}${problem.message}`;
    messages.push(message);
    (fieldErrors[field ?? PROBLEM_FIELD[problem.code]] ??= []).push(message);
  }
  return { message: messages.join(' '), fieldErrors };
}
