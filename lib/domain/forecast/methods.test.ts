import { describe, expect, it } from 'vitest';
import { toDec } from '@/lib/domain/decimal';
import {
  naiveForecast,
  pastErrors,
  quantile,
  seasonalForecast,
  toSeries,
  trendForecast,
} from './methods';

const s = (...v: (number | null)[]) => toSeries(v.map((x) => (x === null ? null : String(x))));

describe('forecast methods', () => {
  it('naive: the last value, skipping gaps', () => {
    expect(naiveForecast(s(1, 2, null))?.toFixed()).toBe('2');
    expect(naiveForecast(s(null))).toBeNull();
  });

  it('trend: continues a straight line exactly; falls back to naive with under three values', () => {
    expect(trendForecast(s(10, 12, 14, 16))?.toFixed()).toBe('18');
    expect(trendForecast(s(10, null, 14, 16))?.toFixed()).toBe('18');
    expect(trendForecast(s(5, 7))?.toFixed()).toBe('7');
  });

  it('seasonal: last year scaled by year-on-year growth of the last three periods', () => {
    const lastYear = [100, 100, 100, 100, 100, 100, 100, 100, 100, 200, 100, 100];
    const thisYear = [110, 110, 110, 110, 110, 110, 110, 110, 110];
    // next is month 10 of this year: 200 a year ago, growth 330 / 300 = 1.1
    expect(seasonalForecast(s(...lastYear, ...thisYear), 12)?.toFixed()).toBe('220');
    expect(seasonalForecast(s(1, 2, 3), 12)).toBeNull();
    expect(seasonalForecast(s(1, 2, 3, 4), 1)).toBeNull();
  });

  it('past errors and their quantile', () => {
    const errors = pastErrors('naive', s(100, 100, 100, 50, 100), 12);
    expect(errors).toEqual([1, 0.5]);
    expect(quantile([0.1, 0.5, 0.2, 0.9, 0.3], 0.8)).toBe(0.5);
    expect(quantile([], 0.8)).toBeNull();
    expect(toDec('1').eq(1)).toBe(true);
  });
});
