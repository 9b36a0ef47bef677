// The cached dashboard read model (lib/dal/dashboards + read-cache, migration 0007): a write of
// any kind changes the very next read, also the writer's own; actors of different scopes and
// organizations never share an entry; bounded lists keep exact counts, and the explorer links
// filter to exactly what the cards counted.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';
import { checkins, kpiPeriodValues, kpis, organizations, units } from '@/db/schema';
import { GET as dashboardRoute } from '@/app/api/o/[orgSlug]/dashboard/route';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { recordCheckinAction } from '@/lib/actions/checkins';
import {
  assignKpiOwnerAction,
  createKpiAction,
  setNorthStarAction,
  setTargetAction,
  updateKpiAction,
} from '@/lib/actions/kpis';
import { changeHomeUnitAction, changeMemberRoleAction } from '@/lib/actions/people';
import { listAssignees } from '@/lib/dal/dashboards/assignees';
import { getDashboard } from '@/lib/dal/dashboards/dashboard';
import { getMyDashboard } from '@/lib/dal/dashboards/my-dashboard';
import type { Dashboard } from '@/lib/dal/dashboards/types';
import { toTreeNode } from '@/lib/domain/kpi-tree-node';
import { listKpis } from '@/lib/dal/kpis/list';
import { getOrgDataVersion } from '@/lib/dal/read-cache';
import { listUnitParents } from '@/lib/dal/units/refs';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { DASHBOARD_LIMITS } from '@/lib/domain/dashboard/types';
import { todayInTimeZone } from '@/lib/domain/dates';
import { matchesKpiFilter, type KpiFilter } from '@/lib/domain/kpi-filter';
import { resolveOrgContext } from '@/lib/server/org-context';
import { as, kpiInput, kpiVersion, must } from './cascade-helpers';
import { addTestMember, createTestOrg, makeLead } from './factories';
import { realPostgres } from './real-postgres';

type Claims = SessionClaims & { email: string };

const today = todayInTimeZone('UTC');
const month = `${today.slice(0, 8)}01`;

function dashboardAs(claims: Claims, slug: string): Promise<Dashboard> {
  return runWithSession(claims, async () => {
    const ctx = await resolveOrgContext(slug);
    return getDashboard(ctx, resolveDashboardPeriod(`month-${month}`, ctx.org));
  });
}

/** A small cascade built through the actions, like people build it. */
async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const db = await getOwnerDb();
  const [sales] = await db
    .insert(units)
    .values({ orgId: org.id, name: 'Sales', kind: 'department', parentId: rootUnitId })
    .returning({ id: units.id });
  const lead = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: sales!.id,
    name: 'Lee Lead',
  });
  const rep = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: sales!.id,
    name: 'Ria Rep',
  });
  const other = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: sales!.id,
    name: 'Oli Other',
  });
  await makeLead(org.id, sales!.id, lead.userId);
  const create = (over: Record<string, unknown>) =>
    as(owner, async () => must(await createKpiAction(org.slug, kpiInput(rootUnitId, over))));
  const star = await create({ name: 'Revenue', rollup: 'sum', defaultTarget: '100' });
  await as(owner, async () =>
    must(await setNorthStarAction(org.slug, { kpiId: star.id, isNorthStar: true })),
  );
  const salesRevenue = await create({
    name: 'Sales revenue',
    unitId: sales!.id,
    parentId: star.id,
    ownerUserId: rep.userId,
    defaultTarget: '100',
  });
  const unowned = await create({ name: 'Calls', unitId: sales!.id, defaultTarget: '10' });
  const repOwn = await create({
    name: 'Ria stretch',
    unitId: sales!.id,
    ownerUserId: rep.userId,
    isIndividual: true,
    defaultTarget: '5',
  });
  const otherOwn = await create({
    name: 'Oli stretch',
    unitId: sales!.id,
    ownerUserId: other.userId,
    isIndividual: true,
    defaultTarget: '5',
  });
  return {
    org,
    owner,
    lead,
    rep,
    other,
    units: { root: rootUnitId, sales: sales!.id },
    kpis: {
      star: star.id,
      salesRevenue: salesRevenue.id,
      unowned: unowned.id,
      repOwn: repOwn.id,
      otherOwn: otherOwn.id,
    },
  };
}

describe('the cached dashboard: every write changes the next read', () => {
  let fx: Awaited<ReturnType<typeof buildOrg>>;
  beforeAll(async () => {
    fx = await buildOrg();
  });

  it('serves a repeated read from the cache (so the freshness checks below are not vacuous)', async () => {
    const first = await dashboardAs(fx.owner, fx.org.slug);
    const second = await dashboardAs(fx.owner, fx.org.slug);
    expect(second).toBe(first); // the very same object: no recomputation
  });

  it('a check-in: the rollup shows on everyone’s next read, the writer’s own included', async () => {
    const before = await dashboardAs(fx.owner, fx.org.slug);
    expect(before.northStars[0]!.kpi.view.value).toBeNull();
    const repBefore = await runWithSession(fx.rep, async () => {
      const ctx = await resolveOrgContext(fx.org.slug);
      return getMyDashboard(ctx, resolveDashboardPeriod(`month-${month}`, ctx.org));
    });
    expect(repBefore.targets.find((t) => t.kpiId === fx.kpis.salesRevenue)?.value).toBeNull();

    await as(fx.rep, async () =>
      must(
        await recordCheckinAction(fx.org.slug, {
          kpiId: fx.kpis.salesRevenue,
          observedOn: today,
          value: '40',
        }),
      ),
    );
    const repAfter = await runWithSession(fx.rep, async () => {
      const ctx = await resolveOrgContext(fx.org.slug);
      return getMyDashboard(ctx, resolveDashboardPeriod(`month-${month}`, ctx.org));
    });
    expect(Number(repAfter.targets.find((t) => t.kpiId === fx.kpis.salesRevenue)?.value)).toBe(40);
    expect(
      Number(repAfter.checkins.find((c) => c.kpiId === fx.kpis.salesRevenue)?.inPeriod?.value),
    ).toBe(40);
    const after = await dashboardAs(fx.owner, fx.org.slug);
    expect(Number(after.northStars[0]!.kpi.view.value)).toBe(40);
  });

  it('a KPI edit: the new name is on the lead’s next read', async () => {
    const before = await dashboardAs(fx.lead, fx.org.slug);
    expect(before.lead!.kpis.map((k) => k.name)).toContain('Sales revenue');
    await as(fx.owner, async () =>
      must(
        await updateKpiAction(fx.org.slug, {
          kpiId: fx.kpis.salesRevenue,
          version: await kpiVersion(fx.kpis.salesRevenue),
          name: 'Sales revenue (net)',
        }),
      ),
    );
    const after = await dashboardAs(fx.lead, fx.org.slug);
    expect(after.lead!.kpis.map((k) => k.name)).toContain('Sales revenue (net)');
  });

  it('a target change: the new target and status are on the next read', async () => {
    const find = (d: Dashboard) => d.lead!.kpis.find((k) => k.id === fx.kpis.salesRevenue)!;
    expect(Number(find(await dashboardAs(fx.lead, fx.org.slug)).view.target)).toBe(100);
    await as(fx.lead, async () =>
      must(
        await setTargetAction(fx.org.slug, {
          kpiId: fx.kpis.salesRevenue,
          periodStart: month,
          target: '40',
        }),
      ),
    );
    const view = find(await dashboardAs(fx.lead, fx.org.slug)).view;
    expect(Number(view.target)).toBe(40);
    expect(view.share).toBe(1);
  });

  it('an owner assignment: the unowned list and count change on the next read', async () => {
    const before = await dashboardAs(fx.owner, fx.org.slug);
    expect(before.admin!.unowned.map((k) => k.id)).toContain(fx.kpis.unowned);
    const unownedBefore = before.admin!.unownedCount;
    await as(fx.lead, async () =>
      must(
        await assignKpiOwnerAction(fx.org.slug, {
          kpiId: fx.kpis.unowned,
          ownerUserId: fx.other.userId,
        }),
      ),
    );
    const after = await dashboardAs(fx.owner, fx.org.slug);
    expect(after.admin!.unownedCount).toBe(unownedBefore - 1);
    expect(after.admin!.unowned.map((k) => k.id)).not.toContain(fx.kpis.unowned);
    const lead = await dashboardAs(fx.lead, fx.org.slug);
    expect(lead.lead!.kpis.find((k) => k.id === fx.kpis.unowned)?.ownerName).toBe('Oli Other');
  });

  it('a membership change: home unit and role show on the next read (the actor’s own scope too)', async () => {
    const before = await dashboardAs(fx.lead, fx.org.slug);
    expect(before.lead!.peopleCount).toBe(3);
    expect(before.lead!.individual.map((k) => k.id).sort()).toEqual(
      [fx.kpis.repOwn, fx.kpis.otherOwn].sort(),
    );
    await as(fx.owner, async () =>
      must(
        await changeHomeUnitAction(fx.org.slug, {
          userId: fx.other.userId,
          homeUnitId: fx.units.root,
        }),
      ),
    );
    const after = await dashboardAs(fx.lead, fx.org.slug);
    expect(after.lead!.peopleCount).toBe(2);
    expect(after.lead!.individual.map((k) => k.id)).toEqual([fx.kpis.repOwn]);

    expect((await dashboardAs(fx.other, fx.org.slug)).admin).toBeNull();
    await as(fx.owner, async () =>
      must(await changeMemberRoleAction(fx.org.slug, { userId: fx.other.userId, role: 'admin' })),
    );
    const promoted = await dashboardAs(fx.other, fx.org.slug);
    expect(promoted.admin).not.toBeNull();
    await as(fx.owner, async () =>
      must(await changeMemberRoleAction(fx.org.slug, { userId: fx.other.userId, role: 'member' })),
    );
    expect((await dashboardAs(fx.other, fx.org.slug)).admin).toBeNull();
  });

  it('a write straight to the database (not through the app) changes the version as well', async () => {
    const before = await getOrgDataVersion(fx.org.id);
    const db = await getOwnerDb();
    await db
      .update(kpis)
      .set({ description: 'edited by hand' })
      .where(and(eq(kpis.orgId, fx.org.id), eq(kpis.id, fx.kpis.unowned)));
    expect(await getOrgDataVersion(fx.org.id)).not.toBe(before);
    // A statement that changes no row does not.
    const unchanged = await getOrgDataVersion(fx.org.id);
    await db
      .update(kpis)
      .set({ description: 'x' })
      .where(eq(kpis.id, '00000000-0000-4000-8000-000000000000'));
    expect(await getOrgDataVersion(fx.org.id)).toBe(unchanged);
  });
});

describe('the cached dashboard: scopes and tenants never share an entry', () => {
  let fx: Awaited<ReturnType<typeof buildOrg>>;
  let second: Awaited<ReturnType<typeof buildOrg>>;
  beforeAll(async () => {
    [fx, second] = await Promise.all([buildOrg(), buildOrg()]);
  });

  it('a member read after the lead’s (same org, same version) gets only what a member sees', async () => {
    const lead = await dashboardAs(fx.lead, fx.org.slug);
    expect(lead.lead!.individual.map((k) => k.id)).toContain(fx.kpis.otherOwn);
    const member = await dashboardAs(fx.rep, fx.org.slug);
    expect(member.lead).toBeNull();
    expect(member.admin).toBeNull();
    const text = JSON.stringify(member);
    expect(text).not.toContain(fx.kpis.otherOwn);
    expect(text).not.toContain('Oli stretch');
    expect(member.mine!.targets.map((t) => t.id).sort()).toEqual(
      [fx.kpis.salesRevenue, fx.kpis.repOwn].sort(),
    );
    // And the other member, same role and same version: their own targets, not Ria's.
    const other = await dashboardAs(fx.other, fx.org.slug);
    expect(JSON.stringify(other)).not.toContain(fx.kpis.repOwn);
    expect(other.mine!.targets.map((t) => t.id)).toEqual([fx.kpis.otherOwn]);
  });

  it('two organizations at the same data version never see each other’s data', async () => {
    const a = await dashboardAs(fx.owner, fx.org.slug);
    const b = await dashboardAs(second.owner, second.org.slug);
    expect(a).not.toBe(b);
    expect(JSON.stringify(b)).not.toContain(fx.kpis.star);
    expect(JSON.stringify(a)).not.toContain(second.kpis.star);
  });

  it('the people a KPI can be assigned to: everyone for an admin, the area for a lead, nobody for a member', async () => {
    const names = async (claims: Claims) =>
      runWithSession(claims, async () =>
        (await listAssignees(await resolveOrgContext(fx.org.slug))).map((p) => p.name).sort(),
      );
    expect(await names(fx.owner)).toHaveLength(4);
    expect(await names(fx.lead)).toEqual(['Lee Lead', 'Oli Other', 'Ria Rep']);
    expect(await names(fx.rep)).toEqual([]);
  });
});

describe.runIf(realPostgres)('the data version under concurrent writers', () => {
  it('two open transactions writing to one organization never wait on each other’s version slot', async () => {
    const fx = await buildOrg();
    const db = await getOwnerDb();
    const before = Number(await getOrgDataVersion(fx.org.id));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstWrote!: () => void;
    const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
    const insert = (tx: Parameters<Parameters<typeof db.transaction>[0]>[0], value: string) =>
      tx.insert(checkins).values({
        orgId: fx.org.id,
        kpiId: fx.kpis.unowned,
        observedOn: today,
        value,
        authorUserId: fx.owner.userId,
      });
    const first = db.transaction(async (tx) => {
      await insert(tx, '1');
      firstWrote();
      await held; // keeps its slot locked until the second one has committed
    });
    await wrote;
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local lock_timeout = '1s'`);
      await insert(tx, '2'); // would time out if it waited for the first transaction's slot
    });
    release();
    await first;
    expect(Number(await getOrgDataVersion(fx.org.id))).toBe(before + 2);
    const slots = await execRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from org_data_versions where org_id = ${fx.org.id}`,
    );
    expect(slots[0]!.n).toBeGreaterThanOrEqual(2);
    await db
      .delete(checkins)
      .where(and(eq(checkins.orgId, fx.org.id), eq(checkins.kpiId, fx.kpis.unowned)));
  });
});

/**
 * An organization with more KPIs than every list shows: 30 off-track team KPIs nobody owns in
 * Sales, 12 on-track ones owned by the rep, 25 individual KPIs of the rep without a value. Period
 * values placed by hand, so the org is removed afterwards (the shared database stays verifiable).
 */
describe('bounded lists keep exact counts, and the explorer links filter to what they count', () => {
  let fx: Awaited<ReturnType<typeof buildOrg>>;
  beforeAll(async () => {
    fx = await buildOrg();
    const db = await getOwnerDb();
    const base = {
      orgId: fx.org.id,
      unitId: fx.units.sales,
      measureUnit: 'count' as const,
      direction: 'increase' as const,
      cadence: 'month' as const,
      timeAggregation: 'last' as const,
      defaultTarget: '100',
    };
    const offTrack = await db
      .insert(kpis)
      .values(Array.from({ length: 30 }, (_, i) => ({ ...base, name: `Off ${i}` })))
      .returning({ id: kpis.id });
    const onTrack = await db
      .insert(kpis)
      .values(
        Array.from({ length: 12 }, (_, i) => ({
          ...base,
          name: `On ${i}`,
          ownerUserId: fx.rep.userId,
        })),
      )
      .returning({ id: kpis.id });
    await db
      .insert(kpis)
      .values(
        Array.from({ length: 25 }, (_, i) => ({
          ...base,
          name: `Mine ${i}`,
          ownerUserId: fx.rep.userId,
          isIndividual: true,
        })),
      );
    await db
      .insert(kpiPeriodValues)
      .values([
        ...offTrack.map((k, i) => ({
          orgId: fx.org.id,
          kpiId: k.id,
          periodStart: month,
          value: String(10 + i),
          sampleCount: 1,
        })),
        ...onTrack.map((k) => ({
          orgId: fx.org.id,
          kpiId: k.id,
          periodStart: month,
          value: '100',
          sampleCount: 1,
        })),
      ]);
  });
  afterAll(async () => {
    const db = await getOwnerDb();
    await db.delete(organizations).where(eq(organizations.id, fx.org.id));
  });

  /** How many KPIs the explorer shows for a card's filter (as the actor, current period). */
  async function explorerCount(claims: Claims, filter: KpiFilter): Promise<number> {
    return runWithSession(claims, async () => {
      const ctx = await resolveOrgContext(fx.org.slug);
      const parents = await listUnitParents(ctx.org.id);
      const nodes = (await listKpis(ctx, filter.asOf ? { asOf: filter.asOf } : {})).map((k) =>
        toTreeNode(k, undefined, undefined, undefined, ctx.org.locale),
      );
      return nodes.filter((n) => matchesKpiFilter(n, filter, parents)).length;
    });
  }

  it('the owner’s lists are cut to their limits; counts and links are exact', async () => {
    const admin = (await dashboardAs(fx.owner, fx.org.slug)).admin!;
    // Team KPIs: Revenue, Sales revenue, Calls + 30 + 12.
    expect(admin.counts.total).toBe(45);
    expect(admin.counts.off_track).toBe(30);
    expect(admin.attention).toHaveLength(DASHBOARD_LIMITS.attention);
    expect(admin.attentionCount).toBe(30);
    // Worst first: the lowest values (10, 11, ...) lead the list.
    expect(admin.attention[0]!.name).toBe('Off 0');
    expect(admin.unowned).toHaveLength(DASHBOARD_LIMITS.unowned);
    expect(admin.unownedCount).toBe(32); // Revenue, Calls and the 30
    // The rep owns Sales revenue (no value), Ria stretch (no value) and 25 individual KPIs
    // without values: 27 missing; Oli one.
    expect(admin.missingKpiCount).toBe(28);
    expect(admin.notReportedCount).toBe(2);
    const ria = admin.notReported[0]!;
    expect(ria.person.name).toBe('Ria Rep');
    expect(ria.missingCount).toBe(27);
    expect(ria.missing).toHaveLength(DASHBOARD_LIMITS.missingPerPerson);
    const sales = admin.units.find((u) => u.unit.id === fx.units.sales)!;
    expect(sales.counts.total).toBe(44);
    expect(sales.kpis).toHaveLength(DASHBOARD_LIMITS.unitKpis);
    expect(sales.kpiCount).toBe(44);

    expect(await explorerCount(fx.owner, { status: 'attention' })).toBe(admin.attentionCount);
    expect(await explorerCount(fx.owner, { ownerUserId: 'none', kind: 'team' })).toBe(
      admin.unownedCount,
    );
    expect(await explorerCount(fx.owner, { missing: true })).toBe(admin.missingKpiCount);
    expect(
      await explorerCount(fx.owner, { unitIds: [fx.units.sales], subtree: true, kind: 'team' }),
    ).toBe(sales.counts.total);
    expect(await explorerCount(fx.owner, { unitIds: [fx.units.root], kind: 'team' })).toBe(
      admin.companyKpiCount,
    );
  });

  it('the lead’s lists likewise, and the member’s own targets', async () => {
    const lead = (await dashboardAs(fx.lead, fx.org.slug)).lead!;
    expect(lead.counts.total).toBe(44);
    expect(lead.kpis).toHaveLength(DASHBOARD_LIMITS.scorecard);
    expect(lead.individual).toHaveLength(DASHBOARD_LIMITS.individual);
    expect(lead.individualCount).toBe(27);
    const area = { unitIds: [fx.units.sales], subtree: true };
    expect(await explorerCount(fx.lead, { ...area, kind: 'team' })).toBe(lead.counts.total);
    expect(await explorerCount(fx.lead, { ...area, kind: 'team', ownerUserId: 'none' })).toBe(
      lead.unownedCount,
    );
    expect(
      await explorerCount(fx.lead, { homeUnitIds: [fx.units.sales], kind: 'individual' }),
    ).toBe(lead.individualCount);
    expect(await explorerCount(fx.lead, { homeUnitIds: [fx.units.sales], missing: true })).toBe(
      lead.missingKpiCount,
    );

    const mine = (await dashboardAs(fx.rep, fx.org.slug)).mine!;
    expect(mine.targetCount).toBe(39); // Sales revenue, Ria stretch, 12 on track, 25 individual
    expect(mine.targets).toHaveLength(Math.min(39, DASHBOARD_LIMITS.targets));
    expect(await explorerCount(fx.rep, { ownerUserId: fx.rep.userId })).toBe(mine.targetCount);
  });

  it('a complete month’s cards link to the explorer as of its last day, and count the same', async () => {
    const dash = await runWithSession(fx.owner, async () => {
      const ctx = await resolveOrgContext(fx.org.slug);
      return getDashboard(ctx, resolveDashboardPeriod(undefined, ctx.org));
    });
    expect(dash.period.isCurrent).toBe(false);
    const asOf = dash.period.asOf;
    const admin = dash.admin!;
    // Last month has no values: every owned, hand-recorded KPI is missing, none needs attention.
    expect(admin.attentionCount).toBe(0);
    expect(await explorerCount(fx.owner, { missing: true, asOf })).toBe(admin.missingKpiCount);
    expect(await explorerCount(fx.owner, { missing: true })).not.toBe(admin.missingKpiCount);
    expect(await explorerCount(fx.owner, { status: 'attention', asOf })).toBe(0);
  });

  it('the JSON route stays small', async () => {
    const res = await runWithSession(fx.owner, () =>
      dashboardRoute(new Request(`http://test/api/o/${fx.org.slug}/dashboard`), {
        params: Promise.resolve({ orgSlug: fx.org.slug }),
      }),
    );
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.length).toBeLessThan(80_000);
  });
});
