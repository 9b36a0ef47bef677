/**
 * Projections on dashboards and reports (issue 24, item 1) on a real database: an org with a
 * known series (Bookings = Enterprise + Mid-market, monthly sums with six months of history and
 * a value so far this month) shows each KPI's projected period end on the dashboard (north
 * star and scorecard rows) and in the report (value, share of target, projected status), equal
 * to the KPI page's projection and to the pure projectKpi over the same series, and consistent
 * up the tree; a closed period shows nothing projected; the CSV carries the projected columns.
 * A KPI with an explicit lead that truly leads it (built to move 2 months after it) gets a
 * lead-informed projection on both the KPI page and the dashboard's read model, the same one;
 * without the link, the trend's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { recordCheckinAction } from '@/lib/actions/checkins';
import {
  addKpiLeadAction,
  createKpiAction,
  removeKpiLeadAction,
  setNorthStarAction,
} from '@/lib/actions/kpis';
import { clearDashboardCaches } from '@/lib/dal/dashboards/read-model';
import { loadOrgProjections } from '@/lib/dal/kpis/org-projections';
import { getDashboard } from '@/lib/dal/dashboards/dashboard';
import { getKpiProjection } from '@/lib/dal/kpis/projection';
import { getReport, reportRows } from '@/lib/dal/reports/report';
import { testAttributionKpi } from '@/lib/domain/attribution/test-kpis';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { addDays, addMonths, todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal, toDec } from '@/lib/domain/decimal';
import { PROJECTION_HISTORY, projectKpi, type ForecastKpi } from '@/lib/domain/forecast/projection';
import { syntheticLeadGroups } from '@/lib/seed/synthetic-leads';
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

/** A pair built so that the pipeline leads revenue by 2 months: 27 complete months, whole numbers. */
const PAIR = (() => {
  const months = PROJECTION_HISTORY.month;
  const [g] = syntheticLeadGroups({ count: 1, months, first: addMonths(month, -months), seed: 3 });
  const whole = (xs: readonly (string | null)[] = []) => xs.map((v) => toDec(v ?? '0').toFixed(0));
  return { months, revenue: whole(g?.lagging), pipeline: whole(g?.leads[0]) };
})();

async function buildLeadOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const create = (over: Record<string, unknown>) =>
    as(owner, async () =>
      must(
        await createKpiAction(org.slug, kpiInput(rootUnitId, { timeAggregation: 'last', ...over })),
      ),
    );
  const revenue = await create({ name: 'Signed revenue', defaultTarget: '6000' });
  const pipeline = await create({ name: 'Pipeline value' });
  for (let i = 0; i < PAIR.months; i += 1) {
    const day = addDays(addMonths(month, i - PAIR.months), 9);
    await as(owner, async () => {
      must(
        await recordCheckinAction(org.slug, {
          kpiId: revenue.id,
          observedOn: day,
          value: PAIR.revenue[i] as string,
        }),
      );
      must(
        await recordCheckinAction(org.slug, {
          kpiId: pipeline.id,
          observedOn: day,
          value: PAIR.pipeline[i] as string,
        }),
      );
    });
  }
  return { org, owner, revenue, pipeline };
}

describe('a lead that truly leads informs the projection', () => {
  it('on the KPI page and the dashboard read model alike, and only while linked', async () => {
    const f = await buildLeadOrg();
    const ctx = await contextFor(f.owner, f.org.slug);
    const pure = (leads: string[]): ForecastKpi[] => {
      const level = (id: string, values: string[], target: string | null) => ({
        ...testAttributionKpi(id, {
          timeAggregation: 'last',
          values: new Map(values.map((v, i) => [addMonths(month, i - PAIR.months), v])),
          ownTarget: () => target,
        }),
        direction: 'increase' as const,
      });
      return [
        { ...level(f.revenue.id, PAIR.revenue, '6000'), ...(leads.length ? { leads } : {}) },
        level(f.pipeline.id, PAIR.pipeline, null),
      ];
    };
    const trendOnly = projectKpi(pure([]), f.revenue.id, month, today);
    const informed = projectKpi(pure([f.pipeline.id]), f.revenue.id, month, today);
    expect(informed.lead?.used).toMatchObject({ leadId: f.pipeline.id, lag: 2 });
    expect(informed.value).not.toBe(trendOnly.value);

    // Before the link: the trend's projection (the pipeline is not marked leading).
    expect((await getKpiProjection(ctx, f.revenue.id)).projection.value).toBe(trendOnly.value);

    must(
      await as(f.owner, () =>
        addKpiLeadAction(f.org.slug, { leadKpiId: f.pipeline.id, laggingKpiId: f.revenue.id }),
      ),
    );
    const page = await getKpiProjection(ctx, f.revenue.id);
    expect(page.projection).toEqual(informed);
    expect(page.lead).toMatchObject({
      kind: 'used',
      id: f.pipeline.id,
      name: 'Pipeline value',
      lag: 2,
      shift: informed.lead?.used?.shift,
    });
    // the dashboard's read model: the same projection (no range there) ...
    clearDashboardCaches();
    const model = (await loadOrgProjections(ctx, today)).get(f.revenue.id);
    expect(model).toEqual({
      ...informed,
      low: informed.value,
      high: informed.value,
      errorsUsed: 0,
    });
    // ... and what the dashboard shows
    const dash = await getDashboard(ctx, resolveDashboardPeriod(`month-${month}`, ctx.org));
    const row = dash.admin?.companyKpis.find((k) => k.id === f.revenue.id);
    expect(row?.projected).toEqual({
      value: informed.value,
      share: informed.share,
      status: informed.status,
    });

    // Unlinked: the trend's again, everywhere.
    must(
      await as(f.owner, () =>
        removeKpiLeadAction(f.org.slug, { leadKpiId: f.pipeline.id, laggingKpiId: f.revenue.id }),
      ),
    );
    clearDashboardCaches();
    expect((await getKpiProjection(ctx, f.revenue.id)).projection.value).toBe(trendOnly.value);
    expect((await loadOrgProjections(ctx, today)).get(f.revenue.id)?.value).toBe(trendOnly.value);
  });
});
