import { todayInTimeZone } from '@/lib/domain/dates';
import { trendPeriodStarts, type DashboardPeriod } from '@/lib/domain/dashboard/periods';
import type { PersonRef } from '@/lib/domain/dashboard/types';
import { isOpenPeriod, periodLabel } from '@/lib/domain/periods';
import type { OrgContext } from '@/lib/server/org-context';
import { listKpis } from '@/lib/dal/kpis/list';
import { clearSeriesMemos } from '@/lib/dal/kpis/projection-memo';
import { loadPeriodInputs } from '@/lib/dal/kpis/period-values';
import {
  LruCache,
  ReadThroughCache,
  getOrgDataVersion,
  heapShareBytes,
} from '@/lib/dal/read-cache';
import { listUnitRefs, type UnitRef } from '@/lib/dal/units/refs';
import { listPeopleRefs } from './people-refs';
import { projectionsFor, withPeriodViews } from './period-views';
import type { DashboardKpi } from './types';
import { processWide } from '@/lib/server/process-wide';

/*
 * The cached read model: one org-wide model per organization, data version, settings, period and
 * day, and the per-actor views derived from it, in bounded in-process caches.
 */

/** A trend's points, oldest first; `partial` marks the open period (its value so far). */
type Trend = { label: string; value: number | null; partial: boolean }[];

/**
 * What every dashboard of one organization, period and day is derived from: every active KPI of
 * the organization evaluated for the period, **individual KPIs of everyone included** (so never
 * handed to an actor as is: buildDashboard filters with canSeeKpi first), units, people, trends.
 */
export type OrgModel = {
  kpis: DashboardKpi[];
  unitRefs: UnitRef[];
  people: PersonRef[];
  trends: Map<string, Trend>;
};

async function loadTrends(
  ctx: OrgContext,
  northStars: DashboardKpi[],
  asOf: string,
  today: string,
): Promise<Map<string, Trend>> {
  const startsOf = new Map<string, string[]>();
  for (const kpi of northStars) {
    startsOf.set(kpi.id, trendPeriodStarts(asOf, kpi.cadence, ctx.org.fyStartMonth));
  }
  const { values } = await loadPeriodInputs(
    ctx.org.id,
    northStars.map((k) => k.id),
    [...new Set([...startsOf.values()].flat())],
  );
  const trends = new Map<string, Trend>();
  for (const kpi of northStars) {
    trends.set(
      kpi.id,
      (startsOf.get(kpi.id) ?? []).map((start) => {
        const row = values.get(`${kpi.id}|${start}`);
        return {
          label: periodLabel(start, kpi.cadence, ctx.org.fyStartMonth, ctx.org.locale),
          value: row ? Number(row.value) : null,
          partial: isOpenPeriod(start, kpi.cadence, today),
        };
      }),
    );
  }
  return trends;
}

async function loadOrgModel(
  ctx: OrgContext,
  period: DashboardPeriod,
  today: string,
): Promise<OrgModel> {
  // Projections (an open period only) are read and computed alongside the KPIs' evaluation.
  const projections = projectionsFor(ctx, period, today);
  const [summaries, unitRefs] = await Promise.all([
    listKpis(ctx, { asOf: period.asOf, visibility: 'all' }),
    listUnitRefs(ctx),
  ]);
  const [kpis, people] = await Promise.all([
    withPeriodViews(ctx, summaries, period, today, projections),
    listPeopleRefs(ctx, new Map(unitRefs.map((u) => [u.id, u.name]))),
  ]);
  const trends = await loadTrends(
    ctx,
    kpis.filter((k) => k.isNorthStar),
    period.asOf,
    today,
  );
  return { kpis, unitRefs, people, trends };
}

/**
 * Heap estimate of a model: about 2 KB per evaluated KPI. Measured with `bench/read-model-heap.ts`
 * on the 10,023-KPI synthetic org: two models (the selected and the open month) retain 44.0 MB of
 * heap after a full collection against 39.1 MB estimated, 1.12x (bench/RESULTS.md).
 */
function modelBytes(model: OrgModel): number {
  return 4096 + model.kpis.length * 2000 + model.people.length * 200 + model.unitRefs.length * 300;
}

type Caches = {
  models: ReadThroughCache<OrgModel>;
  views: ReadThroughCache<unknown>;
};

const MB = 1024 * 1024;

/**
 * Bounded in-process caches, shared by every bundle of the server (route handlers and pages):
 * models get a fifth of the process's heap limit and views a twentieth, at most 128 MB and 64 MB.
 * Under a bounded heap (`npm start`'s --max-old-space-size=512, README "Running several
 * instances") that leaves the rest of the app its room: under its 560 MB heap limit, 112 MB of
 * models (five months of a 10,000-KPI organization) and 28 MB of views; with Node's default heap,
 * the caps.
 */
function caches(): Caches {
  return processWide('dashboard-caches', () => ({
    models: new ReadThroughCache(
      new LruCache<OrgModel>(heapShareBytes(1 / 5, 128 * MB), 512),
      modelBytes,
    ),
    // The bounded per-actor results, tens of KB each.
    views: new ReadThroughCache(
      new LruCache<unknown>(heapShareBytes(1 / 20, 64 * MB), 20_000),
      (v) => 2 * JSON.stringify(v).length,
    ),
  }));
}

/** What the dashboard caches hold: entries and the estimated bytes of each (benchmarks). */
export function dashboardCacheStats(): Record<keyof Caches, { entries: number; bytes: number }> {
  const c = caches();
  return {
    models: { entries: c.models.lru.size, bytes: c.models.lru.totalBytes },
    views: { entries: c.views.lru.size, bytes: c.views.lru.totalBytes },
  };
}

/**
 * Empties the dashboard caches, the series projections they are computed from included (tests
 * and benchmarks that compare cold and warm reads).
 */
export function clearDashboardCaches(): void {
  const c = caches();
  c.models.lru.clear();
  c.views.lru.clear();
  clearSeriesMemos();
}

/** What a model depends on besides the data: the org, its data version, settings, period, day. */
function modelKey(
  ctx: OrgContext,
  version: string,
  period: DashboardPeriod,
  today: string,
): string {
  const o = ctx.org;
  return [
    o.id,
    version,
    period.key,
    today,
    o.fyStartMonth,
    o.timeZone,
    o.greenThreshold,
    o.amberThreshold,
    o.gradingMinElapsed,
    o.maxKpisPerUnit,
    o.maxKpisPerPerson,
  ].join('|');
}

/**
 * Everything a view depends on about the actor: role, person and led units (the unit tree is
 * data, covered by the version). Two actors share a view only when all three are equal.
 */
function scopeKey(ctx: OrgContext): string {
  return `${ctx.actor.role}:${ctx.actor.userId}:${[...ctx.actor.ledUnitIds].sort().join(',')}`;
}

/** The cache keys of one read: the model's and the actor's view's, with the day and version. */
export type ReadKey = { model: string; view: string; today: string; version: string };

/** Reads the org's data version (one statement) and derives the keys of this read from it. */
export async function readKey(ctx: OrgContext, period: DashboardPeriod): Promise<ReadKey> {
  const today = todayInTimeZone(ctx.org.timeZone);
  const version = await getOrgDataVersion(ctx.org.id);
  return keyForPeriod(ctx, { today, version }, period);
}

/** The keys of another period in the same read (same data version and day). */
export function keyForPeriod(
  ctx: OrgContext,
  read: Pick<ReadKey, 'today' | 'version'>,
  period: DashboardPeriod,
): ReadKey {
  const model = modelKey(ctx, read.version, period, read.today);
  return { model, view: `${model}|${scopeKey(ctx)}`, today: read.today, version: read.version };
}

/**
 * The org-wide model of this read (every KPI, individual ones included: filter with canSeeKpi
 * before anything reaches the actor). Tenant: ctx.org.
 */
export function getModel(
  ctx: OrgContext,
  key: ReadKey,
  period: DashboardPeriod,
): Promise<OrgModel> {
  return caches().models.get(key.model, async () => {
    const model = await loadOrgModel(ctx, period, key.today);
    // Entries of the org's older versions can never be read again: free them now.
    const org = `${ctx.org.id}|`;
    const current = `${ctx.org.id}|${key.version}|`;
    caches().models.lru.deletePrefix(org, current);
    caches().views.lru.deletePrefix(org, current);
    return model;
  });
}

/** One part of the actor's view of this read, computed once per key. */
export function cachedView<T>(key: ReadKey, part: string, compute: () => Promise<T>): Promise<T> {
  return caches().views.get(`${key.view}|${part}`, compute) as Promise<T>;
}
