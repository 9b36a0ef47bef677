import { checkSmart, type SmartInput, type SmartResult } from './smart';

/**
 * The SMART check of a KPI as the DAL reads it: the KPI's own fields, its current period's target,
 * its description and the values of its recent periods. Pure.
 */

/** What the check reads from a listed KPI (a KpiSummary fits). */
export type SmartKpi = Pick<
  SmartInput,
  'measureUnit' | 'currency' | 'rollup' | 'cadence' | 'direction' | 'parentId' | 'isNorthStar' | 'ownerUserId'
> & { current: { target: string | null } };

/** The SMART check of a KPI, given its description and its recent values (oldest first). */
export function smartCheckOfKpi(
  kpi: SmartKpi,
  description: string,
  recentValues: readonly (string | null)[],
): SmartResult {
  return checkSmart({
    description,
    measureUnit: kpi.measureUnit,
    currency: kpi.currency,
    rollup: kpi.rollup,
    cadence: kpi.cadence,
    direction: kpi.direction,
    recentValues,
    currentTarget: kpi.current.target,
    parentId: kpi.parentId,
    isNorthStar: kpi.isNorthStar,
    ownerUserId: kpi.ownerUserId,
  });
}

/** The SMART check of a KPI as its detail page reads it (a KpiDetail fits; no further query). */
export function smartCheckOfDetail(
  kpi: SmartKpi & { description: string; history: readonly { value: string | null }[] },
): SmartResult {
  return smartCheckOfKpi(
    kpi,
    kpi.description,
    kpi.history.map((p) => p.value),
  );
}
