import { describe, expect, it } from 'vitest';
import { createKpiSchema } from '@/lib/validation/kpis';
import { parseFormula } from '@/lib/domain/formula/parser';
import {
  BUILTIN_TEMPLATES,
  FORMULA_IN_DESCRIPTION,
  groupTemplates,
  searchTemplates,
  TEMPLATE_DEPARTMENTS,
  templateFormula,
  type KpiTemplate,
} from './kpi-templates';

describe('built-in KPI templates', () => {
  it('cover every department with several templates and unique ids', () => {
    for (const department of TEMPLATE_DEPARTMENTS) {
      expect(
        BUILTIN_TEMPLATES.filter((t) => t.department === department).length,
        department,
      ).toBeGreaterThanOrEqual(4);
    }
    expect(new Set(BUILTIN_TEMPLATES.map((t) => t.id)).size).toBe(BUILTIN_TEMPLATES.length);
    expect(new Set(BUILTIN_TEMPLATES.map((t) => t.name.toLowerCase())).size).toBe(
      BUILTIN_TEMPLATES.length,
    );
  });

  it('each makes a valid KPI with a description long enough to be specific', () => {
    for (const t of BUILTIN_TEMPLATES) {
      const parsed = createKpiSchema.safeParse({
        name: t.name,
        description: t.description,
        unitId: '00000000-0000-4000-8000-000000000001',
        measureUnit: t.measureUnit,
        currency: t.currency,
        decimals: t.decimals,
        direction: t.direction,
        cadence: t.cadence,
        timeAggregation: t.timeAggregation,
        category: t.category,
        indicator: t.indicator,
      });
      expect(parsed.success, t.id).toBe(true);
      expect(t.description.length, t.id).toBeGreaterThanOrEqual(15);
    }
  });

  it('rates are averaged and lower-is-better costs point down', () => {
    const byName = (name: string) => BUILTIN_TEMPLATES.find((t) => t.name === name)!;
    expect(byName('Customer acquisition cost (CAC)')).toMatchObject({
      direction: 'decrease',
      measureUnit: 'currency',
      currency: 'USD',
    });
    expect(byName('Monthly recurring revenue (MRR)').timeAggregation).toBe('last');
    expect(byName('New inbound leads').timeAggregation).toBe('sum');
  });
});

describe('searchTemplates', () => {
  const own: KpiTemplate = {
    ...BUILTIN_TEMPLATES[0]!,
    id: 'own',
    source: 'org',
    name: 'Café visits',
    description: 'Visits to our café',
    department: 'marketing',
  };
  const all = [...BUILTIN_TEMPLATES, own];
  it('matches every word, ignoring case, punctuation and accents', () => {
    expect(searchTemplates(all, 'cafe').map((t) => t.id)).toEqual(['own']);
    expect(searchTemplates(all, 'CAC payback').map((t) => t.name)).toEqual([
      'CAC payback (months)',
    ]);
    expect(searchTemplates(all, 'churn').length).toBeGreaterThanOrEqual(1);
    expect(searchTemplates(all, 'zzz nothing')).toEqual([]);
  });
  it('matches the department label and returns everything for a blank query', () => {
    expect(
      searchTemplates(all, 'customer service').every(
        (t) =>
          t.department === 'customer_service' || /customer|service/i.test(t.name + t.description),
      ),
    ).toBe(true);
    expect(searchTemplates(all, '   ')).toHaveLength(all.length);
  });
  it('groups by department in library order and leaves empty groups out', () => {
    const groups = groupTemplates(searchTemplates(all, 'margin'));
    expect(groups.map((g) => g.department)).toEqual(['executive', 'finance']);
    expect(groupTemplates([])).toEqual([]);
  });

  it('give the formula templates their formula as text that parses', () => {
    const formulas = BUILTIN_TEMPLATES.flatMap((t) => {
      const match = FORMULA_IN_DESCRIPTION.exec(t.description);
      return match?.[1] ? [[t.name, match[1]] as const] : [];
    });
    expect(formulas.map(([name]) => name).sort()).toEqual([
      'Cash runway (months)',
      'Customer acquisition cost (CAC)',
      'Gross margin',
      'LTV to CAC ratio',
      'MQL-to-SQL conversion rate',
    ]);
    for (const [name, text] of formulas) expect(() => parseFormula(text), name).not.toThrow();
  });

  it('opens a formula template with its formula (the form then sets rollup Formula)', () => {
    const conversion = BUILTIN_TEMPLATES.find((t) => t.name === 'MQL-to-SQL conversion rate');
    expect(conversion && templateFormula(conversion)).toBe('marketing.sqls / marketing.mqls * 100');
    expect(BUILTIN_TEMPLATES.filter((t) => templateFormula(t) !== null)).toHaveLength(5);
    expect(templateFormula({ description: 'No formula here: `a / b`.' })).toBeNull();
  });
});
