import { describe, expect, it } from 'vitest';
import { formatProgress, formatValue } from './format';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('formatValue', () => {
  it.each([
    ['1234567.891', { measureUnit: 'currency', currency: 'USD', decimals: 2 }, '$1,234,567.89'],
    ['0.125', { measureUnit: 'percent', currency: null, decimals: 2 }, '0.13%'],
    ['-0.004', { measureUnit: 'count', currency: null, decimals: 2 }, '0.00'],
    ['-12.5', { measureUnit: 'count', currency: null, decimals: 0 }, '-13'],
    ['3', { measureUnit: 'ratio', currency: null, decimals: 1 }, '3.0×'],
    ['98765432109876.5', { measureUnit: 'count', currency: null, decimals: 0 }, '98,765,432,109,877'],
    ['12345678901234.123456', { measureUnit: 'count', currency: null, decimals: 6 }, '12,345,678,901,234.123456'],
  ] as const)('en-US %s', (value, unit, expected) => {
    expect(formatValue(value, unit, 'en-US')).toBe(expected);
  });

  const eur = { measureUnit: 'currency', currency: 'EUR', decimals: 2 } as const;
  const gbp = { measureUnit: 'currency', currency: 'GBP', decimals: 2 } as const;
  const pct = { measureUnit: 'percent', currency: null, decimals: 0 } as const;
  const count1 = { measureUnit: 'count', currency: null, decimals: 1 } as const;

  it.each([
    ['en-US', '1234.5', eur, '€1,234.50'],
    ['en-GB', '1234.5', gbp, '£1,234.50'],
    ['en-GB', '-1234.5', gbp, '-£1,234.50'],
    ['de-DE', '1234.5', eur, `1.234,50${NBSP}€`],
    ['fr-FR', '1234.5', eur, `1${NNBSP}234,50${NBSP}€`],
    ['en-US', '12', pct, '12%'],
    ['en-GB', '12', pct, '12%'],
    ['de-DE', '12', pct, `12${NBSP}%`],
    ['fr-FR', '12', pct, `12${NBSP}%`],
    ['de-DE', '1234.5', count1, '1.234,5'],
    ['en-GB', '1234.5', count1, '1,234.5'],
    ['fr-FR', '1234.5', count1, `1${NNBSP}234,5`],
    ['de-DE', '98765432109876.55', { ...count1, decimals: 2 }, '98.765.432.109.876,55'],
  ] as const)('%s %s', (locale, value, unit, expected) => {
    expect(formatValue(value, unit, locale)).toBe(expected);
  });

  it('rounds half away from zero on the exact decimal in every locale', () => {
    expect(formatValue('-2.345', { ...count1, decimals: 2 }, 'de-DE')).toBe('-2,35');
    expect(formatValue('0.005', { ...count1, decimals: 2 }, 'fr-FR')).toBe('0,01');
  });

  it('shows a dash for no value', () => {
    expect(formatValue(null, { measureUnit: 'count', currency: null, decimals: 0 }, 'de-DE')).toBe('—');
  });
});

describe('formatProgress', () => {
  it('rounds to whole percent and keeps values past 100%', () => {
    expect(formatProgress(0.854, 'en-US')).toBe('85%');
    expect(formatProgress(1.2345, 'en-US')).toBe('123%');
    expect(formatProgress(null, 'en-US')).toBe('—');
  });

  it.each([
    [9.99, '999%'],
    [9.994, '999%'],
    [9.996, '>999%'],
    [9.04, '904%'],
    [15, '>999%'],
    [1e40, '>999%'],
    [-0.25, '-25%'],
    [-9.99, '-999%'],
    [-12, '<-999%'],
    [-0.001, '0%'],
    [0, '0%'],
  ] as const)('%d -> %s', (share, text) => {
    expect(formatProgress(share, 'en-US')).toBe(text);
  });

  it('writes the percent sign the locale way', () => {
    expect(formatProgress(0.12, 'de-DE')).toBe(`12${NBSP}%`);
    expect(formatProgress(0.12, 'fr-FR')).toBe(`12${NBSP}%`);
    expect(formatProgress(0.12, 'en-GB')).toBe('12%');
    expect(formatProgress(15, 'de-DE')).toBe(`>999${NBSP}%`);
  });

  it('shows a dash for what is not a number', () => {
    expect(formatProgress(Number.NaN, 'en-US')).toBe('—');
    expect(formatProgress(Number.POSITIVE_INFINITY, 'de-DE')).toBe('—');
  });
});
