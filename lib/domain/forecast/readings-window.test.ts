import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testAttributionKpi } from '@/lib/domain/attribution/test-kpis';
import { addDays, addMonths } from '@/lib/domain/dates';
import { parseFormula } from '@/lib/domain/formula/parser';
import { projectCatalogue, type ForecastKpi } from './projection';
import { readingsWindows, shapeWindowStart, type WindowKpi } from './readings-window';

/*
 * What check-ins a projection reads (issue 24, item 1, review): the last 12 periods of a flow's
 * cadence before the open one (at most the periods its trend reads), at the longest cadence it
 * is projected at; loaders read from there, and a projection over check-ins cut there is the
 * projection over all of them.
 */

const TODAY = '2026-12-16';

function row(id: string, over: Partial<WindowKpi> = {}): WindowKpi {
  return {
    id,
    key: id,
    cadence: 'month',
    rollup: 'manual',
    timeAggregation: 'sum',
    formula: null,
    ...over,
  };
}

describe('shapeWindowStart', () => {
  it('is 12 months, 9 quarters (its history) or 5 years before the open period', () => {
    expect(shapeWindowStart('month', TODAY, 1)).toBe('2025-12-01');
    expect(shapeWindowStart('quarter', TODAY, 1)).toBe('2024-07-01');
    expect(shapeWindowStart('year', TODAY, 1)).toBe('2021-01-01');
    // a fiscal year starting in April
    expect(shapeWindowStart('quarter', TODAY, 4)).toBe('2024-07-01');
    expect(shapeWindowStart('year', TODAY, 4)).toBe('2021-04-01');
  });
});

describe('readingsWindows', () => {
  it('groups manual flows by where their reads start; a flow a quarterly formula reads reads 9 quarters', () => {
    const windows = readingsWindows(
      [
        row('a'),
        row('b'),
        row('q', { cadence: 'quarter' }),
        row('level', { timeAggregation: 'last' }),
        row('parent', { rollup: 'sum' }),
        row('read', {}),
        row('f', {
          cadence: 'quarter',
          rollup: 'formula',
          timeAggregation: 'last',
          formula: 'read + a',
        }),
        row('g', { rollup: 'formula', timeAggregation: 'sum', formula: 'b * 2' }),
      ],
      TODAY,
      1,
    );
    expect(Object.fromEntries(windows)).toEqual({
      '2025-12-01': ['b'],
      '2024-07-01': ['a', 'q', 'read'],
    });
  });
});

describe('a projection over the check-ins in its window', () => {
  it('is the projection over all of them (random flows with gaps, read monthly and quarterly)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            value: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
            days: fc.array(fc.integer({ min: 0, max: 27 }), { minLength: 1, maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.boolean(),
        (months, quarterly) => {
          // one reading per month day drawn, splitting the month's value; the last is this month
          const open = '2026-12-01';
          const values = new Map<string, string>();
          const checkins: { observedOn: string; value: string }[] = [];
          months.forEach((m, i) => {
            const start = addMonths(open, i - (months.length - 1));
            if (m.value === null) return;
            const days = i === months.length - 1 ? m.days.filter((d) => d < 15) : m.days;
            if (days.length === 0) return;
            values.set(start, String(m.value * days.length));
            for (const d of days)
              checkins.push({ observedOn: addDays(start, d), value: String(m.value) });
          });
          const flow = (cs: typeof checkins): ForecastKpi => ({
            ...testAttributionKpi('x', { values, ownTarget: () => '100' }),
            direction: 'increase',
            checkins: cs,
          });
          const f: ForecastKpi = {
            ...testAttributionKpi('f', {
              cadence: 'quarter',
              rollup: 'formula',
              timeAggregation: 'last',
              formula: { node: parseFormula('x * 2'), missingPolicy: 'zero' },
            }),
            direction: 'increase',
          };
          const rows = [
            row('x'),
            ...(quarterly
              ? [row('f', { cadence: 'quarter', rollup: 'formula', formula: 'x * 2' })]
              : []),
          ];
          const [from] = [...readingsWindows(rows, TODAY, 1).keys()];
          const cut = checkins.filter((c) => c.observedOn >= (from as string));
          const project = (cs: typeof checkins) =>
            projectCatalogue(
              quarterly ? [flow(cs), f] : [flow(cs)],
              (k) => (k.cadence === 'quarter' ? '2026-10-01' : open),
              TODAY,
            );
          expect(project(cut)).toEqual(project(checkins));
        },
      ),
      { numRuns: 80 },
    );
  }, 60_000);
});
