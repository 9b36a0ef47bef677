/**
 * The dashboards' org-wide projections read each KPI's stored values only from the earliest
 * period any projection reads of it (loadOrgProjections, readFrom), and still agree with the KPI
 * page's projection (getKpiProjection, which reads each KPI's own closure) for every active KPI
 * of a synthetic organization with six years of history: monthly, quarterly and yearly KPIs,
 * formulas, computed parents of other cadences, leads.
 */
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { kpis } from '@/db/schema';
import { loadOrgProjections } from '@/lib/dal/kpis/org-projections';
import { getKpiProjection } from '@/lib/dal/kpis/projection';
import { todayInTimeZone } from '@/lib/domain/dates';
import { projectedEnd, type Projection } from '@/lib/domain/forecast/projection';
import { createSyntheticOrganization } from '@/lib/seed/synthetic';
import type { OrgContext } from '@/lib/server/org-context';
import { contextFor, ownerClaims } from './cascade-helpers';

describe('org-wide projections over bounded reads', () => {
  let ctx: OrgContext;
  let orgId: string;
  beforeAll(async () => {
    const org = await createSyntheticOrganization({
      kpis: 240,
      people: 30,
      months: 72,
      depth: 6,
      seed: 7,
    });
    orgId = org.orgId;
    ctx = await contextFor(await ownerClaims(org.orgId), org.slug);
  }, 180_000);

  it('projects every active KPI as the KPI page does', async () => {
    const db = await getOwnerDb();
    const active = await db
      .select({ id: kpis.id, cadence: kpis.cadence })
      .from(kpis)
      .where(and(eq(kpis.orgId, orgId), sql`${kpis.archivedOn} is null`));
    // the organization mixes what the windows depend on
    expect(new Set(active.map((k) => k.cadence)).size).toBeGreaterThan(1);
    const org = await loadOrgProjections(ctx, todayInTimeZone(ctx.org.timeZone));
    const shown = (p: Projection | undefined) =>
      p && { start: p.periodStart, value: p.value, share: p.share, status: p.status };
    let projected = 0;
    for (const k of active) {
      const page = (await getKpiProjection(ctx, k.id)).projection;
      expect(shown(org.get(k.id)), `${k.cadence} ${k.id}`).toEqual(shown(page));
      if (projectedEnd(page, page.periodStart)) projected += 1;
    }
    expect(projected).toBeGreaterThan(0);
  }, 300_000);
});
