import type { CatalogueKpi } from './catalogue';
import { parseFormula } from './parser';

/** A catalogue KPI for tests: a monthly manual count keyed `key` unless overridden. */
export function catalogueKpi(
  key: string | null,
  over: Partial<Omit<CatalogueKpi, 'formula'>> & { formula?: string } = {},
): CatalogueKpi {
  const { formula, ...rest } = over;
  return {
    id: `id:${key ?? rest.name ?? 'none'}`,
    key,
    name: key ?? 'Unnamed',
    cadence: 'month',
    timeAggregation: 'sum',
    measureUnit: 'count',
    currency: null,
    rollup: formula === undefined ? 'manual' : 'formula',
    formula: formula === undefined ? null : parseFormula(formula),
    parentId: null,
    archived: false,
    ...rest,
  };
}
