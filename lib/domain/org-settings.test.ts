import { describe, expect, it } from 'vitest';
import {
  isListedTimeZone,
  localeSample,
  MONTH_NAMES,
  planSettingsChange,
  regroupedCadences,
  thresholdPercent,
  thresholdShare,
  thresholdsProblem,
  timeZoneNames,
} from './org-settings';

const facts = {
  quarter: { kpis: 30, periods: 12 },
  year: { kpis: 10, periods: 3 },
  strandedTargets: 0,
};

describe('time zones and locales', () => {
  it('lists IANA zones with UTC, spelled exactly', () => {
    expect(timeZoneNames()).toContain('UTC');
    expect(timeZoneNames()).toContain('Europe/Berlin');
    expect(isListedTimeZone('Europe/Berlin')).toBe(true);
    expect(isListedTimeZone('europe/berlin')).toBe(false);
    expect(isListedTimeZone('Mars/Olympus')).toBe(false);
  });
  it('shows how each locale writes numbers and dates', () => {
    expect(localeSample('en-US')).toBe('1,234.5 · 12/31/26');
    expect(localeSample('de-DE')).toBe('1.234,5 · 31.12.26');
    expect(localeSample('en-GB')).toBe('1,234.5 · 31/12/2026');
  });
  it('names the twelve months', () => {
    expect(MONTH_NAMES).toHaveLength(12);
    expect(MONTH_NAMES[0]).toBe('January');
    expect(MONTH_NAMES[11]).toBe('December');
  });
});

describe('thresholds', () => {
  it('converts whole percentages to exact stored shares and back', () => {
    expect(thresholdShare(85)).toBe('0.85');
    expect(thresholdShare(100)).toBe('1.00');
    expect(thresholdShare(5)).toBe('0.05');
    expect(thresholdShare(120)).toBe('1.20');
    expect(thresholdPercent(0.85)).toBe(85);
    expect(thresholdPercent(1)).toBe(100);
  });
  it('wants on track above at risk', () => {
    expect(thresholdsProblem(100, 85)).toBeNull();
    expect(thresholdsProblem(85, 85)).toMatch(/must be below/);
    expect(thresholdsProblem(80, 90)).toMatch(/must be below/);
  });
});

describe('planSettingsChange', () => {
  it('regroups quarters and years unless the start moves by whole quarters', () => {
    expect(regroupedCadences(1, 1)).toEqual([]);
    expect(regroupedCadences(1, 2)).toEqual(['quarter', 'year']);
    expect(regroupedCadences(1, 4)).toEqual(['year']);
    expect(regroupedCadences(10, 1)).toEqual(['year']);
  });
  it('says how many periods of how many KPIs will be recomputed', () => {
    const plan = planSettingsChange({
      from: { fyStartMonth: 1, timeZone: 'UTC' },
      to: { fyStartMonth: 2, timeZone: 'UTC' },
      facts: { ...facts, strandedTargets: 2 },
      todayInNewZone: '2026-12-05',
    });
    expect(plan.fiscalYear).toEqual({ from: 1, to: 2 });
    expect(plan.timeZone).toBeNull();
    expect(plan.summary).toEqual([
      'Fiscal years will start in February instead of January.',
      '12 quarterly periods and 3 yearly periods of 40 KPIs will be recomputed from their check-ins.',
      '2 per-period targets of quarterly or yearly KPIs no longer start a period and will be removed (the audit log keeps them).',
    ]);
  });
  it('counts only years when quarters stay, and nothing without values', () => {
    const plan = planSettingsChange({
      from: { fyStartMonth: 1, timeZone: 'UTC' },
      to: { fyStartMonth: 7, timeZone: 'UTC' },
      facts,
      todayInNewZone: '2026-12-05',
    });
    expect(plan.recompute.quarter).toEqual({ kpis: 0, periods: 0 });
    expect(plan.summary[1]).toBe(
      '3 yearly periods of 10 KPIs will be recomputed from their check-ins.',
    );
    const empty = planSettingsChange({
      from: { fyStartMonth: 1, timeZone: 'UTC' },
      to: { fyStartMonth: 2, timeZone: 'UTC' },
      facts: {
        quarter: { kpis: 0, periods: 0 },
        year: { kpis: 0, periods: 0 },
        strandedTargets: 0,
      },
      todayInNewZone: '2026-12-05',
    });
    expect(empty.summary[1]).toMatch(/nothing to recompute/);
  });
  it('a time zone change moves no stored value', () => {
    const plan = planSettingsChange({
      from: { fyStartMonth: 1, timeZone: 'UTC' },
      to: { fyStartMonth: 1, timeZone: 'Asia/Tokyo' },
      facts,
      todayInNewZone: '2026-12-06',
    });
    expect(plan.fiscalYear).toBeNull();
    expect(plan.recompute).toEqual({
      quarter: { kpis: 0, periods: 0 },
      year: { kpis: 0, periods: 0 },
    });
    expect(plan.summary).toEqual([
      '"Today", the open period and reminder times will follow Asia/Tokyo (today there: 2026-12-06). Stored values depend only on check-in dates and stay as they are.',
    ]);
  });
});
