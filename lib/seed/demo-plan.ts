import { randomUUID } from 'node:crypto';
import { addMonths, dateParts, daysInMonth, isoDate } from '@/lib/domain/dates';
import { Dec, toPlainString, type DecValue } from '@/lib/domain/decimal';
import { cadenceMonths, periodEndExclusive, periodStart } from '@/lib/domain/periods';
import {
  DEMO_CUSTOMERS,
  DEMO_KPIS,
  DEMO_OPENING_ARR,
  DEMO_ORG,
  DEMO_PEOPLE,
  DEMO_UNITS,
  SEASONS,
  type DemoKpi,
  type DemoSeries,
} from './demo-data';
import { defaultValidRange } from '@/lib/domain/value-range';
import type { SeedCheckin, SeedKpi, SeedPlan, SeedTarget } from './plan';
import { createRng, formatScaled, toFixedDecimal, type Rng } from './random';

/** Months of history, the current (partial) month included. */
export const DEMO_MONTHS = 36;

/** Progress the forced KPIs land on this period: mid-band, so rounding cannot change the status. */
const FORCED_PROGRESS = { at_risk: 0.92, off_track: 0.7 } as const;

type GeneratedKpi = { spec: DemoKpi; row: SeedKpi };

/** Check-ins of one KPI with their month index (0 = oldest month). */
type MonthlyCheckins = Map<number, SeedCheckin[]>;

/**
 * Builds the whole Northwind Cloud plan for the org-local date `today` (check-ins up to it) and
 * the instant `now` (no check-in is recorded after it). Values come from a PRNG seeded per KPI
 * key, so they depend only on `today`; ids are random (they must be unique per database).
 */
export function buildDemoPlan(input: { orgId: string; today: string; now: Date }): SeedPlan {
  const { orgId, today, now } = input;
  const rngRoot = createRng(`${DEMO_ORG.slug}:${today}`);
  const currentMonth = periodStart(today, 'month', DEMO_ORG.fyStartMonth);
  const months = Array.from({ length: DEMO_MONTHS }, (_, i) =>
    addMonths(currentMonth, i - (DEMO_MONTHS - 1)),
  );
  const todayDay = dateParts(today).day;
  const currentDays = daysInMonth(dateParts(today).year, dateParts(today).month);
  const elapsedOfMonth = todayDay / currentDays;

  const unitIds = new Map(DEMO_UNITS.map((u) => [u.ref, randomUUID()]));
  const userIds = new Map(DEMO_PEOPLE.map((p) => [p.ref, randomUUID()]));
  const ref = (map: Map<string, string>, key: string): string => {
    const id = map.get(key);
    if (!id) throw new Error(`demo data refers to unknown ${key}`);
    return id;
  };
  const leadOf = new Map(DEMO_UNITS.map((u) => [u.ref, u.lead]));

  const plan: SeedPlan = {
    org: { id: orgId, ...DEMO_ORG },
    today,
    users: DEMO_PEOPLE.map((p) => ({ id: ref(userIds, p.ref), email: p.email, name: p.name })),
    memberships: DEMO_PEOPLE.map((p) => ({
      userId: ref(userIds, p.ref),
      role: p.role,
      homeUnitId: ref(unitIds, p.unit),
    })),
    units: DEMO_UNITS.map((u, i) => ({
      id: ref(unitIds, u.ref),
      parentId: u.parent === null ? null : ref(unitIds, u.parent),
      kind: u.kind,
      name: u.name,
      leadUserId: ref(userIds, u.lead),
      sortOrder: i,
    })),
    kpis: [],
    targets: [],
    checkins: [],
  };

  const kpiIds = new Map(DEMO_KPIS.map((k) => [k.key, randomUUID()]));
  const generated: GeneratedKpi[] = DEMO_KPIS.map((spec, i) => ({
    spec,
    row: {
      id: ref(kpiIds, spec.key),
      key: spec.key,
      name: spec.name,
      description: spec.description,
      unitId: ref(unitIds, spec.unit),
      ownerUserId: spec.owner === null ? null : ref(userIds, spec.owner),
      parentId: spec.parent === null ? null : ref(kpiIds, spec.parent),
      isIndividual: spec.individual ?? false,
      measureUnit: spec.measureUnit,
      currency: spec.currency ?? null,
      decimals: spec.decimals,
      direction: spec.direction,
      cadence: spec.cadence,
      timeAggregation: spec.timeAggregation,
      rollup: spec.rollup,
      ...(spec.formula !== undefined
        ? { formula: spec.formula, missingPolicy: spec.missingPolicy ?? 'strict' }
        : {}),
      weight: spec.weight ?? '1',
      baseline: spec.baseline ?? null,
      defaultTarget: spec.target,
      validMin:
        spec.validMin !== undefined ? spec.validMin : defaultValidRange(spec.measureUnit).validMin,
      validMax:
        spec.validMax !== undefined ? spec.validMax : defaultValidRange(spec.measureUnit).validMax,
      category: spec.category,
      indicator: spec.indicator,
      isNorthStar: spec.northStar ?? false,
      sortOrder: i,
    },
  }));
  plan.kpis = generated.map((g) => g.row);
  const byKey = new Map(generated.map((g) => [g.spec.key, g]));

  const authorOf = (spec: DemoKpi): string => {
    const who = spec.series?.author ?? spec.owner ?? leadOf.get(spec.unit);
    if (!who) throw new Error(`no author for ${spec.key}`);
    return ref(userIds, who);
  };
  const recordedAt = (rng: Rng, observedOn: string): Date => {
    const { year, month, day } = dateParts(observedOn);
    const at = new Date(
      Date.UTC(year, month - 1, day, 16 + rng.int(0, 4), rng.int(0, 59), rng.int(0, 59)),
    );
    // Never in the future: today's check-ins were "just" recorded.
    return at.getTime() < now.getTime() ? at : new Date(now.getTime() - rng.int(60, 3600) * 1000);
  };
  const makeCheckin = (
    g: GeneratedKpi,
    rng: Rng,
    observedOn: string,
    value: string,
    note = '',
  ): SeedCheckin => ({
    id: randomUUID(),
    kpiId: g.row.id,
    observedOn,
    value,
    note,
    authorUserId: authorOf(g.spec),
    source: g.spec.series?.source ?? 'manual',
    createdAt: recordedAt(rng, observedOn),
  });

  /** Days of a month the check-ins fall on: evenly spread, the last on the month's last day. */
  const spreadDays = (monthIndex: number, perMonth: number): number[] => {
    const { year, month } = dateParts(months[monthIndex] ?? currentMonth);
    const dim = daysInMonth(year, month);
    const days = Array.from({ length: perMonth }, (_, i) => Math.round(((i + 1) * dim) / perMonth));
    if (monthIndex < DEMO_MONTHS - 1) return days;
    const kept = days.filter((d) => d <= todayDay);
    return kept.length > 0 ? kept : [todayDay];
  };
  const dayOf = (monthIndex: number, day: number) => {
    const { year, month } = dateParts(months[monthIndex] ?? currentMonth);
    return isoDate(year, month, day);
  };
  const isCurrent = (monthIndex: number) => monthIndex === DEMO_MONTHS - 1;

  /**
   * Expected value of one month before noise: the default target x perf x trend x season. The
   * seasons average about 1 over a year (the bookings season carries the quarter-end push its
   * quarter-end quotas ask for), so history sits around its targets instead of being scaled by
   * whichever month today happens to be in.
   */
  const expected = (spec: DemoKpi, series: DemoSeries, monthIndex: number): number => {
    const offset = monthIndex - (DEMO_MONTHS - 1);
    const calendarMonth = dateParts(months[monthIndex] ?? currentMonth).month;
    const season = SEASONS[series.season][calendarMonth - 1] ?? 1;
    const target = Number(spec.target);
    const perMonthTarget =
      spec.timeAggregation === 'sum' ? target / cadenceMonths(spec.cadence) : target;
    return perMonthTarget * series.perf * (1 + series.trend) ** offset * season;
  };
  const clampValue = (spec: DemoKpi, value: number): number => {
    const floor = Math.max(0, value);
    return spec.measureUnit === 'percent' ? Math.min(100, floor) : floor;
  };

  /** Splits an integer total (in 10^-decimals units) into `parts` non-negative integers. */
  const split = (rng: Rng, total: number, parts: number): number[] => {
    const weights = Array.from({ length: parts }, () => 0.5 + rng.next());
    const sum = weights.reduce((a, b) => a + b, 0);
    const shares = weights.map((w) => Math.floor((total * w) / sum));
    const rest = total - shares.reduce((a, b) => a + b, 0);
    shares[shares.length - 1] = (shares[shares.length - 1] ?? 0) + rest;
    return shares;
  };

  const noteFor = (spec: DemoKpi, rng: Rng): string => {
    const customer = rng.pick(DEMO_CUSTOMERS);
    if (spec.key.endsWith('.new_arr')) return `Closed-won: ${customer}`;
    if (spec.key.endsWith('.expansion_arr')) return `Upgrade signed: ${customer}`;
    if (spec.key === 'cs.churned_arr') return `Cancelled: ${customer}`;
    if (spec.key.endsWith('downtime_minutes')) return `Incident INC-${rng.int(1000, 9999)}`;
    return '';
  };

  /** Damped noise inside the current period, so today's status follows `perf`. */
  const noiseIn = (spec: DemoKpi, series: DemoSeries, monthIndex: number): number => {
    const month = months[monthIndex] ?? currentMonth;
    const inCurrentPeriod =
      periodStart(month, spec.cadence, DEMO_ORG.fyStartMonth) ===
      periodStart(today, spec.cadence, DEMO_ORG.fyStartMonth);
    return series.noise * (inCurrentPeriod ? 0.25 : 1);
  };

  const generatedCheckins = new Map<string, MonthlyCheckins>();
  for (const g of generated) {
    const { spec } = g;
    const series = spec.series;
    if (!series || series.derived) continue;
    const rng = rngRoot.fork(spec.key);
    const perKpi: MonthlyCheckins = new Map();
    const scale = 10 ** spec.decimals;
    for (let m = 0; m < DEMO_MONTHS; m += 1) {
      const list: SeedCheckin[] = [];
      if (spec.timeAggregation === 'sum') {
        const partial = isCurrent(m) ? elapsedOfMonth : 1;
        const exact =
          clampValue(
            spec,
            expected(spec, series, m) * partial * (1 + noiseIn(spec, series, m) * rng.gauss()),
          ) * scale;
        // A partial month of a small count (articles, bugs) rounds in the KPI's favour: rounding
        // 2.4 articles down on the ninth of the month would show a team on pace as behind.
        const favour = isCurrent(m)
          ? spec.direction === 'increase'
            ? Math.ceil
            : Math.floor
          : Math.round;
        const total = favour(exact - 1e-9 * Math.sign(exact));
        let days: number[];
        if (series.perMonth === 'deals') {
          const maxDay = isCurrent(m)
            ? todayDay
            : daysInMonth(dateParts(months[m] ?? '').year, dateParts(months[m] ?? '').month);
          const wanted = Math.max(1, Math.min(maxDay, Math.round(rng.int(1, 3) * partial)));
          const picked = new Set<number>();
          while (picked.size < wanted) picked.add(rng.int(1, maxDay));
          days = [...picked].sort((a, b) => a - b);
        } else {
          days = spreadDays(m, series.perMonth);
        }
        const shares = split(rng, total, days.length);
        days.forEach((day, i) =>
          list.push(
            makeCheckin(
              g,
              rng,
              dayOf(m, day),
              formatScaled(shares[i] ?? 0, spec.decimals),
              noteFor(spec, rng),
            ),
          ),
        );
      } else {
        const perMonth = series.perMonth === 'deals' ? 1 : series.perMonth;
        for (const day of spreadDays(m, perMonth)) {
          const value = clampValue(
            spec,
            expected(spec, series, m) * (1 + noiseIn(spec, series, m) * rng.gauss()),
          );
          list.push(makeCheckin(g, rng, dayOf(m, day), toFixedDecimal(value, spec.decimals)));
        }
      }
      perKpi.set(m, list);
    }
    if (series.force) forceCurrentPeriod(g, series.force, perKpi);
    generatedCheckins.set(spec.key, perKpi);
  }

  /** Sets every check-in of the current period so the period value gives the wanted status. */
  function forceCurrentPeriod(
    g: GeneratedKpi,
    status: 'at_risk' | 'off_track',
    perKpi: MonthlyCheckins,
  ): void {
    const { spec } = g;
    if (spec.timeAggregation === 'sum')
      throw new Error(`${spec.key}: only last/average KPIs can be forced`);
    const progress = FORCED_PROGRESS[status];
    const target = Number(spec.target);
    const baseline = spec.baseline === undefined ? null : Number(spec.baseline);
    let actual: number;
    if (spec.direction === 'increase') {
      actual = baseline === null ? target * progress : baseline + progress * (target - baseline);
    } else {
      actual = baseline === null ? target / progress : baseline - progress * (baseline - target);
    }
    const value = toFixedDecimal(actual, spec.decimals);
    const start = periodStart(today, spec.cadence, DEMO_ORG.fyStartMonth);
    const end = periodEndExclusive(start, spec.cadence);
    for (const list of perKpi.values()) {
      for (const c of list) if (c.observedOn >= start && c.observedOn < end) c.value = value;
    }
  }

  // Month totals of generated KPIs, in exact integer units of their decimals.
  const monthTotal = (key: string, m: number): number => {
    const g = byKey.get(key);
    const list = generatedCheckins.get(key)?.get(m) ?? [];
    const scale = 10 ** (g?.spec.decimals ?? 0);
    return list.reduce((a, c) => a + Math.round(Number(c.value) * scale), 0);
  };
  const manualLeavesUnder = (key: string): string[] => {
    const result: string[] = [];
    const walk = (k: string) => {
      const g = byKey.get(k);
      if (g?.spec.rollup === 'manual') result.push(k);
      for (const child of generated)
        if (child.spec.parent === k && g?.spec.rollup !== 'manual') walk(child.spec.key);
    };
    walk(key);
    return result;
  };
  const newArrKeys = manualLeavesUnder('sales.new_arr');
  const expansionKeys = manualLeavesUnder('cs.expansion_arr');
  const sum = (keys: string[], m: number) => keys.reduce((a, k) => a + monthTotal(k, m), 0);
  const expansion = (m: number) => sum(expansionKeys, m);
  const churned = (m: number) => monthTotal('cs.churned_arr', m);

  // ARR moves by exactly new + expansion - churned ARR each month (whole dollars), so the north
  // star agrees to the dollar with the department KPIs aligned under it.
  const arr: number[] = [];
  for (let m = 0; m < DEMO_MONTHS; m += 1) {
    arr.push((arr[m - 1] ?? DEMO_OPENING_ARR) + sum(newArrKeys, m) + expansion(m) - churned(m));
  }
  const lastDayOf = (m: number) =>
    isCurrent(m)
      ? todayDay
      : daysInMonth(dateParts(months[m] ?? '').year, dateParts(months[m] ?? '').month);

  // Formula KPIs (ARR, NRR, MQL-to-SQL, net new ARR) get no check-ins: the cascade computes them.
  for (const g of generated) {
    if (g.spec.series?.derived !== 'availability' || g.spec.formula !== undefined) continue;
    const rng = rngRoot.fork(g.spec.key);
    const perKpi: MonthlyCheckins = new Map();
    for (let m = 0; m < DEMO_MONTHS; m += 1) {
      // Up-time share of the month's minutes so far, from the downtime recorded in it.
      const from = g.spec.series.from;
      if (!from || !byKey.has(from)) throw new Error(`${g.spec.key}: unknown downtime KPI`);
      const minutes = lastDayOf(m) * 24 * 60;
      const value = toFixedDecimal(100 * (1 - monthTotal(from, m) / minutes), g.spec.decimals);
      perKpi.set(m, [makeCheckin(g, rng, dayOf(m, lastDayOf(m)), value)]);
    }
    generatedCheckins.set(g.spec.key, perKpi);
  }

  for (const perKpi of generatedCheckins.values()) {
    for (const list of perKpi.values()) plan.checkins.push(...list);
  }

  plan.targets = buildTargets(generated, arr, months, today);
  const arrKpi = byKey.get('company.arr');
  const fyEndMonth = addMonths(
    periodEndExclusive(periodStart(today, 'year', DEMO_ORG.fyStartMonth), 'year'),
    -1,
  );
  const fyEndPlan = plan.targets.find(
    (t) => t.kpiId === arrKpi?.row.id && t.periodStart === fyEndMonth,
  );
  if (arrKpi && fyEndPlan) arrKpi.row.defaultTarget = fyEndPlan.target;
  return plan;
}

/** Rounds a target the way a plan is written: two significant digits, whole units at least. */
function planRound(value: number, decimals: number): DecValue {
  if (value <= 0) return new Dec(0);
  const magnitude = 10 ** Math.max(-decimals, Math.floor(Math.log10(value)) - 1);
  return new Dec(Math.round(value / magnitude)).times(new Dec(magnitude));
}

/**
 * Per-period target overrides, for every month from the first month of data to the end of the
 * current fiscal year:
 * - ARR: the plan (a smooth monthly growth curve from the first month's ARR to just under
 *   today's, so the north star is on plan now and was behind or ahead along the way);
 * - monthly KPIs with a trend (volumes that grow with the business, costs and times that
 *   improve): each past fiscal year's target follows the trend back from the current one, so a
 *   target was always within reach (sometimes missed) rather than years out of reach; a
 *   computing parent's target combines its children's by its rollup, year by year;
 * - the quarter-end quotas of the new-ARR cascade (factor x the year's target).
 * Overrides equal to the default target are left out.
 */
function buildTargets(
  generated: readonly GeneratedKpi[],
  arr: readonly number[],
  months: readonly string[],
  today: string,
): SeedTarget[] {
  const targets: SeedTarget[] = [];
  const first = months[0];
  const current = months[months.length - 1];
  const arrFirst = arr[0];
  const arrNow = arr[arr.length - 1];
  if (!first || !current || arrFirst === undefined || arrNow === undefined) return targets;
  const fyStart = periodStart(today, 'year', DEMO_ORG.fyStartMonth);
  const fyEnd = periodEndExclusive(fyStart, 'year');
  const planMonths: string[] = [];
  for (let m = first; m < fyEnd; m = addMonths(m, 1)) planMonths.push(m);
  const planNow = arrNow * 0.99;
  const growth = (planNow / arrFirst) ** (1 / (months.length - 1)) - 1;

  const childrenOf = new Map<string, GeneratedKpi[]>();
  for (const g of generated) {
    if (g.spec.parent === null) continue;
    childrenOf.set(g.spec.parent, [...(childrenOf.get(g.spec.parent) ?? []), g]);
  }
  /**
   * The target of the fiscal year `yearsBack` years before the current one (null: the default).
   * A computing parent's is its children's combined by its own rollup (a sum parent's the sum).
   */
  const yearTarget = (g: GeneratedKpi, yearsBack: number): DecValue | null => {
    if (yearsBack <= 0 || g.spec.cadence !== 'month') return null;
    if (g.spec.rollup !== 'manual') {
      const kids = childrenOf.get(g.spec.key) ?? [];
      const own = kids.map((k) => yearTarget(k, yearsBack));
      if (kids.length === 0 || own.every((t) => t === null)) return null;
      const values = kids.map((k, i) => own[i] ?? new Dec(k.spec.target));
      const weights = kids.map((k) => new Dec(k.spec.weight ?? '1'));
      const total = (list: DecValue[]) => list.reduce((a, v) => a.plus(v), new Dec(0));
      switch (g.spec.rollup) {
        case 'sum':
          return total(values);
        case 'min':
          return Dec.min(...values);
        case 'max':
          return Dec.max(...values);
        case 'average':
          return planRound(total(values).div(values.length).toNumber(), g.spec.decimals);
        case 'weighted_average':
          return planRound(
            total(values.map((v, i) => v.times(weights[i] ?? 1)))
              .div(total(weights))
              .toNumber(),
            g.spec.decimals,
          );
        default:
          return null;
      }
    }
    const series = g.spec.series;
    if (!series || series.derived || series.trend === 0) return null;
    const factor = (1 + series.trend) ** (-12 * yearsBack);
    return planRound(Number(g.spec.target) * factor, g.spec.decimals);
  };

  for (const g of generated) {
    if (g.spec.series?.derived === 'arr') {
      planMonths.forEach((m, i) => {
        const offset = i - (months.length - 1);
        // Whole thousands, as a plan would be written.
        const plan = Math.round((planNow * (1 + growth) ** offset) / 1000) * 1000;
        targets.push({ kpiId: g.row.id, periodStart: m, target: String(plan) });
      });
      continue;
    }
    const factor = g.spec.quarterEndTargetFactor;
    const byYear = new Map<string, DecValue | null>();
    for (const m of planMonths) {
      const year = periodStart(m, 'year', DEMO_ORG.fyStartMonth);
      if (!byYear.has(year)) {
        const yearsBack = Math.round(
          (Date.parse(fyStart) - Date.parse(year)) / (365.25 * 24 * 3600 * 1000),
        );
        byYear.set(year, yearTarget(g, yearsBack));
      }
      const base = byYear.get(year) ?? null;
      const quarterEnd =
        factor !== undefined &&
        addMonths(periodStart(m, 'quarter', DEMO_ORG.fyStartMonth), 2) === m;
      if (base === null && !quarterEnd) continue;
      const target = (base ?? new Dec(g.spec.target)).times(new Dec(quarterEnd ? factor : '1'));
      targets.push({ kpiId: g.row.id, periodStart: m, target: toPlainString(target) });
    }
  }
  return targets;
}
