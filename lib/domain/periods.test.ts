import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dateParts, daysBetween } from '@/lib/domain/dates';
import {
  CADENCES,
  cadenceMonths,
  elapsedFraction,
  enclosingPeriodStarts,
  fiscalQuarterOf,
  fiscalYearOf,
  isCadenceNoLongerThan,
  isOpenPeriod,
  nextPeriodStart,
  periodContains,
  periodEndExclusive,
  periodLabel,
  periodStart,
  periodStartsInRange,
  previousPeriodStart,
  subPeriodStarts,
} from '@/lib/domain/periods';
import type { Cadence } from '@/lib/domain/periods';
import { fyStartMonthArb, isoDateArb } from '@/lib/domain/test-arbitraries';

const cadenceArb = fc.constantFrom<Cadence>(...CADENCES);

describe('cadences', () => {
  it('lists month, quarter, year, shortest first', () => {
    expect(CADENCES).toEqual(['month', 'quarter', 'year']);
    expect(CADENCES.map(cadenceMonths)).toEqual([1, 3, 12]);
  });

  it.each([
    ['month', 'month', true],
    ['month', 'quarter', true],
    ['month', 'year', true],
    ['quarter', 'month', false],
    ['quarter', 'quarter', true],
    ['quarter', 'year', true],
    ['year', 'month', false],
    ['year', 'quarter', false],
    ['year', 'year', true],
  ] as const)('isCadenceNoLongerThan(%s, %s) = %s', (child, parent, expected) => {
    expect(isCadenceNoLongerThan(child, parent)).toBe(expected);
  });
});

describe('periodStart', () => {
  it.each([
    // fiscal year = calendar year
    ['2026-02-15', 1, '2026-02-01', '2026-01-01', '2026-01-01'],
    ['2026-05-31', 1, '2026-05-01', '2026-04-01', '2026-01-01'],
    ['2026-12-31', 1, '2026-12-01', '2026-10-01', '2026-01-01'],
    ['2026-01-01', 1, '2026-01-01', '2026-01-01', '2026-01-01'],
    ['2024-02-29', 1, '2024-02-01', '2024-01-01', '2024-01-01'],
    // April fiscal year: quarters Apr, Jul, Oct, Jan
    ['2026-02-15', 4, '2026-02-01', '2026-01-01', '2025-04-01'],
    ['2026-03-31', 4, '2026-03-01', '2026-01-01', '2025-04-01'],
    ['2026-04-01', 4, '2026-04-01', '2026-04-01', '2026-04-01'],
    ['2026-06-30', 4, '2026-06-01', '2026-04-01', '2026-04-01'],
    ['2026-09-15', 4, '2026-09-01', '2026-07-01', '2026-04-01'],
    ['2026-12-01', 4, '2026-12-01', '2026-10-01', '2026-04-01'],
    // July fiscal year: quarters Jul, Oct, Jan, Apr
    ['2026-06-30', 7, '2026-06-01', '2026-04-01', '2025-07-01'],
    ['2026-07-01', 7, '2026-07-01', '2026-07-01', '2026-07-01'],
    ['2026-08-10', 7, '2026-08-01', '2026-07-01', '2026-07-01'],
    ['2026-11-11', 7, '2026-11-01', '2026-10-01', '2026-07-01'],
    ['2027-01-05', 7, '2027-01-01', '2027-01-01', '2026-07-01'],
    // December fiscal year: quarters Dec, Mar, Jun, Sep
    ['2026-01-15', 12, '2026-01-01', '2025-12-01', '2025-12-01'],
    ['2026-02-28', 12, '2026-02-01', '2025-12-01', '2025-12-01'],
    ['2026-03-01', 12, '2026-03-01', '2026-03-01', '2025-12-01'],
    ['2026-11-30', 12, '2026-11-01', '2026-09-01', '2025-12-01'],
    ['2026-12-01', 12, '2026-12-01', '2026-12-01', '2026-12-01'],
    ['2024-02-29', 12, '2024-02-01', '2023-12-01', '2023-12-01'],
    // February fiscal year: quarters Feb, May, Aug, Nov
    ['2026-01-31', 2, '2026-01-01', '2025-11-01', '2025-02-01'],
    ['2026-02-01', 2, '2026-02-01', '2026-02-01', '2026-02-01'],
    // the earliest accepted date with a fiscal year that started the year before
    ['1900-01-01', 12, '1900-01-01', '1899-12-01', '1899-12-01'],
  ])('%s with FY from month %i: month %s, quarter %s, year %s', (date, fy, m, q, y) => {
    expect(periodStart(date, 'month', fy)).toBe(m);
    expect(periodStart(date, 'quarter', fy)).toBe(q);
    expect(periodStart(date, 'year', fy)).toBe(y);
    expect(enclosingPeriodStarts(date, fy)).toEqual({ month: m, quarter: q, year: y });
  });

  it.each([0, 13, 1.5, -1, NaN])('refuses fiscal-year start month %s', (fy) => {
    expect(() => periodStart('2026-01-01', 'quarter', fy)).toThrow(RangeError);
  });

  it('refuses a malformed date', () => {
    expect(() => periodStart('2026-02-30', 'month', 1)).toThrow(RangeError);
  });
});

describe('period navigation', () => {
  it.each([
    ['2026-01-01', 'month', '2026-02-01', '2025-12-01'],
    ['2026-12-01', 'month', '2027-01-01', '2026-11-01'],
    ['2026-01-01', 'quarter', '2026-04-01', '2025-10-01'],
    ['2025-12-01', 'quarter', '2026-03-01', '2025-09-01'],
    ['2026-04-01', 'year', '2027-04-01', '2025-04-01'],
  ] as const)('%s (%s): next %s, previous %s', (start, cadence, next, prev) => {
    expect(periodEndExclusive(start, cadence)).toBe(next);
    expect(nextPeriodStart(start, cadence)).toBe(next);
    expect(previousPeriodStart(start, cadence)).toBe(prev);
  });

  it('refuses a start that is not the first of a month', () => {
    expect(() => periodEndExclusive('2026-01-15', 'month')).toThrow(RangeError);
    expect(() => previousPeriodStart('2026-01-15', 'month')).toThrow(RangeError);
  });

  it.each([
    ['2026-01-01', 'month', '2026-01-01', true],
    ['2026-01-01', 'month', '2026-01-31', true],
    ['2026-01-01', 'month', '2026-02-01', false],
    ['2026-01-01', 'month', '2025-12-31', false],
    ['2024-02-01', 'month', '2024-02-29', true],
    ['2025-12-01', 'quarter', '2026-02-28', true],
    ['2025-12-01', 'quarter', '2026-03-01', false],
    ['2025-04-01', 'year', '2026-03-31', true],
    ['2025-04-01', 'year', '2026-04-01', false],
  ] as const)('periodContains(%s, %s, %s) = %s', (start, cadence, date, expected) => {
    expect(periodContains(start, cadence, date)).toBe(expected);
  });
});

describe('periodStartsInRange', () => {
  it.each([
    ['2026-01-15', '2026-03-02', 'month', 1, ['2026-01-01', '2026-02-01', '2026-03-01']],
    ['2026-01-15', '2026-01-20', 'month', 1, ['2026-01-01']],
    ['2026-02-15', '2026-08-01', 'quarter', 4, ['2026-01-01', '2026-04-01', '2026-07-01']],
    ['2026-02-15', '2026-08-01', 'quarter', 12, ['2025-12-01', '2026-03-01', '2026-06-01']],
    ['2025-01-01', '2026-12-31', 'year', 7, ['2024-07-01', '2025-07-01', '2026-07-01']],
    ['2026-03-31', '2026-04-01', 'year', 4, ['2025-04-01', '2026-04-01']],
    ['2026-03-01', '2026-02-01', 'month', 1, []],
  ] as const)('%s .. %s by %s (FY %i)', (from, to, cadence, fy, expected) => {
    expect(periodStartsInRange(from, to, cadence, fy)).toEqual(expected);
  });

  it('lists consecutive periods covering the range, ascending', () => {
    fc.assert(
      fc.property(
        isoDateArb,
        fc.integer({ min: 0, max: 800 }),
        cadenceArb,
        fyStartMonthArb,
        (from, span, cadence, fy) => {
          const to = addDays(from, span);
          const starts = periodStartsInRange(from, to, cadence, fy);
          expect(starts.length).toBeGreaterThan(0);
          expect(periodContains(starts[0]!, cadence, from)).toBe(true);
          expect(periodContains(starts.at(-1)!, cadence, to)).toBe(true);
          starts.slice(1).forEach((s, i) => {
            expect(s).toBe(nextPeriodStart(starts[i]!, cadence));
          });
        },
      ),
    );
  });
});

describe('subPeriodStarts', () => {
  it.each([
    ['2026-01-01', 'quarter', 'month', ['2026-01-01', '2026-02-01', '2026-03-01']],
    ['2025-12-01', 'quarter', 'month', ['2025-12-01', '2026-01-01', '2026-02-01']],
    ['2025-04-01', 'year', 'quarter', ['2025-04-01', '2025-07-01', '2025-10-01', '2026-01-01']],
    ['2026-03-01', 'month', 'month', ['2026-03-01']],
    ['2026-01-01', 'quarter', 'quarter', ['2026-01-01']],
  ] as const)('%s %s into %s', (start, parent, child, expected) => {
    expect(subPeriodStarts(start, parent, child)).toEqual(expected);
  });

  it('has 12 months in a year', () => {
    const months = subPeriodStarts('2025-07-01', 'year', 'month');
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2025-07-01');
    expect(months[11]).toBe('2026-06-01');
  });

  it.each([
    ['quarter', 'month'],
    ['year', 'month'],
    ['year', 'quarter'],
  ] as const)('throws for a %s child inside a %s', (child, parent) => {
    expect(() => subPeriodStarts('2026-01-01', parent, child)).toThrow(RangeError);
  });

  it('partitions the parent period into aligned child periods', () => {
    fc.assert(
      fc.property(isoDateArb, fyStartMonthArb, cadenceArb, cadenceArb, (date, fy, a, b) => {
        const [child, parent] = cadenceMonths(a) <= cadenceMonths(b) ? [a, b] : [b, a];
        const parentStart = periodStart(date, parent, fy);
        const children = subPeriodStarts(parentStart, parent, child);
        expect(children).toHaveLength(cadenceMonths(parent) / cadenceMonths(child));
        expect(children[0]).toBe(parentStart);
        expect(periodEndExclusive(children.at(-1)!, child)).toBe(
          periodEndExclusive(parentStart, parent),
        );
        children.forEach((c, i) => {
          expect(periodStart(c, child, fy)).toBe(c);
          if (i > 0) expect(c).toBe(periodEndExclusive(children[i - 1]!, child));
        });
        // the date's own child period is one of them
        expect(children).toContain(periodStart(date, child, fy));
        const days = children.reduce((n, c) => n + daysBetween(c, periodEndExclusive(c, child)), 0);
        expect(days).toBe(daysBetween(parentStart, periodEndExclusive(parentStart, parent)));
      }),
    );
  });
});

describe('periods: properties', () => {
  it('every date lies in exactly one period of each cadence, and periodStart is idempotent', () => {
    fc.assert(
      fc.property(isoDateArb, cadenceArb, fyStartMonthArb, (date, cadence, fy) => {
        const start = periodStart(date, cadence, fy);
        expect(dateParts(start).day).toBe(1);
        expect(start <= date).toBe(true);
        expect(periodContains(start, cadence, date)).toBe(true);
        expect(periodContains(previousPeriodStart(start, cadence), cadence, date)).toBe(false);
        expect(periodContains(nextPeriodStart(start, cadence), cadence, date)).toBe(false);
        expect(periodStart(start, cadence, fy)).toBe(start);
        const lastDay = addDays(periodEndExclusive(start, cadence), -1);
        expect(periodStart(lastDay, cadence, fy)).toBe(start);
        expect(previousPeriodStart(nextPeriodStart(start, cadence), cadence)).toBe(start);
        // quarters and years are aligned with the fiscal-year start month
        const offset = (dateParts(start).month - fy + 12) % 12;
        expect(offset % cadenceMonths(cadence)).toBe(0);
      }),
    );
  });

  it('the enclosing year contains the quarter, which contains the month', () => {
    fc.assert(
      fc.property(isoDateArb, fyStartMonthArb, (date, fy) => {
        const { month, quarter, year } = enclosingPeriodStarts(date, fy);
        expect(year <= quarter && quarter <= month && month <= date).toBe(true);
        expect(periodContains(year, 'year', quarter)).toBe(true);
        expect(periodContains(quarter, 'quarter', month)).toBe(true);
        expect(subPeriodStarts(year, 'year', 'quarter')).toContain(quarter);
      }),
    );
  });
});

describe('periodLabel and fiscal naming', () => {
  it.each([
    ['2026-03-01', 'month', 1, 'Mar 2026'],
    ['2025-12-01', 'month', 4, 'Dec 2025'],
    ['2026-01-01', 'month', 7, 'Jan 2026'],
    // January fiscal year: FY2026 is calendar 2026
    ['2026-01-01', 'quarter', 1, 'Q1 FY2026'],
    ['2026-04-01', 'quarter', 1, 'Q2 FY2026'],
    ['2026-10-01', 'quarter', 1, 'Q4 FY2026'],
    ['2026-01-01', 'year', 1, 'FY2026'],
    // April fiscal year: Apr 2026 .. Mar 2027 is FY2027
    ['2026-04-01', 'quarter', 4, 'Q1 FY2027'],
    ['2026-07-01', 'quarter', 4, 'Q2 FY2027'],
    ['2026-10-01', 'quarter', 4, 'Q3 FY2027'],
    ['2027-01-01', 'quarter', 4, 'Q4 FY2027'],
    ['2026-01-01', 'quarter', 4, 'Q4 FY2026'],
    ['2026-04-01', 'year', 4, 'FY2027'],
    // July fiscal year: Jul 2025 .. Jun 2026 is FY2026
    ['2025-07-01', 'quarter', 7, 'Q1 FY2026'],
    ['2025-10-01', 'quarter', 7, 'Q2 FY2026'],
    ['2026-01-01', 'quarter', 7, 'Q3 FY2026'],
    ['2026-04-01', 'quarter', 7, 'Q4 FY2026'],
    ['2025-07-01', 'year', 7, 'FY2026'],
    // December fiscal year: Dec 2025 .. Nov 2026 is FY2026
    ['2025-12-01', 'quarter', 12, 'Q1 FY2026'],
    ['2026-03-01', 'quarter', 12, 'Q2 FY2026'],
    ['2026-06-01', 'quarter', 12, 'Q3 FY2026'],
    ['2026-09-01', 'quarter', 12, 'Q4 FY2026'],
    ['2025-12-01', 'year', 12, 'FY2026'],
  ] as const)('periodLabel(%s, %s, FY %i) = %s', (start, cadence, fy, label) => {
    expect(periodLabel(start, cadence, fy, 'en-US')).toBe(label);
  });

  it.each([
    // Months as Intl writes them in each locale (en-GB abbreviates September as Sept).
    ['2026-12-01', 'month', 1, 'en-US', 'Dec 2026'],
    ['2026-12-01', 'month', 1, 'en-GB', 'Dec 2026'],
    ['2026-12-01', 'month', 1, 'de-DE', 'Dez. 2026'],
    ['2026-12-01', 'month', 1, 'fr-FR', 'déc. 2026'],
    ['2026-03-01', 'month', 1, 'de-DE', 'März 2026'],
    ['2026-01-01', 'month', 4, 'fr-FR', 'janv. 2026'],
    ['2026-09-01', 'month', 1, 'en-US', 'Sep 2026'],
    ['2026-09-01', 'month', 1, 'en-GB', 'Sept 2026'],
    // Quarters and fiscal years with each language's words (lib/domain/periods.ts FISCAL_WORDS).
    ['2026-10-01', 'quarter', 1, 'en-GB', 'Q4 FY2026'],
    ['2026-10-01', 'quarter', 1, 'de-DE', 'Q4 GJ2026'],
    ['2026-10-01', 'quarter', 1, 'fr-FR', 'T4 EX2026'],
    ['2026-04-01', 'quarter', 4, 'de-DE', 'Q1 GJ2027'],
    ['2026-04-01', 'year', 4, 'en-GB', 'FY2027'],
    ['2026-04-01', 'year', 4, 'de-DE', 'GJ2027'],
    ['2026-04-01', 'year', 4, 'fr-FR', 'EX2027'],
    // A language without words of its own falls back to English; its months still come from Intl.
    ['2026-10-01', 'quarter', 1, 'es-ES', 'Q4 FY2026'],
    ['2026-12-01', 'month', 1, 'es-ES', 'dic 2026'],
  ] as const)('periodLabel(%s, %s, FY %i, %s) = %s', (start, cadence, fy, locale, label) => {
    expect(periodLabel(start, cadence, fy, locale)).toBe(label);
  });

  it('a month label is what Intl prints for the locale (month short, numeric year)', () => {
    for (const locale of ['en-US', 'en-GB', 'de-DE', 'fr-FR']) {
      const intl = new Intl.DateTimeFormat(locale, {
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(Date.UTC(2026, 10, 1)));
      expect(periodLabel('2026-11-01', 'month', 1, locale)).toBe(intl);
    }
  });

  it.each([
    ['2026-03-15', 'month', 1],
    ['2026-02-01', 'quarter', 1],
    ['2026-01-01', 'year', 4],
  ] as const)('periodLabel refuses %s as a %s start (FY %i)', (start, cadence, fy) => {
    expect(() => periodLabel(start, cadence, fy, 'en-US')).toThrow(RangeError);
  });

  it('labels all months of a year with every month name once', () => {
    const labels = subPeriodStarts('2026-01-01', 'year', 'month').map((s) =>
      periodLabel(s, 'month', 1, 'en-US'),
    );
    expect(labels.map((l) => l.slice(0, 3))).toEqual([
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ]);
  });

  it.each([
    ['2026-03-31', 4, 2026, 4],
    ['2026-04-01', 4, 2027, 1],
    ['2026-12-31', 1, 2026, 4],
    ['2026-11-30', 12, 2026, 4],
    ['2026-12-01', 12, 2027, 1],
  ])('%s with FY from month %i is in FY%i, Q%i', (date, fy, year, quarter) => {
    expect(fiscalYearOf(date, fy)).toBe(year);
    expect(fiscalQuarterOf(date, fy)).toBe(quarter);
  });

  it('the quarters of a fiscal year are Q1..Q4 of the same FY as the year label', () => {
    fc.assert(
      fc.property(isoDateArb, fyStartMonthArb, (date, fy) => {
        const year = periodStart(date, 'year', fy);
        const yearLabel = periodLabel(year, 'year', fy, 'en-US');
        const quarterLabels = subPeriodStarts(year, 'year', 'quarter').map((q) =>
          periodLabel(q, 'quarter', fy, 'en-US'),
        );
        expect(quarterLabels).toEqual([1, 2, 3, 4].map((n) => `Q${n} ${yearLabel}`));
        // the fiscal year is named by the calendar year in which it ends
        const lastDay = addDays(periodEndExclusive(year, 'year'), -1);
        expect(yearLabel).toBe(`FY${dateParts(lastDay).year}`);
      }),
    );
  });
});

describe('elapsedFraction and isOpenPeriod', () => {
  it.each([
    ['2026-03-01', 'month', '2026-02-28', 0, false],
    ['2026-03-01', 'month', '2026-03-01', 1 / 31, true],
    ['2026-03-01', 'month', '2026-03-16', 16 / 31, true],
    ['2026-03-01', 'month', '2026-03-31', 1, true],
    ['2026-03-01', 'month', '2026-04-01', 1, false],
    ['2026-03-01', 'month', '2030-01-01', 1, false],
    ['2024-02-01', 'month', '2024-02-15', 15 / 29, true],
    ['2025-02-01', 'month', '2025-02-14', 0.5, true],
    ['2024-02-01', 'month', '2024-02-29', 1, true],
    ['2026-01-01', 'quarter', '2026-02-14', 0.5, true],
    ['2024-01-01', 'year', '2024-07-01', 0.5, true],
    ['2025-01-01', 'year', '2025-01-01', 1 / 365, true],
    ['2023-04-01', 'year', '2023-04-01', 1 / 366, true],
    ['2023-04-01', 'year', '2024-03-31', 1, true],
    ['2023-04-01', 'year', '2024-04-01', 1, false],
    ['2023-04-01', 'year', '2022-04-01', 0, false],
  ] as const)('%s (%s) on %s: %d elapsed, open %s', (start, cadence, today, fraction, open) => {
    expect(elapsedFraction(start, cadence, today)).toBeCloseTo(fraction, 12);
    expect(isOpenPeriod(start, cadence, today)).toBe(open);
  });

  it('is 0..1, non-decreasing in today, and open exactly when strictly inside (0, 1] by days', () => {
    fc.assert(
      fc.property(
        isoDateArb,
        cadenceArb,
        fyStartMonthArb,
        fc.integer({ min: -400, max: 400 }),
        (date, cadence, fy, shift) => {
          const start = periodStart(date, cadence, fy);
          const today = addDays(date, shift);
          const f = elapsedFraction(start, cadence, today);
          const g = elapsedFraction(start, cadence, addDays(today, 1));
          expect(f).toBeGreaterThanOrEqual(0);
          expect(f).toBeLessThanOrEqual(1);
          expect(g).toBeGreaterThanOrEqual(f);
          expect(isOpenPeriod(start, cadence, today)).toBe(periodContains(start, cadence, today));
          if (isOpenPeriod(start, cadence, today)) expect(f).toBeGreaterThan(0);
        },
      ),
    );
  });
});
