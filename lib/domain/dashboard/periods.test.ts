import { describe, expect, it } from 'vitest';
import {
  lastCompletePeriod,
  listPeriodOptions,
  openPeriod,
  readDashboardPeriod,
  resolveDashboardPeriod,
  trendPeriodStarts,
} from './periods';

const calendar = { fyStartMonth: 1, timeZone: 'UTC', locale: 'en-US' };
const fyApril = { fyStartMonth: 4, timeZone: 'UTC', locale: 'en-US' };
const today = '2026-11-17';

describe('resolveDashboardPeriod', () => {
  it('reads a past month: closed, as of its last day', () => {
    expect(resolveDashboardPeriod('month-2026-09-01', calendar, today)).toEqual({
      key: 'month-2026-09-01',
      cadence: 'month',
      start: '2026-09-01',
      label: 'Sep 2026',
      isCurrent: false,
      asOf: '2026-09-30',
    });
  });

  it("labels the period in the organization's locale", () => {
    const de = { ...calendar, locale: 'de-DE' };
    expect(resolveDashboardPeriod('month-2026-09-01', de, today).label).toBe('Sept. 2026');
    expect(
      resolveDashboardPeriod('quarter-2026-07-01', { ...fyApril, locale: 'fr-FR' }, today).label,
    ).toBe('T2 EX2027');
    expect(
      listPeriodOptions({ ...calendar, locale: 'en-GB' }, today).map((o) => o.label),
    ).toContain('Sept 2026');
  });

  it('reads the current month: as of today', () => {
    expect(resolveDashboardPeriod('month-2026-11-01', calendar, today)).toMatchObject({
      key: 'month-2026-11-01',
      isCurrent: true,
      asOf: today,
    });
  });

  it('reads quarters and years of the fiscal year', () => {
    expect(resolveDashboardPeriod('quarter-2026-07-01', fyApril, today)).toMatchObject({
      cadence: 'quarter',
      label: 'Q2 FY2027',
      isCurrent: false,
      asOf: '2026-09-30',
    });
    expect(resolveDashboardPeriod('year-2026-04-01', fyApril, today)).toMatchObject({
      cadence: 'year',
      label: 'FY2027',
      isCurrent: true,
      asOf: today,
    });
  });

  // Without a valid choice the dashboard leads with the last complete month.
  const lastCompleteMonth = {
    key: 'month-2026-10-01',
    cadence: 'month',
    start: '2026-10-01',
    label: 'Oct 2026',
    isCurrent: false,
    asOf: '2026-10-31',
  };

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['an array', ['month-2026-09-01']],
    ['an unknown cadence', 'week-2026-11-01'],
    ['not the first of a month', 'month-2026-11-02'],
    ['a malformed date', 'month-2026-1-01'],
    ['trailing text', 'month-2026-11-01x'],
    ['leading text', 'xmonth-2026-11-01'],
    ['an impossible month', 'month-2026-13-01'],
    ['a month 00', 'month-2026-00-01'],
    ['in the future', 'month-2026-12-01'],
    ['a quarter not starting the fiscal quarter', 'quarter-2026-08-01'],
    ['a calendar year under an April fiscal year', 'year-2026-01-01'],
    ['year 0000', 'month-0000-01-01'],
    ['year 0001', 'year-0001-01-01'],
    ['a quarter of year 0001', 'quarter-0001-04-01'],
    ['year 1899', 'month-1899-12-01'],
  ])('falls back to the last complete month when %s', (_, raw) => {
    const org = raw === 'year-2026-01-01' || raw === 'quarter-2026-08-01' ? fyApril : calendar;
    expect(resolveDashboardPeriod(raw, org, today)).toEqual(lastCompleteMonth);
  });

  it('tells a refused parameter apart from none', () => {
    expect(readDashboardPeriod('month-0001-01-01', calendar, today)).toEqual({
      period: lastCompleteMonth,
      refused: true,
    });
    expect(readDashboardPeriod(undefined, calendar, today).refused).toBe(false);
    expect(readDashboardPeriod('', calendar, today).refused).toBe(false);
    expect(readDashboardPeriod('month-2026-09-01', calendar, today).refused).toBe(false);
  });

  it('falls back to the last complete month under any fiscal year setting', () => {
    expect(resolveDashboardPeriod('nonsense', fyApril, today).key).toBe('month-2026-10-01');
  });

  it('still reads the open month when it is chosen ("this period so far")', () => {
    expect(resolveDashboardPeriod('month-2026-11-01', calendar, today)).toMatchObject({
      isCurrent: true,
      asOf: today,
    });
  });

  it('leads with the same period every night of a month, and moves on when a month closes', () => {
    const on = (day: string) => resolveDashboardPeriod(undefined, calendar, day).key;
    expect(on('2026-12-05')).toBe('month-2026-11-01');
    expect(on('2026-12-06')).toBe('month-2026-11-01');
    expect(on('2026-12-31')).toBe('month-2026-11-01');
    expect(on('2027-01-01')).toBe('month-2026-12-01');
  });
});

describe('openPeriod and lastCompletePeriod', () => {
  it('name the open period and the one before it, per cadence and fiscal year', () => {
    expect(openPeriod('month', calendar, '2026-12-05')).toMatchObject({
      key: 'month-2026-12-01',
      isCurrent: true,
      asOf: '2026-12-05',
    });
    expect(lastCompletePeriod('quarter', fyApril, '2026-12-05')).toMatchObject({
      key: 'quarter-2026-07-01',
      isCurrent: false,
      asOf: '2026-09-30',
    });
    expect(lastCompletePeriod('year', fyApril, '2026-12-05').label).toBe('FY2026');
  });
});

describe('listPeriodOptions', () => {
  const options = listPeriodOptions(calendar, today);

  it('offers 12 months, 6 quarters and 3 years, newest first, the current one marked', () => {
    expect(options.filter((o) => o.cadence === 'month')).toHaveLength(12);
    expect(options.filter((o) => o.cadence === 'quarter').map((o) => o.key)).toEqual([
      'quarter-2026-10-01',
      'quarter-2026-07-01',
      'quarter-2026-04-01',
      'quarter-2026-01-01',
      'quarter-2025-10-01',
      'quarter-2025-07-01',
    ]);
    expect(options.filter((o) => o.cadence === 'year').map((o) => o.label)).toEqual([
      'FY2026',
      'FY2025',
      'FY2024',
    ]);
    expect(options.filter((o) => o.isCurrent).map((o) => o.key)).toEqual([
      'month-2026-11-01',
      'quarter-2026-10-01',
      'year-2026-01-01',
    ]);
  });

  it('goes back across the year boundary and every option resolves to itself', () => {
    const months = options.filter((o) => o.cadence === 'month');
    expect(months[0]!.key).toBe('month-2026-11-01');
    expect(months[11]!.key).toBe('month-2025-12-01');
    for (const o of options) expect(resolveDashboardPeriod(o.key, calendar, today).key).toBe(o.key);
  });
});

describe('trendPeriodStarts', () => {
  it('gives 12 months, 8 quarters or 5 years up to the one containing the date, oldest first', () => {
    const months = trendPeriodStarts('2026-03-15', 'month', 1);
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2025-04-01');
    expect(months[11]).toBe('2026-03-01');
    const quarters = trendPeriodStarts('2026-03-15', 'quarter', 4);
    expect(quarters).toHaveLength(8);
    expect(quarters[7]).toBe('2026-01-01');
    expect(quarters[0]).toBe('2024-04-01');
    expect(trendPeriodStarts('2026-03-15', 'year', 4)).toEqual([
      '2021-04-01',
      '2022-04-01',
      '2023-04-01',
      '2024-04-01',
      '2025-04-01',
    ]);
  });
});
