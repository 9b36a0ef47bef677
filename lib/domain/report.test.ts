import { describe, expect, it } from 'vitest';
import {
  commentarySpan,
  signedChange,
  spansWindow,
  turnedGreen,
  turnedRed,
  valueChange,
} from './report';

describe('valueChange', () => {
  it('is exact and null when a side is missing', () => {
    expect(valueChange('0.3', '0.1')).toBe('0.2');
    expect(valueChange('100', '250.5')).toBe('-150.5');
    expect(valueChange(null, '1')).toBeNull();
    expect(valueChange('1', null)).toBeNull();
  });
});

describe('status changes', () => {
  it.each([
    ['off_track', 'at_risk', true, false],
    ['off_track', 'on_track', true, false],
    ['off_track', 'off_track', false, false],
    ['off_track', 'no_data', false, false],
    ['off_track', null, false, false],
    ['on_track', 'off_track', false, true],
    ['on_track', 'at_risk', false, true],
    ['on_track', 'on_track', false, false],
    ['on_track', 'no_data', false, false],
    ['at_risk', 'on_track', false, false],
  ] as const)('%s after %s: red %s, green %s', (now, before, red, green) => {
    expect(turnedRed(now, before)).toBe(red);
    expect(turnedGreen(now, before)).toBe(green);
  });
});

describe('signedChange', () => {
  it('signs the formatted absolute change', () => {
    const fmt = (v: string) => `${v} EUR`;
    expect(signedChange('12', fmt)).toBe('+12 EUR');
    expect(signedChange('-0.5', fmt)).toBe('−0.5 EUR');
    expect(signedChange('0', fmt)).toBe('±0');
    expect(signedChange(null, fmt)).toBe('—');
  });
});

describe('commentarySpan', () => {
  const month = { cadence: 'month' as const, start: '2026-11-01' };

  it("is the report's period for a KPI of the same or a shorter cadence", () => {
    expect(commentarySpan({ cadence: 'month', view: { start: '2026-11-01' } }, month)).toEqual({
      start: '2026-11-01',
      end: '2026-12-01',
    });
    const quarter = { cadence: 'quarter' as const, start: '2026-10-01' };
    expect(commentarySpan({ cadence: 'month', view: { start: '2026-10-01' } }, quarter)).toEqual({
      start: '2026-10-01',
      end: '2027-01-01',
    });
  });

  it("is the KPI's own longer period containing it otherwise", () => {
    expect(commentarySpan({ cadence: 'year', view: { start: '2026-04-01' } }, month)).toEqual({
      start: '2026-04-01',
      end: '2027-04-01',
    });
  });
});

describe('spansWindow', () => {
  const month = { cadence: 'month' as const, start: '2026-11-01' };

  it("is the report's period when no span reaches outside it", () => {
    expect(spansWindow([], month)).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(spansWindow([{ start: '2026-11-01', end: '2026-12-01' }], month)).toEqual({
      from: '2026-11-01',
      to: '2026-12-01',
    });
  });

  it('widens to cover every span', () => {
    const spans = [
      { start: '2026-10-01', end: '2027-01-01' },
      { start: '2026-04-01', end: '2027-04-01' },
    ];
    expect(spansWindow(spans, month)).toEqual({ from: '2026-04-01', to: '2027-04-01' });
  });
});
