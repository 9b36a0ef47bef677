import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { MeasureUnit } from '@/lib/domain/format';
import type { Cadence } from '@/lib/domain/periods';
import type { RollupMethod } from '@/lib/domain/rollup';
import type { FormulaNode } from './ast';

/** How a formula treats an input without a value: `strict` (no result) or `zero` (reads 0). */
export type MissingPolicy = 'strict' | 'zero';

/** A KPI's rollup including `formula` (computed from driver KPIs named by key). */
export type CatalogueRollup = RollupMethod | 'formula';

/**
 * One KPI of an organization as the formula checks and the planner see it: plain data, loaded
 * by the caller for one organization (every KPI, archived ones flagged). `formula` is the parsed
 * expression of a `formula` KPI and null otherwise.
 */
export type CatalogueKpi = {
  id: string;
  key: string | null;
  name: string;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  measureUnit: MeasureUnit;
  currency: string | null;
  rollup: CatalogueRollup;
  formula: FormulaNode | null;
  parentId: string | null;
  archived: boolean;
};

/** How a KPI is named in messages: its key, else its name in quotes. */
export function kpiLabel(kpi: Pick<CatalogueKpi, 'key' | 'name'>): string {
  return kpi.key ?? `"${kpi.name}"`;
}

/** Key -> KPI for the KPIs that have a key. */
export function byKey<K extends Pick<CatalogueKpi, 'key'>>(kpis: readonly K[]): Map<string, K> {
  const map = new Map<string, K>();
  for (const k of kpis) if (k.key !== null) map.set(k.key, k);
  return map;
}
