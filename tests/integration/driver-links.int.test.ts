import { describe, expect, it } from 'vitest';
import { setNorthStarAction } from '@/lib/actions/kpis';
import type { SessionClaims } from '@/lib/auth/session';
import { getDashboard } from '@/lib/dal/dashboards/dashboard';
import { listKpis } from '@/lib/dal/kpis/list';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { driverLinksOf } from '@/lib/domain/driver-links';
import { addTestMember, createTestKpi, createTestOrg } from './factories';
import { as, contextFor, must } from './cascade-helpers';

/*
 * Driver links on a real database: the explorer's and the dashboard's formula links are drawn
 * among the org's own KPIs that the actor may see. Two organizations use the same keys (keys are
 * unique per organization only), and a member cannot see a colleague's individual input.
 */

async function orgWithFormula() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const create = (over: Record<string, unknown>) =>
    createTestKpi(owner, org.slug, rootUnitId, over);
  const colleague = await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId });
  const newArr = await create({ key: 'sales.new_arr', name: 'New ARR' });
  const bonus = await create({
    key: 'sales.bonus_arr',
    name: 'Bonus ARR (individual)',
    isIndividual: true,
    ownerUserId: colleague.userId,
  });
  const arr = await create({
    key: 'company.arr',
    name: 'ARR',
    timeAggregation: 'last',
    rollup: 'formula',
    formula: 'prev(company.arr) + sales.new_arr + sales.bonus_arr',
    missingPolicy: 'zero',
    baseline: '100',
  });
  await as(owner, async () =>
    must(await setNorthStarAction(org.slug, { kpiId: arr.id, isNorthStar: true })),
  );
  return { org, owner, rootUnitId, newArr, bonus, arr };
}

async function dashboardOf(claims: SessionClaims, slug: string) {
  const ctx = await contextFor(claims, slug);
  return as(claims, () => getDashboard(ctx, resolveDashboardPeriod(undefined, ctx.org)));
}

describe('driver links', () => {
  it('link only the org’s own KPIs, and only those the actor may see', async () => {
    const a = await orgWithFormula();
    // Created second, with the same keys: a lookup by key across orgs would find these.
    const b = await orgWithFormula();

    // The explorer's links, as the page draws them from the org-scoped list.
    const ownerCtx = await contextFor(a.owner, a.org.slug);
    const listed = await as(a.owner, () => listKpis(ownerCtx));
    const links = driverLinksOf(listed);
    expect(
      links
        .get(a.arr.id)
        ?.drivers.map((d) => d.id)
        .sort(),
    ).toEqual([a.newArr.id, a.bonus.id].sort());
    expect(links.get(a.arr.id)?.readsOwnPrevious).toBe(true);
    expect(links.get(a.newArr.id)?.feeds.map((f) => f.id)).toEqual([a.arr.id]);

    // The dashboard's north star card: drivers with values, none of the other org's.
    const dash = await dashboardOf(a.owner, a.org.slug);
    const star = dash.northStars.find((c) => c.kpi.id === a.arr.id);
    const drivers = star?.kpi.links?.drivers ?? [];
    expect(drivers.map((d) => d.id).sort()).toEqual([a.newArr.id, a.bonus.id].sort());
    expect(drivers.every((d) => 'view' in d && d.view.status !== undefined)).toBe(true);
    const bIds = new Set([b.arr.id, b.newArr.id, b.bonus.id]);
    const everyLinked = [dash.northStars.map((c) => c.kpi), dash.admin?.companyKpis ?? []]
      .flat()
      .flatMap((k) => [...(k.links?.drivers ?? []), ...(k.links?.feeds ?? [])]);
    expect(everyLinked.length).toBeGreaterThan(0);
    expect(everyLinked.filter((k) => bIds.has(k.id))).toEqual([]);

    // A member who cannot see the colleague's individual input: counted, never named.
    const member = await addTestMember(a.org.id, { role: 'member', homeUnitId: a.rootUnitId });
    const memberDash = await dashboardOf(member, a.org.slug);
    const memberStar = memberDash.northStars.find((c) => c.kpi.id === a.arr.id);
    expect(memberStar?.kpi.links?.drivers.map((d) => d.id)).toEqual([a.newArr.id]);
    expect(memberStar?.kpi.links?.hiddenDrivers).toBe(1);
    expect(JSON.stringify(memberDash)).not.toContain(a.bonus.id);
  });
});
