import { describe, expect, it } from 'vitest';
import { valueChange } from '@/lib/domain/report';
import { comparisonFor, dateRangeLabel, valuesToDate } from './like-for-like';
import { nextTestCheckin, testKpi } from './test-cascade-arbitraries';

/** Intl's range dash in English: an en dash between thin spaces. */
const TO = '\u2009\u2013\u2009';

describe('dateRangeLabel', () => {
  it('names a stretch compactly, as Intl writes a range in the locale', () => {
    expect(dateRangeLabel('2026-11-01', '2026-11-05', 'en-US')).toBe(`Nov 1${TO}5`);
    expect(dateRangeLabel('2026-11-01', '2026-11-01', 'en-US')).toBe('Nov 1');
    expect(dateRangeLabel('2026-07-01', '2026-09-04', 'en-US')).toBe(`Jul 1${TO}Sep 4`);
    expect(dateRangeLabel('2025-12-01', '2026-01-05', 'en-US')).toBe(`Dec 1, 2025${TO}Jan 5, 2026`);
  });
  it('writes the range the way en-GB, de-DE and fr-FR do', () => {
    expect(dateRangeLabel('2026-11-01', '2026-11-05', 'en-GB')).toBe(`1${TO}5 Nov`);
    expect(dateRangeLabel('2026-11-01', '2026-11-05', 'de-DE')).toBe('1.\u20135. Nov.');
    expect(dateRangeLabel('2026-11-01', '2026-11-05', 'fr-FR')).toBe('1\u20135 nov.');
    expect(dateRangeLabel('2026-11-01', '2026-11-01', 'de-DE')).toBe('1. Nov.');
    for (const locale of ['en-US', 'en-GB', 'de-DE', 'fr-FR']) {
      const intl = new Intl.DateTimeFormat(locale, {
        month: 'short',
        day: 'numeric',
        timeZone: 'UTC',
      });
      expect(dateRangeLabel('2026-07-01', '2026-09-04', locale)).toBe(
        intl.formatRange(new Date(Date.UTC(2026, 6, 1)), new Date(Date.UTC(2026, 8, 4))),
      );
    }
  });
});

describe('comparisonFor', () => {
  const december = { start: '2026-12-01', cadence: 'month' as const };
  it('compares the open period to date with the previous one up to the same day', () => {
    expect(comparisonFor(december, 1, '2026-12-05', 'en-US')).toEqual({
      start: '2026-11-01',
      to: '2026-11-06',
      toDate: true,
      label: `Nov 1${TO}5`,
    });
  });
  it("labels the comparison in the organization's locale", () => {
    expect(comparisonFor(december, 1, '2026-12-05', 'de-DE').label).toBe('1.\u20135. Nov.');
    expect(
      comparisonFor({ start: '2026-11-01', cadence: 'month' }, 1, '2026-12-05', 'de-DE').label,
    ).toBe('Okt. 2026');
    expect(
      comparisonFor({ start: '2026-11-01', cadence: 'month' }, 1, '2026-12-05', 'fr-FR').label,
    ).toBe('oct. 2026');
    expect(
      comparisonFor({ start: '2027-01-01', cadence: 'quarter' }, 4, '2027-04-05', 'de-DE').label,
    ).toBe('Q3 GJ2027');
  });
  it('compares a complete period with the complete one before it', () => {
    expect(
      comparisonFor({ start: '2026-11-01', cadence: 'month' }, 1, '2026-12-05', 'en-US'),
    ).toEqual({
      start: '2026-10-01',
      to: '2026-11-01',
      toDate: false,
      label: 'Oct 2026',
    });
  });
  it('clamps to the end of a shorter previous period (March 31 vs all of February)', () => {
    expect(
      comparisonFor({ start: '2026-03-01', cadence: 'month' }, 1, '2026-03-31', 'en-US'),
    ).toMatchObject({ start: '2026-02-01', to: '2026-03-01', toDate: false, label: 'Feb 2026' });
    expect(
      comparisonFor({ start: '2026-03-01', cadence: 'month' }, 1, '2026-03-28', 'en-US'),
    ).toMatchObject({ to: '2026-03-01', toDate: false });
    expect(
      comparisonFor({ start: '2026-03-01', cadence: 'month' }, 1, '2026-03-27', 'en-US'),
    ).toMatchObject({ to: '2026-02-28', toDate: true, label: `Feb 1${TO}27` });
  });
  it('works for quarters of the fiscal year', () => {
    expect(
      comparisonFor({ start: '2026-10-01', cadence: 'quarter' }, 4, '2026-12-05', 'en-US'),
    ).toEqual({
      start: '2026-07-01',
      to: '2026-09-05',
      toDate: true,
      label: `Jul 1${TO}Sep 4`,
    });
  });
});

describe('valuesToDate: like-for-like change', () => {
  const nov = comparisonFor({ start: '2026-12-01', cadence: 'month' }, 1, '2026-12-05', 'en-US');
  const kpis = [
    testKpi('arr', { timeAggregation: 'sum' }),
    testKpi('pipe', { timeAggregation: 'last' }),
    testKpi('nps', { timeAggregation: 'average' }),
    testKpi('team', { rollup: 'sum' }),
    testKpi('a', { parentId: 'team' }),
    testKpi('b', { parentId: 'team' }),
    testKpi('yearly', { cadence: 'year', timeAggregation: 'sum' }),
  ];
  const checkins = [
    nextTestCheckin('arr', '2026-11-02', '100'),
    nextTestCheckin('arr', '2026-11-05', '50'),
    nextTestCheckin('arr', '2026-11-20', '900'),
    nextTestCheckin('pipe', '2026-11-03', '7'),
    nextTestCheckin('pipe', '2026-11-30', '9'),
    nextTestCheckin('nps', '2026-11-01', '40'),
    nextTestCheckin('nps', '2026-11-04', '50'),
    nextTestCheckin('nps', '2026-11-25', '10'),
    nextTestCheckin('a', '2026-11-05', '3'),
    nextTestCheckin('b', '2026-11-06', '4'),
    nextTestCheckin('yearly', '2026-11-02', '5'),
    // Not in the stretch: December's own readings and October's.
    nextTestCheckin('arr', '2026-12-03', '120'),
    nextTestCheckin('arr', '2026-10-31', '999'),
  ];

  it("takes the previous period's readings up to the same day, not its total", () => {
    const prev = valuesToDate(kpis, checkins, nov, 'month', 1);
    expect(prev.get('arr')).toBe('150');
    expect(prev.get('pipe')).toBe('7');
    expect(prev.get('nps')).toBe('45');
    // Rolled up the cascade as stored values are: only a's reading is inside Nov 1-5.
    expect(prev.get('team')).toBe('3');
    expect(prev.get('yearly')).toBeNull();
  });

  it('so 4-5 days of December are compared with Nov 1-5, not with all of November', () => {
    const prev = valuesToDate(kpis, checkins, nov, 'month', 1);
    expect(valueChange('120', prev.get('arr') ?? null)).toBe('-30');
    const whole = comparisonFor(
      { start: '2026-11-01', cadence: 'month' },
      1,
      '2026-12-05',
      'en-US',
    );
    expect(valuesToDate(kpis, checkins, whole, 'month', 1).get('arr')).toBe('999');
    const november = comparisonFor(
      { start: '2026-12-01', cadence: 'month' },
      1,
      '2027-01-02',
      'en-US',
    );
    expect(valuesToDate(kpis, checkins, november, 'month', 1).get('arr')).toBe('1050');
  });

  it('combines a shorter cadence over a quarter to date by its own aggregation', () => {
    const q = comparisonFor({ start: '2027-01-01', cadence: 'quarter' }, 1, '2027-01-05', 'en-US');
    expect(q).toMatchObject({ start: '2026-10-01', to: '2026-10-06', label: `Oct 1${TO}5` });
    const october = [
      nextTestCheckin('arr', '2026-10-02', '10'),
      nextTestCheckin('arr', '2026-10-09', '20'),
    ];
    expect(valuesToDate(kpis, october, q, 'quarter', 1).get('arr')).toBe('10');
  });
});
