import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDec } from '@/lib/domain/decimal';
import { parseFormula } from '@/lib/domain/formula/parser';
import { addMonths } from '@/lib/domain/dates';
import { rollupChildren } from '@/lib/domain/rollup';
import { testAttributionKpi } from '@/lib/domain/attribution/test-kpis';
import { syntheticLeadGroups } from '@/lib/seed/synthetic-leads';
import {
  projectCatalogue,
  projectKpi,
  projectKpiOver,
  PROJECTION_HISTORY,
  type ForecastKpi,
  type Point,
} from './projection';
import { SeriesMemo } from './series-memo';

const START = '2026-12-01';
const TODAY = '2026-12-16'; // 16 of 31 days

function kpi(
  id: string,
  monthly: (string | null)[],
  over: Partial<ForecastKpi> & { target?: string | null } = {},
): ForecastKpi {
  const { target = null, ...rest } = over;
  const values = new Map<string, string>();
  // the last entry is the open month, the ones before it the months before
  monthly.forEach((v, i) => {
    if (v !== null) values.set(addMonths(START, i - (monthly.length - 1)), v);
  });
  return {
    ...testAttributionKpi(id, { values, ownTarget: () => target }),
    direction: 'increase',
    ...rest,
  };
}

describe('projectKpi', () => {
  it('a flow: so far plus the rest of the period of a trend forecast, with a range and a status', () => {
    const p = projectKpi(
      [kpi('deals', ['100', '110', '120', '130', '70'], { target: '150' })],
      'deals',
      START,
      TODAY,
    );
    // trend says 140 for the month; 15 of 31 days remain: 70 + 140 x 15/31
    expect(p.method).toBe('run_rate_and_trend');
    expect(
      toDec(p.value as string)
        .toDecimalPlaces(4)
        .toFixed(),
    ).toBe('137.7419');
    expect(p.status).toBe('at_risk');
    expect(p.share).toBeCloseTo(0.918, 3);
    expect(toDec(p.low as string).lte(toDec(p.value as string))).toBe(true);
    expect(toDec(p.high as string).gte(toDec(p.value as string))).toBe(true);
    expect(p.errorsUsed).toBeGreaterThan(0);
  });

  it('a flow without history: the run rate (31 after 16 of 31 days)', () => {
    const p = projectKpi([kpi('x', ['31'])], 'x', START, TODAY);
    expect(p).toMatchObject({ method: 'run_rate', value: '60.0625' });
  });

  it('a level: the trend, blended with the value so far; a closed period is its actual', () => {
    const level = kpi('mrr', ['10', '20', '30', '40', null], { timeAggregation: 'last' });
    expect(projectKpi([level], 'mrr', START, TODAY).value).toBe('50');
    expect(projectKpi([level], 'mrr', '2026-11-01', TODAY)).toMatchObject({
      method: 'actual',
      value: '40',
    });
  });

  it('is consistent up the tree: a sum parent projects the sum of its children, a formula its formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 5, maxLength: 14 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (childSeries) => {
          const kids = childSeries.map((series, i) =>
            kpi(`c${i}`, series.map(String), { parentId: 'total' }),
          );
          const total = kpi('total', [], { rollup: 'sum' });
          const all = [total, ...kids];
          const own = kids.map((c) => projectKpi(all, c.id, START, TODAY).value);
          const parent = projectKpi(all, 'total', START, TODAY);
          expect(parent.value).toBe(
            rollupChildren(
              'sum',
              own.map((v) => ({ value: v, weight: '1' })),
            ).value,
          );
          const f = kpi('f', [], {
            rollup: 'formula',
            formula: { node: parseFormula('total * 2 - c0'), missingPolicy: 'strict' },
          });
          const viaFormula = projectKpi([...all, f], 'f', START, TODAY).value;
          expect(
            toDec(viaFormula as string)
              .minus(
                toDec(parent.value as string)
                  .times(2)
                  .minus(toDec(own[0] as string)),
              )
              .abs()
              .lte('1e-9'),
          ).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});

/**
 * A pair built so that `x` leads `y` by 2 months (lib/seed/synthetic-leads.ts) over the
 * projection's 27 complete months, as levels, the open month without a value yet; `y` lists `x`
 * as its lead.
 */
function builtPair(seed: number, over: Partial<ForecastKpi> = {}): [ForecastKpi, ForecastKpi] {
  const months = PROJECTION_HISTORY.month;
  const [g] = syntheticLeadGroups({ count: 1, months, first: addMonths(START, -months), seed });
  const open = (xs: readonly (string | null)[]) => [...xs, null];
  return [
    kpi('y', open(g?.lagging ?? []), {
      key: 'y',
      timeAggregation: 'last',
      leads: ['x'],
      target: '6000',
      ...over,
    }),
    kpi('x', open(g?.leads[0] ?? []), { key: 'x', timeAggregation: 'last' }),
  ];
}

describe('a lead in the projection', () => {
  it('moves a KPI’s projection where it earned it, by what it says; the parent adds it up', () => {
    const [y, x] = builtPair(3, { parentId: 'total' });
    const z = kpi('z', ['100', '110', '120', '130', null], {
      parentId: 'total',
      key: 'z',
      timeAggregation: 'last',
    });
    const total = kpi('total', [], { rollup: 'sum', timeAggregation: 'last', key: 'total' });
    const withLead = projectKpi([total, y, x, z], 'y', START, TODAY);
    const without = projectKpi([total, { ...y, leads: [] }, x, z], 'y', START, TODAY);
    expect(withLead.lead?.used).toMatchObject({ leadId: 'x', lag: 2 });
    expect(withLead.lead?.checks[0]?.gate.kind).toBe('earned');
    expect(without.lead).toBeNull();
    // nothing of the month is in yet: the projection is the forecast, shifted by the lead's part
    expect(
      toDec(withLead.value as string)
        .minus(toDec(without.value as string))
        .eq(toDec(withLead.lead?.used?.shift as string)),
    ).toBe(true);
    expect(withLead.lead?.used?.shift).not.toBe('0');
    // consistent up the tree: the parent's projection is its children's, the lead's part included
    const parent = projectKpi([total, y, x, z], 'total', START, TODAY);
    const zp = projectKpi([total, y, x, z], 'z', START, TODAY);
    expect(
      toDec(parent.value as string).eq(
        toDec(withLead.value as string).plus(toDec(zp.value as string)),
      ),
    ).toBe(true);
    // a computed KPI with a lead: its projection is its parts', and says so
    const led = projectKpi([{ ...total, leads: ['x'] }, y, x, z], 'total', START, TODAY);
    expect(led.value).toBe(parent.value);
    expect(led.lead).toEqual({ fromParts: true, checks: [], used: null });
  });

  it('leaves the trend where the lead did not earn it, saying why', () => {
    const [y, x] = builtPair(3);
    // the same lead against another KPI's history: not a lead of it
    const other = syntheticLeadGroups({
      count: 1,
      months: PROJECTION_HISTORY.month,
      first: addMonths(START, -PROJECTION_HISTORY.month),
      seed: 99,
    })[0];
    const w = kpi('w', [...(other?.lagging ?? []), null], {
      timeAggregation: 'last',
      leads: ['x'],
    });
    const p = projectKpi([y, x, w], 'w', START, TODAY);
    expect(p.lead?.used).toBeNull();
    expect(p.lead?.checks.map((c) => c.leadId)).toEqual(['x']);
    expect(p.lead?.checks[0]?.gate.kind).not.toBe('earned');
    expect(p.value).toBe(projectKpi([y, x, { ...w, leads: [] }], 'w', START, TODAY).value);
  });

  it('over a longer period: the open month as the KPI page projects it, a later month the trend’s', () => {
    const [y, x] = builtPair(3);
    const unled = { ...y, leads: [] };
    const page = projectKpi([y, x], 'y', START, TODAY);
    expect(page.lead?.used?.leadId).toBe('x');
    // a level over the quarter October to December: its last month, the open one, lead-informed
    const q4 = { start: '2026-10-01', cadence: 'quarter' as const };
    const overQ4 = projectKpiOver([y, x], 'y', q4, TODAY);
    expect(overQ4.value).toBe(page.value);
    expect(overQ4.value).not.toBe(projectKpiOver([unled, x], 'y', q4, TODAY).value);
    expect(overQ4.lead).toBeNull();
    // November to January: its last month is January, the trend's forecast two months out
    const later = { start: '2026-11-01', cadence: 'quarter' as const };
    expect(projectKpiOver([y, x], 'y', later, TODAY)).toEqual(
      projectKpiOver([unled, x], 'y', later, TODAY),
    );
  });
});

const randomSpecs = fc.array(
  fc.record({
    parent: fc.nat(),
    series: fc.array(fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }), {
      minLength: 1,
      maxLength: 14,
    }),
    rollup: fc.constantFrom('sum', 'average', 'manual', 'formula'),
    aggregation: fc.constantFrom('sum', 'last', 'average'),
    target: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null }),
    closed: fc.boolean(),
    // a lead: another random KPI, or the built pair's lead `x` or lagging KPI `y`
    lead: fc.option(fc.nat(), { nil: null }),
  }),
  { minLength: 1, maxLength: 12 },
);

type Spec = typeof randomSpecs extends fc.Arbitrary<(infer S)[]> ? S : never;

/**
 * A random catalogue: KPI `k<i>` of spec i, its parent one of the KPIs before it (a tree), a
 * formula reading the next two; the built pair `y` (led by `x`) under one of them; and the
 * period start of each (a closed spec: the month before).
 */
function randomCatalogue(
  specs: readonly Spec[],
  pairParent: number,
): { all: ForecastKpi[]; startOf: (k: ForecastKpi) => string } {
  const all = specs.map((s, i) => {
    const formula =
      s.rollup === 'formula' && i + 2 < specs.length
        ? {
            node: parseFormula(`k${i + 1} + k${i + 2} / 2`),
            missingPolicy: 'zero' as const,
          }
        : null;
    return kpi(
      `k${i}`,
      s.series.map((v) => (v === null ? null : String(v))),
      {
        key: `k${i}`,
        parentId: i === 0 || s.parent % 3 === 0 ? null : `k${s.parent % i}`,
        rollup: formula ? 'formula' : s.rollup === 'formula' ? 'manual' : s.rollup,
        timeAggregation: s.aggregation,
        formula,
        target: s.target === null ? null : String(s.target),
        ...(s.lead === null
          ? {}
          : { leads: [['x', 'y', `k${s.lead % specs.length}`][s.lead % 3] as string] }),
      },
    );
  });
  // the built pair, `y` (led by `x`) under one of the random KPIs
  const [y, x] = builtPair(3, { parentId: `k${pairParent % specs.length}` });
  all.push(y, x);
  const startOf = (k: ForecastKpi) =>
    k.id.startsWith('k') && specs[Number(k.id.slice(1))]?.closed ? '2026-11-01' : START;
  return { all, startOf };
}

describe('projectCatalogue', () => {
  it('projects a whole catalogue exactly as projectKpi projects each KPI (random trees and formulas)', () => {
    fc.assert(
      fc.property(randomSpecs, fc.nat(), (specs, pairParent) => {
        const { all, startOf } = randomCatalogue(specs, pairParent);
        const bulk = projectCatalogue(all, startOf, TODAY);
        const lean = projectCatalogue(all, startOf, TODAY, undefined, { ranges: false });
        expect(bulk.size).toBe(all.length);
        expect(bulk.get('y')?.lead?.used?.leadId).toBe('x');
        for (const k of all) {
          const one = projectKpi(all, k.id, startOf(k), TODAY);
          expect(bulk.get(k.id)).toEqual(one);
          // without ranges: the same value, share, status and method
          expect(lean.get(k.id)).toEqual({
            ...one,
            low: one.value,
            high: one.value,
            errorsUsed: 0,
          });
        }
        // over a longer period (a fiscal quarter, November to January: a complete month, the
        // open one, one after it): the same as projectKpiOver KPI by KPI, leads and all
        const quarter = { start: '2026-11-01', cadence: 'quarter' as const };
        const over = projectCatalogue(all, startOf, TODAY, undefined, { over: quarter });
        for (const k of all) {
          expect(over.get(k.id)).toEqual(projectKpiOver(all, k.id, quarter, TODAY));
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('with a warm series memo, after any change, projects exactly what it projects from scratch', () => {
    fc.assert(
      fc.property(
        randomSpecs,
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 13 }),
        fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
        (specs, pairParent, changed, back, value) => {
          const { all, startOf } = randomCatalogue(specs, pairParent);
          const quarter = { start: '2026-11-01', cadence: 'quarter' as const };
          const runs = [{ ranges: false }, { ranges: true }, { ranges: false, over: quarter }];
          const memo = new SeriesMemo<Point>((inputs) => inputs);
          const project = (kpis: ForecastKpi[], withMemo: boolean) =>
            runs.map((options) =>
              projectCatalogue(kpis, startOf, TODAY, undefined, {
                ...options,
                ...(withMemo ? { series: memo } : {}),
              }),
            );
          expect(project(all, true)).toEqual(project(all, false));
          // one KPI's value of one month (the open one, or one `back` months before) changed
          const victim = all[changed % all.length] as ForecastKpi;
          const values = new Map(victim.values);
          const month = addMonths(START, -back);
          if (value === null) values.delete(month);
          else values.set(month, String(value));
          const after = all.map((k) => (k === victim ? { ...k, values } : k));
          expect(project(after, true)).toEqual(project(after, false));
          // unchanged inputs: nothing computed again
          const computed = memo.counts.computed;
          expect(memo.counts.reused).toBeGreaterThan(0);
          project(after, true);
          expect(memo.counts.computed).toBe(computed);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('leaves out KPIs without a period start', () => {
    const all = [kpi('a', ['1', '2']), kpi('b', ['3'])];
    const bulk = projectCatalogue(all, (k) => (k.id === 'a' ? START : null), TODAY);
    expect([...bulk.keys()]).toEqual(['a']);
  });
});
