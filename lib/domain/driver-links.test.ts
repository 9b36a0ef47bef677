import { describe, expect, it } from 'vitest';
import { driverLinksOf, type LinkableKpi } from '@/lib/domain/driver-links';

const kpi = (id: string, key: string | null, formulaInputs: string[] = []): LinkableKpi => ({
  id,
  key,
  formulaInputs,
});

const arr = kpi('arr', 'company.arr', [
  'company.arr',
  'cs.churned_arr',
  'cs.expansion_arr',
  'sales.new_arr',
]);
const churn = kpi('churn', 'cs.churned_arr');
const expansion = kpi('expansion', 'cs.expansion_arr');
const newArr = kpi('new', 'sales.new_arr');
const netNew = kpi('net', 'company.net_new_arr', [
  'cs.churned_arr',
  'cs.expansion_arr',
  'sales.new_arr',
]);
const unrelated = kpi('nps', 'cs.nps');

describe('driverLinksOf', () => {
  it('lists a formula KPI’s drivers by its stored input keys, and its own prev apart', () => {
    const links = driverLinksOf([arr, churn, expansion, newArr, netNew, unrelated]);
    expect(links.get('arr')).toEqual({
      drivers: [churn, expansion, newArr],
      hiddenDrivers: 0,
      readsOwnPrevious: true,
      feeds: [],
    });
  });

  it('says which formulas each input feeds, in the order the KPIs are given', () => {
    const links = driverLinksOf([arr, churn, expansion, newArr, netNew, unrelated]);
    expect(links.get('new')?.feeds).toEqual([arr, netNew]);
    expect(links.get('churn')).toEqual({
      drivers: [],
      hiddenDrivers: 0,
      readsOwnPrevious: false,
      feeds: [arr, netNew],
    });
  });

  it('gives no entry to a KPI outside every formula', () => {
    const links = driverLinksOf([arr, churn, expansion, newArr, netNew, unrelated]);
    expect(links.has('nps')).toBe(false);
  });

  it('links only the KPIs given: an input the actor cannot see is counted, never named', () => {
    const links = driverLinksOf([arr, churn, newArr]);
    expect(links.get('arr')?.drivers.map((d) => d.id)).toEqual(['churn', 'new']);
    expect(links.get('arr')?.hiddenDrivers).toBe(1);
    expect(links.has('expansion')).toBe(false);
  });

  it('does not link a KPI without a key, and counts a repeated input once', () => {
    const keyless = kpi('x', null);
    const doubled = kpi('ratio', 'r', ['sales.new_arr', 'sales.new_arr']);
    const links = driverLinksOf([keyless, doubled, newArr]);
    expect(links.has('x')).toBe(false);
    expect(links.get('ratio')?.drivers).toEqual([newArr]);
    expect(links.get('new')?.feeds).toEqual([doubled]);
  });
});
