import { describe, expect, it } from 'vitest';
import { parseFormula } from './parser';
import { inferUnit, kpiUnit, resultUnitProblem, unitLabel, type FormulaUnit } from './units';

const units: Record<string, FormulaUnit> = {
  rev: kpiUnit({ measureUnit: 'currency', currency: 'EUR' }),
  usd: kpiUnit({ measureUnit: 'currency', currency: 'USD' }),
  customers: kpiUnit({ measureUnit: 'count', currency: null }),
  ltv_cac: kpiUnit({ measureUnit: 'ratio', currency: null }),
  churn: kpiUnit({ measureUnit: 'percent', currency: null }),
  hours: kpiUnit({ measureUnit: 'duration', currency: null }),
};

const infer = (text: string) => inferUnit(parseFormula(text), (k) => units[k] ?? null);
const label = (text: string): string => unitLabel(infer(text).unit);

describe('unit algebra', () => {
  it.each([
    ['rev', 'EUR'],
    ['rev / customers', 'EUR'],
    ['rev / hours', 'EUR/duration'],
    ['rev * rev', 'EUR²'],
    ['rev * rev * rev / hours / hours', 'EUR³/duration²'],
    ['rev / rev', 'a plain number'],
    ['customers * ltv_cac', 'a plain number'],
    ['churn', 'percent'],
    ['churn * 2', 'percent'],
    ['churn * churn', 'a plain number'],
    ['rev * churn / 100', 'EUR'],
    ['1 + 2', 'a plain number'],
    ['-abs(prev(hours))', 'duration'],
    ['coalesce(rev, 0)', 'EUR'],
    ['unknown + rev', 'EUR'],
  ])('%s is %s', (text, expected) => {
    expect(infer(text).problems).toEqual([]);
    expect(label(text)).toBe(expected);
  });

  it('reports additive mixes at the operator or call', () => {
    expect(infer('rev + usd').problems).toEqual([
      { message: "'+' mixes EUR and USD", span: { start: 4, end: 5 } },
    ]);
    expect(infer('min(customers, churn, rev)').problems).toEqual([
      { message: 'min() mixes a plain number and percent', span: { start: 0, end: 26 } },
    ]);
    expect(infer('hours - customers').problems[0]?.message).toBe(
      "'-' mixes duration and a plain number",
    );
  });

  it('compares the result with the KPI by currency only', () => {
    const eur = { measureUnit: 'currency', currency: 'EUR' } as const;
    expect(resultUnitProblem(infer('rev / customers').unit, eur)).toBeNull();
    expect(resultUnitProblem(infer('customers * 5').unit, eur)).toBeNull();
    expect(resultUnitProblem(infer('usd').unit, eur)).toBe(
      'The formula gives USD, but this KPI is measured in EUR',
    );
    expect(resultUnitProblem(infer('rev').unit, { measureUnit: 'ratio', currency: null })).toBe(
      'The formula gives EUR, but this KPI is measured in ratio',
    );
    expect(
      resultUnitProblem(infer('hours / customers').unit, { measureUnit: 'count', currency: null }),
    ).toBeNull();
  });
});
