import { coverageText } from '@/lib/domain/period-coverage';
import { formatProgress, formatValue } from '@/lib/domain/format';
import type { Status } from '@/lib/domain/progress';
import { SMART_LABELS, type SmartResult } from '@/lib/domain/smart';
import type { KpiSummary } from '@/lib/domain/kpi-summary';
import type { KpiCategory, KpiIndicator } from '@/lib/domain/kpi-kinds';
import { toLinkRefs, type DriverLinks, type KpiLinkRef } from '@/lib/domain/driver-links';

/** What the explorer needs of a KPI: display strings only (client component props). */
export type KpiTreeNode = {
  id: string;
  parentId: string | null;
  name: string;
  /** Its key, if it has one: the explorer searches by name or key. */
  key: string | null;
  unitId: string;
  unitName: string;
  ownerUserId: string | null;
  ownerName: string | null;
  status: Status;
  valueText: string;
  targetText: string;
  shareText: string;
  periodLabel: string;
  coverage: string | null;
  isNorthStar: boolean;
  isIndividual: boolean;
  /** Home unit of the owner (the explorer's filter by a lead's people). */
  ownerHomeUnitId: string | null;
  /** Recorded by hand (manual rollup): the explorer's "not reported" filter. */
  recordsByHand: boolean;
  /** Computed by a formula over other KPIs (the explorer marks it and lists its drivers). */
  isFormula: boolean;
  /** Its kind: the explorer shows it as badges and filters by it. */
  category: KpiCategory;
  indicator: KpiIndicator;
  /** Its drivers and the formulas it feeds, among the KPIs the actor sees; absent when none. */
  links?: DriverLinks<KpiLinkRef>;
  /** Labels of the SMART criteria the KPI misses; absent when not checked. */
  smartGaps?: string[];
  /** A `sum` parent whose children's current targets do not add up to its own: the gap. */
  targetGap?: string;
};

/**
 * Narrow display DTO for the explorer tree (client component props), with its SMART gaps and its
 * formula links (lib/domain/driver-links, over the same list). Pure.
 */
export function toTreeNode(
  kpi: KpiSummary,
  smart: SmartResult | undefined,
  links: DriverLinks<KpiLinkRef> | undefined,
  targetGap: string | undefined,
  locale: string,
): KpiTreeNode {
  const refs = toLinkRefs(links);
  return {
    ...(targetGap ? { targetGap } : {}),
    ...(smart ? { smartGaps: smart.missing.map((c) => SMART_LABELS[c]) } : {}),
    ...(refs ? { links: refs } : {}),
    id: kpi.id,
    parentId: kpi.parentId,
    name: kpi.name,
    key: kpi.key,
    unitId: kpi.unitId,
    unitName: kpi.unitName,
    ownerUserId: kpi.ownerUserId,
    ownerName: kpi.ownerName,
    status: kpi.current.status,
    valueText: formatValue(kpi.current.value, kpi, locale),
    targetText:
      formatValue(kpi.current.target, kpi, locale) +
      (kpi.current.targetImplied ? ' (implied)' : ''),
    shareText: formatProgress(kpi.current.share, locale),
    periodLabel: kpi.current.label,
    coverage: coverageText(kpi, kpi.current, { short: true }),
    isNorthStar: kpi.isNorthStar,
    isIndividual: kpi.isIndividual,
    ownerHomeUnitId: kpi.ownerHomeUnitId,
    recordsByHand: kpi.rollup === 'manual',
    isFormula: kpi.rollup === 'formula',
    category: kpi.category,
    indicator: kpi.indicator,
  };
}
