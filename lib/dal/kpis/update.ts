import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { type kpis, kpiTargets } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import {
  currencyProblem,
  editPatch,
  fieldChanged,
  LINK_CHECKED_FIELDS,
  VALUE_FIELDS,
} from '@/lib/domain/kpi-edit';
import { refuseProblem } from '@/lib/domain/problem';
import { strandedTargets } from '@/lib/domain/targets';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { UpdateKpiInput } from '@/lib/validation/kpis';
import { recomputeAllPeriods } from '@/lib/dal/cascade/recompute';
import { kpiDtoOf, type KpiDto } from '@/lib/dal/cascade/kpi-rows';
import { assertKpiLimits } from '@/lib/dal/kpi-quality/limits';
import { assertFormulasStillHold, assertNotUsedByFormulas, prepareFormula } from './formula-checks';
import { assertLinksStillHold } from './link-checks';
import { assertValidRange } from './valid-range';
import {
  assertKeyFree,
  auditKpi,
  getUnitKind,
  lockKpiForEdit,
  updateKpiRow,
  writeTarget,
} from './write-support';

/** Fields whose change re-checks a formula KPI's own formula. */
const FORMULA_CHECKED_FIELDS = [
  'rollup',
  'formula',
  'key',
  'cadence',
  'measureUnit',
  'currency',
] as const satisfies readonly (keyof KpiDto)[];

/** Fields whose change re-checks the formulas reading the KPI (and cycles). */
const INPUT_CHECKED_FIELDS = [
  'rollup',
  'formula',
  'cadence',
  'measureUnit',
  'currency',
] as const satisfies readonly (keyof KpiDto)[];

/**
 * Edits a KPI seen at `input.version` (stale: CONFLICT). Only given fields change; owner, parent
 * and north star have their own functions. Changing the unit, cadence, rollup or measure unit is
 * checked against the KPI's parent and all its children; a cadence change drops the target
 * overrides that no longer start a period. Value-changing edits (cadence, time aggregation,
 * rollup, weight; for a formula KPI also its formula, missing-input policy and baseline)
 * recompute the KPI, its ancestors and the formulas reading them. A formula is checked against
 * the org's KPIs (VALIDATION on `formula` with the position); a key that formulas read cannot
 * change, and an edit that would break a formula reading this KPI is refused. A new valid range
 * must hold every reading the KPI has (`assertValidRange`). A move to another unit respects the
 * org's KPI limits like a create (`assertKpiLimits`; admins confirm with `confirmOverLimit`).
 * Tenant: ctx.org. Permission:
 * `kpis.write` on the current unit and on a new unit. Holds the org cascade lock.
 */
export async function updateKpi(ctx: OrgContext, tx: Tx, input: UpdateKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  const { scope, kpi } = await lockKpiForEdit(ctx, tx, input);

  const { kpiId: _kpiId, version: _version, confirmOverLimit, ...raw } = input;
  const patch = editPatch(raw);
  const merged: KpiDto = {
    ...kpiDtoOf(kpi),
    ...patch,
    description: patch.description ?? kpi.description,
  };
  refuseProblem(currencyProblem(merged));
  const changed = (field: keyof KpiDto): boolean => fieldChanged<KpiDto>(kpi, merged, field);
  const changedFields = (Object.keys(patch) as (keyof KpiDto)[]).filter(changed);
  if (changedFields.length === 0) return kpiDtoOf(kpi);

  if (changed('unitId')) {
    assertCan(scope, 'kpis.write', { ...writeTarget(kpi), unitId: merged.unitId });
    const unit = await getUnitKind(tx, orgId, merged.unitId);
    if (unit.archived)
      throw validationError('This unit is archived.', { unitId: ['Choose an active unit'] });
    if (kpi.isNorthStar && unit.kind !== 'company') {
      throw validationError(
        'A north star KPI belongs to the company unit. Unset north star first.',
        {
          unitId: ['A north star stays in the company unit'],
        },
      );
    }
    await assertKpiLimits(ctx, tx, {
      unitId: merged.unitId,
      ownerUserId: null,
      isIndividual: kpi.isIndividual,
      confirmOverLimit: confirmOverLimit ?? false,
      write: 'move',
    });
  }
  if (LINK_CHECKED_FIELDS.some(changed)) await assertLinksStillHold(tx, orgId, kpi, merged);
  if (changed('key') && merged.key) await assertKeyFree(tx, orgId, merged.key, kpi.id);
  if (changed('validMin') || changed('validMax'))
    await assertValidRange(tx, orgId, merged, ctx.org.locale);

  const set: Partial<typeof kpis.$inferInsert> = {};
  // Formula KPIs: a formula only with rollup `formula` (checked, stored canonical with its keys).
  if (merged.rollup !== 'formula') {
    if (patch.formula) {
      throw validationError('Only a formula KPI has a formula.', {
        formula: ['Choose the rollup "formula" to compute this KPI from a formula'],
      });
    }
    merged.formula = null;
  }
  if (changed('key')) await assertNotUsedByFormulas(tx, orgId, kpi, 'rekey');
  if (merged.rollup === 'formula' && FORMULA_CHECKED_FIELDS.some(changed)) {
    const prepared = await prepareFormula(tx, orgId, merged, merged.formula);
    merged.formula = prepared.formula;
    set.formulaInputs = prepared.formulaInputs;
  } else if (changed('formula')) {
    set.formulaInputs = [];
  }
  if (INPUT_CHECKED_FIELDS.some(changed)) await assertFormulasStillHold(tx, orgId, merged);
  for (const field of (Object.keys(merged) as (keyof KpiDto)[]).filter(changed)) {
    (set as Record<string, unknown>)[field] = merged[field];
  }
  const after = await updateKpiRow(tx, orgId, kpi.id, set);

  let removedTargets: { periodStart: string; target: string }[] = [];
  if (changed('cadence')) {
    const overrides = await tx
      .select({ periodStart: kpiTargets.periodStart, target: kpiTargets.target })
      .from(kpiTargets)
      .where(and(eq(kpiTargets.orgId, orgId), eq(kpiTargets.kpiId, kpi.id)));
    removedTargets = strandedTargets(overrides, merged.cadence, ctx.org.fyStartMonth);
    if (removedTargets.length > 0) {
      await tx.delete(kpiTargets).where(
        and(
          eq(kpiTargets.orgId, orgId),
          eq(kpiTargets.kpiId, kpi.id),
          inArray(
            kpiTargets.periodStart,
            removedTargets.map((t) => t.periodStart),
          ),
        ),
      );
    }
  }
  await auditKpi(
    ctx,
    tx,
    'kpi.update',
    kpi.id,
    kpiDtoOf(kpi),
    removedTargets.length > 0 ? { ...after, removedTargets } : after,
  );

  // The KPI is a source, so all its periods (old and new) are passed up: its parent follows too.
  const formulaValueChanged =
    merged.rollup === 'formula' &&
    (changed('formula') || changed('missingPolicy') || changed('baseline'));
  if (VALUE_FIELDS.some(changed) || formulaValueChanged) {
    await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [kpi.id], {
      resetStored: changed('cadence'),
    });
  }
  return after;
}
