import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { checkins, kpiPeriodValues, kpis, kpiTargets, organizations, units } from '@/db/schema';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { listCheckinsDue } from '@/lib/dal/dashboards/checkins-due';
import { getDashboard, getDashboardView } from '@/lib/dal/dashboards/dashboard';
import { getMyDashboard } from '@/lib/dal/dashboards/my-dashboard';
import type { Dashboard } from '@/lib/dal/dashboards/types';
import { listPeriodOptions, resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import {
  periodEndExclusive,
  periodStart,
  previousPeriodStart,
  subPeriodStarts,
} from '@/lib/domain/periods';
import { resolveOrgContext, type OrgContext } from '@/lib/server/org-context';
import { GET as getMeRoute } from '@/app/api/o/[orgSlug]/me/route';
import { GET as getDashboardRoute } from '@/app/api/o/[orgSlug]/dashboard/route';
import { addTestMember, createTestOrg, makeLead } from './factories';

type Claims = SessionClaims & { email: string };

const today = todayInTimeZone('UTC');
const month = periodStart(today, 'month', 1);
const lastQuarter = previousPeriodStart(periodStart(today, 'quarter', 1), 'quarter');

function asUser<T>(claims: Claims, slug: string, fn: (ctx: OrgContext) => Promise<T>): Promise<T> {
  return runWithSession(claims, async () => fn(await resolveOrgContext(slug)));
}

/** The dashboard for a period (default: this month, where the fixture's values are). */
function dashboardAs(
  claims: Claims,
  slug: string,
  rawPeriod = `month-${month}`,
): Promise<Dashboard> {
  return asUser(claims, slug, (ctx) =>
    getDashboard(ctx, resolveDashboardPeriod(rawPeriod, ctx.org)),
  );
}

const ids = (list: { id: string }[]) => list.map((k) => k.id).sort();

/**
 * The fixture places period values by hand (a read-model test: it needs exact statuses, not a
 * consistent cascade), so its organizations are removed afterwards and the shared test database
 * still passes `db:verify` after the suites.
 */
const handPlacedOrgIds: string[] = [];
afterAll(async () => {
  const db = await getOwnerDb();
  for (const id of handPlacedOrgIds) await db.delete(organizations).where(eq(organizations.id, id));
});

/**
 * Company "Acme" with Sales (team East below it) and Marketing. Every KPI is a level ("last"),
 * so status is judged on the full target: 100/100 on track, 90/100 at risk, 50/100 off track.
 */
async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  handPlacedOrgIds.push(org.id);
  const db = await getOwnerDb();
  const unit = async (name: string, kind: 'department' | 'team', parentId: string) => {
    const [row] = await db
      .insert(units)
      .values({ orgId: org.id, name, kind, parentId })
      .returning({ id: units.id });
    return row!.id;
  };
  const sales = await unit('Sales', 'department', rootUnitId);
  const east = await unit('Sales East', 'team', sales);
  const marketing = await unit('Marketing', 'department', rootUnitId);
  const salesLead = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: sales,
    name: 'Sam Lead',
  });
  const rep = await addTestMember(org.id, { role: 'member', homeUnitId: east, name: 'Rita Rep' });
  const marketer = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: marketing,
    name: 'Max Marketer',
  });
  await makeLead(org.id, sales, salesLead.userId);

  const kpi = async (
    name: string,
    unitId: string,
    opts: Partial<typeof kpis.$inferInsert> = {},
  ): Promise<string> => {
    const [row] = await db
      .insert(kpis)
      .values({
        orgId: org.id,
        name,
        unitId,
        measureUnit: 'count',
        direction: 'increase',
        cadence: 'month',
        timeAggregation: 'last',
        defaultTarget: '100',
        ...opts,
      })
      .returning({ id: kpis.id });
    return row!.id;
  };
  const arr = await kpi('ARR', rootUnitId, {
    isNorthStar: true,
    rollup: 'sum',
    ownerUserId: owner.userId,
  });
  const churn = await kpi('Churn', rootUnitId, { ownerUserId: owner.userId });
  const salesMrr = await kpi('Sales MRR', sales, {
    parentId: arr,
    rollup: 'sum',
    ownerUserId: salesLead.userId,
  });
  const eastMrr = await kpi('East MRR', east, { parentId: salesMrr, ownerUserId: rep.userId });
  const eastCalls = await kpi('East calls', east, { parentId: salesMrr });
  const repDemos = await kpi('Rita demos', east, {
    parentId: eastMrr,
    isIndividual: true,
    ownerUserId: rep.userId,
  });
  const mqls = await kpi('MQLs', marketing, { parentId: arr, ownerUserId: marketer.userId });
  const maxPosts = await kpi('Max posts', marketing, {
    isIndividual: true,
    ownerUserId: marketer.userId,
  });

  const value = (kpiId: string, v: string, start = month, reported = 0, expected = 0) =>
    db.insert(kpiPeriodValues).values({
      orgId: org.id,
      kpiId,
      periodStart: start,
      value: v,
      sampleCount: 1,
      childrenReported: reported,
      childrenExpected: expected,
    });
  await value(arr, '240', month, 2, 3); // 240/100: on track, "2 of 3 reported"
  await value(churn, '50'); // off track
  await value(salesMrr, '90', month, 1, 2); // at risk
  await value(eastMrr, '100'); // on track
  // East calls: no value (no data), no owner.
  await value(repDemos, '40'); // off track
  await value(mqls, '86'); // at risk
  await value(maxPosts, '100'); // on track
  // Rita has a check-in for East MRR this month (the one-screen form edits it).
  await db
    .insert(checkins)
    .values({
      orgId: org.id,
      kpiId: eastMrr,
      observedOn: month,
      value: '100',
      authorUserId: rep.userId,
    });
  await db.insert(checkins).values({
    orgId: org.id,
    kpiId: repDemos,
    observedOn: previousPeriodStart(month, 'month'),
    value: '35',
    authorUserId: rep.userId,
  });

  return {
    org,
    owner,
    salesLead,
    rep,
    marketer,
    units: { root: rootUnitId, sales, east, marketing },
    kpis: { arr, churn, salesMrr, eastMrr, eastCalls, repDemos, mqls, maxPosts },
  };
}

describe('dashboard read model', () => {
  let fx: Awaited<ReturnType<typeof buildOrg>>;
  beforeAll(async () => {
    fx = await buildOrg();
  });

  it('gives the owner the company view with exact counts by status', async () => {
    const dash = await dashboardAs(fx.owner, fx.org.slug);
    expect(dash.isAdmin).toBe(true);
    expect(dash.lead).toBeNull();
    expect(dash.mine?.targets.map((t) => t.name).sort()).toEqual(['ARR', 'Churn']);
    const admin = dash.admin!;
    // Team KPIs only (individual ones are people's own): ARR, Churn, Sales MRR, East MRR, East calls, MQLs.
    expect(admin.counts).toEqual({
      on_track: 2,
      at_risk: 2,
      off_track: 1,
      in_progress: 0,
      no_data: 1,
      total: 6,
    });
    expect(admin.unownedCount).toBe(1);
    expect(ids(admin.unowned)).toEqual([fx.kpis.eastCalls]);
    expect(admin.peopleCount).toBe(4);
    expect(admin.notReported).toEqual([]); // every owned, hand-recorded KPI has a value this month
    expect(ids(admin.companyKpis)).toEqual([fx.kpis.arr, fx.kpis.churn].sort());
    const sales = admin.units.find((u) => u.unit.name === 'Sales')!;
    expect(sales.counts).toEqual({
      on_track: 1,
      at_risk: 1,
      off_track: 0,
      in_progress: 0,
      no_data: 1,
      total: 3,
    });
    expect(sales.unit.leadName).toBe('Sam Lead');
    expect(ids(sales.kpis)).toEqual([fx.kpis.salesMrr]);
    const marketing = admin.units.find((u) => u.unit.name === 'Marketing')!;
    expect(marketing.counts).toEqual({
      on_track: 0,
      at_risk: 1,
      off_track: 0,
      in_progress: 0,
      no_data: 0,
      total: 1,
    });
    expect(admin.units.map((u) => u.unit.name).sort()).toEqual(['Marketing', 'Sales']);
    // Worst first: the two off-track ones (Rita demos 40%, Churn 50%), then the at-risk ones.
    expect(admin.attention.map((k) => k.name)).toEqual([
      'Rita demos',
      'Churn',
      'MQLs',
      'Sales MRR',
    ]);
    expect(dash.northStars).toHaveLength(1);
    const star = dash.northStars[0]!;
    expect(star.kpi.view).toMatchObject({
      status: 'on_track',
      childrenReported: 2,
      childrenExpected: 3,
    });
    expect(Number(star.kpi.view.value)).toBe(240);
    expect(star.trend).toHaveLength(12);
    expect(star.trend.at(-1)).toEqual({ label: star.kpi.view.label, value: 240, partial: true });
    expect(star.trend.slice(0, -1).every((p) => !p.partial)).toBe(true);
  });

  it('never repeats the company view as a lead section for an admin who also leads a unit', async () => {
    await makeLead(fx.org.id, fx.units.marketing, fx.owner.userId);
    try {
      const dash = await dashboardAs(fx.owner, fx.org.slug);
      expect(dash.admin).not.toBeNull();
      expect(dash.lead).toBeNull();
    } finally {
      const db = await getOwnerDb();
      await db
        .update(units)
        .set({ leadUserId: null })
        .where(and(eq(units.orgId, fx.org.id), eq(units.id, fx.units.marketing)));
    }
  });

  it('gives a lead only their subtree, their people and their people’s individual KPIs', async () => {
    const dash = await dashboardAs(fx.salesLead, fx.org.slug);
    expect(dash.admin).toBeNull();
    const lead = dash.lead!;
    expect(lead.ledUnits.map((u) => u.name)).toEqual(['Sales']);
    expect(ids(lead.kpis)).toEqual([fx.kpis.salesMrr, fx.kpis.eastMrr, fx.kpis.eastCalls].sort());
    expect(lead.kpis[0]!.id).toBe(fx.kpis.salesMrr); // tree order: parent before children
    expect(lead.counts).toEqual({
      on_track: 1,
      at_risk: 1,
      off_track: 0,
      in_progress: 0,
      no_data: 1,
      total: 3,
    });
    expect(ids(lead.unowned)).toEqual([fx.kpis.eastCalls]);
    expect(lead.peopleCount).toBe(2);
    expect(ids(lead.individual)).toEqual([fx.kpis.repDemos]);
    // Nobody in Sales is missing a value this month (East calls has no owner).
    expect(lead.notReported).toEqual([]);
    // The marketer's individual KPI is invisible to this lead anywhere on the page.
    const everywhere = [...lead.kpis, ...lead.individual, ...(dash.mine?.targets ?? [])].map(
      (k) => k.id,
    );
    expect(everywhere).not.toContain(fx.kpis.maxPosts);
    expect(dash.mine?.targets.map((t) => t.name)).toEqual(['Sales MRR']);
  });

  it('lists who has not reported for the period', async () => {
    // Last month has no stored values at all: both of Rita's hand-recorded KPIs are missing.
    const previous = previousPeriodStart(month, 'month');
    const dash = await dashboardAs(fx.salesLead, fx.org.slug, `month-${previous}`);
    expect(dash.period).toMatchObject({ start: previous, isCurrent: false });
    const rita = dash.lead!.notReported.find((n) => n.person.name === 'Rita Rep');
    expect(rita?.missing.map((m) => m.name).sort()).toEqual(['East MRR', 'Rita demos']);
    expect(rita?.due).toBe(2);
  });

  it('gives a member their own targets with the line up to the north star', async () => {
    const dash = await dashboardAs(fx.rep, fx.org.slug);
    expect(dash.admin).toBeNull();
    expect(dash.lead).toBeNull();
    const targets = dash.mine!.targets;
    expect(targets.map((t) => t.name)).toEqual(['Rita demos', 'East MRR']); // personal first
    expect(targets[0]!.line.map((s) => s.name)).toEqual(['East MRR', 'Sales MRR', 'ARR']);
    expect(targets[0]!.line.at(-1)?.isNorthStar).toBe(true);
    expect(targets[1]!.view).toMatchObject({ share: 1, status: 'on_track' });
    expect([Number(targets[1]!.view.value), Number(targets[1]!.view.target)]).toEqual([100, 100]);

    const my = await asUser(fx.rep, fx.org.slug, (ctx) =>
      getMyDashboard(ctx, resolveDashboardPeriod(`month-${month}`, ctx.org)),
    );
    const eastRow = my.checkins.find((c) => c.kpiId === fx.kpis.eastMrr)!;
    expect(eastRow.inPeriod?.value).toBe('100'); // saving a change edits this month's check-in
    const demoRow = my.checkins.find((c) => c.kpiId === fx.kpis.repDemos)!;
    expect(demoRow.inPeriod).toBeNull(); // due: pre-filled with last month's 35
    expect(demoRow.last?.value).toBe('35');
    expect(my.targets.every((t) => t.kpiId !== fx.kpis.maxPosts)).toBe(true);
  });

  it('leads with the last complete month; the open one is "so far", and My work is for now', async () => {
    const previous = previousPeriodStart(month, 'month');
    const view = await asUser(fx.owner, fx.org.slug, (ctx) =>
      getDashboardView(ctx, resolveDashboardPeriod(undefined, ctx.org)),
    );
    expect(view.dash.period).toMatchObject({ start: previous, isCurrent: false });
    // Last month has no values: the headline is about it, not about this month.
    expect(view.dash.admin!.counts).toMatchObject({ no_data: 6, total: 6 });
    const open = await dashboardAs(fx.owner, fx.org.slug);
    expect(view.soFar).toEqual({
      period: expect.objectContaining({ start: month, isCurrent: true }),
      counts: open.admin!.counts,
    });
    expect(view.mine?.period).toEqual({
      key: `month-${month}`,
      label: open.period.label,
      isCurrent: true,
    });
    expect(view.mine?.checkins.length).toBeGreaterThan(0);
    const current = await asUser(fx.owner, fx.org.slug, (ctx) =>
      getDashboardView(ctx, resolveDashboardPeriod(`month-${month}`, ctx.org)),
    );
    expect(current.soFar).toBeNull();
  });

  it('counts a flow early in its open month as in progress until the org share has elapsed', async () => {
    const db = await getOwnerDb();
    const lastDay = addDays(periodEndExclusive(month, 'month'), -1);
    const setFlow = async (flow: boolean) => {
      await db
        .update(kpis)
        .set({ timeAggregation: flow ? 'sum' : 'last' })
        .where(eq(kpis.id, fx.kpis.repDemos));
      await db
        .update(organizations)
        .set({ gradingMinElapsed: flow ? '0.9999' : '0.3333' })
        .where(eq(organizations.id, fx.org.id));
    };
    await setFlow(true);
    try {
      const dash = await dashboardAs(fx.salesLead, fx.org.slug);
      const demos = dash.lead!.individual.find((k) => k.id === fx.kpis.repDemos)!;
      // Graded only on the last day of the month (elapsed 1 > 0.9999); never red before.
      expect(demos.view.status).toBe(today === lastDay ? 'off_track' : 'in_progress');
      expect(demos.view.paceProgress).not.toBeNull();
      const owner = await dashboardAs(fx.owner, fx.org.slug);
      // Not in "at risk and off track" while in progress.
      expect(owner.admin!.attention.some((k) => k.id === fx.kpis.repDemos)).toBe(today === lastDay);
    } finally {
      await setFlow(false);
    }
  });

  it('only offers check-ins the person may record', async () => {
    const due = await asUser(fx.marketer, fx.org.slug, async (ctx) => {
      const dash = await getDashboard(ctx, resolveDashboardPeriod(undefined, ctx.org));
      // Offer every KPI the marketer can see: only their own manual ones come back.
      const all = [...(dash.mine?.targets ?? []), ...dash.northStars.map((n) => n.kpi)];
      return listCheckinsDue(ctx, all);
    });
    expect(due.map((d) => d.kpiId).sort()).toEqual([fx.kpis.mqls, fx.kpis.maxPosts].sort());
  });

  it('time-aggregates monthly KPIs over a selected quarter', async () => {
    const db = await getOwnerDb();
    const [flow] = await db
      .insert(kpis)
      .values({
        orgId: fx.org.id,
        name: 'Deals closed',
        unitId: fx.units.sales,
        measureUnit: 'count',
        direction: 'increase',
        cadence: 'month',
        timeAggregation: 'sum',
        defaultTarget: '10',
        ownerUserId: fx.salesLead.userId,
      })
      .returning({ id: kpis.id });
    const months = subPeriodStarts(lastQuarter, 'quarter', 'month');
    await db
      .insert(kpiPeriodValues)
      .values(
        months.map((start, i) => ({
          orgId: fx.org.id,
          kpiId: flow!.id,
          periodStart: start,
          value: String(8 + i),
          sampleCount: 1,
        })),
      );
    await db
      .insert(kpiTargets)
      .values({ orgId: fx.org.id, kpiId: flow!.id, periodStart: months[2]!, target: '12' });
    const dash = await dashboardAs(fx.salesLead, fx.org.slug, `quarter-${lastQuarter}`);
    const deals = dash.lead!.kpis.find((k) => k.id === flow!.id)!;
    // 8 + 9 + 10 = 27 against 10 + 10 + 12 = 32: 84% of a closed quarter, off track.
    expect(deals.view).toMatchObject({
      value: '27',
      target: '32',
      status: 'off_track',
      start: lastQuarter,
    });
    expect(deals.view.share).toBeCloseTo(27 / 32, 10);
    await db.delete(kpis).where(and(eq(kpis.orgId, fx.org.id), eq(kpis.id, flow!.id)));
  });

  it('answers 404 from the GET routes for another organization and 401 when signed out', async () => {
    const other = await createTestOrg();
    const call = (route: typeof getMeRoute, claims: Claims | null, slug: string) =>
      runWithSession(claims, () =>
        route(new Request(`http://test/api/o/${slug}/me`), {
          params: Promise.resolve({ orgSlug: slug }),
        }),
      );
    expect((await call(getMeRoute, other.owner, fx.org.slug)).status).toBe(404);
    expect((await call(getDashboardRoute, other.owner, fx.org.slug)).status).toBe(404);
    expect((await call(getMeRoute, other.owner, 'no-such-org-here')).status).toBe(404);
    expect((await call(getMeRoute, null, fx.org.slug)).status).toBe(401);
    const ok = await call(getMeRoute, fx.rep, fx.org.slug);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toContain('no-store');
    const body = (await ok.json()) as { targets: { name: string }[] };
    expect(body.targets.map((t) => t.name)).toEqual(['Rita demos', 'East MRR']);
  });
});

describe('dashboard period parameter', () => {
  const org = { fyStartMonth: 4, timeZone: 'UTC', locale: 'en-US' };
  it('accepts period starts of the fiscal calendar and falls back to the last complete month otherwise', () => {
    const day = '2026-05-17';
    expect(resolveDashboardPeriod('quarter-2026-04-01', org, day)).toMatchObject({
      cadence: 'quarter',
      start: '2026-04-01',
      label: 'Q1 FY2027',
      isCurrent: true,
      asOf: day,
    });
    expect(resolveDashboardPeriod('quarter-2026-01-01', org, day)).toMatchObject({
      label: 'Q4 FY2026',
      isCurrent: false,
      asOf: '2026-03-31',
    });
    for (const bad of [
      'quarter-2026-02-01',
      'month-2026-06-01',
      'year-2026-01-01',
      'week-2026-05-01',
      "'; drop",
      undefined,
    ]) {
      expect(resolveDashboardPeriod(bad, org, day)).toMatchObject({
        cadence: 'month',
        start: '2026-04-01',
        isCurrent: false,
      });
    }
    expect(resolveDashboardPeriod(['month-2026-05-01'], org, day).start).toBe('2026-04-01');
  });

  it('offers 12 months, 6 quarters and 3 years, current first', () => {
    const options = listPeriodOptions(org, '2026-05-17');
    expect(options.filter((o) => o.cadence === 'month')).toHaveLength(12);
    expect(
      options
        .filter((o) => o.cadence === 'quarter')
        .map((o) => o.label)
        .slice(0, 2),
    ).toEqual(['Q1 FY2027', 'Q4 FY2026']);
    expect(options.filter((o) => o.cadence === 'year').map((o) => o.key)).toEqual([
      'year-2026-04-01',
      'year-2025-04-01',
      'year-2024-04-01',
    ]);
    expect(options.filter((o) => o.isCurrent)).toHaveLength(3);
  });
});
