import { describe, expect, it } from 'vitest';
import { checkFormula } from '@/lib/domain/formula/check';
import { parseFormula } from '@/lib/domain/formula/parser';
import { Dec } from '@/lib/domain/decimal';
import { DEFAULT_KPI_LIMITS } from '@/lib/domain/kpi-limits';
import { addMonths } from '@/lib/domain/dates';
import { periodStart } from '@/lib/domain/periods';
import { DEMO_OPENING_ARR } from './demo-data';
import { buildDemoPlan, DEMO_MONTHS } from './demo-plan';
import { validateSeedPlan, type SeedKpi, type SeedPlan } from './plan';
import { planPeriodValues } from './plan-values';

/*
 * The demo follows the rules it shows off: its KPI limits, links a finance or operations lead
 * would draw (a computing parent combines only like with like), ARR that moves by exactly its
 * flows (a formula KPI, computed like its other formula KPIs, never checked in), and values inside
 * their valid ranges and near their targets.
 * Checked on a few dates, since the plan depends on the day it is seeded.
 */

const DAYS = ['2026-12-05', '2026-08-20', '2027-03-31'];

function plan(day: string): SeedPlan {
  return buildDemoPlan({
    orgId: crypto.randomUUID(),
    today: day,
    now: new Date(`${day}T23:00:00Z`),
  });
}

function byKey(p: SeedPlan): (key: string) => SeedKpi {
  const map = new Map(p.kpis.map((k) => [k.key, k]));
  return (key) => {
    const kpi = map.get(key);
    if (!kpi) throw new Error(`no demo KPI ${key}`);
    return kpi;
  };
}

/** The valid range of a reading: percents 0-100 (retention may exceed it), anything else >= 0. */
function validRange(kpi: SeedKpi): { min: number; max: number } {
  if (kpi.key === 'company.nrr') return { min: 0, max: 300 };
  return { min: 0, max: kpi.measureUnit === 'percent' ? 100 : Number.POSITIVE_INFINITY };
}

describe.each(DAYS)('the demo seeded on %s', (day) => {
  const p = plan(day);
  const kpi = byKey(p);
  const values = planPeriodValues(p);
  const valueOf = (key: string, start: string) => values.get(kpi(key).id)?.get(start)?.value;

  it('is a valid plan covering 36 months', () => {
    expect(validateSeedPlan(p)).toEqual([]);
    const dates = p.checkins.map((c) => c.observedOn).sort();
    expect(dates[0]?.slice(0, 7)).toBe(
      addMonths(periodStart(day, 'month', 1), -(DEMO_MONTHS - 1)).slice(0, 7),
    );
    expect(DEMO_MONTHS).toBe(36);
  });

  it('stays within its KPI limits (per unit and per person)', () => {
    const perUnit = new Map<string, string[]>();
    const perPerson = new Map<string, string[]>();
    for (const k of p.kpis) {
      if (!k.isIndividual) perUnit.set(k.unitId, [...(perUnit.get(k.unitId) ?? []), k.key!]);
      if (k.ownerUserId)
        perPerson.set(k.ownerUserId, [...(perPerson.get(k.ownerUserId) ?? []), k.key!]);
    }
    const over = (map: Map<string, string[]>, limit: number) =>
      [...map.values()].filter((keys) => keys.length > limit);
    expect(over(perUnit, DEFAULT_KPI_LIMITS.perUnit)).toEqual([]);
    expect(over(perPerson, DEFAULT_KPI_LIMITS.perPerson)).toEqual([]);
    // The department head persona has room for one more KPI of their own.
    const head = p.users.find((u) => u.email === 'sales.head@northwind.demo')!;
    expect(perPerson.get(head.id)!.length).toBeLessThan(DEFAULT_KPI_LIMITS.perPerson);
  });

  it('combines only like with like under a computing parent, and its targets agree', () => {
    const byId = new Map(p.kpis.map((k) => [k.id, k]));
    const overrides = new Map(p.targets.map((t) => [`${t.kpiId}|${t.periodStart}`, t.target]));
    const targetOf = (k: SeedKpi, start: string) =>
      new Dec(overrides.get(`${k.id}|${start}`) ?? k.defaultTarget ?? '0');
    const months = [...new Set(p.targets.map((t) => t.periodStart))];
    for (const child of p.kpis) {
      const parent = child.parentId ? byId.get(child.parentId) : undefined;
      // Manual and formula parents compute nothing from their children.
      if (!parent || parent.rollup === 'manual' || parent.rollup === 'formula') continue;
      const pair = `${child.key} -> ${parent.key}`;
      expect([child.measureUnit, child.currency], pair).toEqual([
        parent.measureUnit,
        parent.currency,
      ]);
      expect(child.timeAggregation, pair).toBe(parent.timeAggregation);
      expect(child.cadence, pair).toBe(parent.cadence);
    }
    for (const parent of p.kpis.filter((k) => k.rollup === 'sum')) {
      const children = p.kpis.filter((k) => k.parentId === parent.id);
      for (const start of months) {
        const sum = children.reduce((a, c) => a.plus(targetOf(c, start)), new Dec(0));
        expect(targetOf(parent, start).toString(), `${parent.key} ${start}`).toBe(sum.toString());
      }
    }
  });

  it('has formula KPIs without check-ins, each with a value in every month of data', () => {
    const formulas = p.kpis.filter((k) => k.rollup === 'formula');
    expect(formulas.map((k) => k.key).sort()).toEqual([
      'company.arr',
      'company.net_new_arr',
      'company.nrr',
      'marketing.mql_to_sql',
    ]);
    const ids = new Set(formulas.map((k) => k.id));
    expect(p.checkins.filter((c) => ids.has(c.kpiId))).toEqual([]);
    for (const k of formulas.filter((f) => f.cadence === 'month')) {
      expect(values.get(k.id)?.size, k.key!).toBe(DEMO_MONTHS);
    }
    // NRR reads the ARR its quarter opened with: every quarter after the first month of data.
    expect(values.get(kpi('company.nrr').id)?.size).toBeGreaterThanOrEqual(11);
  });

  it('has formulas the formula checks accept (keys, cadences, units, no cycle)', () => {
    const catalogue = p.kpis.map((k) => ({
      ...k,
      formula: k.formula ? parseFormula(k.formula) : null,
      archived: false,
    }));
    for (const k of catalogue.filter((c) => c.rollup === 'formula')) {
      expect(checkFormula(k, k.formula!, catalogue), k.key!).toEqual([]);
    }
  });

  it('moves ARR by exactly new + expansion - churned ARR each month, from its baseline', () => {
    const arr = kpi('company.arr');
    expect(arr.baseline).toBe(String(DEMO_OPENING_ARR));
    expect(arr.rollup).toBe('formula');
    expect(arr.formula).toBe(
      'prev(company.arr) + sales.new_arr + cs.expansion_arr - cs.churned_arr',
    );
    expect(arr.missingPolicy).toBe('zero');
    const current = periodStart(day, 'month', 1);
    let previous = new Dec(arr.baseline!);
    for (let i = DEMO_MONTHS - 1; i >= 0; i -= 1) {
      const m = addMonths(current, -i);
      const flows = new Dec(valueOf('sales.new_arr', m) ?? 'NaN')
        .plus(valueOf('cs.expansion_arr', m) ?? 'NaN')
        .minus(valueOf('cs.churned_arr', m) ?? 'NaN');
      const value = new Dec(valueOf('company.arr', m) ?? 'NaN');
      expect(value.toString(), m).toBe(previous.plus(flows).toString());
      expect(valueOf('company.net_new_arr', m), m).toBe(flows.toString());
      previous = value;
    }
  });

  it('keeps MQLs and SQLs, with the conversion rate their ratio', () => {
    for (let i = 1; i < 6; i += 1) {
      const m = addMonths(periodStart(day, 'month', 1), -i);
      const mqls = new Dec(valueOf('marketing.mqls', m) ?? 'NaN');
      const sqls = new Dec(valueOf('marketing.sqls', m) ?? 'NaN');
      expect(new Dec(valueOf('marketing.mql_to_sql', m) ?? 'NaN').toFixed(8), m).toBe(
        sqls.div(mqls).times(100).toFixed(8),
      );
    }
  });

  it('computes NRR from the quarter’s expansion and churn over its opening ARR', () => {
    const nrr = kpi('company.nrr');
    const quarter = periodStart(day, 'quarter', p.org.fyStartMonth);
    for (let q = 1; q < 5; q += 1) {
      const start = addMonths(quarter, -3 * q);
      const months = [0, 1, 2].map((i) => addMonths(start, i));
      const net = months.reduce(
        (a, m) =>
          a
            .plus(valueOf('cs.expansion_arr', m) ?? 'NaN')
            .minus(valueOf('cs.churned_arr', m) ?? 'NaN'),
        new Dec(0),
      );
      const opening = new Dec(valueOf('company.arr', addMonths(start, -1)) ?? 'NaN');
      const expected = net.times(400).div(opening).plus(100);
      expect(new Dec(values.get(nrr.id)?.get(start)?.value ?? 'NaN').toFixed(8), start).toBe(
        expected.toFixed(8),
      );
    }
  });

  it('records readings inside their valid ranges, and closed months near their targets', () => {
    const byId = new Map(p.kpis.map((k) => [k.id, k]));
    const outside = p.checkins.filter((c) => {
      const range = validRange(byId.get(c.kpiId)!);
      return Number(c.value) < range.min || Number(c.value) > range.max;
    });
    expect(outside.map((c) => `${byId.get(c.kpiId)?.key} ${c.observedOn} ${c.value}`)).toEqual([]);

    const overrides = new Map(p.targets.map((t) => [`${t.kpiId}|${t.periodStart}`, t.target]));
    const far: string[] = [];
    for (const k of p.kpis) {
      const current = periodStart(day, k.cadence, 1);
      for (const [start, v] of values.get(k.id) ?? []) {
        if (start >= current) continue;
        const ratio =
          Number(v.value) / Number(overrides.get(`${k.id}|${start}`) ?? k.defaultTarget);
        // Never 1,000% of a downtime budget nor a tenth of a quota; a bad month is allowed.
        if (ratio > 2.5 || (k.direction === 'increase' && ratio < 0.25))
          far.push(`${k.key} ${start} ${v.value}`);
      }
    }
    expect(far).toEqual([]);
  });

  it('has targets reached in most closed months and missed in some', () => {
    const arr = kpi('sales.new_arr');
    const current = periodStart(day, 'month', 1);
    const overrides = new Map(p.targets.map((t) => [`${t.kpiId}|${t.periodStart}`, t.target]));
    const ratios = [...(values.get(arr.id) ?? [])]
      .filter(([start]) => start < current)
      .map(
        ([start, v]) =>
          Number(v.value) / Number(overrides.get(`${arr.id}|${start}`) ?? arr.defaultTarget),
      );
    expect(ratios).toHaveLength(DEMO_MONTHS - 1);
    expect(ratios.filter((r) => r >= 0.85).length).toBeGreaterThan(ratios.length / 2);
    expect(ratios.filter((r) => r < 1).length).toBeGreaterThan(0);
  });
});
