import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumDec, toPlainString } from '@/lib/domain/decimal';
import type { Cadence } from '@/lib/domain/periods';
import {
  computeAllPeriodValues,
  computeManualPeriod,
  computeRollupPeriod,
  isChildIncluded,
  samePeriodValue,
  type CascadeCheckin,
} from './cascade-compute';
import { testKpi as kpi } from './test-cascade-arbitraries';

let seq = 0;
function checkin(
  kpiId: string,
  observedOn: string,
  value: string,
  createdAt?: string,
): CascadeCheckin {
  seq += 1;
  return {
    id: `c${String(seq).padStart(6, '0')}`,
    kpiId,
    observedOn,
    value,
    createdAt: createdAt ?? `2020-01-01T00:00:00.${String(seq).padStart(6, '0')}Z`,
  };
}

describe('computeManualPeriod', () => {
  it('sums, averages and takes the latest observation', () => {
    const list = [
      checkin('a', '2025-01-03', '1.5'),
      checkin('a', '2025-01-20', '2'),
      checkin('a', '2025-01-10', '4'),
    ];
    expect(computeManualPeriod({ timeAggregation: 'sum' }, list)).toEqual({
      value: '7.5',
      sampleCount: 3,
      childrenReported: 0,
      childrenExpected: 0,
    });
    expect(computeManualPeriod({ timeAggregation: 'average' }, list)?.value).toBe('2.5');
    expect(computeManualPeriod({ timeAggregation: 'last' }, list)?.value).toBe('2');
    expect(computeManualPeriod({ timeAggregation: 'sum' }, [])).toBeNull();
  });

  it('breaks a same-day tie for last by the latest recorded, whatever the input order', () => {
    const early = checkin('a', '2025-01-05', '10', '2025-01-05T10:00:00.000001Z');
    const late = checkin('a', '2025-01-05', '20', '2025-01-05T10:00:00.000002Z');
    expect(computeManualPeriod({ timeAggregation: 'last' }, [late, early])?.value).toBe('20');
    expect(computeManualPeriod({ timeAggregation: 'last' }, [early, late])?.value).toBe('20');
  });
});

describe('computeRollupPeriod', () => {
  const q = kpi('q', { cadence: 'quarter', rollup: 'sum' });
  it('combines shorter-cadence children by their own time aggregation', () => {
    const flow = {
      kpi: kpi('m1', { timeAggregation: 'sum' }),
      values: new Map([
        ['2025-01-01', { value: '1' }],
        ['2025-02-01', { value: '2' }],
      ]),
    };
    const level = {
      kpi: kpi('m2', { timeAggregation: 'last' }),
      values: new Map([
        ['2025-01-01', { value: '10' }],
        ['2025-03-01', { value: '30' }],
      ]),
    };
    const rate = {
      kpi: kpi('m3', { timeAggregation: 'average' }),
      values: new Map([
        ['2025-02-01', { value: '1' }],
        ['2025-03-01', { value: '2' }],
      ]),
    };
    const silent = { kpi: kpi('m4'), values: new Map([['2025-04-01', { value: '99' }]]) };
    expect(computeRollupPeriod(q, '2025-01-01', [flow, level, rate, silent])).toEqual({
      value: '34.5',
      sampleCount: 3,
      childrenReported: 3,
      childrenExpected: 4,
    });
  });

  it('leaves an archived child out from its archiving date on', () => {
    const child = kpi('a', { archivedOn: '2025-04-01' });
    expect(isChildIncluded(child, '2025-01-01')).toBe(true);
    expect(isChildIncluded(child, '2025-04-01')).toBe(false);
    const other = { kpi: kpi('b'), values: new Map([['2025-04-01', { value: '5' }]]) };
    const archived = {
      kpi: child,
      values: new Map([
        ['2025-04-01', { value: '7' }],
        ['2025-01-01', { value: '7' }],
      ]),
    };
    expect(computeRollupPeriod(q, '2025-04-01', [archived, other])).toMatchObject({
      value: '5',
      childrenExpected: 1,
    });
    expect(computeRollupPeriod(q, '2025-01-01', [archived, other])).toMatchObject({
      value: '7',
      childrenExpected: 2,
      childrenReported: 1,
    });
  });

  it('weights a weighted average and returns null for manual or silent parents', () => {
    const w = kpi('w', { rollup: 'weighted_average' });
    const a = {
      kpi: kpi('a', { weight: '3' }),
      values: new Map([['2025-01-01', { value: '10' }]]),
    };
    const b = {
      kpi: kpi('b', { weight: '1' }),
      values: new Map([['2025-01-01', { value: '20' }]]),
    };
    expect(computeRollupPeriod(w, '2025-01-01', [a, b])?.value).toBe('12.5');
    expect(
      computeRollupPeriod({ cadence: 'month', rollup: 'manual' }, '2025-01-01', [a, b]),
    ).toBeNull();
    expect(computeRollupPeriod(w, '2025-02-01', [a, b])).toBeNull();
  });
});

describe('computeAllPeriodValues', () => {
  it('rolls a three-level tree up and ignores a computing KPI’s own check-ins', () => {
    const kpis = [
      kpi('root', { cadence: 'year', rollup: 'sum' }),
      kpi('mid', { parentId: 'root', cadence: 'quarter', rollup: 'max' }),
      kpi('leafA', { parentId: 'mid' }),
      kpi('leafB', { parentId: 'mid' }),
      kpi('leafC', { parentId: 'root', cadence: 'quarter', timeAggregation: 'last' }),
    ];
    const checkins = [
      checkin('leafA', '2025-01-05', '3'),
      checkin('leafA', '2025-02-05', '4'),
      checkin('leafB', '2025-03-05', '5'),
      checkin('leafC', '2025-05-05', '100'),
      checkin('mid', '2025-01-05', '1000'),
      checkin('root', '2025-01-05', '1000'),
    ];
    // fiscal year from April: 2025-01..03 is Q4 FY2025, 2025-05 is Q1 FY2026
    const all = computeAllPeriodValues(kpis, checkins, 4);
    expect([...all.get('mid')!]).toEqual([
      ['2025-01-01', { value: '7', sampleCount: 2, childrenReported: 2, childrenExpected: 2 }],
    ]);
    expect(all.get('root')?.get('2024-04-01')).toEqual({
      value: '7',
      sampleCount: 1,
      childrenReported: 1,
      childrenExpected: 2,
    });
    expect(all.get('root')?.get('2025-04-01')?.value).toBe('100');
    expect(all.get('leafA')?.get('2025-01-01')?.value).toBe('3');
  });

  it('keeps a manual parent on its own check-ins while its children still get values', () => {
    const all = computeAllPeriodValues(
      [kpi('p'), kpi('c', { parentId: 'p' })],
      [checkin('c', '2025-01-01', '2'), checkin('p', '2025-01-02', '9')],
      1,
    );
    expect(all.get('p')?.get('2025-01-01')?.value).toBe('9');
    expect(all.get('c')?.get('2025-01-01')?.value).toBe('2');
  });

  it('refuses a cycle and a dangling parent', () => {
    expect(() =>
      computeAllPeriodValues([kpi('a', { parentId: 'b' }), kpi('b', { parentId: 'a' })], [], 1),
    ).toThrow(/cycle/);
    expect(() => computeAllPeriodValues([kpi('a', { parentId: 'x' })], [], 1)).toThrow(
      /does not exist/,
    );
  });

  it('gives a sum-of-sums root exactly the total of all check-ins, whatever the input order', () => {
    const cadences: Cadence[] = ['month', 'quarter', 'year'];
    const arb = fc.record({
      // parent index for node i (i >= 1) is < i, so the shape is always a tree
      parents: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
      values: fc.array(
        fc.record({
          node: fc.nat(),
          month: fc.integer({ min: 1, max: 12 }),
          cents: fc.integer({ min: -100000, max: 100000 }),
        }),
        { maxLength: 40 },
      ),
      fy: fc.integer({ min: 1, max: 12 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ parents, values, fy, seed }) => {
        const n = parents.length + 1;
        const ids = Array.from({ length: n }, (_, i) => `k${i}`);
        const parentOf = (i: number) => (i === 0 ? null : (parents[i - 1] ?? 0) % i);
        const hasChildren = (i: number) => ids.some((_, j) => parentOf(j) === i);
        // depth-based cadence: the root is yearly, level 1 quarterly, deeper monthly
        const depth = (i: number): number => (i === 0 ? 0 : 1 + depth(parentOf(i) ?? 0));
        const list = ids.map((id, i) =>
          kpi(id, {
            parentId: parentOf(i) === null ? null : `k${parentOf(i)}`,
            cadence: cadences[Math.max(0, 2 - depth(i))] ?? 'month',
            rollup: hasChildren(i) ? 'sum' : 'manual',
          }),
        );
        const cs = values
          .map((v) => ({ ...v, node: v.node % n }))
          .filter((v) => !hasChildren(v.node))
          .map((v) =>
            checkin(
              `k${v.node}`,
              `2030-${String(v.month).padStart(2, '0')}-15`,
              toPlainString(sumDec([String(v.cents)]).div(100)),
            ),
          );
        const shuffled = [...list].sort(
          (a, b) => ((a.id.length * 31 + seed) % 7) - ((b.id.length * 31 + seed) % 7),
        );
        const all = computeAllPeriodValues(shuffled, [...cs].reverse(), fy);
        const again = computeAllPeriodValues(list, cs, fy);
        const rootValues = [...(all.get('k0')?.values() ?? [])].map((v) => v.value);
        const total = cs.length === 0 ? null : toPlainString(sumDec(cs.map((c) => c.value)));
        const rootTotal = rootValues.length === 0 ? null : toPlainString(sumDec(rootValues));
        if (total !== null && total !== '0' && rootTotal === null) return false;
        if (rootTotal !== null && total !== null && rootTotal !== total) return false;
        for (const [id, periods] of all) {
          for (const [start, v] of periods) {
            if (!samePeriodValue(v, again.get(id)?.get(start) ?? null)) return false;
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
