import { describe, expect, it } from 'vitest';
import { formatProgress, formatValue } from './format';

describe('formatValue', () => {
  it.each([
    ['1234567.891', { measureUnit: 'currency', currency: 'USD', decimals: 2 }, '1,234,567.89 USD'],
    ['0.125', { measureUnit: 'percent', currency: null, decimals: 2 }, '0.13%'],
    ['-0.004', { measureUnit: 'count', currency: null, decimals: 2 }, '0.00'],
    ['-12.5', { measureUnit: 'count', currency: null, decimals: 0 }, '-13'],
    ['3', { measureUnit: 'ratio', currency: null, decimals: 1 }, '3.0×'],
    ['98765432109876.5', { measureUnit: 'count', currency: null, decimals: 0 }, '98,765,432,109,877'],
  ] as const)('%s', (value, unit, expected) => {
    expect(formatValue(value, unit)).toBe(expected);
  });

  it('shows a dash for no value', () => {
    expect(formatValue(null, { measureUnit: 'count', currency: null, decimals: 0 })).toBe('—');
  });
});

describe('formatProgress', () => {
  it('rounds to whole percent and keeps values past 100%', () => {
    expect(formatProgress(0.854)).toBe('85%');
    expect(formatProgress(1.2345)).toBe('123%');
    expect(formatProgress(null)).toBe('—');
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
    expect(formatProgress(share)).toBe(text);
  });

  it('shows a dash for what is not a number', () => {
    expect(formatProgress(Number.NaN)).toBe('—');
    expect(formatProgress(Number.POSITIVE_INFINITY)).toBe('—');
  });
});
