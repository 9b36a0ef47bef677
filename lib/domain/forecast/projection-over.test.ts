import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testAttributionKpi } from '@/lib/domain/attribution/test-kpis';
import { aggregatedView } from '@/lib/domain/dashboard/aggregated-view';
import { addMonths } from '@/lib/domain/dates';
import { toDec } from '@/lib/domain/decimal';
import { parseFormula } from '@/lib/domain/formula/parser';
import { DEFAULT_THRESHOLDS } from '@/lib/domain/progress';
import { rollupChildren } from '@/lib/domain/rollup';
import { forecastWith, forecasterWith, toSeries, trendForecast } from './methods';
import { projectCatalogue, projectKpi, projectKpiOver, type ForecastKpi } from './projection';

/*
 * A KPI over a longer period than its own (issue 24, item 1: a monthly KPI on a quarter's or a
 * year's dashboard): its months so far plus its projected months, combined as the dashboard
 * combines its months, the open month being the KPI page's projection; and the months after the
 * open one, forecast that many periods ahead.
 */

const QUARTER = { start: '2026-10-01', cadence: 'quarter' as const };
const OCT = '2026-10-01';
const NOV = '2026-11-01';
const DEC = '2026-12-01';
const TODAY = '2026-10-16'; // 16 of 31 days of October, the first month of the quarter

/** A monthly KPI: `monthly` ends with the month of `last` (October by default). */
function kpi(
  id: string,
  monthly: (string | null)[],
  over: Partial<ForecastKpi> & { target?: string | null } = {},
  last = OCT,
): ForecastKpi {
  const { target = null, ...rest } = over;
  const values = new Map<string, string>();
  monthly.forEach((v, i) => {
    if (v !== null) values.set(addMonths(last, i - (monthly.length - 1)), v);
  });
  return {
    ...testAttributionKpi(id, { values, ownTarget: () => target }),
    direction: 'increase',
    ...rest,
  };
}

const dec = (v: string | null) => toDec(v as string);

describe('trendForecast ahead', () => {
  it('continues the same line further out', () => {
    const series = toSeries(['100', '110', '120', '130']);
    expect(trendForecast(series)?.toFixed()).toBe('140');
    expect(trendForecast(series, 1)?.toFixed()).toBe('140');
    expect(trendForecast(series, 3)?.toFixed()).toBe('160');
    // fitted once, the same forecasts at every distance, for every method
    for (const method of ['naive', 'trend', 'seasonal'] as const) {
      const long = toSeries(Array.from({ length: 20 }, (_, i) => String(100 + ((i * 37) % 23))));
      for (const ahead of [1, 2, 5, 12, 13]) {
        expect(forecasterWith(method, long, 12)(ahead)?.toFixed()).toBe(
          forecastWith(method, long, 12, ahead)?.toFixed(),
        );
      }
    }
    expect(trendForecast(toSeries(['5', '7']), 4)?.toFixed()).toBe('7'); // naive under 3 values
  });
});

describe('projectKpi of a period after the open one', () => {
  it('is the forecast that many periods ahead of the last complete one, with nothing so far', () => {
    // Apr..Sep 100..150 and 80 so far in October: the line says 160, 170, 180 for Oct..Dec
    const deals = kpi('deals', ['100', '110', '120', '130', '140', '150', '80']);
    expect(projectKpi([deals], 'deals', NOV, TODAY)).toMatchObject({ value: '170', soFar: null });
    expect(projectKpi([deals], 'deals', DEC, TODAY).value).toBe('180');
    const level = kpi('mrr', ['10', '20', '30', '40', null], { timeAggregation: 'last' });
    expect(projectKpi([level], 'mrr', DEC, TODAY).value).toBe('70');
  });

  it('a stock formula reads the projection of its own previous period when that is not over', () => {
    const newArr = kpi('new_arr', ['10', '10', '10', '10', '5'], { key: 'new_arr' });
    const arr = kpi('arr', ['100', '110', '120', '130', null], {
      key: 'arr',
      timeAggregation: 'last',
      rollup: 'formula',
      formula: { node: parseFormula('prev(arr) + new_arr'), missingPolicy: 'zero' },
    });
    const all = [newArr, arr];
    const [oct, nov, december] = [OCT, NOV, DEC].map((s) =>
      dec(projectKpi(all, 'arr', s, TODAY).value),
    );
    const newOct = dec(projectKpi(all, 'new_arr', OCT, TODAY).value);
    // October: September's 130 (a fact) plus October's new ARR; then each month on the one before
    expect(oct?.eq(toDec('130').plus(newOct))).toBe(true);
    expect(nov?.eq(oct!.plus(10))).toBe(true);
    expect(december?.eq(nov!.plus(10))).toBe(true);
  });
});

describe('projectKpiOver', () => {
  it('a flow: the months so far plus the projected months, against the quarter’s target', () => {
    const deals = kpi('deals', ['100', '110', '120', '130', '140', '150', '80'], {
      target: '150',
    });
    const p = projectKpiOver([deals], 'deals', QUARTER, TODAY);
    const october = projectKpi([deals], 'deals', OCT, TODAY);
    expect(p.method).toBe('periods');
    expect(p.periodStart).toBe(QUARTER.start);
    expect(p.soFar).toBe('80');
    expect(p.target).toBe('450');
    expect(p.value).toBe(dec(october.value).plus(170).plus(180).toFixed());
    expect(p.share).toBeCloseTo(dec(p.value).div(450).toNumber(), 12);
    expect(p.status).toBe('on_track');
  });

  it('completed months count as they are: two months in, the third is the KPI page’s projection', () => {
    const today = '2026-12-10';
    const deals = kpi(
      'deals',
      ['100', '110', '120', '130', '140', '170', '160', '90'],
      {
        target: '100',
      },
      DEC,
    );
    const p = projectKpiOver([deals], 'deals', QUARTER, today);
    const december = projectKpi([deals], 'deals', DEC, today);
    expect(p.soFar).toBe(toDec('170').plus(160).plus(90).toFixed());
    expect(p.value).toBe(toDec('170').plus(160).plus(dec(december.value)).toFixed());
  });

  it('a level: the projection of the quarter’s last month, against its target', () => {
    const mrr = kpi('mrr', ['10', '20', '30', '40', '44'], {
      timeAggregation: 'last',
      ownTarget: (s) => (s === DEC ? '100' : '50'),
    });
    const p = projectKpiOver([mrr], 'mrr', QUARTER, TODAY);
    expect(p.value).toBe(projectKpi([mrr], 'mrr', DEC, TODAY).value);
    expect(p.target).toBe('100');
    expect(p.status).toBe('off_track');
  });

  it('a rate: the average of its months, as the dashboard averages them', () => {
    const rate = kpi('nps', ['30', '32', '34', '36', '37'], { timeAggregation: 'average' });
    const p = projectKpiOver([rate], 'nps', QUARTER, TODAY);
    const months = [OCT, NOV, DEC].map((s) => dec(projectKpi([rate], 'nps', s, TODAY).value));
    expect(
      dec(p.value).minus(months[0]!.plus(months[1]!).plus(months[2]!).div(3)).abs().lte('1e-9'),
    ).toBe(true);
  });

  it('combines as the dashboard combines its months (aggregatedView over the projected months)', () => {
    const deals = kpi('deals', ['100', '110', '120', '130', '140', '150', '80'], {
      target: '150',
    });
    const p = projectKpiOver([deals], 'deals', QUARTER, TODAY);
    const months = [OCT, NOV, DEC].map((s) => ({
      start: s,
      stored: {
        value: projectKpi([deals], 'deals', s, TODAY).value as string,
        childrenReported: 0,
        childrenExpected: 0,
      },
      target: '150',
    }));
    const view = aggregatedView(
      { ...deals, current: { childrenExpected: 0 } },
      {
        key: 'quarter-2026-10-01',
        cadence: 'quarter',
        start: QUARTER.start,
        label: 'Q4',
        isCurrent: false,
        asOf: '2026-12-31',
      },
      months,
      '2027-01-05', // as if the quarter were over with these months
      DEFAULT_THRESHOLDS,
    );
    expect(p.value).toBe(view.value);
    expect(p.target).toBe(view.target);
  });

  it('refuses a KPI that is not shorter than the period', () => {
    const q = kpi('q', ['1'], { cadence: 'quarter' });
    expect(() => projectKpiOver([q], 'q', QUARTER, TODAY)).toThrow(RangeError);
  });
});

describe('projectCatalogue over a dashboard period', () => {
  it('projects the shorter KPIs over it, the others over their own period, and parents stay consistent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 4, maxLength: 14 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom('2026-10-16', '2026-11-03', '2026-12-30'),
        (childSeries, today) => {
          const last = today.slice(0, 8) + '01';
          const kids = childSeries.map((series, i) =>
            kpi(`c${i}`, series.map(String), { parentId: 'total', target: '500' }, last),
          );
          // the parent's stored values are its children's sums, as the cascade stores them
          const sums = Array.from(
            { length: Math.max(...childSeries.map((c) => c.length)) },
            (_, j) => String(childSeries.reduce((a, c) => a + (c[c.length - 1 - j] ?? 0), 0)),
          ).reverse();
          const total = kpi('total', sums, { rollup: 'sum', target: '1000' }, last);
          const yearly = kpi('y', [], {
            cadence: 'year',
            values: new Map([
              ['2024-01-01', '5'],
              ['2025-01-01', '6'],
            ]),
          });
          const all = [total, ...kids];
          const over = projectCatalogue(all, () => last, today, undefined, {
            ranges: false,
            over: QUARTER,
          });
          const kidsOver = kids.map((c) => over.get(c.id)?.value ?? null);
          expect(over.get('total')?.periodStart).toBe(QUARTER.start);
          expect(over.get('total')?.value).toBe(
            rollupChildren(
              'sum',
              kidsOver.map((value) => ({ value, weight: '1' })),
            ).value,
          );
          expect(over.get('total')?.target).toBe('3000');
          for (const c of kids) {
            expect(over.get(c.id)).toEqual({
              ...projectKpiOver(all, c.id, QUARTER, today),
              low: over.get(c.id)?.value,
              high: over.get(c.id)?.value,
              errorsUsed: 0,
            });
          }
          // a longer KPI keeps its own period
          const own = projectCatalogue([yearly], () => '2026-01-01', today, undefined, {
            ranges: false,
          });
          expect(
            projectCatalogue([yearly], () => '2026-01-01', today, undefined, {
              ranges: false,
              over: QUARTER,
            }),
          ).toEqual(own);
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});
