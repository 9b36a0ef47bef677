import { and, desc, eq, inArray } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { checkins } from '@/db/schema';
import { can } from '@/lib/authz/can';
import type { CheckinDue } from '@/lib/domain/dashboard/my-dashboard';
import { Dec, toPlainString } from '@/lib/domain/decimal';
import type { OrgContext } from '@/lib/server/org-context';
import type { KpiSummary } from '@/lib/domain/kpi-summary';

/** What listCheckinsDue needs to know about a KPI. */
export type CheckinCandidate = Pick<
  KpiSummary,
  'id' | 'rollup' | 'archivedOn' | 'unitId' | 'ownerUserId' | 'current'
>;

/**
 * For each KPI the actor may record values on (manual rollup, `checkins.write`), the last
 * check-in and the one in its current period; one query for all of them. Tenant-scoped.
 */
export async function listCheckinsDue(
  ctx: OrgContext,
  kpis: readonly CheckinCandidate[],
): Promise<CheckinDue[]> {
  const writable = kpis.filter(
    (k) =>
      k.rollup === 'manual' &&
      !k.archivedOn &&
      can(ctx, 'checkins.write', { unitId: k.unitId, ownerUserId: k.ownerUserId }),
  );
  if (writable.length === 0) return [];
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .selectDistinctOn([checkins.kpiId], {
        kpiId: checkins.kpiId,
        id: checkins.id,
        value: checkins.value,
        observedOn: checkins.observedOn,
        version: checkins.version,
      })
      .from(checkins)
      .where(
        and(
          eq(checkins.orgId, ctx.org.id),
          inArray(
            checkins.kpiId,
            writable.map((k) => k.id),
          ),
        ),
      )
      .orderBy(checkins.kpiId, desc(checkins.observedOn), desc(checkins.createdAt));
    const latest = new Map(rows.map((r) => [r.kpiId, r]));
    return writable.map((k) => {
      const row = latest.get(k.id);
      const last = row
        ? {
            id: row.id,
            value: toPlainString(new Dec(row.value)),
            observedOn: row.observedOn,
            version: row.version,
          }
        : null;
      return {
        kpiId: k.id,
        last,
        inPeriod: last && last.observedOn >= k.current.start ? last : null,
      };
    });
  });
}
