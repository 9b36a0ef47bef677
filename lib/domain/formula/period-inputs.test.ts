import { describe, expect, it } from 'vitest';
import { inputPeriodStarts, inputValueFor, shiftPeriod, type InputSeries } from './period-inputs';

const monthly = (
  agg: InputSeries['timeAggregation'],
  values: Record<string, string>,
): InputSeries => ({
  cadence: 'month',
  timeAggregation: agg,
  values: new Map(Object.entries(values)),
});

const read = (s: InputSeries) => (start: string) => s.values.get(start) ?? null;

describe('period semantics of formula inputs', () => {
  it('shifts periods back in the formula cadence', () => {
    expect(shiftPeriod('2026-03-01', 'month', 1)).toBe('2026-02-01');
    expect(shiftPeriod('2026-01-01', 'month', 12)).toBe('2025-01-01');
    expect(shiftPeriod('2026-04-01', 'quarter', 2)).toBe('2025-10-01');
    expect(shiftPeriod('2026-04-01', 'year', 1)).toBe('2025-04-01');
  });

  it('lists the input periods that make up a formula period, back n periods', () => {
    expect(inputPeriodStarts('2026-04-01', 'quarter', 'month', 0)).toEqual([
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
    ]);
    expect(inputPeriodStarts('2026-04-01', 'quarter', 'month', 1)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
    expect(inputPeriodStarts('2026-04-01', 'year', 'quarter', 0)).toEqual([
      '2026-04-01',
      '2026-07-01',
      '2026-10-01',
      '2027-01-01',
    ]);
    expect(() => inputPeriodStarts('2026-04-01', 'month', 'quarter', 0)).toThrow(RangeError);
  });

  it('a monthly sum input under a quarterly formula contributes its quarter total', () => {
    const sqls = monthly('sum', {
      '2026-01-01': '10',
      '2026-02-01': '20',
      '2026-03-01': '30',
      '2026-04-01': '5',
    });
    expect(inputValueFor(sqls, read(sqls), '2026-01-01', 'quarter', 0)).toBe('60');
    expect(inputValueFor(sqls, read(sqls), '2026-04-01', 'quarter', 0)).toBe('5');
    expect(inputValueFor(sqls, read(sqls), '2026-04-01', 'quarter', 1)).toBe('60');
    expect(inputValueFor(sqls, read(sqls), '2026-07-01', 'quarter', 0)).toBeNull();
  });

  it('last takes the latest month with a value; average the mean of those that have one', () => {
    const cash = monthly('last', { '2026-01-01': '100', '2026-02-01': '90' });
    expect(inputValueFor(cash, read(cash), '2026-01-01', 'quarter', 0)).toBe('90');
    const nps = monthly('average', { '2026-01-01': '10', '2026-03-01': '21' });
    expect(inputValueFor(nps, read(nps), '2026-01-01', 'quarter', 0)).toBe('15.5');
  });

  it('a ratio input pair gives quarter totals (the formula divides totals, not monthly ratios)', () => {
    const sqls = monthly('sum', { '2026-01-01': '1', '2026-02-01': '9' });
    const mqls = monthly('sum', { '2026-01-01': '10', '2026-02-01': '30' });
    expect(inputValueFor(sqls, read(sqls), '2026-01-01', 'quarter', 0)).toBe('10');
    expect(inputValueFor(mqls, read(mqls), '2026-01-01', 'quarter', 0)).toBe('40');
  });

  it('follows the fiscal year: a quarter starting in February', () => {
    const v = monthly('sum', {
      '2026-02-01': '1',
      '2026-03-01': '2',
      '2026-04-01': '4',
      '2026-05-01': '8',
    });
    expect(inputValueFor(v, read(v), '2026-02-01', 'quarter', 0)).toBe('7');
    expect(inputValueFor(v, read(v), '2026-05-01', 'quarter', 1)).toBe('7');
  });
});
