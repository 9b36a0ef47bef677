import type { Tx } from '@/db/client';
import { assertCan } from '@/lib/authz/can';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { SetNorthStarInput } from '@/lib/validation/kpis';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import { getKpiForWrite, kpiDtoOf, type KpiDto } from '@/lib/dal/cascade/kpi-rows';
import { authzScopeInTx } from '@/lib/dal/cascade/support';
import {
  ARCHIVED_MESSAGE,
  auditKpi,
  getUnitKind,
  updateKpiRow,
  writeTarget,
} from './write-support';

/**
 * Marks or unmarks a KPI as a north star. Only active, non-individual KPIs of the company unit.
 * Tenant: ctx.org. Permission: `kpis.write` on its unit. Holds the org cascade lock.
 */
export async function setNorthStar(
  ctx: OrgContext,
  tx: Tx,
  input: SetNorthStarInput,
): Promise<KpiDto> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, orgId, input.kpiId);
  assertCan(scope, 'kpis.write', writeTarget(kpi));
  if (kpi.isNorthStar === input.isNorthStar) return kpiDtoOf(kpi);
  if (input.isNorthStar) {
    if (kpi.archivedOn) throw validationError(ARCHIVED_MESSAGE);
    const unit = await getUnitKind(tx, orgId, kpi.unitId);
    if (unit.kind !== 'company' || kpi.isIndividual) {
      throw validationError('Only company-level KPIs (not individual ones) can be north stars.');
    }
  }
  const after = await updateKpiRow(tx, orgId, kpi.id, { isNorthStar: input.isNorthStar });
  await auditKpi(
    ctx,
    tx,
    'kpi.set_north_star',
    kpi.id,
    { isNorthStar: kpi.isNorthStar },
    { isNorthStar: after.isNorthStar },
  );
  return after;
}
