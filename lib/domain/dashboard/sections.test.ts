import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Status } from '@/lib/domain/progress';
import { inTreeOrder } from '@/lib/domain/tree';
import {
  buildSections,
  byUrgency,
  countByStatus,
  isMissing,
  listNotReported,
  toDashboardKpiDto,
  treeOrder,
  withFormulaLinks,
} from './sections';
import {
  DASHBOARD_LIMITS,
  type PeriodView,
  type PersonRef,
  type SectionKpi,
  type SectionUnit,
} from './types';

function view(status: Status, over: Partial<PeriodView> = {}): PeriodView {
  return {
    start: '2026-11-01',
    label: 'Nov 2026',
    value: status === 'no_data' ? null : '1',
    target: '1',
    share: null,
    paceProgress: null,
    status,
    childrenReported: 0,
    childrenExpected: 0,
    ...over,
  };
}

function kpi(id: string, over: Partial<SectionKpi> = {}): SectionKpi {
  const v = over.view ?? view('on_track');
  return {
    id,
    name: `KPI ${id}`,
    unitId: 'company',
    unitName: 'Company',
    ownerUserId: null,
    ownerName: null,
    parentId: null,
    isIndividual: false,
    isNorthStar: false,
    category: 'operational',
    indicator: 'lagging',
    measureUnit: 'count',
    currency: null,
    decimals: 0,
    direction: 'increase',
    cadence: 'month',
    timeAggregation: 'sum',
    rollup: 'manual',
    archivedOn: null,
    current: v,
    view: v,
    ownerHomeUnitId: null,
    ...over,
  };
}

function person(userId: string, name: string, homeUnitId = 'company'): PersonRef {
  return { userId, name, homeUnitId, homeUnitName: homeUnitId };
}

// company -> sales -> (emea, apac); company -> ops
const units: (SectionUnit & { name: string })[] = [
  { id: 'company', parentId: null, kind: 'company', name: 'Company' },
  { id: 'sales', parentId: 'company', kind: 'department', name: 'Sales' },
  { id: 'emea', parentId: 'sales', kind: 'team', name: 'EMEA' },
  { id: 'apac', parentId: 'sales', kind: 'team', name: 'APAC' },
  { id: 'ops', parentId: 'company', kind: 'department', name: 'Ops' },
];

const nobody = { userId: 'nobody', ledUnitIds: [] };
const ids = (list: readonly { id: string }[]) => list.map((k) => k.id);

describe('countByStatus', () => {
  it('counts each status and the total', () => {
    const list = (
      ['on_track', 'at_risk', 'off_track', 'off_track', 'in_progress', 'no_data'] as const
    ).map((s) => ({ view: { status: s } }));
    expect(countByStatus(list)).toEqual({
      on_track: 1,
      at_risk: 1,
      off_track: 2,
      in_progress: 1,
      no_data: 1,
      total: 6,
    });
    expect(countByStatus([])).toEqual({
      on_track: 0,
      at_risk: 0,
      off_track: 0,
      in_progress: 0,
      no_data: 0,
      total: 0,
    });
  });
});

describe('byUrgency', () => {
  it('puts off track first, then at risk, on track, no data; lowest pace first within each', () => {
    const list = [
      kpi('ok', { view: view('on_track', { paceProgress: 1.2 }) }),
      kpi('risk-high', { view: view('at_risk', { paceProgress: 0.9 }) }),
      kpi('none', { view: view('no_data') }),
      kpi('off-high', { view: view('off_track', { paceProgress: 0.6 }) }),
      kpi('risk-low', { view: view('at_risk', { paceProgress: 0.86 }) }),
      kpi('off-low', { view: view('off_track', { paceProgress: 0.1 }) }),
    ];
    expect(ids([...list].sort(byUrgency))).toEqual([
      'off-low',
      'off-high',
      'risk-low',
      'risk-high',
      'ok',
      'none',
    ]);
  });

  it('treats a missing pace as 0', () => {
    const a = kpi('a', { view: view('off_track', { paceProgress: null }) });
    const b = kpi('b', { view: view('off_track', { paceProgress: 0.2 }) });
    expect(ids([b, a].sort(byUrgency))).toEqual(['a', 'b']);
  });
});

describe('treeOrder', () => {
  it('puts each parent before its children, north stars first among siblings', () => {
    const list = [
      kpi('child-b', { parentId: 'root-a' }),
      kpi('root-a'),
      kpi('grandchild', { parentId: 'child-c' }),
      kpi('child-c', { parentId: 'root-a', isNorthStar: true }),
      kpi('root-star', { isNorthStar: true }),
    ];
    expect(ids(treeOrder(list))).toEqual([
      'root-star',
      'root-a',
      'child-c',
      'grandchild',
      'child-b',
    ]);
  });

  it('starts a tree at a KPI whose parent is not in the list, and keeps every KPI once', () => {
    const list = [kpi('x', { parentId: 'elsewhere' }), kpi('y', { parentId: 'x' }), kpi('z')];
    expect(ids(treeOrder(list))).toEqual(['x', 'y', 'z']);
  });

  it('is the tree walk of lib/domain/tree with north stars moved first', () => {
    const list = [kpi('b'), kpi('a', { isNorthStar: true }), kpi('c', { parentId: 'b' })];
    expect(ids(treeOrder(list))).toEqual(['a', 'b', 'c']);
    expect(ids(inTreeOrder(list))).toEqual(['b', 'c', 'a']);
  });
  it('keeps every KPI once, parents before children, north stars before other siblings', () => {
    const forest = fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 30 }).map((rows) =>
      // Parents only among earlier rows (or none): a forest, shuffled by the reverse below.
      rows
        .map(([p, star], i) =>
          kpi(`k${i}`, { parentId: i > 0 && p % 3 !== 0 ? `k${p % i}` : null, isNorthStar: star }),
        )
        .reverse(),
    );
    fc.assert(
      fc.property(forest, (list) => {
        const ordered = treeOrder(list);
        expect(ids(ordered).sort()).toEqual(ids(list).sort());
        const at = new Map(ordered.map((k, i) => [k.id, i]));
        for (const k of list) {
          if (k.parentId) expect(at.get(k.parentId)!).toBeLessThan(at.get(k.id)!);
        }
        for (const a of list) {
          for (const b of list) {
            if (a.parentId === b.parentId && a.isNorthStar && !b.isNorthStar) {
              expect(at.get(a.id)!).toBeLessThan(at.get(b.id)!);
            }
          }
        }
      }),
    );
  });
});

describe('isMissing', () => {
  it('is an owned, hand-recorded KPI without a value', () => {
    expect(isMissing(kpi('a', { ownerUserId: 'u', view: view('no_data') }))).toBe(true);
    expect(isMissing(kpi('b', { ownerUserId: null, view: view('no_data') }))).toBe(false);
    expect(isMissing(kpi('c', { ownerUserId: 'u', rollup: 'sum', view: view('no_data') }))).toBe(
      false,
    );
    expect(isMissing(kpi('d', { ownerUserId: 'u', view: view('on_track') }))).toBe(false);
  });
});

describe('listNotReported', () => {
  it('lists people most missing first, then by name, with exact counts', () => {
    const kpis = [
      kpi('a1', { ownerUserId: 'ann', view: view('no_data') }),
      kpi('a2', { ownerUserId: 'ann', view: view('on_track') }),
      kpi('b1', { ownerUserId: 'bob', view: view('no_data') }),
      kpi('b2', { ownerUserId: 'bob', view: view('no_data') }),
      kpi('c1', { ownerUserId: 'cat', view: view('no_data') }),
      kpi('d1', { ownerUserId: 'dan', view: view('on_track') }),
      // Computed KPIs are not recorded by hand: never due.
      kpi('d2', { ownerUserId: 'dan', rollup: 'sum', view: view('no_data') }),
    ];
    const people = [
      person('cat', 'Cat'),
      person('dan', 'Dan'),
      person('ann', 'Ann'),
      person('bob', 'Bob'),
    ];
    const result = listNotReported(kpis, people);
    expect(result.items.map((i) => [i.person.userId, i.missingCount, i.due])).toEqual([
      ['bob', 2, 2],
      ['ann', 1, 2],
      ['cat', 1, 1],
    ]);
    expect(result.items[0]!.missing).toEqual([
      { id: 'b1', name: 'KPI b1' },
      { id: 'b2', name: 'KPI b2' },
    ]);
    expect(result.count).toBe(3);
    expect(result.missingKpiCount).toBe(4);
  });

  it('only counts the people given (owners outside them do not show)', () => {
    const kpis = [kpi('a', { ownerUserId: 'ann', view: view('no_data') })];
    expect(listNotReported(kpis, [person('bob', 'Bob')])).toEqual({
      items: [],
      count: 0,
      missingKpiCount: 0,
    });
  });

  it('bounds the people and the KPIs per person, keeping the counts exact', () => {
    const people = Array.from({ length: DASHBOARD_LIMITS.notReported + 3 }, (_, i) =>
      person(`u${i}`, `Person ${String(i).padStart(2, '0')}`),
    );
    const perPerson = DASHBOARD_LIMITS.missingPerPerson + 2;
    const kpis = people.flatMap((p) =>
      Array.from({ length: perPerson }, (_, j) =>
        kpi(`${p.userId}-${j}`, { ownerUserId: p.userId, view: view('no_data') }),
      ),
    );
    const result = listNotReported(kpis, people);
    expect(result.items).toHaveLength(DASHBOARD_LIMITS.notReported);
    expect(result.count).toBe(people.length);
    expect(result.missingKpiCount).toBe(people.length * perPerson);
    for (const item of result.items) {
      expect(item.missing).toHaveLength(DASHBOARD_LIMITS.missingPerPerson);
      expect(item.missingCount).toBe(perPerson);
    }
    expect(result.items.map((i) => i.person.name)).toEqual(
      people.slice(0, DASHBOARD_LIMITS.notReported).map((p) => p.name),
    );
  });
});

describe('toDashboardKpiDto', () => {
  it('keeps the card fields and drops everything else', () => {
    const full = { ...kpi('a', { ownerHomeUnitId: 'sales' }), baseline: '3', version: 7 };
    const dto = toDashboardKpiDto(full);
    expect(dto).not.toHaveProperty('ownerHomeUnitId');
    expect(dto).not.toHaveProperty('baseline');
    expect(dto).not.toHaveProperty('version');
    expect(dto).toEqual(
      Object.fromEntries(Object.entries(kpi('a')).filter(([k]) => k !== 'ownerHomeUnitId')),
    );
  });
});

describe('withFormulaLinks', () => {
  const formula = {
    ...kpi('arr', { rollup: 'formula', isNorthStar: true }),
    key: 'arr',
    formulaInputs: ['arr', 'new'],
  };
  const input = {
    ...kpi('n', { measureUnit: 'currency', currency: 'USD', view: view('at_risk') }),
    key: 'new',
    formulaInputs: [],
  };

  it('gives a formula its drivers with their values and an input the formulas it feeds', () => {
    const [arr, n] = withFormulaLinks([formula, input]);
    expect(arr?.links).toEqual({
      drivers: [
        {
          id: 'n',
          name: 'KPI n',
          measureUnit: 'currency',
          currency: 'USD',
          decimals: 0,
          view: { value: '1', status: 'at_risk', paceProgress: null },
        },
      ],
      hiddenDrivers: 0,
      readsOwnPrevious: true,
      feeds: [],
    });
    expect(n?.links?.feeds.map((f) => f.id)).toEqual(['arr']);
    // The DTO keeps the links (and only the card fields of the linked KPIs).
    expect(toDashboardKpiDto(n!).links?.feeds[0]).not.toHaveProperty('unitName');
  });

  it('links nothing beyond the list given: a driver left out is only counted', () => {
    const [arr] = withFormulaLinks([formula]);
    expect(arr?.links).toMatchObject({ drivers: [], hiddenDrivers: 1 });
    expect(withFormulaLinks([input])[0]).not.toHaveProperty('links');
  });
});

describe('buildSections', () => {
  it('builds only the parts asked for', () => {
    const s = buildSections(nobody, [], units, [], { admin: false, lead: false, mine: false });
    expect(s).toEqual({ admin: null, lead: null, mine: null });
  });

  it('admin: company KPIs, unit cards with subtree counts, attention, unowned, not reported', () => {
    const kpis = [
      kpi('c1', { unitId: 'company', ownerUserId: 'ann', view: view('on_track') }),
      kpi('c2', {
        unitId: 'company',
        parentId: 'c1',
        view: view('off_track', { paceProgress: 0.2 }),
      }),
      kpi('s1', {
        unitId: 'sales',
        ownerUserId: 'bob',
        view: view('at_risk', { paceProgress: 0.9 }),
      }),
      kpi('e1', { unitId: 'emea', ownerUserId: 'bob', view: view('no_data') }),
      kpi('o1', { unitId: 'ops', view: view('off_track', { paceProgress: 0.5 }) }),
      kpi('i1', {
        unitId: 'emea',
        isIndividual: true,
        ownerUserId: 'bob',
        ownerHomeUnitId: 'emea',
        view: view('off_track', { paceProgress: 0.1 }),
      }),
    ];
    const people = [person('ann', 'Ann'), person('bob', 'Bob', 'emea')];
    const { admin } = buildSections(nobody, kpis, units, people, {
      admin: true,
      lead: false,
      mine: false,
    });
    expect(admin).not.toBeNull();
    expect(ids(admin!.companyKpis)).toEqual(['c1', 'c2']);
    expect(admin!.companyKpiCount).toBe(2);
    expect(admin!.units.map((u) => [u.unit.id, u.counts.total, ids(u.kpis), u.kpiCount])).toEqual([
      ['sales', 2, ['s1'], 1],
      ['ops', 1, ['o1'], 1],
    ]);
    expect(admin!.units[0]!.counts).toMatchObject({ at_risk: 1, no_data: 1 });
    expect(admin!.unitCount).toBe(2);
    // Individual KPIs count for attention, not for the team counts.
    expect(ids(admin!.attention)).toEqual(['i1', 'c2', 'o1', 's1']);
    expect(admin!.attentionCount).toBe(4);
    expect(admin!.counts.total).toBe(5);
    expect(ids(admin!.unowned)).toEqual(['c2', 'o1']);
    expect(admin!.unownedCount).toBe(2);
    expect(admin!.peopleCount).toBe(2);
    expect(admin!.notReported.map((n) => n.person.userId)).toEqual(['bob']);
    expect(admin!.missingKpiCount).toBe(1);
  });

  it('unit cards count their team KPIs by projected status (only those with a projection against a target)', () => {
    const projected = (status: Status, share: number | null = 1) => ({
      projected: { value: '1', share, status },
    });
    const kpis = [
      kpi('s1', { unitId: 'sales', ...projected('on_track') }),
      kpi('e1', { unitId: 'emea', ...projected('off_track', 0.5) }),
      kpi('e2', { unitId: 'emea', ...projected('off_track', 0.6) }),
      kpi('a1', { unitId: 'apac', ...projected('at_risk', 0.9) }),
      kpi('a2', { unitId: 'apac' }), // a complete period or no history: no projection
      kpi('a3', { unitId: 'apac', ...projected('no_data', null) }), // projected without a target
      kpi('i1', { unitId: 'emea', isIndividual: true, ...projected('off_track', 0.1) }),
      kpi('o1', { unitId: 'ops' }),
    ];
    const { admin } = buildSections(nobody, kpis, units, [], {
      admin: true,
      lead: false,
      mine: false,
    });
    const [sales, ops] = admin!.units;
    expect(sales!.counts.total).toBe(6);
    expect(sales!.projected).toEqual({ on_track: 1, at_risk: 1, off_track: 2, total: 4 });
    expect(ops!.projected).toEqual({ on_track: 0, at_risk: 0, off_track: 0, total: 0 });
  });

  it('admin lists are bounded by DASHBOARD_LIMITS while counts stay exact', () => {
    const many = 20;
    const kpis = Array.from({ length: many }, (_, i) =>
      kpi(`k${i}`, { unitId: 'company', view: view('off_track') }),
    );
    const { admin } = buildSections(nobody, kpis, units, [], {
      admin: true,
      lead: false,
      mine: false,
    });
    expect(admin!.companyKpis).toHaveLength(DASHBOARD_LIMITS.scorecard);
    expect(admin!.companyKpiCount).toBe(many);
    expect(admin!.attention).toHaveLength(DASHBOARD_LIMITS.attention);
    expect(admin!.attentionCount).toBe(many);
    expect(admin!.unowned).toHaveLength(DASHBOARD_LIMITS.unowned);
    expect(admin!.unownedCount).toBe(many);
    expect(admin!.counts.off_track).toBe(many);

    const manyUnits: SectionUnit[] = [
      units[0]!,
      ...Array.from({ length: DASHBOARD_LIMITS.unitCards + 4 }, (_, i) => ({
        id: `d${i}`,
        parentId: 'company',
        kind: 'department' as const,
      })),
    ];
    const unitKpis = Array.from({ length: 5 }, (_, i) => kpi(`u${i}`, { unitId: 'd0' }));
    const wide = buildSections(nobody, unitKpis, manyUnits, [], {
      admin: true,
      lead: false,
      mine: false,
    }).admin!;
    expect(wide.units).toHaveLength(DASHBOARD_LIMITS.unitCards);
    expect(wide.unitCount).toBe(DASHBOARD_LIMITS.unitCards + 4);
    expect(wide.units[0]!.kpis).toHaveLength(DASHBOARD_LIMITS.unitKpis);
    expect(wide.units[0]!.kpiCount).toBe(5);
  });

  it('lead: the subtrees of led units only, nested led units counted once', () => {
    const lead = { userId: 'lee', ledUnitIds: ['sales', 'emea', 'gone'] };
    const kpis = [
      kpi('s1', { unitId: 'sales', ownerUserId: 'bob' }),
      kpi('e1', { unitId: 'emea', parentId: 's1', view: view('at_risk') }),
      kpi('o1', { unitId: 'ops' }),
      kpi('i-in', {
        unitId: 'emea',
        isIndividual: true,
        ownerUserId: 'bob',
        ownerHomeUnitId: 'emea',
      }),
      kpi('i-out', {
        unitId: 'ops',
        isIndividual: true,
        ownerUserId: 'oz',
        ownerHomeUnitId: 'ops',
      }),
      kpi('m1', { unitId: 'apac', ownerUserId: 'bob', view: view('no_data') }),
    ];
    const people = [person('bob', 'Bob', 'emea'), person('oz', 'Oz', 'ops')];
    const s = buildSections(lead, kpis, units, people, { admin: false, lead: true, mine: false });
    expect(s.lead!.ledUnits.map((u) => u.id)).toEqual(['sales']);
    expect(ids(s.lead!.kpis)).toEqual(['s1', 'e1', 'm1']);
    expect(s.lead!.counts).toMatchObject({ total: 3, at_risk: 1, no_data: 1, on_track: 1 });
    expect(ids(s.lead!.unowned)).toEqual(['e1']);
    expect(s.lead!.peopleCount).toBe(1);
    expect(ids(s.lead!.individual)).toEqual(['i-in']);
    expect(s.lead!.notReported.map((n) => n.person.userId)).toEqual(['bob']);
    expect(s.admin).toBeNull();
  });

  it("mine: the actor's KPIs, individual first then by name, with their line up the cascade", () => {
    const me = { userId: 'me', ledUnitIds: [] };
    const kpis = [
      kpi('top', { isNorthStar: true, name: 'Revenue' }),
      kpi('mid', { parentId: 'top', name: 'Sales revenue' }),
      kpi('b', { parentId: 'mid', ownerUserId: 'me', name: 'Beta' }),
      kpi('a', { ownerUserId: 'me', name: 'Alpha' }),
      kpi('ind', { ownerUserId: 'me', isIndividual: true, name: 'Zulu' }),
      kpi('other', { ownerUserId: 'you', name: 'Other' }),
    ];
    const { mine } = buildSections(me, kpis, [], [], { admin: false, lead: false, mine: true });
    expect(ids(mine!.targets)).toEqual(['ind', 'a', 'b']);
    expect(mine!.targetCount).toBe(3);
    expect(mine!.targets[2]!.line).toEqual([
      { id: 'mid', name: 'Sales revenue', isNorthStar: false },
      { id: 'top', name: 'Revenue', isNorthStar: true },
    ]);
    expect(mine!.targets[0]!).not.toHaveProperty('ownerHomeUnitId');
  });

  it('mine is bounded by DASHBOARD_LIMITS.targets with an exact count', () => {
    const me = { userId: 'me', ledUnitIds: [] };
    const kpis = Array.from({ length: DASHBOARD_LIMITS.targets + 3 }, (_, i) =>
      kpi(`k${i}`, { ownerUserId: 'me' }),
    );
    const { mine } = buildSections(me, kpis, [], [], { admin: false, lead: false, mine: true });
    expect(mine!.targets).toHaveLength(DASHBOARD_LIMITS.targets);
    expect(mine!.targetCount).toBe(DASHBOARD_LIMITS.targets + 3);
  });
});
