import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDec } from '@/lib/domain/decimal';
import { parseFormula } from '@/lib/domain/formula/parser';
import { addMonths } from '@/lib/domain/dates';
import { rollupChildren } from '@/lib/domain/rollup';
import { testAttributionKpi } from '@/lib/domain/attribution/test-kpis';
import { projectCatalogue, projectKpi, type ForecastKpi } from './projection';

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

describe('projectCatalogue', () => {
  it('projects a whole catalogue exactly as projectKpi projects each KPI (random trees and formulas)', () => {
    const series = fc.array(fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }), {
      minLength: 1,
      maxLength: 14,
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            parent: fc.nat(),
            series,
            rollup: fc.constantFrom('sum', 'average', 'manual', 'formula'),
            aggregation: fc.constantFrom('sum', 'last', 'average'),
            target: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null }),
            closed: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (specs) => {
          // KPI i's parent is one of the KPIs before it (a tree); a formula reads the next two.
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
              },
            );
          });
          const startOf = (k: ForecastKpi) =>
            specs[Number(k.id.slice(1))]?.closed ? '2026-11-01' : START;
          const bulk = projectCatalogue(all, startOf, TODAY);
          const lean = projectCatalogue(all, startOf, TODAY, undefined, { ranges: false });
          expect(bulk.size).toBe(all.length);
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
