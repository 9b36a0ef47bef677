import { randomUUID } from 'node:crypto';
import type { Tx } from '@/db/client';
import { kpis } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { toLinkKpi } from '@/lib/domain/kpi-edit';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { CreateKpiInput } from '@/lib/validation/kpis';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import { recomputeAllPeriods } from '@/lib/dal/cascade/recompute';
import { kpiColumns, toKpiDto, type KpiDto } from '@/lib/dal/cascade/kpi-rows';
import { authzScopeInTx, memberHomeUnit } from '@/lib/dal/cascade/support';
import { assertKpiLimits } from '@/lib/dal/kpi-quality/limits';
import { defaultValidRange } from '@/lib/domain/value-range';
import { assertFormulasStillHold, prepareFormula } from './formula-checks';
import { assertLinkAllowed, loadParentForLink } from './link-checks';
import { assertValidRange } from './valid-range';
import { assertKeyFree, auditKpi, getUnitKind } from './write-support';

/**
 * Creates a KPI in a unit, optionally with an owner and a parent to roll up into.
 * Tenant: ctx.org (unit, owner and parent must belong to it; otherwise NOT_FOUND / VALIDATION).
 * Permission: `kpis.write` on the unit; with an owner also `kpis.assign_owner` (leads: owner's
 * home unit in their subtree). Linking checks the cascade rules. A `formula` KPI's formula is
 * parsed and checked against the org's KPIs (VALIDATION on `formula` with the position) and its
 * values are computed at once. Past the org's KPI limits (per unit, per owner) admins must
 * confirm and leads are refused (`assertKpiLimits`). Without a valid range given, the measure's
 * default applies (percent: 0-100). Holds the org cascade lock.
 */
export async function createKpi(ctx: OrgContext, tx: Tx, input: CreateKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  const scope = await authzScopeInTx(ctx, tx);
  assertCan(scope, 'kpis.write', { unitId: input.unitId });
  const unit = await getUnitKind(tx, orgId, input.unitId);
  if (unit.archived) {
    throw validationError('This unit is archived.', { unitId: ['Choose an active unit'] });
  }
  if (input.ownerUserId) {
    const home = await memberHomeUnit(tx, orgId, input.ownerUserId);
    if (home === null) {
      throw validationError('The owner must be a member of this organization.', {
        ownerUserId: ['Choose a member of this organization'],
      });
    }
    assertCan(scope, 'kpis.assign_owner', { unitId: input.unitId, assigneeHomeUnitId: home });
  }
  await assertKpiLimits(ctx, tx, {
    unitId: input.unitId,
    ownerUserId: input.ownerUserId ?? null,
    isIndividual: input.isIndividual ?? false,
    confirmOverLimit: input.confirmOverLimit ?? false,
  });
  const id = randomUUID();
  if (input.key) await assertKeyFree(tx, orgId, input.key, id);
  const values = {
    id,
    orgId,
    key: input.key ?? null,
    name: input.name,
    description: input.description ?? '',
    unitId: input.unitId,
    ownerUserId: input.ownerUserId ?? null,
    parentId: input.parentId ?? null,
    isIndividual: input.isIndividual ?? false,
    measureUnit: input.measureUnit,
    currency: input.measureUnit === 'currency' ? (input.currency ?? null) : null,
    decimals: input.decimals ?? 0,
    direction: input.direction,
    cadence: input.cadence,
    timeAggregation: input.timeAggregation,
    rollup: input.rollup ?? 'manual',
    formula: null as string | null,
    formulaInputs: [] as string[],
    missingPolicy: input.missingPolicy ?? 'strict',
    weight: input.weight ?? '1',
    baseline: input.baseline ?? null,
    defaultTarget: input.defaultTarget ?? null,
    // Not given: the measure's default range (percent 0-100); given as null: unbounded.
    validMin:
      input.validMin !== undefined ? input.validMin : defaultValidRange(input.measureUnit).validMin,
    validMax:
      input.validMax !== undefined ? input.validMax : defaultValidRange(input.measureUnit).validMax,
    category: input.category ?? 'operational',
    indicator: input.indicator ?? 'lagging',
  };
  if (values.rollup === 'formula') {
    Object.assign(values, await prepareFormula(tx, orgId, values, input.formula));
  } else if (input.formula) {
    throw validationError('Only a formula KPI has a formula.', {
      formula: ['Choose the rollup "formula" to compute this KPI from a formula'],
    });
  }
  if (input.parentId) {
    const parent = await loadParentForLink(tx, scope, orgId, input.parentId);
    await assertLinkAllowed(tx, orgId, toLinkKpi(values), toLinkKpi(parent));
    await assertFormulasStillHold(tx, orgId, values);
  }
  await assertValidRange(tx, orgId, { ...values, id: null }, ctx.org.locale);
  const [row] = await tx.insert(kpis).values(values).returning(kpiColumns);
  if (!row) throw new Error('kpi insert returned nothing');
  const after = toKpiDto(row);
  await auditKpi(ctx, tx, 'kpi.create', id, null, after);
  if (after.parentId || after.rollup === 'formula') {
    await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [after.id, after.parentId]);
  }
  return after;
}
