import { describe, expect, it } from 'vitest';
import { formatDay } from './dates';
import {
  correctionDateProblem,
  correctsSameDate,
  planReading,
  sameDateReading,
  sameDateReadingExists,
  type Reading,
} from './readings';

const yesterday: Reading = { id: 'r1', observedOn: '2026-12-04', value: '806405', version: 3 };
const today: Reading = { id: 'r2', observedOn: '2026-12-05', value: '814469', version: 1 };
const earlierToday: Reading = { id: 'r0', observedOn: '2026-12-05', value: '1', version: 1 };

describe('formatDay', () => {
  it.each([
    ['2026-12-05', {}, '12/05/2026'],
    ['2026-01-31', {}, '01/31/2026'],
    ['2026-12-04', { year: false }, '12/04'],
  ] as const)('%s', (date, options, label) => {
    expect(formatDay(date, 'en-US', options)).toBe(label);
  });

  it('refuses a malformed date', () => {
    expect(() => formatDay('2026-02-30', 'en-US')).toThrow(RangeError);
  });
});

describe('correctsSameDate', () => {
  it('levels and rates correct a same-date reading; flows add every entry', () => {
    expect(correctsSameDate('last')).toBe(true);
    expect(correctsSameDate('average')).toBe(true);
    expect(correctsSameDate('sum')).toBe(false);
  });
});

describe('sameDateReading', () => {
  it('finds the latest reading of that date for a level', () => {
    expect(sameDateReading('last', '2026-12-05', [today, earlierToday, yesterday])).toBe(today);
  });

  it('never takes a reading of another date', () => {
    expect(sameDateReading('last', '2026-12-05', [yesterday])).toBeNull();
    expect(sameDateReading('average', '2026-12-05', [null, yesterday])).toBeNull();
  });

  it('is none for a flow, even on the same date', () => {
    expect(sameDateReading('sum', '2026-12-05', [today])).toBeNull();
  });
});

describe('planReading', () => {
  const plan = (
    text: string,
    readings: (Reading | null)[],
    timeAggregation: 'sum' | 'last' | 'average' = 'last',
    locale = 'en-US',
  ) => planReading({ timeAggregation, date: '2026-12-05', text, readings, locale });

  it('an empty field saves nothing', () => {
    expect(plan('  ', [today])).toEqual({ kind: 'skip' });
  });

  it('a typo saves nothing and says why, naming the form the locale expects', () => {
    const result = plan('1,0', [yesterday]);
    expect(result.kind).toBe('skip');
    expect(result).toHaveProperty('error', expect.stringContaining('1,234.5'));
    const german = plan('1.5', [yesterday], 'last', 'de-DE');
    expect(german).toHaveProperty('error', expect.stringContaining('1.234,5'));
  });

  it('reads the value the way the locale writes it', () => {
    expect(plan('1.234,5', [yesterday], 'last', 'de-DE')).toEqual({
      kind: 'record',
      value: '1234.5',
    });
    expect(plan('1,234.5', [yesterday])).toEqual({ kind: 'record', value: '1234.5' });
  });

  it('the issue: a value typed on 5 Dec after a reading of 4 Dec is a new reading', () => {
    expect(plan('814469', [yesterday])).toEqual({ kind: 'record', value: '814469' });
  });

  it('a level with a reading of the same date corrects that reading', () => {
    expect(plan('815000', [today, yesterday])).toEqual({
      kind: 'correct',
      value: '815000',
      reading: today,
    });
  });

  it('the same value as the same-date reading saves nothing', () => {
    expect(plan('814469.00', [today])).toEqual({ kind: 'skip' });
  });

  it('a rate corrects like a level', () => {
    expect(plan('7', [today], 'average')).toMatchObject({ kind: 'correct', reading: today });
  });

  it('a flow adds a new entry even when one of that date exists', () => {
    expect(plan('814469', [today], 'sum')).toEqual({ kind: 'record', value: '814469' });
    expect(plan('5', [], 'sum')).toEqual({ kind: 'record', value: '5' });
  });

  it('normalizes the typed value', () => {
    expect(plan(' 0012.50 ', [])).toEqual({ kind: 'record', value: '12.5' });
  });
});

describe('refusal messages', () => {
  it('a correction of another date names both dates', () => {
    expect(correctionDateProblem('2026-12-05', '2026-12-05', 'en-US')).toBeNull();
    const message = correctionDateProblem('2026-12-04', '2026-12-05', 'en-US');
    expect(message).toContain('12/04/2026');
    expect(message).toContain('12/05/2026');
    expect(message).toContain("KPI's history");
  });

  it('a second new reading of a level that day asks to reload', () => {
    expect(sameDateReadingExists('2026-12-05', 'en-US')).toContain('12/05/2026');
  });
});
