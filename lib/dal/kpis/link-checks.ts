import { and, eq, sql } from 'drizzle-orm';
import { execRows, type Tx } from '@/db/client';
import { kpis } from '@/db/schema';
import type { AuthzScope } from '@/lib/authz/can';
import { linkProblemsProblem, toLinkKpi } from '@/lib/domain/kpi-edit';
import { refuseProblem } from '@/lib/domain/problem';
import { checkKpiLink, type LinkKpi, type LinkProblem } from '@/lib/domain/tree';
import { notFoundError, validationError } from '@/lib/errors';
import { getKpiForWrite, type KpiDto, type KpiForWrite } from '@/lib/dal/cascade/kpi-rows';
import { loadUnitParentMap } from '@/lib/dal/cascade/support';

/*
 * The cascade link rules (`checkKpiLink`) applied to the database as it is under the org cascade
 * lock, for creating, editing and linking KPIs. Tenant-scoped by orgId; a refusal is VALIDATION.
 */

/** Parent map of `kpiId` and its ancestors (enough for `wouldCreateCycle` from that KPI). */
async function loadKpiAncestorMap(
  tx: Tx,
  orgId: string,
  kpiId: string,
): Promise<Map<string, string | null>> {
  const rows = await execRows<{ id: string; parent_id: string | null }>(
    tx,
    sql`with recursive chain as (
          select id, parent_id from kpis where org_id = ${orgId}::uuid and id = ${kpiId}::uuid
          union
          select k.id, k.parent_id from kpis k join chain c on k.org_id = ${orgId}::uuid and k.id = c.parent_id
        ) select id, parent_id from chain`,
  );
  return new Map(rows.map((r) => [r.id, r.parent_id]));
}

const linkColumns = {
  id: kpis.id,
  name: kpis.name,
  unitId: kpis.unitId,
  cadence: kpis.cadence,
  rollup: kpis.rollup,
  measureUnit: kpis.measureUnit,
  currency: kpis.currency,
};

/** Checks that `child` may roll up into `parent` as the cascade is now (under the lock). */
export async function assertLinkAllowed(tx: Tx, orgId: string, child: LinkKpi, parent: LinkKpi) {
  const unitParentOf = await loadUnitParentMap(tx, orgId);
  const kpiParentOf = await loadKpiAncestorMap(tx, orgId, parent.id);
  const problems = checkKpiLink({ child, parent, unitParentOf, kpiParentOf });
  refuseProblem(
    linkProblemsProblem(
      problems.map((problem) => ({ problem, prefix: '' })),
      'parentId',
    ),
  );
}

/** The parent a KPI is to roll up into: visible to the actor (else NOT_FOUND) and active. */
export async function loadParentForLink(
  tx: Tx,
  scope: AuthzScope,
  orgId: string,
  parentId: string,
): Promise<KpiForWrite> {
  const parent = await getKpiForWrite(tx, scope, orgId, parentId);
  if (parent.archivedOn) {
    throw validationError('The parent KPI is archived. Choose an active KPI.', {
      parentId: ['Choose an active KPI'],
    });
  }
  return parent;
}

/**
 * Checks that `kpi` edited to `merged` still fits its parent and that all its children still fit
 * it; every problem is reported (a child's prefixed with its name) under its form field.
 */
export async function assertLinksStillHold(
  tx: Tx,
  orgId: string,
  kpi: KpiForWrite,
  merged: KpiDto,
): Promise<void> {
  const unitParentOf = await loadUnitParentMap(tx, orgId);
  const problems: { problem: LinkProblem; prefix: string }[] = [];
  if (kpi.parentId) {
    const [parent] = await tx
      .select(linkColumns)
      .from(kpis)
      .where(and(eq(kpis.orgId, orgId), eq(kpis.id, kpi.parentId)));
    if (!parent) throw notFoundError();
    for (const problem of checkKpiLink({
      child: toLinkKpi(merged),
      parent: toLinkKpi(parent),
      unitParentOf,
      kpiParentOf: new Map(),
    })) {
      problems.push({ problem, prefix: '' });
    }
  }
  const children = await tx
    .select(linkColumns)
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), eq(kpis.parentId, kpi.id)));
  for (const child of children) {
    for (const problem of checkKpiLink({
      child: toLinkKpi(child),
      parent: toLinkKpi(merged),
      unitParentOf,
      kpiParentOf: new Map(),
    })) {
      problems.push({ problem, prefix: `"${child.name}" rolls up into this KPI: ` });
    }
  }
  refuseProblem(linkProblemsProblem(problems));
}
