import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  UNIT_KINDS,
  allowedParentKinds,
  inTreeOrder,
  ancestorIds,
  checkKpiLink,
  isInSubtree,
  subtreeIds,
  wouldCreateCycle,
} from '@/lib/domain/tree';
import type { LinkKpi, ParentMap } from '@/lib/domain/tree';

/*
 * company
 * ├── sales
 * │   ├── sales-emea
 * │   └── sales-us
 * ├── eng
 * │   └── eng-platform
 * └── small-team (a team directly under the company)
 */
const units: ParentMap = new Map([
  ['company', null],
  ['sales', 'company'],
  ['sales-emea', 'sales'],
  ['sales-us', 'sales'],
  ['eng', 'company'],
  ['eng-platform', 'eng'],
  ['small-team', 'company'],
]);

describe('allowedParentKinds', () => {
  it.each([
    ['company', []],
    ['department', ['company']],
    ['team', ['department', 'company']],
  ] as const)('%s -> %j', (kind, parents) => {
    expect(allowedParentKinds(kind)).toEqual(parents);
  });

  it('never lets a kind sit under itself or below it', () => {
    for (const kind of UNIT_KINDS) {
      const rank = UNIT_KINDS.indexOf(kind);
      for (const parent of allowedParentKinds(kind)) {
        expect(UNIT_KINDS.indexOf(parent)).toBeLessThan(rank);
      }
    }
  });
});

describe('ancestors and subtrees', () => {
  it.each([
    ['company', []],
    ['sales', ['company']],
    ['sales-emea', ['sales', 'company']],
    ['eng-platform', ['eng', 'company']],
    ['unknown', []],
  ])('ancestorIds(%s) = %j (nearest first)', (id, expected) => {
    expect(ancestorIds(id, units)).toEqual(expected);
  });

  it.each([
    [
      'company',
      ['company', 'sales', 'sales-emea', 'sales-us', 'eng', 'eng-platform', 'small-team'],
    ],
    ['sales', ['sales', 'sales-emea', 'sales-us']],
    ['eng', ['eng', 'eng-platform']],
    ['sales-us', ['sales-us']],
    ['unknown', ['unknown']],
  ])('subtreeIds(%s)', (root, expected) => {
    expect([...subtreeIds(root, units)].sort()).toEqual([...expected].sort());
  });

  it.each([
    ['sales-emea', 'sales', true],
    ['sales-emea', 'company', true],
    ['sales', 'sales', true],
    ['sales', 'sales-emea', false],
    ['eng-platform', 'sales', false],
    ['company', 'eng', false],
  ])('isInSubtree(%s, %s) = %s', (node, ancestor, expected) => {
    expect(isInSubtree(node, ancestor, units)).toBe(expected);
  });

  it('stops on a corrupt map that contains a loop', () => {
    const loop: ParentMap = new Map([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
    ]);
    expect(ancestorIds('a', loop)).toEqual(['b', 'c']);
    expect(isInSubtree('a', 'x', loop)).toBe(false);
    expect([...subtreeIds('a', loop)].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('wouldCreateCycle', () => {
  it.each([
    ['sales', 'sales', true],
    ['sales', 'sales-emea', true],
    ['company', 'eng-platform', true],
    ['sales', 'eng', false],
    ['sales-emea', 'eng-platform', false],
    ['sales-emea', 'company', false],
    ['eng', null, false],
    ['new-node', 'sales', false],
  ])('moving %s under %s -> %s', (node, parent, expected) => {
    expect(wouldCreateCycle(node, parent, units)).toBe(expected);
  });

  it('refuses a move when the map above the new parent already loops', () => {
    const corrupt: ParentMap = new Map([
      ['a', 'b'],
      ['b', 'a'],
      ['x', null],
    ]);
    expect(wouldCreateCycle('x', 'a', corrupt)).toBe(true);
  });

  /** A random forest: node i's parent is a node with a smaller index, or none. */
  const forestArb = fc
    .integer({ min: 1, max: 25 })
    .chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.option(fc.nat(), { nil: null }), { minLength: n, maxLength: n }),
      ),
    )
    .map(([n, picks]) => {
      const parentOf = new Map<string, string | null>();
      for (let i = 0; i < n; i++) {
        const pick = picks[i] ?? null;
        parentOf.set(`n${i}`, i === 0 || pick === null ? null : `n${pick % i}`);
      }
      return parentOf;
    });

  /** The naive answer: apply the move and walk up from the node, at most n steps. */
  const naiveCycle = (node: string, newParent: string | null, parentOf: ParentMap): boolean => {
    const moved = new Map(parentOf);
    moved.set(node, newParent);
    let current = moved.get(node) ?? null;
    for (let steps = 0; steps <= moved.size; steps++) {
      if (current === null) return false;
      if (current === node) return true;
      current = moved.get(current) ?? null;
    }
    return true;
  };

  it('agrees with a naive walk on random forests', () => {
    fc.assert(
      fc.property(forestArb, fc.nat(), fc.option(fc.nat(), { nil: null }), (forest, a, b) => {
        const ids = [...forest.keys()];
        const node = ids[a % ids.length]!;
        const parent = b === null ? null : ids[b % ids.length]!;
        expect(wouldCreateCycle(node, parent, forest)).toBe(naiveCycle(node, parent, forest));
        // and equivalently: a cycle exactly when the new parent lies in the node's subtree
        expect(wouldCreateCycle(node, parent, forest)).toBe(
          parent !== null && subtreeIds(node, forest).has(parent),
        );
      }),
    );
  });

  it('subtree and ancestor views agree on random forests', () => {
    fc.assert(
      fc.property(forestArb, (forest) => {
        for (const root of forest.keys()) {
          const subtree = subtreeIds(root, forest);
          for (const id of forest.keys()) {
            expect(subtree.has(id)).toBe(isInSubtree(id, root, forest));
            expect(subtree.has(id)).toBe(id === root || ancestorIds(id, forest).includes(root));
          }
        }
      }),
    );
  });

  it('any sequence of moves it allows keeps the forest acyclic', () => {
    fc.assert(
      fc.property(
        forestArb,
        fc.array(fc.tuple(fc.nat(), fc.option(fc.nat(), { nil: null })), { maxLength: 30 }),
        (forest, moves) => {
          const ids = [...forest.keys()];
          const current = new Map(forest);
          for (const [a, b] of moves) {
            const node = ids[a % ids.length]!;
            const parent = b === null ? null : ids[b % ids.length]!;
            if (!wouldCreateCycle(node, parent, current)) current.set(node, parent);
          }
          for (const id of ids) {
            // every chain reaches a root within n steps
            expect(ancestorIds(id, current).length).toBeLessThan(ids.length);
            expect(ancestorIds(id, current)).not.toContain(id);
            const chain = ancestorIds(id, current);
            const top = chain.at(-1) ?? id;
            expect(current.get(top) ?? null).toBeNull();
          }
        },
      ),
    );
  });
});

describe('checkKpiLink', () => {
  const kpi = (overrides: Partial<LinkKpi> & Pick<LinkKpi, 'id'>): LinkKpi => ({
    unitId: 'company',
    cadence: 'quarter',
    rollup: 'sum',
    measureUnit: 'currency',
    currency: 'EUR',
    ...overrides,
  });
  const revenue = kpi({ id: 'revenue' });
  const salesRevenue = kpi({ id: 'sales-revenue', unitId: 'sales' });
  const emeaRevenue = kpi({ id: 'emea-revenue', unitId: 'sales-emea', cadence: 'month' });
  const kpiParentOf: ParentMap = new Map([
    ['revenue', null],
    ['sales-revenue', 'revenue'],
    ['emea-revenue', 'sales-revenue'],
    ['eng-uptime', null],
  ]);
  const check = (child: LinkKpi, parent: LinkKpi) =>
    checkKpiLink({ child, parent, unitParentOf: units, kpiParentOf }).map((p) => p.code);

  it('accepts a valid link (same unit, descendant unit, shorter or equal cadence)', () => {
    expect(check(salesRevenue, revenue)).toEqual([]);
    expect(check(emeaRevenue, revenue)).toEqual([]);
    expect(check(emeaRevenue, salesRevenue)).toEqual([]);
    expect(check(kpi({ id: 'other', unitId: 'company' }), revenue)).toEqual([]);
  });

  it('refuses a KPI under itself', () => {
    const problems = checkKpiLink({
      child: revenue,
      parent: revenue,
      unitParentOf: units,
      kpiParentOf,
    });
    expect(problems).toEqual([{ code: 'cycle', message: 'A KPI cannot roll up into itself.' }]);
  });

  it('refuses a KPI under one of its own descendants', () => {
    const problems = checkKpiLink({
      child: kpi({ id: 'revenue', unitId: 'sales-emea', cadence: 'month' }),
      parent: emeaRevenue,
      unitParentOf: units,
      kpiParentOf,
    });
    expect(problems.map((p) => p.code)).toEqual(['cycle']);
    expect(problems[0]!.message).toMatch(/already roll up into it/);
  });

  it('refuses a child whose unit is outside the parent unit’s subtree', () => {
    const engKpi = kpi({ id: 'eng-cost', unitId: 'eng' });
    expect(check(engKpi, salesRevenue)).toEqual(['unit_outside_parent_subtree']);
    // a parent lower in the tree than the child is refused too
    expect(check(kpi({ id: 'x', unitId: 'company' }), salesRevenue)).toEqual([
      'unit_outside_parent_subtree',
    ]);
  });

  it.each([
    ['month', 'month', true],
    ['month', 'quarter', true],
    ['month', 'year', true],
    ['quarter', 'year', true],
    ['quarter', 'month', false],
    ['year', 'quarter', false],
    ['year', 'month', false],
  ] as const)('a %s child under a %s parent: allowed %s', (child, parent, ok) => {
    const problems = check(kpi({ id: 'c', cadence: child }), kpi({ id: 'p', cadence: parent }));
    expect(problems).toEqual(ok ? [] : ['cadence_longer_than_parent']);
  });

  it('explains a cadence problem in words', () => {
    const [problem] = checkKpiLink({
      child: kpi({ id: 'c', cadence: 'year' }),
      parent: kpi({ id: 'p', cadence: 'month' }),
      unitParentOf: units,
      kpiParentOf,
    });
    expect(problem?.message).toBe(
      "A yearly KPI cannot roll up into a monthly one: a child's cadence must be no longer than its parent's.",
    );
  });

  it.each([
    ['sum', 'count', null, false],
    ['average', 'count', null, false],
    ['weighted_average', 'percent', null, false],
    ['min', 'currency', 'USD', false],
    ['max', 'currency', 'USD', false],
    ['sum', 'currency', 'EUR', true],
    ['manual', 'count', null, true],
    ['manual', 'currency', 'USD', true],
  ] as const)('a %s parent in EUR with a %s (%s) child: allowed %s', (rollup, unit, cur, ok) => {
    const problems = check(
      kpi({ id: 'c', measureUnit: unit, currency: cur }),
      kpi({ id: 'p', rollup }),
    );
    expect(problems).toEqual(ok ? [] : ['measure_unit_mismatch']);
  });

  it('names both measures in the mismatch message', () => {
    const [problem] = checkKpiLink({
      child: kpi({ id: 'c', measureUnit: 'currency', currency: 'USD' }),
      parent: kpi({ id: 'p', rollup: 'weighted_average' }),
      unitParentOf: units,
      kpiParentOf,
    });
    expect(problem?.code).toBe('measure_unit_mismatch');
    expect(problem?.message).toContain('weighted average');
    expect(problem?.message).toContain('currency (EUR)');
    expect(problem?.message).toContain('currency (USD)');
  });

  it('reports every problem at once', () => {
    const problems = check(
      kpi({ id: 'revenue', unitId: 'eng', cadence: 'year', measureUnit: 'count', currency: null }),
      emeaRevenue,
    );
    expect(problems).toEqual([
      'cycle',
      'unit_outside_parent_subtree',
      'cadence_longer_than_parent',
      'measure_unit_mismatch',
    ]);
  });

  it('gives every problem a non-empty sentence without internal ids', () => {
    const problems = checkKpiLink({
      child: kpi({
        id: 'revenue',
        unitId: 'eng',
        cadence: 'year',
        measureUnit: 'count',
        currency: null,
      }),
      parent: emeaRevenue,
      unitParentOf: units,
      kpiParentOf,
    });
    for (const p of problems) {
      expect(p.message).toMatch(/^[A-Z].*\.$/);
      expect(p.message).not.toMatch(/revenue|sales-emea|eng\b/);
    }
  });
});

describe('inTreeOrder', () => {
  it('puts each parent before its children, keeps the sibling order given, and counts depth', () => {
    const rows = [
      { id: 'b', parentId: 'root' },
      { id: 'a', parentId: 'root' },
      { id: 'a1', parentId: 'a' },
      { id: 'root', parentId: null },
      { id: 'b1', parentId: 'b' },
    ];
    expect(inTreeOrder(rows).map((r) => `${r.id}:${r.depth}`)).toEqual([
      'root:0',
      'b:1',
      'b1:2',
      'a:1',
      'a1:2',
    ]);
  });

  it('starts a tree of its own for a row whose parent is not among them', () => {
    const rows = [
      { id: 'root', parentId: null },
      { id: 'orphan', parentId: 'archived' },
      { id: 'child', parentId: 'orphan' },
    ];
    expect(inTreeOrder(rows).map((r) => `${r.id}:${r.depth}`)).toEqual([
      'root:0',
      'orphan:0',
      'child:1',
    ]);
  });
});
