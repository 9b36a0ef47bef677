import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KPI_LIMITS,
  describeBreach,
  idleWindowStart,
  isRetireCandidate,
  kpiLimitsOf,
  limitBreaches,
  limitDecision,
  overLimit,
} from './kpi-limits';

describe('kpiLimitsOf', () => {
  it("reads the organization's per-unit and per-person settings", () => {
    expect(kpiLimitsOf({ maxKpisPerUnit: 9, maxKpisPerPerson: 3 })).toEqual({ perUnit: 9, perPerson: 3 });
  });
});

describe('overLimit', () => {
  const name = (r: { name: string }) => r.name;
  it('keeps only those past the limit (at the limit is fine)', () => {
    const rows = [
      { name: 'A', count: 7 },
      { name: 'B', count: 8 },
      { name: 'C', count: 2 },
    ];
    expect(overLimit(rows, 7, name)).toEqual([{ name: 'B', count: 8 }]);
    expect(overLimit(rows, 8, name)).toEqual([]);
  });
  it('orders the most loaded first, then by name, without touching the input', () => {
    const rows = [
      { name: 'Zed', count: 9 },
      { name: 'Bea', count: 9 },
      { name: 'Amy', count: 12 },
      { name: 'Cal', count: 6 },
    ];
    const copy = [...rows];
    expect(overLimit(rows, 5, name).map(name)).toEqual(['Amy', 'Bea', 'Zed', 'Cal']);
    expect(rows).toEqual(copy);
  });
});

describe('limitBreaches', () => {
  const limits = DEFAULT_KPI_LIMITS;
  it('defaults to 7 per unit and 5 per person', () => {
    expect(limits).toEqual({ perUnit: 7, perPerson: 5 });
  });
  it('allows up to the limit and breaches one past it', () => {
    expect(limitBreaches({ isIndividual: false, unitCount: 6, personCount: 4, limits })).toEqual(
      [],
    );
    expect(limitBreaches({ isIndividual: false, unitCount: 7, personCount: 4, limits })).toEqual([
      { kind: 'unit', count: 7, limit: 7 },
    ]);
    expect(limitBreaches({ isIndividual: false, unitCount: 9, personCount: 5, limits })).toEqual([
      { kind: 'unit', count: 9, limit: 7 },
      { kind: 'person', count: 5, limit: 5 },
    ]);
  });
  it('counts an individual KPI toward its owner only, and no owner toward nobody', () => {
    expect(limitBreaches({ isIndividual: true, unitCount: 50, personCount: 0, limits })).toEqual(
      [],
    );
    expect(limitBreaches({ isIndividual: false, unitCount: 0, personCount: null, limits })).toEqual(
      [],
    );
  });
  it('works with a limit of one', () => {
    const one = { perUnit: 1, perPerson: 1 };
    expect(
      limitBreaches({ isIndividual: false, unitCount: 0, personCount: 0, limits: one }),
    ).toEqual([]);
    expect(
      limitBreaches({ isIndividual: false, unitCount: 1, personCount: 1, limits: one }).length,
    ).toBe(2);
  });
});

describe('limitDecision', () => {
  const breach = [{ kind: 'unit' as const, count: 7, limit: 7 }];
  it.each([
    [[], false, false, 'allow'],
    [[], true, false, 'allow'],
    [breach, true, false, 'confirm'],
    [breach, true, true, 'allow'],
    [breach, false, false, 'refuse'],
    [breach, false, true, 'refuse'],
  ] as const)('breaches %j, admin %s, confirmed %s -> %s', (b, isAdmin, confirmed, want) => {
    expect(limitDecision(b, { isAdmin, confirmed })).toBe(want);
  });
});

describe('describeBreach', () => {
  it('names the unit or person, the count and the limit', () => {
    expect(describeBreach({ kind: 'unit', count: 7, limit: 7 }, 'Support')).toBe(
      "Support already has 7 active KPIs; your organization's limit is 7 per unit.",
    );
    expect(describeBreach({ kind: 'person', count: 1, limit: 1 }, 'Ada')).toBe(
      "Ada already owns 1 active KPI; your organization's limit is 1 per person.",
    );
  });
});

describe('retire candidates', () => {
  it('the idle window is the three closed periods before the current one', () => {
    expect(idleWindowStart('month', '2026-10-14', 1)).toBe('2026-07-01');
    expect(idleWindowStart('quarter', '2026-10-14', 1)).toBe('2026-01-01');
    expect(idleWindowStart('quarter', '2026-10-14', 2)).toBe('2025-11-01');
    expect(idleWindowStart('year', '2026-10-14', 1)).toBe('2023-01-01');
    expect(idleWindowStart('month', '2026-10-14', 1, 1)).toBe('2026-09-01');
  });

  const base = { cadence: 'month' as const, today: '2026-10-14', fyStartMonth: 1 };
  it.each([
    ['never had a value, old enough', '2026-01-10', null, true],
    ['never had a value, created on the first day of the window', '2026-07-01', null, true],
    ['never had a value, created inside the window', '2026-07-02', null, false],
    ['last value before the window', '2025-01-01', '2026-06-01', true],
    ['a value in the first period of the window', '2025-01-01', '2026-07-01', false],
    ['a value in the current period', '2025-01-01', '2026-10-01', false],
  ])('%s', (_name, createdOn, lastValueStart, want) => {
    expect(isRetireCandidate({ ...base, createdOn, lastValueStart })).toBe(want);
  });
  it('follows the cadence: a yearly KPI is idle only after three years', () => {
    const yearly = { ...base, cadence: 'year' as const, createdOn: '2020-01-01' };
    expect(isRetireCandidate({ ...yearly, lastValueStart: '2023-01-01' })).toBe(false);
    expect(isRetireCandidate({ ...yearly, lastValueStart: '2022-01-01' })).toBe(true);
  });
});
