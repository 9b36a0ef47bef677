import { describe, expect, it } from 'vitest';
import { periodView, type PeriodInputs } from '@/lib/domain/kpi-summary';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { openPeriod, resolveDashboardPeriod } from './periods';
import { countByStatus } from './sections';

/*
 * The night-with-no-new-data property at the dashboard's level: the same stored values read on
 * two consecutive days give the same headline counts, except when a period closes.
 */

const org = {
  fyStartMonth: 1,
  timeZone: 'UTC',
  locale: 'en-US',
  greenThreshold: 1,
  amberThreshold: 0.85,
  gradingMinElapsed: 0.3333,
};

const kpi = (id: string, timeAggregation: TimeAggregation, defaultTarget: string) => ({
  id,
  cadence: 'month' as const,
  direction: 'increase' as const,
  timeAggregation,
  baseline: null,
  defaultTarget,
});

// Liam's quota and friends: flows behind and ahead of pace, levels on and off target.
const kpis = [
  kpi('quota', 'sum', '1000'),
  kpi('new-arr', 'sum', '500'),
  kpi('calls', 'sum', '300'),
  kpi('pipeline', 'last', '800'),
  kpi('nps', 'average', '50'),
];
const stored = (value: string) => ({ value, childrenReported: 0, childrenExpected: 0 });
const inputs: PeriodInputs = {
  values: new Map([
    // November (complete)
    ['quota|2026-11-01', stored('1100')],
    ['new-arr|2026-11-01', stored('440')],
    ['calls|2026-11-01', stored('150')],
    ['pipeline|2026-11-01', stored('790')],
    ['nps|2026-11-01', stored('52')],
    // December so far (recorded by Dec 5, nothing after)
    ['quota|2026-12-01', stored('130')],
    ['new-arr|2026-12-01', stored('120')],
    ['calls|2026-12-01', stored('20')],
    ['pipeline|2026-12-01', stored('814')],
    ['nps|2026-12-01', stored('44')],
  ]),
  targets: new Map(),
};

function headline(today: string, period = resolveDashboardPeriod(undefined, org, today)) {
  return countByStatus(
    kpis.map((k) => ({ view: periodView(org, k, period.start, inputs, today, 0) })),
  );
}

describe('dashboard headline counts on consecutive days without new data', () => {
  it('lead with the last complete month, unchanged from one night to the next', () => {
    expect(headline('2026-12-05')).toEqual(headline('2026-12-06'));
    expect(headline('2026-12-05')).toEqual({
      on_track: 2,
      at_risk: 2,
      off_track: 1,
      in_progress: 0,
      no_data: 0,
      total: 5,
    });
  });

  it('this period so far does not move with the clock within the first share', () => {
    const soFar = (today: string) => headline(today, openPeriod('month', org, today));
    expect(soFar('2026-12-05')).toEqual(soFar('2026-12-06'));
    expect(soFar('2026-12-09')).toEqual(soFar('2026-12-10'));
    // Flows are in progress; levels and rates are graded from day one.
    expect(soFar('2026-12-05')).toMatchObject({ in_progress: 3, on_track: 1, at_risk: 1 });
  });

  it('across the share the open period starts grading flows against pace', () => {
    const soFar = (today: string) => headline(today, openPeriod('month', org, today));
    expect(soFar('2026-12-10').in_progress).toBe(3);
    expect(soFar('2026-12-11')).toMatchObject({
      in_progress: 0,
      off_track: 3,
      on_track: 1,
      at_risk: 1,
    });
  });

  it('the headline changes when a month closes, and only then', () => {
    expect(headline('2026-12-31')).toEqual(headline('2026-12-05'));
    const january = headline('2027-01-01');
    expect(january).not.toEqual(headline('2026-12-31'));
    expect(january).toMatchObject({ off_track: 3, on_track: 1, at_risk: 1, in_progress: 0 });
  });
});
