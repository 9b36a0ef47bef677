import type { Tx } from '@/db/client';
import { assertCan } from '@/lib/authz/can';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { AssignKpiOwnerInput } from '@/lib/validation/kpis';
import { getKpiForWrite, kpiDtoOf, type KpiDto } from '@/lib/dal/cascade/kpi-rows';
import { authzScopeInTx, memberHomeUnit } from '@/lib/dal/cascade/support';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import { assertKpiLimits } from '@/lib/dal/kpi-quality/limits';
import { ARCHIVED_MESSAGE, auditKpi, updateKpiRow, writeTarget } from './write-support';

/**
 * Sets or clears the owner of a KPI. The new owner must be a member of the org; an individual
 * KPI keeps an owner. Tenant: ctx.org. Permission: `kpis.assign_owner` on the KPI's unit, and for
 * leads the assignee's home unit must be in their subtree. The new owner's KPI limit holds as on
 * create (`assertKpiLimits`; admins confirm with `confirmOverLimit`).
 */
export async function assignKpiOwner(
  ctx: OrgContext,
  tx: Tx,
  input: AssignKpiOwnerInput,
): Promise<KpiDto> {
  const orgId = ctx.org.id;
  // Serializes owner changes with every KPI write, so the new owner's count cannot move.
  if (input.ownerUserId !== null) await lockOrgCascade(tx, orgId);
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, orgId, input.kpiId);
  if (input.ownerUserId === null) {
    assertCan(scope, 'kpis.assign_owner', writeTarget(kpi));
    if (kpi.isIndividual)
      throw validationError('An individual KPI needs an owner.', {
        ownerUserId: ['Choose an owner'],
      });
  } else {
    const home = await memberHomeUnit(tx, orgId, input.ownerUserId);
    if (home === null) {
      throw validationError('The owner must be a member of this organization.', {
        ownerUserId: ['Choose a member of this organization'],
      });
    }
    assertCan(scope, 'kpis.assign_owner', { ...writeTarget(kpi), assigneeHomeUnitId: home });
  }
  if (kpi.archivedOn) throw validationError(ARCHIVED_MESSAGE);
  if (kpi.ownerUserId === input.ownerUserId) return kpiDtoOf(kpi);
  if (input.ownerUserId !== null) {
    await assertKpiLimits(ctx, tx, {
      unitId: null,
      ownerUserId: input.ownerUserId,
      isIndividual: kpi.isIndividual,
      confirmOverLimit: input.confirmOverLimit ?? false,
      write: 'assign_owner',
    });
  }
  const after = await updateKpiRow(tx, orgId, kpi.id, { ownerUserId: input.ownerUserId });
  await auditKpi(
    ctx,
    tx,
    'kpi.assign_owner',
    kpi.id,
    { ownerUserId: kpi.ownerUserId },
    { ownerUserId: after.ownerUserId },
  );
  return after;
}
