import { describe, expect, it } from 'vitest';
import { computeAllPeriodValues, type CascadeCheckin } from '@/lib/domain/cascade-compute';
import {
  addPending,
  collapseRanges,
  groupBy,
  groupPeriodValues,
  planRecompute,
  walkRecompute,
  type RecomputePlan,
} from './recompute';
import {
  cloneStored,
  testCheckin as checkin,
  testKpi as kpi,
  type Stored,
} from './test-cascade-arbitraries';

describe('groupBy, collapseRanges, groupPeriodValues, addPending', () => {
  it('groups in input order', () => {
    const grouped = groupBy(['a1', 'b1', 'a2'], (s) => s[0] ?? '');
    expect([...grouped]).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1']],
    ]);
  });

  it('collapses ranges to one enclosing range of every KPI', () => {
    expect(
      collapseRanges([
        { kpiIds: ['a', 'b'], from: '2025-02-01', to: '2025-03-01' },
        { kpiIds: ['b', 'c'], from: '2025-01-01', to: '2025-02-01' },
        { kpiIds: ['a'], from: '2025-04-01', to: '2025-07-01' },
      ]),
    ).toEqual({ kpiIds: ['a', 'b', 'c'], from: '2025-01-01', to: '2025-07-01' });
    expect(collapseRanges([])).toEqual({ kpiIds: [], from: '', to: '' });
  });

  it('groups period value rows by KPI and normalizes their decimals', () => {
    const grouped = groupPeriodValues([
      {
        kpiId: 'a',
        periodStart: '2025-01-01',
        value: '12.500000',
        sampleCount: 2,
        childrenReported: 0,
        childrenExpected: 0,
      },
    ]);
    expect(grouped.get('a')?.get('2025-01-01')).toEqual({
      value: '12.5',
      sampleCount: 2,
      childrenReported: 0,
      childrenExpected: 0,
    });
  });

  it('adds the period of the KPI cadence that contains the date', () => {
    const pending = new Map<string, Set<string>>();
    addPending(pending, kpi('q', { cadence: 'quarter' }), '2025-05-17', 4);
    addPending(pending, kpi('q', { cadence: 'quarter' }), '2025-06-30', 4);
    expect([...(pending.get('q') ?? [])]).toEqual(['2025-04-01']);
  });
});

describe('planRecompute', () => {
  const root = kpi('root', { cadence: 'year', rollup: 'sum' });
  const mid = kpi('mid', { parentId: 'root', cadence: 'quarter', rollup: 'sum' });
  const leaf = kpi('leaf', { parentId: 'mid' });
  const sibling = kpi('sibling', { parentId: 'mid' });

  it('is null when no source is on the chain (another org, or a missing KPI)', () => {
    expect(planRecompute([root], [], 1, new Map([['elsewhere', ['2025-01-01']]]))).toBeNull();
  });

  it('plans the sources periods, reads their check-ins and every chain KPI with its children', () => {
    const plan = planRecompute(
      [root, mid, leaf],
      [mid, leaf, sibling],
      1,
      new Map([['leaf', ['2025-02-10', '2025-01-03']]]),
    );
    expect(plan).not.toBeNull();
    expect([...plan!.pending]).toEqual([['leaf', new Set(['2025-02-01', '2025-01-01'])]]);
    expect(plan!.checkinRanges).toEqual([{ kpiId: 'leaf', from: '2025-01-01', to: '2025-03-01' }]);
    expect(plan!.storedRanges).toEqual([
      { kpiIds: ['root', 'mid'], from: '2025-01-01', to: '2026-01-01' },
      { kpiIds: ['mid', 'leaf', 'sibling'], from: '2025-01-01', to: '2025-04-01' },
      { kpiIds: ['leaf'], from: '2025-01-01', to: '2025-03-01' },
    ]);
  });

  it('reads no check-ins for a computing source and stops on a cycle of links', () => {
    const a = kpi('a', { parentId: 'b', rollup: 'sum' });
    const b = kpi('b', { parentId: 'a', rollup: 'sum' });
    const plan = planRecompute([a, b], [a, b], 1, new Map([['a', ['2025-01-01']]]));
    expect(plan?.checkinRanges).toEqual([]);
    expect(plan?.storedRanges.map((r) => r.kpiIds[0])).toEqual(['a', 'b']);
  });
});

describe('walkRecompute', () => {
  const root = kpi('root', { rollup: 'sum' });
  const mid = kpi('mid', { parentId: 'root', rollup: 'max' });
  const a = kpi('a', { parentId: 'mid' });
  const b = kpi('b', { parentId: 'mid' });
  const all = [root, mid, a, b];

  function walk(checkins: CascadeCheckin[], stored: Stored, sources: Map<string, string[]>) {
    const plan = planRecompute([root, mid, a, b], [mid, a, b], 1, sources) as RecomputePlan;
    return { plan, ...walkRecompute(plan, checkins, stored) };
  }

  it('writes the source and every ancestor whose value changed', () => {
    const before = [checkin('c1', 'a', '2025-01-05', '3'), checkin('c2', 'b', '2025-01-09', '5')];
    const stored = computeAllPeriodValues(all, before, 1);
    const after = [...before, checkin('c3', 'a', '2025-01-20', '4')];
    const { upserts, deletes } = walk(after, cloneStored(stored), new Map([['a', ['2025-01-20']]]));
    expect(upserts).toEqual([
      {
        kpiId: 'a',
        periodStart: '2025-01-01',
        value: '7',
        sampleCount: 2,
        childrenReported: 0,
        childrenExpected: 0,
      },
      {
        kpiId: 'mid',
        periodStart: '2025-01-01',
        value: '7',
        sampleCount: 2,
        childrenReported: 2,
        childrenExpected: 2,
      },
      {
        kpiId: 'root',
        periodStart: '2025-01-01',
        value: '7',
        sampleCount: 1,
        childrenReported: 1,
        childrenExpected: 1,
      },
    ]);
    expect(deletes).toEqual([]);
  });

  it('stops climbing where a value did not change', () => {
    const before = [checkin('c1', 'a', '2025-01-05', '3'), checkin('c2', 'b', '2025-01-09', '5')];
    const stored = computeAllPeriodValues(all, before, 1);
    // a goes 3 -> 4, the max of mid stays 5: root is not even considered
    const after = [...before, checkin('c3', 'a', '2025-01-20', '1')];
    const { plan, upserts } = walk(after, cloneStored(stored), new Map([['a', ['2025-01-20']]]));
    expect(upserts.map((u) => u.kpiId)).toEqual(['a']);
    expect(plan.pending.has('root')).toBe(false);
  });

  it('deletes the values of a period that lost its last check-in, up the chain', () => {
    const before = [checkin('c1', 'a', '2025-03-05', '3')];
    const stored = computeAllPeriodValues(all, before, 1);
    const { upserts, deletes } = walk([], cloneStored(stored), new Map([['a', ['2025-03-05']]]));
    expect(upserts).toEqual([]);
    expect(deletes).toEqual([
      { kpiId: 'a', periodStart: '2025-03-01' },
      { kpiId: 'mid', periodStart: '2025-03-01' },
      { kpiId: 'root', periodStart: '2025-03-01' },
    ]);
  });

  it('passes a source up even when its own value did not change (a weight edit)', () => {
    const parent = kpi('p', { rollup: 'weighted_average' });
    const before = [parent, kpi('a', { parentId: 'p' }), kpi('b', { parentId: 'p' })];
    const after = before.map((k) => (k.id === 'a' ? { ...k, weight: '3' } : k));
    const checkins = [checkin('c1', 'a', '2025-01-02', '1'), checkin('c2', 'b', '2025-01-02', '2')];
    const stored = computeAllPeriodValues(before, checkins, 1);
    const plan = planRecompute(
      after,
      after.slice(1),
      1,
      new Map([['a', ['2025-01-01']]]),
    ) as RecomputePlan;
    const { upserts } = walkRecompute(plan, checkins, cloneStored(stored));
    expect(upserts).toEqual([
      {
        kpiId: 'p',
        periodStart: '2025-01-01',
        value: '1.25',
        sampleCount: 2,
        childrenReported: 2,
        childrenExpected: 2,
      },
    ]);
  });

  it('leaves a manual ancestor alone: its value comes from its own check-ins', () => {
    const manualTop = kpi('top');
    const child = kpi('child', { parentId: 'top' });
    const plan = planRecompute(
      [manualTop, child],
      [],
      1,
      new Map([['child', ['2025-01-01']]]),
    ) as RecomputePlan;
    const walked = walkRecompute(plan, [checkin('c1', 'child', '2025-01-01', '2')], new Map());
    expect(walked.upserts.map((u) => u.kpiId)).toEqual(['child']);
  });
});
