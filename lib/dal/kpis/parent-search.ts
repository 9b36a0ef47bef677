import { and, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { execRows, withOrgRead, type Executor } from '@/db/client';
import { kpis, units } from '@/db/schema';
import { can } from '@/lib/authz/can';
import { ancestorIds, checkKpiLink, type LinkKpi } from '@/lib/domain/tree';
import { forbiddenError, notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { listUnitParents } from '@/lib/dal/units/refs';
import { likePattern } from '../search-pattern';
import { toLinkCandidate, type LinkCandidate } from './editor-options';
import { canSeeKpi, summaryQuery } from './summary-query';

/** One page of a picker's search: the first matches and how many there are in all. */
export type SearchPage<T> = { hits: T[]; total: number };

/** The KPI being edited (or created: `id` null) as the form holds it now. */
export type ParentSearchDraft = Omit<LinkKpi, 'id'> & { id: string | null };

/** Stands in for a KPI not created yet: no KPI has it, so no link to it can be a cycle. */
const NEW_KPI_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Parent map of the KPIs under `kpiId` (its descendants, each with its parent), read down the
 * tree from it: enough for the cycle rule from `kpiId` (`wouldCreateCycle` walks up from a
 * candidate parent and reaches `kpiId` exactly when the candidate is one of them). Empty for a
 * KPI not created yet. Tenant-scoped by orgId; runs on the caller's read.
 */
async function loadSubtreeParentMap(
  db: Executor,
  orgId: string,
  kpiId: string | null,
): Promise<Map<string, string | null>> {
  if (kpiId === null) return new Map();
  const rows = await execRows<{ id: string; parent_id: string }>(
    db,
    sql`with recursive below as (
          select id, parent_id from kpis where org_id = ${orgId}::uuid and parent_id = ${kpiId}::uuid
          union
          select k.id, k.parent_id from kpis k join below b on k.org_id = ${orgId}::uuid and k.parent_id = b.id
        ) select id, parent_id from below`,
  );
  return new Map(rows.map((r) => [r.id, r.parent_id]));
}

/**
 * The KPIs `draft` may roll up into whose name, key or unit name contains `query` (all of them
 * for an empty query), by name, the first `limit` with the total: visible to the actor
 * (canSeeKpi), not archived, and passing every link rule the save re-checks (checkKpiLink: no
 * cycle, the draft's unit at or below the parent's, cadence no longer, same measure under a
 * computing parent). The actor must be allowed to write KPIs in the draft's unit (FORBIDDEN
 * otherwise); a unit or KPI of another org, a missing one and a KPI the actor may not see are
 * NOT_FOUND. Tenant-scoped by ctx.org.id.
 */
export async function searchParentCandidates(
  ctx: OrgContext,
  draft: ParentSearchDraft,
  query: string,
  limit: number,
): Promise<SearchPage<LinkCandidate>> {
  const unitParentOf = await listUnitParents(ctx.org.id);
  if (!unitParentOf.has(draft.unitId)) throw notFoundError();
  if (!can(ctx, 'kpis.write', { unitId: draft.unitId })) throw forbiddenError();
  // Only a KPI of the draft's unit or a unit above it can be its parent: ask for those alone.
  const parentUnits = [draft.unitId, ...ancestorIds(draft.unitId, unitParentOf)];
  const text = query.trim();
  const [kpiParentOf, self, rows] = await withOrgRead(ctx.org.id, (db) =>
    Promise.all([
      // The KPIs under the draft, for the cycle rule (none for a new KPI).
      loadSubtreeParentMap(db, ctx.org.id, draft.id),
      draft.id === null
        ? Promise.resolve([])
        : summaryQuery(db, ctx.org.id).where(
            and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, draft.id)),
          ),
      summaryQuery(db, ctx.org.id)
        .where(
          and(
            eq(kpis.orgId, ctx.org.id),
            isNull(kpis.archivedOn),
            inArray(kpis.unitId, parentUnits),
            text === ''
              ? undefined
              : or(
                  ilike(kpis.name, likePattern(text)),
                  ilike(kpis.key, likePattern(text)),
                  ilike(units.name, likePattern(text)),
                ),
          ),
        )
        .orderBy(kpis.name, kpis.id),
    ]),
  );
  if (draft.id !== null) {
    const row = self[0];
    if (!row || !canSeeKpi(ctx, row)) throw notFoundError();
    if (!can(ctx, 'kpis.write', { unitId: row.unitId })) throw forbiddenError();
  }
  const child: LinkKpi = { ...draft, id: draft.id ?? NEW_KPI_ID };
  const fits = rows.filter(
    (r) =>
      r.id !== child.id &&
      canSeeKpi(ctx, r) &&
      checkKpiLink({ child, parent: r, unitParentOf, kpiParentOf }).length === 0,
  );
  return { total: fits.length, hits: fits.slice(0, limit).map(toLinkCandidate) };
}

/**
 * One active KPI the actor may see, as a link candidate (a pre-filled parent); null for an
 * archived, missing or invisible one and another org's. Tenant-scoped by ctx.org.id.
 */
export async function getLinkCandidate(
  ctx: OrgContext,
  kpiId: string,
): Promise<LinkCandidate | null> {
  const [row] = await withOrgRead(ctx.org.id, (db) =>
    summaryQuery(db, ctx.org.id).where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId))),
  );
  return row && !row.archivedOn && canSeeKpi(ctx, row) ? toLinkCandidate(row) : null;
}
