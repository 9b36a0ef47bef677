/**
 * Projections on dashboards and reports (issue 24, item 1) on a real database: an org with a
 * known series (Bookings = Enterprise + Mid-market, monthly sums with six months of history and
 * a value so far this month) shows each KPI's projected period end on the dashboard (north
 * star and scorecard rows) and in the report (value, share of target, projected status), equal
 * to the KPI page's projection and to the pure projectKpi over the same series, and consistent
 * up the tree; a closed period shows nothing projected; the CSV carries the projected columns.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { createKpiAction, setNorthStarAction } from '@/lib/actions/kpis';
import { getDashboard } from '@/lib/dal/dashboards/dashboard';
import { getKpiProjection } from '@/lib/dal/kpis/projection';
import { getReport, reportRows } from '@/lib/dal/reports/report';
import { testAttributionKpi } from '@/lib/domain/attribution/test-kpis';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { addDays, addMonths, todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal, toDec } from '@/lib/domain/decimal';
import { projectKpi, type ForecastKpi } from '@/lib/domain/forecast/projection';
import { periodStart, previousPeriodStart } from '@/lib/domain/periods';
import { reportToCsv } from '@/lib/server/report-export/csv';
import { as, contextFor, kpiInput, must } from './cascade-helpers';
import { createTestOrg } from './factories';

const today = todayInTimeZone('UTC');
const month = periodStart(today, 'month', 1);
const lastMonth = previousPeriodStart(month, 'month');

/** Six past months and this month so far, oldest first (the last one is this month's). */
const ENTERPRISE = ['80', '90', '100', '110', '120', '130', '40'];
const MID_MARKET = ['40', '42', '44', '46', '48', '50', '20'];

async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const s = org.slug;
  const create = (over: Record<string, unknown>) =>
    as(owner, async () => must(await createKpiAction(s, kpiInput(rootUnitId, over))));
  const bookings = await create({ name: 'Bookings', rollup: 'sum', defaultTarget: '200' });
  const enterprise = await create({
    name: 'Enterprise',
    parentId: bookings.id,
    defaultTarget: '140',
  });
  const midMarket = await create({
    name: 'Mid-market',
    parentId: bookings.id,
    defaultTarget: '60',
  });
  await as(owner, async () =>
    must(await setNorthStarAction(s, { kpiId: bookings.id, isNorthStar: true })),
  );
  for (const [kpi, series] of [
    [enterprise, ENTERPRISE],
    [midMarket, MID_MARKET],
  ] as const) {
    for (const [i, value] of series.entries()) {
      await as(owner, async () =>
        must(
          await recordCheckinAction(s, {
            kpiId: kpi.id,
            observedOn: observedOn(series, i),
            value,
          }),
        ),
      );
    }
  }
  return { org, owner, bookings, enterprise, midMarket };
}

/** The day each value of a series is recorded on: the 10th of its month, this month's today. */
function observedOn(series: readonly string[], i: number): string {
  const start = addMonths(month, i - (series.length - 1));
  return i === series.length - 1 ? today : addDays(start, 9);
}

/**
 * The same KPIs and series as the pure projection reads them (no database), with the leaves'
 * dated check-ins (their intra-period shape, which the dashboard, the report and the KPI page
 * read too).
 */
function pureCatalogue(f: Awaited<ReturnType<typeof buildOrg>>): ForecastKpi[] {
  const leaf = (id: string, series: string[], target: string): ForecastKpi => ({
    ...testAttributionKpi(id, {
      parentId: f.bookings.id,
      values: new Map(series.map((v, i) => [addMonths(month, i - (series.length - 1)), v])),
      ownTarget: () => target,
    }),
    direction: 'increase',
    checkins: series.map((value, i) => ({ observedOn: observedOn(series, i), value })),
  });
  return [
    {
      ...testAttributionKpi(f.bookings.id, {
        rollup: 'sum',
        values: new Map(
          ENTERPRISE.map((v, i) => [
            addMonths(month, i - (ENTERPRISE.length - 1)),
            toDec(v)
              .plus(toDec(MID_MARKET[i] as string))
              .toFixed(),
          ]),
        ),
        ownTarget: () => '200',
      }),
      direction: 'increase',
    },
    leaf(f.enterprise.id, ENTERPRISE, '140'),
    leaf(f.midMarket.id, MID_MARKET, '60'),
  ];
}

describe('projections on dashboards and reports', () => {
  let f: Awaited<ReturnType<typeof buildOrg>>;
  beforeAll(async () => {
    f = await buildOrg();
  });

  it('the dashboard shows each KPI’s projected end, equal to the KPI page’s and to projectKpi', async () => {
    const ctx = await contextFor(f.owner, f.org.slug);
    const dash = await getDashboard(ctx, resolveDashboardPeriod(`month-${month}`, ctx.org));
    const star = dash.northStars.find((c) => c.kpi.id === f.bookings.id)?.kpi;
    const rows = [...(dash.admin?.companyKpis ?? [])];
    const ent = rows.find((k) => k.id === f.enterprise.id);
    const mid = rows.find((k) => k.id === f.midMarket.id);
    const pure = pureCatalogue(f);
    for (const [shown, id] of [
      [star, f.bookings.id],
      [ent, f.enterprise.id],
      [mid, f.midMarket.id],
    ] as const) {
      expect(shown?.projected, id).toBeDefined();
      const page = (await getKpiProjection(ctx, id)).projection;
      const expected = projectKpi(pure, id, month, today);
      expect(shown?.projected).toEqual({
        value: page.value,
        share: page.share,
        status: page.status,
      });
      expect(page.value).toBe(expected.value);
      expect(page.status).toBe(expected.status);
    }
    // consistent up the tree: the parent's projection is its children's sum
    expect(
      toDec(star?.projected?.value as string).eq(
        toDec(ent?.projected?.value as string).plus(toDec(mid?.projected?.value as string)),
      ),
    ).toBe(true);
  });

  it('the report has a projected value, share and status for the open period, none for a closed one', async () => {
    const ctx = await contextFor(f.owner, f.org.slug);
    const open = await getReport(ctx, {
      scope: 'company',
      period: resolveDashboardPeriod(`month-${month}`, ctx.org),
    });
    const rows = reportRows(open).map((r) => r.row);
    const pure = pureCatalogue(f);
    for (const id of [f.bookings.id, f.enterprise.id, f.midMarket.id]) {
      const row = rows.find((r) => r.kpiId === id);
      const expected = projectKpi(pure, id, month, today);
      expect(row?.projected).toEqual({
        value: expected.value,
        share: expected.share,
        status: expected.status,
      });
    }
    const csv = reportToCsv(open).split('\n');
    expect(csv[0]).toContain('projected,projected_pct_of_target,projected_status');
    const bookingsLine = csv.find((l) => l.includes(f.bookings.id)) as string;
    const p = projectKpi(pure, f.bookings.id, month, today);
    const words = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' } as const;
    expect(bookingsLine.trimEnd().split(',').slice(-3)).toEqual([
      normalizeDecimal(p.value as string),
      String(Math.round((p.share as number) * 1000) / 10),
      words[p.status as keyof typeof words],
    ]);

    const closed = await getReport(ctx, {
      scope: 'company',
      period: resolveDashboardPeriod(`month-${lastMonth}`, ctx.org),
    });
    expect(reportRows(closed).every(({ row }) => row.projected == null)).toBe(true);
    const closedDash = await getDashboard(
      ctx,
      resolveDashboardPeriod(`month-${lastMonth}`, ctx.org),
    );
    expect(closedDash.northStars.every((c) => c.kpi.projected === undefined)).toBe(true);
  });
});
