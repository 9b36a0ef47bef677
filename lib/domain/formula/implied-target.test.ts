import { describe, expect, it } from 'vitest';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { Cadence } from '@/lib/domain/periods';
import type { MissingPolicy } from './catalogue';
import { impliedTargets, type TargetSource } from './implied-target';
import { parseFormula } from './parser';

function source(
  key: string,
  over: {
    cadence?: Cadence;
    agg?: TimeAggregation;
    targets?: Record<string, string>;
    defaultTarget?: string;
    values?: Record<string, string>;
    formula?: string;
    policy?: MissingPolicy;
    baseline?: string;
  } = {},
): [string, TargetSource] {
  const targets = new Map(Object.entries(over.targets ?? {}));
  return [
    key,
    {
      key,
      cadence: over.cadence ?? 'month',
      timeAggregation: over.agg ?? 'sum',
      ownTarget: (s) => targets.get(s) ?? over.defaultTarget ?? null,
      values: new Map(Object.entries(over.values ?? {})),
      formula: over.formula
        ? {
            node: parseFormula(over.formula),
            missingPolicy: over.policy ?? 'strict',
            baseline: over.baseline ?? null,
          }
        : null,
    },
  ];
}

describe('impliedTargets', () => {
  const arr = 'prev(arr) + new + exp - churn';

  it('evaluates the formula on the inputs targets, prev(self) reading the last actual', () => {
    const { implied } = impliedTargets(
      new Map([
        source('arr', { formula: arr, agg: 'last', values: { '2026-01-01': '1000' } }),
        source('new', { defaultTarget: '100' }),
        source('exp', { defaultTarget: '20' }),
        source('churn', { defaultTarget: '30', targets: { '2026-03-01': '10' } }),
      ]),
      10,
    );
    // February: January's actual 1000 + 100 + 20 - 30
    expect(implied('arr', '2026-02-01')).toBe('1090');
    // March: February has no actual, so its implied target carries: 1090 + 100 + 20 - 10
    expect(implied('arr', '2026-03-01')).toBe('1200');
  });

  it('opens the chain at the baseline before the first value', () => {
    const { implied } = impliedTargets(
      new Map([
        source('arr', { formula: arr, agg: 'last', baseline: '500' }),
        source('new', { defaultTarget: '100' }),
        source('exp', { defaultTarget: '0' }),
        source('churn', { defaultTarget: '0' }),
      ]),
      10,
    );
    expect(implied('arr', '2026-01-01')).toBe('600');
  });

  it('reduces shorter inputs by their own aggregation (ratio of quarter totals)', () => {
    const { implied } = impliedTargets(
      new Map([
        source('rate', { formula: 'sqls / mqls', cadence: 'quarter', agg: 'average' }),
        source('sqls', { defaultTarget: '10', targets: { '2026-03-01': '40' } }),
        source('mqls', { defaultTarget: '100' }),
      ]),
      10,
    );
    expect(implied('rate', '2026-01-01')).toBe('0.2');
  });

  it('gives none for a strict formula missing an input target, zero counts it as 0', () => {
    const sources = (policy: MissingPolicy) =>
      new Map([
        source('net', { formula: 'a - b', policy }),
        source('a', { defaultTarget: '5' }),
        source('b'),
      ]);
    expect(impliedTargets(sources('strict'), 10).implied('net', '2026-01-01')).toBeNull();
    expect(impliedTargets(sources('zero'), 10).implied('net', '2026-01-01')).toBe('5');
  });

  it('uses a formula input own target, else its implied one; division by zero implies none', () => {
    const { implied, target } = impliedTargets(
      new Map([
        source('margin', { formula: 'gross / revenue', agg: 'average' }),
        source('gross', { formula: 'revenue - cost' }),
        source('revenue', { defaultTarget: '200' }),
        source('cost', { defaultTarget: '50' }),
        source('zero', { formula: 'revenue / cost', targets: {} }),
      ]),
      4,
    );
    expect(implied('margin', '2026-01-01')).toBe('0.75');
    expect(target('gross', '2026-01-01')).toBe('150');
    expect(implied('revenue', '2026-01-01')).toBeNull();
    const byZero = impliedTargets(
      new Map([
        source('r', { formula: 'a / b' }),
        source('a', { defaultTarget: '1' }),
        source('b', { defaultTarget: '0' }),
      ]),
      4,
    );
    expect(byZero.implied('r', '2026-01-01')).toBeNull();
  });
});
