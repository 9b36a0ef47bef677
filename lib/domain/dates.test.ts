import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  compareDates,
  dateParts,
  daysBetween,
  daysInMonth,
  isLeapYear,
  isValidTimeZone,
  isoDate,
  parseIsoDate,
  todayInTimeZone,
} from '@/lib/domain/dates';
import { isoDateArb } from '@/lib/domain/test-arbitraries';

describe('parseIsoDate', () => {
  it.each([
    '2025-01-01',
    '2025-12-31',
    '2024-02-29',
    '2000-02-29',
    '1900-01-01',
    '2999-12-31',
    '2025-04-30',
  ])('accepts %s', (raw) => {
    expect(parseIsoDate(raw)).toEqual({ ok: true, value: raw });
  });

  it('trims surrounding whitespace', () => {
    expect(parseIsoDate(' 2025-03-01\n')).toEqual({ ok: true, value: '2025-03-01' });
  });

  const FORMAT = 'Enter a date as YYYY-MM-DD, such as 2026-03-31';
  it.each([
    ['', FORMAT],
    ['infinity', FORMAT],
    ['-infinity', FORMAT],
    ['epoch', FORMAT],
    ['today', FORMAT],
    ['2025-1-05', FORMAT],
    ['2025/01/05', FORMAT],
    ['05.01.2025', FORMAT],
    ['20250105', FORMAT],
    ['2025-01-05T00:00:00Z', FORMAT],
    ['+02025-01-05', FORMAT],
    ['2025-01-5', FORMAT],
    ['１２３４-01-01', FORMAT],
    ['1899-12-31', 'Enter a year between 1900 and 2999'],
    ['3000-01-01', 'Enter a year between 1900 and 2999'],
    ['0000-01-01', 'Enter a year between 1900 and 2999'],
    ['2025-13-01', 'Enter a month from 01 to 12'],
    ['2025-00-10', 'Enter a month from 01 to 12'],
    ['2025-02-30', 'That day does not exist in that month'],
    ['2025-02-29', 'That day does not exist in that month'],
    ['1900-02-29', 'That day does not exist in that month'],
    ['2100-02-29', 'That day does not exist in that month'],
    ['2025-04-31', 'That day does not exist in that month'],
    ['2025-01-00', 'That day does not exist in that month'],
    ['2025-01-32', 'That day does not exist in that month'],
  ])('refuses %j', (raw, error) => {
    expect(parseIsoDate(raw)).toEqual({ ok: false, error });
  });

  it('accepts exactly the dates that Date.UTC round-trips', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2999 }),
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 0, max: 33 }),
        (y, m, d) => {
          const raw = isoDate(y, m, d);
          const utc = new Date(Date.UTC(y, m - 1, d));
          const real =
            m >= 1 &&
            d >= 1 &&
            utc.getUTCFullYear() === y &&
            utc.getUTCMonth() === m - 1 &&
            utc.getUTCDate() === d;
          expect(parseIsoDate(raw).ok).toBe(real);
        },
      ),
    );
  });
});

describe('calendar helpers', () => {
  it.each([
    [2024, true],
    [2025, false],
    [2000, true],
    [1900, false],
    [2100, false],
    [2400, true],
  ])('isLeapYear(%i) = %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });

  it.each([
    [2024, 2, 29],
    [2025, 2, 28],
    [2025, 1, 31],
    [2025, 4, 30],
    [2025, 6, 30],
    [2025, 9, 30],
    [2025, 11, 30],
    [2025, 12, 31],
    [2025, 7, 31],
  ])('daysInMonth(%i, %i) = %i', (y, m, n) => {
    expect(daysInMonth(y, m)).toBe(n);
  });

  it('dateParts splits valid dates and throws on invalid ones', () => {
    expect(dateParts('2026-03-09')).toEqual({ year: 2026, month: 3, day: 9 });
    expect(() => dateParts('2026-02-30')).toThrow(RangeError);
    expect(() => dateParts('2026-3-9')).toThrow(RangeError);
  });

  it('isoDate pads and refuses impossible years', () => {
    expect(isoDate(987, 3, 4)).toBe('0987-03-04');
    expect(() => isoDate(10000, 1, 1)).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2025-03-30', 1, '2025-03-31'],
    ['2025-10-26', 1, '2025-10-27'],
    ['2025-01-01', 365, '2026-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2025-06-15', 0, '2025-06-15'],
  ])('addDays(%s, %i) = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('refuses fractional days and bad dates', () => {
    expect(() => addDays('2025-01-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
  });

  it('is inverse to daysBetween', () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: -5000, max: 5000 }), (date, n) => {
        const moved = addDays(date, n);
        expect(daysBetween(date, moved)).toBe(n);
        expect(addDays(moved, -n)).toBe(date);
        expect(compareDates(date, moved)).toBe(Math.sign(n) === 0 ? 0 : n > 0 ? -1 : 1);
      }),
    );
  });
});

describe('addMonths', () => {
  it.each([
    ['2025-01-01', 1, '2025-02-01'],
    ['2025-12-01', 1, '2026-01-01'],
    ['2025-01-01', -1, '2024-12-01'],
    ['2025-03-01', -15, '2023-12-01'],
    ['2025-11-01', 3, '2026-02-01'],
    ['2025-04-01', 12, '2026-04-01'],
    ['2025-04-01', -12, '2024-04-01'],
    ['2025-04-01', 0, '2025-04-01'],
  ])('addMonths(%s, %i) = %s', (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });

  it('refuses a date that is not the first of a month', () => {
    expect(() => addMonths('2025-01-31', 1)).toThrow(RangeError);
    expect(() => addMonths('2025-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('daysBetween and compareDates', () => {
  it.each([
    ['2025-01-01', '2025-01-01', 0],
    ['2025-01-01', '2025-02-01', 31],
    ['2024-02-01', '2024-03-01', 29],
    ['2025-02-01', '2025-03-01', 28],
    ['2025-03-01', '2025-01-01', -59],
    ['2025-01-01', '2026-01-01', 365],
    ['2024-01-01', '2025-01-01', 366],
    // across European and US daylight-saving switches: still whole days
    ['2025-03-29', '2025-03-31', 2],
    ['2025-11-01', '2025-11-03', 2],
  ])('daysBetween(%s, %s) = %i', (a, b, n) => {
    expect(daysBetween(a, b)).toBe(n);
  });

  it.each([
    ['2025-01-01', '2025-01-02', -1],
    ['2025-01-02', '2025-01-01', 1],
    ['2025-01-01', '2025-01-01', 0],
    ['1999-12-31', '2000-01-01', -1],
  ])('compareDates(%s, %s) = %i', (a, b, n) => {
    expect(compareDates(a, b)).toBe(n);
  });

  it('compareDates throws on malformed input', () => {
    expect(() => compareDates('2025-1-1', '2025-01-01')).toThrow(RangeError);
  });
});

describe('time zones', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati'])(
    'isValidTimeZone(%s) is true',
    (tz) => {
      expect(isValidTimeZone(tz)).toBe(true);
    },
  );

  it.each(['', ' ', 'Mars/Olympus', 'Europe/Atlantis', 'not a zone'])(
    'isValidTimeZone(%j) is false',
    (tz) => {
      expect(isValidTimeZone(tz)).toBe(false);
    },
  );

  it.each([
    ['UTC', '2025-12-31T23:30:00Z', '2025-12-31'],
    ['Europe/Berlin', '2025-12-31T23:30:00Z', '2026-01-01'],
    ['America/Los_Angeles', '2026-01-01T07:59:00Z', '2025-12-31'],
    ['America/Los_Angeles', '2026-01-01T08:00:00Z', '2026-01-01'],
    ['Asia/Kolkata', '2025-03-31T18:29:59Z', '2025-03-31'],
    ['Asia/Kolkata', '2025-03-31T18:30:00Z', '2025-04-01'],
    ['Pacific/Kiritimati', '2025-06-30T10:00:00Z', '2025-07-01'],
    ['Pacific/Pago_Pago', '2025-07-01T10:00:00Z', '2025-06-30'],
    // the day of a DST switch in Berlin
    ['Europe/Berlin', '2025-03-30T00:30:00Z', '2025-03-30'],
    ['Europe/Berlin', '2024-02-28T23:00:00Z', '2024-02-29'],
  ])('todayInTimeZone(%s) at %s is %s', (tz, instant, expected) => {
    expect(todayInTimeZone(tz, new Date(instant))).toBe(expected);
  });

  it('throws on an unknown zone and an invalid instant', () => {
    expect(() => todayInTimeZone('Mars/Olympus')).toThrow(RangeError);
    expect(() => todayInTimeZone('UTC', new Date(NaN))).toThrow(RangeError);
  });

  it('defaults to the current instant', () => {
    const before = new Date().toISOString().slice(0, 10);
    const today = todayInTimeZone('UTC');
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(today);
  });

  it('UTC agrees with toISOString for any instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (instant) => {
          expect(todayInTimeZone('UTC', instant)).toBe(instant.toISOString().slice(0, 10));
        },
      ),
    );
  });
});
