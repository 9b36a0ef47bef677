import type { Tx } from '@/db/client';
import { assertCan } from '@/lib/authz/can';
import { formatValue } from '@/lib/domain/format';
import type { FormulaNode } from '@/lib/domain/formula/ast';
import { checkFormula } from '@/lib/domain/formula/check';
import { coverageLabel } from '@/lib/domain/formula/evaluate';
import { ParseError } from '@/lib/domain/formula/parse-error';
import { parseFormula } from '@/lib/domain/formula/parser';
import { todayInTimeZone } from '@/lib/domain/dates';
import { periodStart, previousPeriodStart } from '@/lib/domain/periods';
import type { OrgContext } from '@/lib/server/org-context';
import type { PreviewFormulaInput } from '@/lib/validation/kpis';
import { getKpiForWrite } from '@/lib/dal/cascade/kpi-rows';
import { authzScopeInTx } from '@/lib/dal/cascade/support';
import { loadFormulaCatalogue } from './formula-checks';
import { evaluateFormulaPeriods } from './formula-periods';
import { getUnitKind, writeTarget } from './write-support';

/** How many periods the preview shows (the last ones, the current one included). */
export const PREVIEW_PERIODS = 3;

/** One previewed period: its value formatted in the draft's unit, or why it has none. */
export type FormulaPreviewRow = {
  start: string;
  label: string;
  value: string | null;
  display: string | null;
  /** "division by zero", "2 of 3 inputs", "no data"; null with a value. */
  reason: string | null;
};

/**
 * The preview: the last periods' values, or the first problem of the draft with its position
 * (the same parse and checks as a save: unknown key with "did you mean", cycle, cadence, unit).
 */
export type FormulaPreview =
  | { ok: true; rows: FormulaPreviewRow[] }
  | { ok: false; problem: { message: string; start: number; end: number } };

const NEW_KPI_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Evaluates a draft formula for the last PREVIEW_PERIODS periods of its cadence (up to the
 * current one in the org's time zone) from current data, writing nothing. Tenant: ctx.org (a
 * `kpiId` or `unitId` of another org is NOT_FOUND, and its KPI keys are unknown here).
 * Permission: `kpis.write` on the KPI being edited, or on the unit of the one being created,
 * like the form's save.
 */
export async function previewFormula(
  ctx: OrgContext,
  tx: Tx,
  input: PreviewFormulaInput,
): Promise<FormulaPreview> {
  const orgId = ctx.org.id;
  const scope = await authzScopeInTx(ctx, tx);
  let parentId = input.parentId ?? null;
  if (input.kpiId) {
    const kpi = await getKpiForWrite(tx, scope, orgId, input.kpiId);
    assertCan(scope, 'kpis.write', writeTarget(kpi));
    if (input.parentId === undefined) parentId = kpi.parentId;
  } else {
    assertCan(scope, 'kpis.write', { unitId: input.unitId });
    await getUnitKind(tx, orgId, input.unitId);
  }

  if (input.formula.trim() === '') {
    return { ok: false, problem: { message: 'Enter a formula at 0', start: 0, end: 0 } };
  }
  let node: FormulaNode;
  try {
    node = parseFormula(input.formula);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { ok: false, problem: { message: error.message, start: error.start, end: error.end } };
  }
  const kpiId = input.kpiId ?? NEW_KPI_ID;
  const key = input.key ?? null;
  const measure = {
    measureUnit: input.measureUnit,
    currency: input.measureUnit === 'currency' ? (input.currency ?? null) : null,
    decimals: input.decimals ?? 0,
  };
  const catalogue = await loadFormulaCatalogue(tx, orgId);
  const first = checkFormula(
    {
      id: kpiId,
      key,
      name: 'this KPI',
      cadence: input.cadence,
      timeAggregation: input.timeAggregation,
      measureUnit: measure.measureUnit,
      currency: measure.currency,
      parentId,
      archived: false,
    },
    node,
    catalogue,
  )[0];
  if (first) {
    return { ok: false, problem: { message: first.message, start: first.start, end: first.end } };
  }

  const today = todayInTimeZone(ctx.org.timeZone);
  const starts = [periodStart(today, input.cadence, ctx.org.fyStartMonth)];
  while (starts.length < PREVIEW_PERIODS) {
    starts.unshift(previousPeriodStart(starts[0] as string, input.cadence));
  }
  // A key another KPI holds is not this formula's own: its prev() then reads that KPI.
  const keyIsOwn = key !== null && !catalogue.some((k) => k.key === key && k.id !== kpiId);
  const { periods } = await evaluateFormulaPeriods(
    tx,
    orgId,
    ctx.org,
    {
      kpiId: input.kpiId ?? null,
      key: keyIsOwn ? key : null,
      formula: node,
      cadence: input.cadence,
      timeAggregation: input.timeAggregation,
      missingPolicy: input.missingPolicy,
      baseline: input.baseline ?? null,
    },
    starts,
  );
  return {
    ok: true,
    rows: periods.map((p) => ({
      start: p.start,
      label: p.label,
      value: p.value,
      display: p.value === null ? null : formatValue(p.value, measure, ctx.org.locale),
      reason:
        p.value !== null
          ? null
          : p.reason === 'missing inputs'
            ? coverageLabel(p)
            : (p.reason ?? 'no data'),
    })),
  };
}
