import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '@/lib/domain/dates';
import { runBacktest } from './backtest';

const months = (values: number[]) =>
  new Map(values.map((v, i) => [addMonths('2024-01-01', i), String(v)]));

describe('runBacktest', () => {
  it('scores every method on the same periods, next to the naive forecast', () => {
    // a straight line: the trend is exact, the naive forecast always one step behind
    const line = Array.from({ length: 12 }, (_, i) => 100 + 10 * i);
    const { start } = runBacktest(
      [{ cadence: 'month', timeAggregation: 'last', values: months(line) }],
      '2024-01-01',
    );
    const by = Object.fromEntries(start.map((s) => [s.method, s]));
    expect(by.trend?.mape).toBeCloseTo(0, 10);
    expect(by.projection?.mape).toBeCloseTo(0, 10);
    expect(by.naive?.mape).toBeGreaterThan(0.05);
    expect(new Set(start.map((s) => s.n))).toEqual(new Set([9]));
  });

  it('replays flows half-way through their periods from their check-ins', () => {
    const values = Array.from({ length: 8 }, () => 100);
    const checkins = values.flatMap((_, i) => [
      { observedOn: addDays(addMonths('2024-01-01', i), 4), value: '50' },
      { observedOn: addDays(addMonths('2024-01-01', i), 24), value: '50' },
    ]);
    const { midPeriod } = runBacktest(
      [{ cadence: 'month', timeAggregation: 'sum', values: months(values), checkins }],
      '2024-01-01',
    );
    const by = Object.fromEntries(midPeriod.map((s) => [s.method, s]));
    expect(by.naive?.mape).toBe(0);
    expect(by.projection?.n).toBe(5);
    expect(by.run_rate?.mape).toBeGreaterThan(0);
  });
});
