import { testKpi } from '@/lib/domain/test-cascade-arbitraries';
import type { AttributionKpi } from './tree';

/** Test-only: a monthly manual `sum` KPI named by its id, with `over` applied (never import in app code). */
export function testAttributionKpi(id: string, over: Partial<AttributionKpi> = {}): AttributionKpi {
  return {
    ...testKpi(id),
    key: id,
    name: id,
    ownerName: null,
    unitName: 'Unit',
    formula: null,
    baseline: null,
    values: new Map(),
    ownTarget: () => null,
    ...over,
  };
}
