import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '@/lib/domain/dates';
import { toDec } from '@/lib/domain/decimal';
import { elapsedFraction } from '@/lib/domain/periods';
import { runBacktest } from './backtest';
import {
  arrivalSamples,
  arrivedShare,
  credibility,
  intraPeriodForecast,
  samePoint,
  SHAPE_PRIOR_PERIODS,
  toSeries,
  trendForecast,
  type Reading,
} from './methods';
import { projectKpi, type ForecastKpi } from './projection';
import { testAttributionKpi } from '@/lib/domain/attribution/test-kpis';

/*
 * The intra-period model of flows (issue 24, items 1 and 4): so far plus the share of the period
 * still to come, by the flow's own shape in its past periods, of the trend of whole periods.
 */

const months = (n: number, from = '2024-01-01') =>
  Array.from({ length: n }, (_, i) => addMonths(from, i));

describe('samePoint', () => {
  it('is the last day within the elapsed share, whatever the length of the period', () => {
    expect(samePoint('2026-06-01', 'month', 0.5)).toBe('2026-06-15'); // 15 of 30 days
    expect(samePoint('2026-07-01', 'month', 0.5)).toBe('2026-07-15'); // 15 of 31 days
    expect(samePoint('2026-01-01', 'quarter', 0.5)).toBe('2026-02-14'); // 45 of 90 days
    expect(samePoint('2026-07-01', 'month', 0)).toBe('2026-06-30'); // before the period
    // the open period's own point is today
    const today = '2026-07-19';
    expect(samePoint('2026-07-01', 'month', elapsedFraction('2026-07-01', 'month', today))).toBe(
      today,
    );
  });
});

describe('arrivedShare', () => {
  const sample = (total: number, soFar: number) => ({
    total: toDec(String(total)),
    soFar: toDec(String(soFar)),
  });

  it('the ratio of sums over past periods, shrunk towards the elapsed share', () => {
    const samples = [sample(100, 20), sample(300, 60), sample(100, 20)]; // 20% in by this point
    const n = samples.length;
    expect(arrivedShare(samples, 0.5)).toBeCloseTo(
      (n * 0.2 + SHAPE_PRIOR_PERIODS * 0.5) / (n + SHAPE_PRIOR_PERIODS),
      12,
    );
  });

  it('the elapsed share without usable history; within 0..1', () => {
    expect(arrivedShare([], 0.4)).toBe(0.4);
    expect(arrivedShare([sample(0, 0), sample(-5, 1)], 0.4)).toBe(0.4);
    const over = arrivedShare([sample(100, 150), sample(100, 150), sample(100, 150)], 0.5);
    expect(over).toBeLessThanOrEqual(1);
  });
});

/** A monthly flow whose total arrives in two readings: `first` of it on the 1st, the rest on the 20th. */
function flow(totals: number[], first: number): Reading[] {
  return months(totals.length).flatMap((m, i) => [
    { observedOn: m, value: String((totals[i] as number) * first) },
    { observedOn: addDays(m, 19), value: String((totals[i] as number) * (1 - first)) },
  ]);
}

describe('intraPeriodForecast', () => {
  it('a linear flow arriving evenly: the projection half-way through a period is exact', () => {
    // totals 100, 110, ... ; half of each month is in by its middle (a reading on the 1st)
    const totals = Array.from({ length: 13 }, (_, i) => 100 + 10 * i);
    const readings = flow(totals, 0.5);
    const starts = months(13);
    const open = starts[12] as string; // 2025-01-01, 31 days
    const elapsed = elapsedFraction(open, 'month', '2025-01-16'); // 16 of 31 days
    const past = starts.slice(0, 12).map((s, i) => ({ start: s, total: toDec(String(totals[i])) }));
    const arrived = arrivedShare(arrivalSamples(readings, past, 'month', elapsed), elapsed);
    const whole = trendForecast(toSeries(totals.slice(0, 12).map(String)));
    expect(whole?.toFixed()).toBe('220');
    // so far: the reading of the 1st, 110; half of every past month was in by the same point
    const soFar = toDec(String((totals[12] as number) * 0.5));
    const exactShare = arrivedShare(
      past.map((p) => ({ total: p.total, soFar: p.total.div(2) })),
      0.5,
    );
    expect(exactShare).toBe(0.5);
    expect(intraPeriodForecast(soFar, whole!, exactShare).toFixed()).toBe('220');
    // read from the readings themselves, the shape is the same half (shrunk a little to 16/31)
    expect(arrived).toBeCloseTo((12 * 0.5 + SHAPE_PRIOR_PERIODS * elapsed) / 14, 12);
  });

  it('a seasonal shape (most of a period arrives late): closer than the elapsed share', () => {
    // every quarter: 20% in its first month, 30% in the second, 50% at its end (a push)
    const quarters = Array.from({ length: 9 }, (_, i) => addMonths('2024-01-01', 3 * i));
    const totals = quarters.map((_, i) => 1000 + 400 * i);
    const readings: Reading[] = quarters.flatMap((q, i) => {
      const t = totals[i] as number;
      return [
        { observedOn: addDays(addMonths(q, 1), -1), value: String(0.2 * t) },
        { observedOn: addDays(addMonths(q, 2), -1), value: String(0.3 * t) },
        { observedOn: addDays(addMonths(q, 3), -1), value: String(0.5 * t) },
      ];
    });
    const values = new Map(quarters.map((q, i) => [q, String(totals[i])]));
    const { midPeriod } = runBacktest(
      [{ cadence: 'quarter', timeAggregation: 'sum', values, checkins: readings }],
      '2024-01-01',
    );
    const by = Object.fromEntries(midPeriod.map((s) => [s.method, s.mape]));
    // half-way, only the first month (20%) is in: the elapsed share (about 50%) reads it as
    // a weak quarter, the shape knows a fifth is what is usually in by then
    expect(by.projection).toBeLessThan((by.elapsed_share as number) / 2);
    expect(by.projection).toBeLessThan(by.naive as number);
    expect(by.run_rate).toBeGreaterThan(0.5);
  });
});

describe('credibility', () => {
  const sample = (total: number, soFar: number) => ({
    total: toDec(String(total)),
    soFar: toDec(String(soFar)),
  });

  it('weighs the value so far by how well it predicted past totals against the forecast', () => {
    const lumpy = [sample(100, 0), sample(100, 100), sample(100, 0), sample(100, 100)];
    const steady = [sample(100, 50), sample(100, 51), sample(100, 49), sample(100, 50)];
    const errors = [0.1, 0.1, 0.1, 0.1];
    // lumpy readings (all or nothing by mid-period) earn little weight, steady ones most of it
    expect(credibility(lumpy, 0.5, errors)).toBeLessThan(0.5);
    expect(credibility(steady, 0.5, errors)).toBeGreaterThan(0.5);
    // without history: the arrived share (the Bornhuetter-Ferguson estimate)
    expect(credibility([], 0.3, errors)).toBe(0.3);
    expect(credibility(steady, 0.3, [])).toBe(0.3);
    expect(intraPeriodForecast(toDec('30'), toDec('100'), 0.3, 0.3).toFixed()).toBe('100');
    expect(intraPeriodForecast(toDec('30'), toDec('80'), 0.3, 1).toFixed()).toBe('100');
    expect(intraPeriodForecast(toDec('30'), toDec('80'), 0, 0).toFixed()).toBe('80');
  });
});

describe('projectKpi with check-ins', () => {
  it('a linear flow arriving by halves: exact half-way through a 30-day month', () => {
    // totals 100, 110, ... 210 over the 12 months before June 2026, 220 due in June; half of
    // each month's total is recorded on its 1st, the rest on its 20th
    const open = '2026-06-01';
    const totals = Array.from({ length: 13 }, (_, i) => 100 + 10 * i);
    const starts = totals.map((_, i) => addMonths(open, i - 12));
    const checkins = starts.flatMap((m, i) => {
      const half = String((totals[i] as number) / 2);
      return i === 12
        ? [{ observedOn: m, value: half }]
        : [
            { observedOn: m, value: half },
            { observedOn: addDays(m, 19), value: half },
          ];
    });
    const values = new Map(starts.map((m, i) => [m, String(i === 12 ? 110 : totals[i])]));
    const flowKpi: ForecastKpi = {
      ...testAttributionKpi('orders', { values, ownTarget: () => '220' }),
      direction: 'increase',
      checkins,
    };
    // on the 15th, 15 of 30 days: half is in, as it always was by then
    const p = projectKpi([flowKpi], 'orders', open, '2026-06-15');
    expect(p.elapsed).toBe(0.5);
    expect(p).toMatchObject({ method: 'run_rate_and_trend', value: '220', low: '220' });
  });

  const START = '2026-12-01';
  const TODAY = '2026-12-16';
  const kpi = (checkins?: Reading[]): ForecastKpi => {
    const totals = [100, 100, 100, 100, 100, 100];
    const values = new Map<string, string>();
    totals.forEach((v, i) => values.set(addMonths(START, i - totals.length), String(v)));
    values.set(START, '10');
    return {
      ...testAttributionKpi('bookings', { values, ownTarget: () => '100' }),
      direction: 'increase',
      ...(checkins ? { checkins } : {}),
    };
  };

  it('reads the share still to come from the flow’s past periods', () => {
    // every past month: 10 by its middle, 90 on its last day
    const past = months(6, addMonths(START, -6)).flatMap((m) => [
      { observedOn: addDays(m, 4), value: '10' },
      { observedOn: addDays(addMonths(m, 1), -1), value: '90' },
    ]);
    const withShape = projectKpi(
      [kpi([...past, { observedOn: '2026-12-05', value: '10' }])],
      'bookings',
      START,
      TODAY,
    );
    const even = projectKpi([kpi()], 'bookings', START, TODAY);
    // evenly: 10 + 100 x 15/31, about 58 (off track); by the shape: about 10 + 100 x 0.68
    expect(Number(even.value)).toBeCloseTo(10 + (100 * 15) / 31, 3);
    const elapsed = 16 / 31;
    const arrived = (6 * 0.1 + SHAPE_PRIOR_PERIODS * elapsed) / (6 + SHAPE_PRIOR_PERIODS);
    // the trend never missed (every month 100): the run rate by the shape gets only the prior's
    // weight, 2 periods of `arrived` against 5 of 0 (5 past forecasts: the first month has
    // nothing before it)
    const weight = (SHAPE_PRIOR_PERIODS * arrived) / (5 + SHAPE_PRIOR_PERIODS);
    expect(Number(withShape.value)).toBeCloseTo(weight * (10 / arrived) + (1 - weight) * 100, 3);
    expect(Number(withShape.value)).toBeGreaterThan(90);
    expect(withShape.method).toBe('run_rate_and_trend');
  });
});
