import { describe, expect, it } from 'vitest';
import { signedChange, turnedGreen, turnedRed, valueChange } from './report';

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
