import type { AttributionKpi } from './tree';

/** Test-only: a monthly manual `sum` KPI named by its id, with `over` applied (never import in app code). */
export function testAttributionKpi(id: string, over: Partial<AttributionKpi> = {}): AttributionKpi {
  return {
    id,
    key: id,
    name: id,
    ownerName: null,
    unitName: 'Unit',
    parentId: null,
    cadence: 'month',
    timeAggregation: 'sum',
    rollup: 'manual',
    weight: '1',
    archivedOn: null,
    formula: null,
    baseline: null,
    values: new Map(),
    ownTarget: () => null,
    ...over,
  };
}
