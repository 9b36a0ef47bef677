import { computeAllWithFormulas } from '@/lib/domain/formula/cascade';
import { parseFormula } from '@/lib/domain/formula/parser';
import type { SeedPlan } from './plan';

/**
 * Every period value of a seed plan, formula KPIs included, as the seed materializes them
 * (computed in memory with the cascade's own pure functions: KPI id -> period start -> value).
 */
export function planPeriodValues(p: SeedPlan) {
  const formulas = p.kpis.flatMap((k) =>
    k.rollup === 'formula' && k.formula
      ? [
          {
            id: k.id,
            key: k.key,
            formula: parseFormula(k.formula),
            missingPolicy: k.missingPolicy ?? 'strict',
            baseline: k.baseline,
          },
        ]
      : [],
  );
  return computeAllWithFormulas(
    p.kpis.map((k) => ({ ...k, archivedOn: null })),
    p.checkins.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
    p.org.fyStartMonth,
    formulas,
    new Map(p.kpis.flatMap((k) => (k.key ? [[k.id, k.key] as const] : []))),
  );
}
