/**
 * Period reports, commentary and share links on a real database: the report's numbers are the
 * dashboard's for the same scope and period; visibility of individual KPIs follows the permission
 * table; the PDF and CSV carry the same rows; a share link freezes its snapshot and stops working
 * when revoked or expired; commentary is versioned, audited and written only by those who may
 * record values on the KPI.
 */
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, kpiCommentaries, reportShares } from '@/db/schema';
import { GET as csvGET } from '@/app/api/o/[orgSlug]/reports/csv/route';
import { GET as pdfGET } from '@/app/api/o/[orgSlug]/reports/pdf/route';
import ReportsPage from '@/app/(app)/o/[orgSlug]/reports/page';
import SharePage from '@/app/share/[token]/page';
import { recordCheckinAction } from '@/lib/actions/checkins';
import * as kpiActions from '@/lib/actions/kpis';
import {
  createReportShareAction,
  revokeReportShareAction,
  saveKpiCommentaryAction,
} from '@/lib/actions/reports';
import * as unitActions from '@/lib/actions/units';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { getDashboard } from '@/lib/dal/dashboards/dashboard';
import { getReport, reportRows } from '@/lib/dal/reports/report';
import { getSharedReport } from '@/lib/dal/reports/shares';
import type { Report } from '@/lib/dal/reports/types';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import type { DashboardKpiDto } from '@/lib/domain/dashboard/types';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { comparisonFor } from '@/lib/domain/like-for-like';
import { periodStart, previousPeriodStart } from '@/lib/domain/periods';
import type { Result } from '@/lib/result';
import { resolveOrgContext, type OrgContext } from '@/lib/server/org-context';
import { reportToCsv } from '@/lib/server/report-export/csv';
import { reportToPdf } from '@/lib/server/report-export/pdf';
import { pdfPageTexts } from '@/lib/server/report-export/test-pdf-text';
import { must } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

type Claims = SessionClaims & { email: string };

const today = todayInTimeZone('UTC');
const month = periodStart(today, 'month', 1);
const lastMonth = previousPeriodStart(month, 'month');
const quarter = periodStart(today, 'quarter', 1);
const lastDayOfLastMonth = addDays(month, -1);

function asUser<T>(claims: Claims, slug: string, fn: (ctx: OrgContext) => Promise<T>): Promise<T> {
  return runWithSession(claims, async () => fn(await resolveOrgContext(slug)));
}

function reportAs(claims: Claims, slug: string, scope: string, period: string): Promise<Report> {
  return asUser(claims, slug, (ctx) =>
    getReport(ctx, { scope, period: resolveDashboardPeriod(period, ctx.org) }),
  );
}

type Fixture = Awaited<ReturnType<typeof buildOrg>>;

/**
 * company (north star ARR = sum of Sales bookings and Marketing pipeline) > Sales > Sales team;
 * Marketing. A rep with an individual KPI, a colleague with one too, a lead of Sales. Values for
 * this month and last month, so changes and statuses are there. Built through the actions.
 */
async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const run = <T>(claims: Claims, fn: () => Promise<Result<T>>) =>
    runWithSession(claims, fn).then(must);
  const unit = (parentId: string, kind: 'department' | 'team', name: string) =>
    run(owner, () => unitActions.createUnitAction(org.slug, { parentId, kind, name }));
  const sales = await unit(rootUnitId, 'department', 'Sales');
  const team = await unit(sales.id, 'team', 'Sales team');
  const marketing = await unit(rootUnitId, 'department', 'Marketing');
  const lead = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: sales.id,
    name: 'Lena Lead',
  });
  const rep = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: team.id,
    name: 'Rick Rep',
  });
  const colleague = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: team.id,
    name: 'Cora Colleague',
  });
  const outsiderOrg = await createTestOrg();
  await run(owner, () =>
    unitActions.setUnitLeadAction(org.slug, { unitId: sales.id, leadUserId: lead.userId }),
  );

  const base = {
    measureUnit: 'currency',
    currency: 'EUR',
    direction: 'increase',
    cadence: 'month',
    timeAggregation: 'sum',
  } as const;
  const kpi = (input: Record<string, unknown>) =>
    run(owner, () => kpiActions.createKpiAction(org.slug, { ...base, ...input } as never));
  const arr = await kpi({ name: 'ARR', unitId: rootUnitId, rollup: 'sum', defaultTarget: '300' });
  must(
    await runWithSession(owner, () =>
      kpiActions.setNorthStarAction(org.slug, { kpiId: arr.id, isNorthStar: true }),
    ),
  );
  const bookings = await kpi({
    name: 'Bookings',
    unitId: sales.id,
    parentId: arr.id,
    ownerUserId: rep.userId,
    defaultTarget: '100',
  });
  const pipeline = await kpi({
    name: 'Pipeline',
    unitId: marketing.id,
    parentId: arr.id,
    defaultTarget: '200',
  });
  const calls = await kpi({
    name: '=HYPERLINK("http://evil","Calls")',
    unitId: team.id,
    measureUnit: 'count',
    currency: undefined,
    defaultTarget: '50',
  });
  const repOwn = await kpi({
    name: 'Rick own deals',
    unitId: team.id,
    isIndividual: true,
    ownerUserId: rep.userId,
    defaultTarget: '10',
  });
  const colleagueOwn = await kpi({
    name: 'Cora own deals',
    unitId: team.id,
    isIndividual: true,
    ownerUserId: colleague.userId,
    defaultTarget: '10',
  });

  const checkin = (kpiId: string, observedOn: string, value: string) =>
    run(owner, () => recordCheckinAction(org.slug, { kpiId, observedOn, value }));
  await checkin(bookings.id, lastMonth, '120'); // last month on track
  await checkin(bookings.id, month, '20'); // this month behind
  await checkin(pipeline.id, lastMonth, '100'); // last month off track
  await checkin(pipeline.id, lastDayOfLastMonth, '50'); // outside "last month to date" but on its last day
  await checkin(pipeline.id, month, '400');
  await checkin(calls.id, month, '5');
  await checkin(repOwn.id, month, '4');
  await checkin(colleagueOwn.id, month, '6');
  return {
    org,
    owner,
    lead,
    rep,
    colleague,
    outsiderOrg,
    units: { root: rootUnitId, sales: sales.id, team: team.id, marketing: marketing.id },
    kpis: { arr, bookings, pipeline, calls, repOwn, colleagueOwn },
  };
}

let f: Fixture;
beforeAll(async () => {
  f = await buildOrg();
}, 120_000);

function dashboardKpisOf(
  dash: Awaited<ReturnType<typeof getDashboard>>,
): Map<string, DashboardKpiDto> {
  const all = [
    ...dash.northStars.map((n) => n.kpi),
    ...(dash.admin?.companyKpis ?? []),
    ...(dash.admin?.units.flatMap((u) => u.kpis) ?? []),
    ...(dash.admin?.attention ?? []),
    ...(dash.admin?.unowned ?? []),
    ...(dash.lead?.kpis ?? []),
    ...(dash.lead?.individual ?? []),
    ...(dash.mine?.targets ?? []),
  ];
  return new Map(all.map((k) => [k.id, k]));
}

describe('report numbers', () => {
  for (const period of [`month-${month}`, `quarter-${quarter}`, `month-${lastMonth}`]) {
    it(`equal the dashboard's for the company in ${period}`, async () => {
      const [report, dash] = await asUser(f.owner, f.org.slug, async (ctx) => {
        const p = resolveDashboardPeriod(period, ctx.org);
        return Promise.all([getReport(ctx, { scope: 'company', period: p }), getDashboard(ctx, p)]);
      });
      expect(report.period.key).toBe(period);
      const fromDash = dashboardKpisOf(dash);
      const rows = reportRows(report).map((r) => r.row);
      expect(rows.length).toBe(6);
      // Every team KPI is on the owner's dashboard somewhere (scorecards, unowned, attention).
      const team = rows.filter((r) => !r.isIndividual);
      expect(team.filter((r) => !fromDash.has(r.kpiId)).map((r) => r.name)).toEqual([]);
      for (const row of rows) {
        const k = fromDash.get(row.kpiId);
        if (!k) continue;
        expect({
          value: row.value,
          target: row.target,
          share: row.share,
          status: row.status,
        }).toEqual({
          value: k!.view.value,
          target: k!.view.target,
          share: k!.view.share,
          status: k!.view.status,
        });
      }
      expect(report.summary.counts).toEqual(dash.admin!.counts);
    });
  }

  it("its trend is each period's own report (the periods read together, listKpisAt)", async () => {
    const [now, before] = await Promise.all([
      reportAs(f.owner, f.org.slug, 'company', `month-${month}`),
      reportAs(f.owner, f.org.slug, 'company', `month-${lastMonth}`),
    ]);
    const beforeRows = new Map(reportRows(before).map(({ row }) => [row.kpiId, row]));
    const num = (v: string | null | undefined) =>
      v === null || v === undefined ? null : Number(v);
    const rows = reportRows(now).map(({ row }) => row);
    expect(rows.length).toBe(6);
    for (const row of rows) {
      const was = beforeRows.get(row.kpiId)!;
      const values = row.trend.map((t) => t.value);
      expect(values).toHaveLength(6);
      expect(values[5]).toBe(num(row.value));
      expect(values[4]).toBe(num(was.value));
      // The window moves by one period: the last month's report holds the five before.
      expect(values.slice(0, 5)).toEqual(was.trend.slice(1).map((t) => t.value));
    }
    // Values in both months, so the check compares numbers, not only empty periods.
    expect(
      rows.filter((r) => r.trend[4]!.value !== null && r.trend[5]!.value !== null).length,
    ).toBeGreaterThan(0);
  });

  it('a shorter trend changes only the trend: the numbers, changes and summary are the same', async () => {
    const [full, short] = await asUser(f.owner, f.org.slug, async (ctx) => {
      const p = resolveDashboardPeriod(`month-${month}`, ctx.org);
      return Promise.all([
        getReport(ctx, { scope: 'company', period: p }),
        getReport(ctx, { scope: 'company', period: p, trendPeriods: 2 }),
      ]);
    });
    const withoutTrend = (r: Report) => reportRows(r).map(({ row: { trend: _t, ...row } }) => row);
    expect(withoutTrend(short)).toEqual(withoutTrend(full));
    expect(short.summary).toEqual(full.summary);
    const trends = (r: Report) => reportRows(r).map((x) => x.row.trend);
    expect(trends(full)[0]).toHaveLength(6);
    expect(trends(short)).toEqual(trends(full).map((t) => t.slice(-2)));
  });

  it('a unit report covers its subtree, with the scorecard counts of the dashboard', async () => {
    const [report, dash] = await asUser(f.owner, f.org.slug, async (ctx) => {
      const p = resolveDashboardPeriod(`month-${month}`, ctx.org);
      return Promise.all([
        getReport(ctx, { scope: f.units.sales, period: p }),
        getDashboard(ctx, p),
      ]);
    });
    expect(report.scope.name).toBe('Sales');
    expect(report.sections.map((s) => s.unit.name)).toEqual(['Sales', 'Sales team']);
    expect(report.northStars.map((r) => r.name)).toEqual(['ARR']);
    expect(report.summary.counts).toEqual(
      dash.admin!.units.find((u) => u.unit.name === 'Sales')!.counts,
    );
    expect(reportRows(report).some((r) => r.row.name === 'Pipeline')).toBe(false);
  });

  it("a unit report's rows are the company report's, for its units and the north stars", async () => {
    const [unit, company] = await asUser(f.owner, f.org.slug, async (ctx) => {
      const p = resolveDashboardPeriod(`month-${month}`, ctx.org);
      return Promise.all([
        getReport(ctx, { scope: f.units.sales, period: p }),
        getReport(ctx, { scope: 'company', period: p }),
      ]);
    });
    const rowsOf = (r: Report, units: string[]) =>
      r.sections.filter((s) => units.includes(s.unit.name)).flatMap((s) => s.rows);
    expect(rowsOf(unit, ['Sales', 'Sales team'])).toEqual(rowsOf(company, ['Sales', 'Sales team']));
    expect(rowsOf(unit, ['Sales']).length).toBeGreaterThan(0);
    expect(unit.northStars).toEqual(company.northStars);
    expect(unit.individual).toEqual(
      company.individual.filter((r) => ['Rick own deals', 'Cora own deals'].includes(r.name)),
    );
    expect(unit.individual).toHaveLength(2);
  });

  it('changes since the previous period, trend, coverage and the summary', async () => {
    const report = await reportAs(f.owner, f.org.slug, 'company', `month-${month}`);
    const rows = new Map(reportRows(report).map((r) => [r.row.name, r.row]));
    const bookings = rows.get('Bookings')!;
    // Like for like: this month so far against last month up to the same day of the month.
    const cmp = comparisonFor({ start: month, cadence: 'month' }, 1, today, 'en-US');
    expect(report.comparison).toEqual({ label: cmp.label, toDate: cmp.toDate });
    expect(bookings.previous).toMatchObject({ label: cmp.label, value: '120' });
    expect(bookings.change).toBe('-100');
    const pipeline = rows.get('Pipeline')!;
    // Its last-day reading counts only once the same day of this month has come (or it closed).
    const pipelineBefore = cmp.to > lastDayOfLastMonth ? '150' : '100';
    expect(pipeline.previous?.value).toBe(pipelineBefore);
    expect(pipeline.change).toBe(String(400 - Number(pipelineBefore)));
    expect(rows.get('ARR')!.previous?.value).toBe(String(120 + Number(pipelineBefore)));
    expect(bookings.trend).toHaveLength(6);
    expect(bookings.trend.at(-1)!.value).toBe(20);
    expect(bookings.trend.at(-2)!.value).toBe(120);
    expect(rows.get('ARR')!.coverage).toEqual({
      reported: 2,
      expected: 2,
      text: '2 of 2 reported',
    });
    expect(report.previousPeriod.key).toBe(`month-${lastMonth}`);
    const names = (list: { name: string }[]) => list.map((r) => r.name).sort();
    // The pace of an open month depends on the day; closed-period statuses are fixed.
    const closed = await reportAs(f.owner, f.org.slug, 'company', `month-${lastMonth}`);
    // A complete period is compared with the complete one before it, and says so.
    expect(closed.comparison).toEqual({ label: closed.previousPeriod.label, toDate: false });
    const closedPipeline = reportRows(closed).find((r) => r.row.name === 'Pipeline')!.row;
    expect(Number(closedPipeline.value)).toBe(150);
    expect(closedPipeline.trend.some((p) => p.partial)).toBe(false);
    expect(bookings.trend.at(-1)!.partial).toBe(true);
    expect(names(closed.summary.withoutValue)).toEqual(['=HYPERLINK("http://evil","Calls")']);
    expect(names(report.summary.withoutOwner)).toEqual(
      ['=HYPERLINK("http://evil","Calls")', 'ARR', 'Pipeline'].sort(),
    );
    expect(report.summary.withoutValue).toEqual([]);
    if (report.period.isCurrent && rows.get('Pipeline')!.status === 'on_track') {
      expect(names(report.summary.turnedGreen)).toContain('Pipeline');
    }
  });
});

describe('report visibility', () => {
  const names = (r: Report) => reportRows(r).map((x) => x.row.name);

  it("a member's report shows their own individual KPI and hides other people's", async () => {
    const report = await reportAs(f.rep, f.org.slug, 'company', `month-${month}`);
    expect(names(report)).toContain('Rick own deals');
    expect(names(report)).not.toContain('Cora own deals');
    expect(JSON.stringify(report)).not.toContain(f.kpis.colleagueOwn.id);
    const csv = await runWithSession(f.rep, () =>
      csvGET(
        new Request(`http://localhost/api/o/${f.org.slug}/reports/csv?period=month-${month}`),
        {
          params: Promise.resolve({ orgSlug: f.org.slug }),
        },
      ),
    ).then((r) => r.text());
    expect(csv).toContain('Rick own deals');
    expect(csv).not.toContain('Cora own deals');
  });

  it('the lead above and the owner see both; a shared snapshot shows neither', async () => {
    for (const who of [f.lead, f.owner]) {
      const report = await reportAs(who, f.org.slug, 'company', `month-${month}`);
      expect(names(report)).toEqual(expect.arrayContaining(['Rick own deals', 'Cora own deals']));
    }
    const share = must(
      await runWithSession(f.owner, () =>
        createReportShareAction(f.org.slug, { scope: 'company', period: `month-${month}` }),
      ),
    );
    const snapshot = await getSharedReport(share.token);
    expect(snapshot).not.toBeNull();
    expect(snapshot!.individual).toEqual([]);
    expect(JSON.stringify(snapshot)).not.toContain('own deals');
  });

  it('a report without individual KPIs is the full report less them: a parent still counts its individual children', async () => {
    // A team KPI summing individual ones, in an organization of its own (the fixture stays as
    // the other tests count it).
    const { org, owner, rootUnitId } = await createTestOrg();
    const rep = await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId });
    const kpi = (input: Record<string, unknown>) =>
      runWithSession(owner, () =>
        kpiActions.createKpiAction(org.slug, {
          measureUnit: 'count',
          direction: 'increase',
          cadence: 'month',
          timeAggregation: 'sum',
          unitId: rootUnitId,
          defaultTarget: '10',
          ...input,
        } as never),
      ).then(must);
    const team = await kpi({ name: 'Team deals', rollup: 'sum' });
    const own = await kpi({
      name: 'Rep deals',
      parentId: team.id,
      isIndividual: true,
      ownerUserId: rep.userId,
    });
    await kpi({
      name: 'Rep calls',
      parentId: team.id,
      isIndividual: true,
      ownerUserId: rep.userId,
    });
    must(
      await runWithSession(owner, () =>
        recordCheckinAction(org.slug, { kpiId: own.id, observedOn: month, value: '4' }),
      ),
    );
    const [full, teamOnly] = await asUser(owner, org.slug, (ctx) =>
      Promise.all(
        [true, false].map((includeIndividual) =>
          getReport(ctx, {
            scope: 'company',
            period: resolveDashboardPeriod(`month-${month}`, ctx.org),
            includeIndividual,
          }),
        ),
      ),
    );
    expect(full!.individual.map((r) => r.name).sort()).toEqual(['Rep calls', 'Rep deals']);
    expect(teamOnly!.individual).toEqual([]);
    const row = reportRows(teamOnly!).find((r) => r.row.name === 'Team deals')!.row;
    expect(Number(row.value)).toBe(4);
    expect(row.coverage).toMatchObject({ reported: 1, expected: 2 });
    const { generatedAt: _a, individual: _b, ...fullTeam } = full!;
    const { generatedAt: _c, individual: _d, ...team2 } = teamOnly!;
    expect(team2).toEqual(fullTeam);
  });

  it('another org’s unit as scope is not found, like a random one', async () => {
    const other = f.outsiderOrg.rootUnitId;
    await expect(reportAs(f.owner, f.org.slug, other, `month-${month}`)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      reportAs(f.owner, f.org.slug, crypto.randomUUID(), `month-${month}`),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const res = await runWithSession(f.owner, () =>
      pdfGET(new Request(`http://localhost/api/o/${f.org.slug}/reports/pdf?scope=${other}`), {
        params: Promise.resolve({ orgSlug: f.org.slug }),
      }),
    );
    expect(res.status).toBe(404);
  });

  it('the report page reads another org’s unit in its URL as the company, with a notice, like a random id', async () => {
    const page = (scope: string) =>
      runWithSession(f.owner, async () =>
        JSON.stringify(
          await ReportsPage({
            params: Promise.resolve({ orgSlug: f.org.slug }),
            searchParams: Promise.resolve({ scope, period: `month-${month}` }),
          }),
        ),
      );
    const foreign = await page(f.outsiderOrg.rootUnitId);
    const random = await page(crypto.randomUUID());
    const company = await page('company');
    for (const shown of [foreign, random]) {
      expect(shown).toContain('scope-notice');
      expect(shown).toContain('"scope":{"key":"company"');
      expect(shown).not.toContain(f.outsiderOrg.rootUnitId);
      expect(shown).not.toContain(f.outsiderOrg.org.name);
    }
    expect(company).not.toContain('scope-notice');
    expect(company).toContain('"scope":{"key":"company"');
  });
});

describe('exports', () => {
  it('the PDF route answers a PDF with the summary on page 1 and the KPIs flowing on from it', async () => {
    const res = await runWithSession(f.owner, () =>
      pdfGET(
        new Request(`http://localhost/api/o/${f.org.slug}/reports/pdf?period=month-${month}`),
        {
          params: Promise.resolve({ orgSlug: f.org.slug }),
        },
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.pdf"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe('%PDF-');
    const pages = await pdfPageTexts(bytes);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages[0]).toContain('Summary');
    expect(pages[0]).toContain('North star');
    expect(pages[0]).toContain('ARR');
    expect(pages[0]).toContain(`Page 1 of ${pages.length}`);
    // No near-empty first page: the KPIs by unit start right after the summary.
    expect(pages[0]).toContain('KPIs by unit');
    const rest = pages.join(' ');
    for (const name of [
      'Bookings',
      'Pipeline',
      'Sales team',
      'Marketing',
      'Individual KPIs',
      'Rick own deals',
    ])
      expect(rest).toContain(name);
  });

  it('a long report breaks across pages and numbers them all', async () => {
    const report = await reportAs(f.owner, f.org.slug, 'company', `month-${month}`);
    const row = report.sections[0]!.rows[0]!;
    const many = {
      ...report,
      sections: [
        {
          ...report.sections[0]!,
          rows: Array.from({ length: 60 }, (_, i) => ({ ...row, name: `Row ${i}` })),
        },
      ],
    };
    const pages = await pdfPageTexts(await reportToPdf(many));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.at(-1)).toContain(`Page ${pages.length} of ${pages.length}`);
    expect(pages.join(' ')).toContain('Row 59');
    expect(pages.join(' ')).toContain('(continued)');
  });

  it('the CSV carries the same rows with formula-safe cells', async () => {
    const report = await reportAs(f.owner, f.org.slug, 'company', `month-${month}`);
    const csv = reportToCsv(report);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]!.startsWith('section,kpi_id,key,kpi,')).toBe(true);
    expect(lines[0]).toContain(',actual,target,pct_of_target,status,');
    expect(lines).toHaveLength(reportRows(report).length + 1);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""Calls"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    const bookings = lines.find((l) => l.includes(f.kpis.bookings.id))!;
    expect(bookings).toContain(',EUR,20,100,20,');
    expect(bookings).toContain(',120,-100,');
  });
});

describe('share links', () => {
  it('freeze the snapshot: a later check-in changes the report, not the shared one', async () => {
    const share = must(
      await runWithSession(f.owner, () =>
        createReportShareAction(f.org.slug, { scope: f.units.sales, period: `month-${month}` }),
      ),
    );
    expect(share.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const db = await getOwnerDb();
    const [stored] = await db
      .select({ tokenHash: reportShares.tokenHash })
      .from(reportShares)
      .where(eq(reportShares.id, share.id));
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.tokenHash).not.toContain(share.token);
    const before = await getSharedReport(share.token);
    expect(before!.scope.name).toBe('Sales');
    must(
      await runWithSession(f.owner, () =>
        recordCheckinAction(f.org.slug, {
          kpiId: f.kpis.bookings.id,
          observedOn: month,
          value: '500',
        }),
      ),
    );
    const live = await reportAs(f.owner, f.org.slug, f.units.sales, `month-${month}`);
    const liveBookings = reportRows(live).find((r) => r.row.kpiId === f.kpis.bookings.id)!.row;
    expect(liveBookings.value).toBe('520.0000000000');
    const after = await getSharedReport(share.token);
    expect(after).toEqual(before);
    expect(reportRows(after!).find((r) => r.row.kpiId === f.kpis.bookings.id)!.row.value).toBe(
      '20.0000000000',
    );
    // Back to the fixture's numbers for the other tests.
    must(
      await runWithSession(f.owner, () =>
        recordCheckinAction(f.org.slug, {
          kpiId: f.kpis.bookings.id,
          observedOn: month,
          value: '-500',
          confirmUnusual: true, // a negative reading among positive ones: confirmed
        }),
      ),
    );
  });

  it('a snapshot frozen before rows had a share shows the share of target, not the old progress', async () => {
    const share = must(
      await runWithSession(f.owner, () =>
        createReportShareAction(f.org.slug, { scope: f.units.sales, period: `month-${month}` }),
      ),
    );
    const db = await getOwnerDb();
    // Rewrite the stored rows the way they were frozen before: `progress`, no `share`.
    await db.execute(sql`
      update report_shares set snapshot = jsonb_set(snapshot, '{sections}', (
        select jsonb_agg(jsonb_set(sec, '{rows}', (
          select coalesce(jsonb_agg((r - 'share') || '{"progress": 9.04}'::jsonb), '[]'::jsonb)
          from jsonb_array_elements(sec->'rows') r)))
        from jsonb_array_elements(snapshot->'sections') sec))
      where id = ${share.id}`);
    const [raw] = await db
      .select({ snapshot: reportShares.snapshot })
      .from(reportShares)
      .where(eq(reportShares.id, share.id));
    const frozen = reportRows(raw!.snapshot as Report).find(
      (r) => r.row.kpiId === f.kpis.bookings.id,
    )!.row;
    expect('share' in frozen).toBe(false);
    const old = await getSharedReport(share.token);
    const bookings = reportRows(old!).find((r) => r.row.kpiId === f.kpis.bookings.id)!.row;
    expect([Number(bookings.value), Number(bookings.target)]).toEqual([20, 100]);
    expect(bookings.share).toBe(0.2);
  });

  it('a revoked, an expired, a malformed and an unknown token all give not found', async () => {
    const make = () =>
      runWithSession(f.owner, () =>
        createReportShareAction(f.org.slug, {
          scope: 'company',
          period: `month-${month}`,
          expiresInDays: 7,
        }),
      ).then(must);
    const revoked = await make();
    const expired = await make();
    const rendered = await SharePage({ params: Promise.resolve({ token: revoked.token }) });
    expect(JSON.stringify(rendered)).toContain(f.org.name);
    must(
      await runWithSession(f.owner, () =>
        revokeReportShareAction(f.org.slug, { shareId: revoked.id }),
      ),
    );
    const db = await getOwnerDb();
    await db
      .update(reportShares)
      .set({ createdAt: sql`now() - interval '8 days'`, expiresAt: sql`now() - interval '1 day'` })
      .where(eq(reportShares.id, expired.id));
    const notFound = async (token: string) => {
      expect(await getSharedReport(token)).toBeNull();
      await expect(SharePage({ params: Promise.resolve({ token }) })).rejects.toMatchObject({
        digest: expect.stringMatching(/^NEXT_HTTP_ERROR_FALLBACK;404/),
      });
    };
    await notFound(revoked.token);
    await notFound(expired.token);
    await notFound('not-a-token');
    await notFound('A'.repeat(43));
    const audit = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, f.org.id), eq(auditLog.entityId, revoked.id)));
    expect(audit.map((a) => a.action).sort()).toEqual([
      'report_share.create',
      'report_share.revoke',
    ]);
  });

  it('only owners and admins share; another org cannot revoke', async () => {
    for (const who of [f.lead, f.rep]) {
      const res = await runWithSession(who, () =>
        createReportShareAction(f.org.slug, { scope: 'company', period: `month-${month}` }),
      );
      expect(res.ok ? 'ok' : res.error.code).toBe('FORBIDDEN');
    }
    const share = must(
      await runWithSession(f.owner, () =>
        createReportShareAction(f.org.slug, { scope: 'company', period: `month-${month}` }),
      ),
    );
    const foreign = await runWithSession(f.outsiderOrg.owner, () =>
      revokeReportShareAction(f.outsiderOrg.org.slug, { shareId: share.id }),
    );
    expect(foreign.ok ? 'ok' : foreign.error.code).toBe('NOT_FOUND');
    expect(await getSharedReport(share.token)).not.toBeNull();
  });
});

describe('commentary', () => {
  const save = (who: Claims, input: Record<string, unknown>) =>
    runWithSession(who, () =>
      saveKpiCommentaryAction(f.org.slug, {
        kpiId: f.kpis.bookings.id,
        periodStart: month,
        ...input,
      } as never),
    );

  it('the KPI owner writes it; revisions are kept, audited and the latest is in the report', async () => {
    const first = must(await save(f.rep, { analysis: 'Two deals slipped to next month.' }));
    const second = must(
      await save(f.rep, {
        analysis: 'Two deals slipped; one is signed now.',
        nextAction: 'Close the Globex renewal',
        actionOwnerUserId: f.lead.userId,
        actionDueOn: today,
      }),
    );
    expect([first.revision, second.revision]).toEqual([first.revision, first.revision + 1]);
    expect(second.actionOwnerName).toBe('Lena Lead');
    const db = await getOwnerDb();
    const rows = await db
      .select({ revision: kpiCommentaries.revision, analysis: kpiCommentaries.analysis })
      .from(kpiCommentaries)
      .where(
        and(eq(kpiCommentaries.orgId, f.org.id), eq(kpiCommentaries.kpiId, f.kpis.bookings.id)),
      );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.map((r) => r.analysis)).toContain('Two deals slipped to next month.');
    const audit = await db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.orgId, f.org.id),
          eq(auditLog.entityId, f.kpis.bookings.id),
          eq(auditLog.action, 'commentary.create'),
        ),
      );
    expect(audit.length).toBeGreaterThanOrEqual(2);
    const report = await reportAs(f.owner, f.org.slug, 'company', `month-${month}`);
    const row = reportRows(report).find((r) => r.row.kpiId === f.kpis.bookings.id)!.row;
    expect(row.commentary).toMatchObject({
      revision: second.revision,
      nextAction: 'Close the Globex renewal',
      actionOwnerName: 'Lena Lead',
    });
    // The quarter report shows it too (the month lies inside the quarter); last month's does not.
    const q = await reportAs(f.owner, f.org.slug, 'company', `quarter-${quarter}`);
    expect(reportRows(q).find((r) => r.row.kpiId === f.kpis.bookings.id)!.row.commentary?.id).toBe(
      second.id,
    );
    if (lastMonth < quarter) {
      const prev = await reportAs(f.owner, f.org.slug, 'company', `month-${lastMonth}`);
      expect(
        reportRows(prev).find((r) => r.row.kpiId === f.kpis.bookings.id)!.row.commentary,
      ).toBeNull();
    }
  });

  it('leads of the subtree and admins may write; other members may not', async () => {
    expect((await save(f.lead, { analysis: 'Lead view.' })).ok).toBe(true);
    expect((await save(f.owner, { analysis: 'Owner view.' })).ok).toBe(true);
    const denied = await save(f.colleague, { analysis: 'Not mine.' });
    expect(denied.ok ? 'ok' : denied.error.code).toBe('FORBIDDEN');
  });

  it("someone else's individual KPI, another org's and a random one are not found", async () => {
    const hidden = await runWithSession(f.rep, () =>
      saveKpiCommentaryAction(f.org.slug, {
        kpiId: f.kpis.colleagueOwn.id,
        periodStart: month,
        analysis: 'x',
      }),
    );
    const random = await runWithSession(f.rep, () =>
      saveKpiCommentaryAction(f.org.slug, {
        kpiId: crypto.randomUUID(),
        periodStart: month,
        analysis: 'x',
      }),
    );
    const foreign = await runWithSession(f.outsiderOrg.owner, () =>
      saveKpiCommentaryAction(f.outsiderOrg.org.slug, {
        kpiId: f.kpis.bookings.id,
        periodStart: month,
        analysis: 'x',
      }),
    );
    for (const r of [hidden, random, foreign]) expect(r.ok ? 'ok' : r.error.code).toBe('NOT_FOUND');
  });

  it('refuses a period that is not one of the KPI’s, a future one, an outside action owner and a next action without owner or date', async () => {
    const code = async (input: Record<string, unknown>) => {
      const r = await save(f.rep, { analysis: 'x', ...input });
      return r.ok ? 'ok' : `${r.error.code}:${Object.keys(r.error.fieldErrors ?? {}).join(',')}`;
    };
    expect(await code({ periodStart: `${month.slice(0, 8)}15` })).toBe('VALIDATION:periodStart');
    expect(await code({ periodStart: `${Number(month.slice(0, 4)) + 1}${month.slice(4)}` })).toBe(
      'VALIDATION:periodStart',
    );
    expect(
      await code({
        nextAction: 'Do it',
        actionOwnerUserId: f.outsiderOrg.owner.userId,
        actionDueOn: today,
      }),
    ).toBe('VALIDATION:actionOwnerUserId');
    expect(await code({ nextAction: 'Do it' })).toBe('VALIDATION:actionOwnerUserId,actionDueOn');
    expect(await code({ analysis: '   ' })).toBe('VALIDATION:analysis');
  });
});
