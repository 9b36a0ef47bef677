/**
 * The series projections kept across data versions (lib/dal/kpis/projection-memo.ts): after a
 * check-in, the dashboard's org-wide model rebuilt with the memo warm (only the KPIs whose own
 * inputs the check-in changed computed again) equals the model built from scratch (memo empty),
 * projections and all; and one organization's memo never serves another's: two organizations
 * generated from the same seed (the same KPIs, values and check-ins under other ids) each compute
 * their own projections, the second from nothing, while the first's memo is warm.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { kpis } from '@/db/schema';
import { recordCheckinAction } from '@/lib/actions/checkins';
import type { SessionClaims } from '@/lib/auth/session';
import { clearDashboardCaches, getModel, readKey } from '@/lib/dal/dashboards/read-model';
import { loadOrgProjections } from '@/lib/dal/kpis/org-projections';
import { seriesMemoFor } from '@/lib/dal/kpis/projection-memo';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { todayInTimeZone } from '@/lib/domain/dates';
import { createSyntheticOrganization } from '@/lib/seed/synthetic';
import type { OrgContext } from '@/lib/server/org-context';
import { as, contextFor, firstManualChildKpi, must, ownerClaims } from './cascade-helpers';

type Org = { orgId: string; slug: string; owner: SessionClaims; ctx: OrgContext };

/** A small synthetic organization (the same one for the same seed) and its owner's context. */
async function syntheticOrg(): Promise<Org> {
  const org = await createSyntheticOrganization({
    kpis: 120,
    people: 12,
    months: 30,
    depth: 5,
    seed: 21,
  });
  const owner = await ownerClaims(org.orgId);
  return {
    orgId: org.orgId,
    slug: org.slug,
    owner,
    ctx: await contextFor(owner, org.slug),
  };
}

/** The org-wide model of the open month, as the dashboard reads it now (cached or not). */
async function openMonthModel(org: Org) {
  const today = todayInTimeZone(org.ctx.org.timeZone);
  const open = resolveDashboardPeriod(`month-${today.slice(0, 8)}01`, org.ctx.org);
  expect(open.isCurrent).toBe(true);
  return getModel(org.ctx, await readKey(org.ctx, open), open);
}

describe('series projections kept across data versions', () => {
  let a: Org;
  let b: Org;
  beforeAll(async () => {
    a = await syntheticOrg();
    b = await syntheticOrg();
  }, 240_000);

  it('rebuilds the model after a check-in exactly as from scratch, computing only what changed', async () => {
    const today = todayInTimeZone(a.ctx.org.timeZone);
    clearDashboardCaches();
    const before = await openMonthModel(a);
    const { memo } = seriesMemoFor(a.orgId, today);
    const nodes = memo.size;
    expect(nodes).toBeGreaterThan(50);
    // a manual monthly KPI with a parent: the check-in moves it and the rollups above it
    const flow = await firstManualChildKpi(
      a.orgId,
      eq(kpis.cadence, 'month'),
      eq(kpis.timeAggregation, 'sum'),
    );
    // confirmUnusual: which KPI comes first depends on the seed's random ids, and 977 can be far
    // from its usual readings (the unusual-value question is not what this test is about)
    await as(a.owner, async () =>
      must(
        await recordCheckinAction(a.slug, {
          kpiId: flow,
          observedOn: today,
          value: '977',
          confirmUnusual: true,
        }),
      ),
    );
    const computed = memo.counts.computed;
    const warm = await openMonthModel(a);
    // only the check-in's KPI (and a few series reading it at another cadence) computed again
    const again = memo.counts.computed - computed;
    expect(again).toBeGreaterThan(0);
    expect(again).toBeLessThan(10);
    const moved = (m: typeof before) => m.kpis.find((k) => k.id === flow)?.projected;
    expect(moved(warm)).not.toEqual(moved(before));
    clearDashboardCaches();
    expect(seriesMemoFor(a.orgId, today).memo.size).toBe(0);
    const scratch = await openMonthModel(a);
    expect(warm).toEqual(scratch);
    expect(warm.kpis.filter((k) => k.projected).length).toBeGreaterThan(50);
  }, 240_000);

  it("never serves one organization's projections to another", async () => {
    const today = todayInTimeZone(a.ctx.org.timeZone);
    clearDashboardCaches();
    const first = await loadOrgProjections(a.ctx, today);
    expect(seriesMemoFor(a.orgId, today).memo.size).toBeGreaterThan(50);
    // the same organization under other ids: its memo is its own, and starts empty
    const other = seriesMemoFor(b.orgId, today).memo;
    expect(other).not.toBe(seriesMemoFor(a.orgId, today).memo);
    expect(other.size).toBe(0);
    const second = await loadOrgProjections(b.ctx, today);
    const bMemo = seriesMemoFor(b.orgId, today).memo;
    expect(bMemo.counts.reused).toBe(0);
    expect(bMemo.counts.computed).toBe(bMemo.size);
    // each organization's own KPIs only, and B's equal to B's from scratch
    expect([...second.keys()].some((id) => first.has(id))).toBe(false);
    expect(second.size).toBe(first.size);
    clearDashboardCaches();
    expect(await loadOrgProjections(b.ctx, today)).toEqual(second);
  }, 240_000);
});
