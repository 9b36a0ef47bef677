/**
 * Projections on dashboards and reports (issue 24, item 1) on a real database: an org with a
 * known series (Bookings = Enterprise + Mid-market, monthly sums with six months of history and
 * a value so far this month, and one old Enterprise entry 20 months back) shows each KPI's
 * projected period end on the dashboard (north star and scorecard rows), in the member's "My
 * targets" and in the report (value, share of target, projected status), equal to the KPI
 * page's projection and to the pure projectKpi over the same series, and consistent up the
 * tree; on the quarter's and the year's dashboard the monthly KPIs are projected over the whole
 * period (projectKpiOver), with the units' projected counts; a closed period shows nothing
 * projected; the CSV carries the projected columns; check-ins outside what the intra-period
 * shape reads are not loaded and change nothing. A KPI with an explicit lead that truly leads it
 * (built to move 2 months after it) gets a lead-informed projection on both the KPI page and the
 * dashboard's read model, the same one; without the link, the trend's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { recordCheckinAction } from '@/lib/actions/checkins';
import {
  addKpiLeadAction,
  createKpiAction,
  removeKpiLeadAction,
  setNorthStarAction,
} from '@/lib/actions/kpis';
import { withOrgRead } from '@/db/client';
import { clearDashboardCaches } from '@/lib/dal/dashboards/read-model';
import { loadOrgProjections } from '@/lib/dal/kpis/org-projections';
import { getDashboard } from '@/lib/dal/dashboards/dashboard';
import { getMyDashboard } from '@/lib/dal/dashboards/my-dashboard';
import { loadKpiClosure } from '@/lib/dal/kpis/kpi-closure';
import { getKpiProjection } from '@/lib/dal/kpis/projection';
import { getReport, reportRows } from '@/lib/dal/reports/report';
import { testAttributionKpi } from '@/lib/domain/attribution/test-kpis';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { addDays, addMonths, todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal, toDec } from '@/lib/domain/decimal';
import {
  PROJECTION_HISTORY,
  projectKpi,
  projectKpiOver,
  type ForecastKpi,
} from '@/lib/domain/forecast/projection';
import { orgThresholds } from '@/lib/domain/kpi-summary';
import { syntheticLeadGroups } from '@/lib/seed/synthetic-leads';
import { periodEndExclusive, periodStart, previousPeriodStart } from '@/lib/domain/periods';
import { reportToCsv } from '@/lib/server/report-export/csv';
import { as, contextFor, kpiInput, must } from './cascade-helpers';
import { createTestOrg } from './factories';

const today = todayInTimeZone('UTC');
const month = periodStart(today, 'month', 1);
const lastMonth = previousPeriodStart(month, 'month');

/** Six past months and this month so far, oldest first (the last one is this month's). */
const ENTERPRISE = ['80', '90', '100', '110', '120', '130', '40'];
const MID_MARKET = ['40', '42', '44', '46', '48', '50', '20'];
/** One Enterprise entry 20 months back: in the trend's history, not in the shape's 12 months. */
const OLD = {
  start: addMonths(month, -20),
  observedOn: addDays(addMonths(month, -20), 4),
  value: '75',
};

async function buildOrg() {
  // the fiscal year starts this month: the open quarter and year hold months after this one
  const { org, owner, rootUnitId } = await createTestOrg({
    fyStartMonth: Number(month.slice(5, 7)),
  });
  const s = org.slug;
  const create = (over: Record<string, unknown>) =>
    as(owner, async () => must(await createKpiAction(s, kpiInput(rootUnitId, over))));
  const bookings = await create({ name: 'Bookings', rollup: 'sum', defaultTarget: '200' });
  const enterprise = await create({
    name: 'Enterprise',
    parentId: bookings.id,
    defaultTarget: '140',
    ownerUserId: owner.userId,
  });
  const midMarket = await create({
    name: 'Mid-market',
    parentId: bookings.id,
    defaultTarget: '60',
  });
  await as(owner, async () =>
    must(await setNorthStarAction(s, { kpiId: bookings.id, isNorthStar: true })),
  );
  await as(owner, async () =>
    must(
      await recordCheckinAction(s, {
        kpiId: enterprise.id,
        observedOn: OLD.observedOn,
        value: OLD.value,
      }),
    ),
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
  const old = (id: string) => (id === f.enterprise.id ? [OLD] : []);
  const leaf = (id: string, series: string[], target: string): ForecastKpi => ({
    ...testAttributionKpi(id, {
      parentId: f.bookings.id,
      values: new Map([
        ...old(id).map((o): [string, string] => [o.start, o.value]),
        ...series.map((v, i): [string, string] => [addMonths(month, i - (series.length - 1)), v]),
      ]),
      ownTarget: () => target,
    }),
    direction: 'increase',
    checkins: [
      ...old(id).map((o) => ({ observedOn: o.observedOn, value: o.value })),
      ...series.map((value, i) => ({ observedOn: observedOn(series, i), value })),
    ],
  });
  return [
    {
      ...testAttributionKpi(f.bookings.id, {
        rollup: 'sum',
        values: new Map([
          [OLD.start, OLD.value],
          ...ENTERPRISE.map((v, i): [string, string] => [
            addMonths(month, i - (ENTERPRISE.length - 1)),
            toDec(v)
              .plus(toDec(MID_MARKET[i] as string))
              .toFixed(),
          ]),
        ]),
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

  it('the member’s “My targets” carries the same projection as the dashboard', async () => {
    const ctx = await contextFor(f.owner, f.org.slug);
    const period = resolveDashboardPeriod(`month-${month}`, ctx.org);
    const mine = await getMyDashboard(ctx, period);
    const row = mine.targets.find((t) => t.kpiId === f.enterprise.id);
    const dash = await getDashboard(ctx, period);
    const shown = dash.admin?.companyKpis.find((k) => k.id === f.enterprise.id);
    expect(row?.projected).toBeDefined();
    expect(row?.projected).toEqual(shown?.projected);
    const expected = projectKpi(pureCatalogue(f), f.enterprise.id, month, today);
    expect(row?.projected?.value).toBe(expected.value);
  });

  it('projects the monthly KPIs over the open quarter and year, consistently up the tree', async () => {
    const ctx = await contextFor(f.owner, f.org.slug);
    const pure = pureCatalogue(f);
    for (const cadence of ['quarter', 'year'] as const) {
      const start = periodStart(today, cadence, ctx.org.fyStartMonth);
      const dash = await getDashboard(ctx, resolveDashboardPeriod(`${cadence}-${start}`, ctx.org));
      const star = dash.northStars.find((c) => c.kpi.id === f.bookings.id)?.kpi;
      const rows = dash.admin?.companyKpis ?? [];
      const shown = new Map([star, ...rows].flatMap((k) => (k ? [[k.id, k.projected]] : [])));
      for (const id of [f.bookings.id, f.enterprise.id, f.midMarket.id]) {
        const expected = projectKpiOver(
          pure,
          id,
          { start, cadence },
          today,
          orgThresholds(ctx.org),
        );
        expect(expected.method, `${cadence} ${id}`).toBe('periods');
        expect(shown.get(id), `${cadence} ${id}`).toEqual({
          value: expected.value,
          share: expected.share,
          status: expected.status,
        });
      }
      expect(start).toBe(month); // so both hold months still to come
      // the open month inside it is the KPI page's projection: the period holds at least that
      const page = (await getKpiProjection(ctx, f.enterprise.id)).projection;
      expect(
        toDec(shown.get(f.enterprise.id)?.value as string).gte(toDec(page.value as string)),
      ).toBe(true);
      expect(
        toDec(shown.get(f.bookings.id)?.value as string).eq(
          toDec(shown.get(f.enterprise.id)?.value as string).plus(
            toDec(shown.get(f.midMarket.id)?.value as string),
          ),
        ),
      ).toBe(true);
    }
  });

  it('reads only the check-ins the intra-period shape reads, and projects the same', async () => {
    const ctx = await contextFor(f.owner, f.org.slug);
    const { catalogue } = await withOrgRead(f.org.id, (db) =>
      loadKpiClosure(db, ctx, f.bookings.id, periodEndExclusive(month, 'month'), {
        readings: true,
      }),
    );
    const ent = catalogue.find((k) => k.id === f.enterprise.id);
    // the entry 20 months back is a stored value the trend reads, not a check-in the shape reads
    expect(ent?.values.get(OLD.start)).toBe(OLD.value);
    expect(ent?.checkins?.map((c) => c.observedOn)).not.toContain(OLD.observedOn);
    expect(ent?.checkins).toHaveLength(ENTERPRISE.length);
    const page = (await getKpiProjection(ctx, f.enterprise.id)).projection;
    expect(page).toEqual(
      projectKpi(pureCatalogue(f), f.enterprise.id, month, today, orgThresholds(ctx.org)),
    );
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
