import type { z } from 'zod';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { KpiPeriodView, KpiSummary } from '@/lib/domain/kpi-summary';
import type { KpiDto } from '@/lib/dal/cascade/kpi-rows';
import type { kpiSchema, periodSchema } from '@/lib/validation/api';
import type { kpiDefinitionSchema } from '@/lib/validation/api-definitions';

/** A period as the API sends it: decimals normalized (`2.5`, not the stored `2.5000000000`). */
export function toApiPeriod(view: KpiPeriodView): z.infer<typeof periodSchema> {
  return {
    start: view.start,
    label: view.label,
    value: view.value === null ? null : normalizeDecimal(view.value),
    target: view.target === null ? null : normalizeDecimal(view.target),
    targetImplied: view.targetImplied === true,
    progress: view.share,
    status: view.status,
    childrenReported: view.childrenReported,
    childrenExpected: view.childrenExpected,
    missingInputs: view.missingInputs ?? [],
    noValueReason:
      view.noValueReason === 'missing inputs' || view.noValueReason === 'division by zero'
        ? view.noValueReason
        : null,
  };
}

/** The fields both KPI shapes take as they are (`kpiCommonFields`). */
function commonFields(kpi: KpiDto | KpiSummary) {
  return {
    id: kpi.id,
    key: kpi.key,
    name: kpi.name,
    parentId: kpi.parentId,
    isNorthStar: kpi.isNorthStar,
    isIndividual: kpi.isIndividual,
    measureUnit: kpi.measureUnit,
    currency: kpi.currency,
    decimals: kpi.decimals,
    direction: kpi.direction,
    cadence: kpi.cadence,
    timeAggregation: kpi.timeAggregation,
  };
}

/** A KPI as the API sends it (no internal fields such as home units; its version for writes). */
export function toApiKpi(kpi: KpiSummary): z.infer<typeof kpiSchema> {
  return {
    ...commonFields(kpi),
    unit: { id: kpi.unitId, name: kpi.unitName },
    owner: kpi.ownerUserId ? { id: kpi.ownerUserId, name: kpi.ownerName } : null,
    rollup: kpi.rollup,
    formula: kpi.rollup === 'formula' ? kpi.formula : null,
    missingPolicy: kpi.rollup === 'formula' ? kpi.missingPolicy : null,
    inputs: kpi.rollup === 'formula' ? kpi.formulaInputs : [],
    current: toApiPeriod(kpi.current),
    version: kpi.version,
  };
}

const decimalOrNull = (v: string | null) => (v === null ? null : normalizeDecimal(v));

/** A KPI's definition as the write routes answer it: every field a write may change, and `version`. */
export function toApiDefinition(kpi: KpiDto): z.infer<typeof kpiDefinitionSchema> {
  return {
    ...commonFields(kpi),
    description: kpi.description,
    unitId: kpi.unitId,
    ownerUserId: kpi.ownerUserId,
    rollup: kpi.rollup,
    formula: kpi.formula,
    missingPolicy: kpi.missingPolicy,
    weight: normalizeDecimal(kpi.weight),
    baseline: decimalOrNull(kpi.baseline),
    defaultTarget: decimalOrNull(kpi.defaultTarget),
    validMin: decimalOrNull(kpi.validMin),
    validMax: decimalOrNull(kpi.validMax),
    category: kpi.category,
    indicator: kpi.indicator,
    archivedOn: kpi.archivedOn,
    version: kpi.version,
  };
}
