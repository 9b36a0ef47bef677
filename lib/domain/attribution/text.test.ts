import { describe, expect, it } from 'vitest';
import { formatValue } from '@/lib/domain/format';
import { attributionSentence, gapPhrase, signedAmount } from './text';
import { emptyLine, type AttributionLine } from './tree';

const fmt = (v: string) =>
  formatValue(v, { measureUnit: 'count', currency: null, decimals: 0 }, 'en-US');

const line = (name: string, contribution: string, parts: AttributionLine[] = []) => ({
  ...emptyLine('child', name),
  kpiId: name,
  contribution,
  parts,
});

describe('attribution text', () => {
  it('reads the issue example, largest first, zero lines left out', () => {
    const sentence = attributionSentence(
      'ARR',
      {
        gap: '-120000',
        lines: [
          line('prev(arr)', '0'),
          line('expansion', '10000'),
          line('churn', '-40000'),
          line('new ARR', '-90000', [line('Mid-market', '-20000'), line('Enterprise', '-70000')]),
        ],
      },
      'increase',
      fmt,
    );
    expect(sentence).toBe(
      'ARR is 120,000 short of target: new ARR −90,000 (Enterprise −70,000, Mid-market −20,000), churn −40,000, expansion +10,000',
    );
  });

  it('says good or bad in words, by direction', () => {
    expect(gapPhrase('-5', 'increase', fmt)).toBe('5 short of target');
    expect(gapPhrase('5', 'increase', fmt)).toBe('5 ahead of target');
    expect(gapPhrase('5', 'decrease', fmt)).toBe('5 above target (worse)');
    expect(gapPhrase('-5', 'decrease', fmt)).toBe('5 below target (better)');
    expect(gapPhrase('0', 'decrease', fmt)).toBe('on target');
    expect(signedAmount('0', fmt)).toBe('0');
    expect(attributionSentence('X', { gap: null, lines: [] }, 'increase', fmt)).toBeNull();
  });
});
