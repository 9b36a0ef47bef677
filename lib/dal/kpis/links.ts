import type { Tx } from '@/db/client';
import { toLinkKpi } from '@/lib/domain/kpi-edit';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { LinkKpiInput, UnlinkKpiInput } from '@/lib/validation/kpis';
import { recomputeAllPeriods } from '@/lib/dal/cascade/recompute';
import { kpiDtoOf, type KpiDto } from '@/lib/dal/cascade/kpi-rows';
import { assertFormulasStillHold } from './formula-checks';
import { assertLinkAllowed, loadParentForLink } from './link-checks';
import { auditKpi, lockKpiForEdit, updateKpiRow } from './write-support';

/**
 * Links a KPI (seen at `input.version`) under a parent KPI, or moves it from its current parent.
 * The parent must be an active KPI of the same org (another org's id: NOT_FOUND) that the actor
 * can see, and the link must pass `checkKpiLink` (no cycle, unit inside the parent's unit
 * subtree, cadence no longer, same measure unit under a computing parent). Old and new parents
 * are recomputed for all their periods (and the formulas reading them). A link that would close
 * a cycle through formula references is refused. Tenant: ctx.org. Permission: `kpis.write` on the child
 * only: a lead may link their KPI under a KPI of an ancestor unit without editing that parent.
 * Holds the org cascade lock.
 */
export async function linkKpi(ctx: OrgContext, tx: Tx, input: LinkKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  const { scope, kpi } = await lockKpiForEdit(ctx, tx, input);
  const parent = await loadParentForLink(tx, scope, orgId, input.parentId);
  if (kpi.parentId === parent.id) return kpiDtoOf(kpi);
  await assertLinkAllowed(tx, orgId, toLinkKpi(kpi), toLinkKpi(parent));
  await assertFormulasStillHold(tx, orgId, { ...kpiDtoOf(kpi), parentId: parent.id });
  const after = await updateKpiRow(tx, orgId, kpi.id, { parentId: parent.id });
  await auditKpi(
    ctx,
    tx,
    'kpi.link',
    kpi.id,
    { parentId: kpi.parentId, version: kpi.version },
    { parentId: parent.id, version: after.version },
  );
  await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [kpi.parentId, parent.id]);
  return after;
}

/**
 * Unlinks a KPI (seen at `input.version`) from its parent; the parent is recomputed.
 * Tenant: ctx.org. Permission: `kpis.write` on the child. Holds the org cascade lock.
 */
export async function unlinkKpi(ctx: OrgContext, tx: Tx, input: UnlinkKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  const { kpi } = await lockKpiForEdit(ctx, tx, input);
  if (kpi.parentId === null) throw validationError('This KPI does not roll up into another KPI.');
  const after = await updateKpiRow(tx, orgId, kpi.id, { parentId: null });
  await auditKpi(
    ctx,
    tx,
    'kpi.unlink',
    kpi.id,
    { parentId: kpi.parentId, version: kpi.version },
    { parentId: null, version: after.version },
  );
  await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [kpi.parentId]);
  return after;
}
