import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpis, memberships } from '@/db/schema';
import { assertCan, type AuthzScope } from '@/lib/authz/can';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { Cadence } from '@/lib/domain/periods';
import type { MeasureUnit } from '@/lib/domain/format';
import type { MissingPolicy } from '@/lib/domain/formula/catalogue';
import type { Direction } from '@/lib/domain/progress';
import type { RollupMethod } from '@/lib/domain/rollup';
import { notFoundError } from '@/lib/errors';

/** A KPI as the KPI actions return it (and as the audit log records it). Decimals are strings. */
export type KpiDto = {
  id: string;
  key: string | null;
  name: string;
  description: string;
  unitId: string;
  ownerUserId: string | null;
  parentId: string | null;
  isIndividual: boolean;
  measureUnit: MeasureUnit;
  currency: string | null;
  decimals: number;
  direction: Direction;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  rollup: RollupMethod;
  /** The expression of a `formula` KPI (canonical text), else null. */
  formula: string | null;
  /** How a formula treats an input without a value. */
  missingPolicy: MissingPolicy;
  weight: string;
  baseline: string | null;
  defaultTarget: string | null;
  /** The valid range of a reading (null: unbounded on that side). */
  validMin: string | null;
  validMax: string | null;
  category: 'strategic' | 'operational' | 'functional';
  indicator: 'leading' | 'lagging';
  isNorthStar: boolean;
  archivedOn: string | null;
  version: number;
};

/** Columns of `KpiDto`, for select and returning. */
export const kpiColumns = {
  id: kpis.id,
  key: kpis.key,
  name: kpis.name,
  description: kpis.description,
  unitId: kpis.unitId,
  ownerUserId: kpis.ownerUserId,
  parentId: kpis.parentId,
  isIndividual: kpis.isIndividual,
  measureUnit: kpis.measureUnit,
  currency: kpis.currency,
  decimals: kpis.decimals,
  direction: kpis.direction,
  cadence: kpis.cadence,
  timeAggregation: kpis.timeAggregation,
  rollup: kpis.rollup,
  formula: kpis.formula,
  missingPolicy: kpis.missingPolicy,
  weight: kpis.weight,
  baseline: kpis.baseline,
  defaultTarget: kpis.defaultTarget,
  validMin: kpis.validMin,
  validMax: kpis.validMax,
  category: kpis.category,
  indicator: kpis.indicator,
  isNorthStar: kpis.isNorthStar,
  archivedOn: kpis.archivedOn,
  version: kpis.version,
};

/** Normalizes the decimal columns of a selected KPI row. */
export function toKpiDto(row: KpiDto): KpiDto {
  return {
    ...row,
    weight: normalizeDecimal(row.weight),
    baseline: row.baseline === null ? null : normalizeDecimal(row.baseline),
    defaultTarget: row.defaultTarget === null ? null : normalizeDecimal(row.defaultTarget),
    validMin: row.validMin === null ? null : normalizeDecimal(row.validMin),
    validMax: row.validMax === null ? null : normalizeDecimal(row.validMax),
  };
}

/** A KPI loaded for a write, with its owner's home unit (for individual-KPI visibility). */
export type KpiForWrite = KpiDto & { ownerHomeUnitId: string | null };

/** Loads a KPI of the org with its owner's home unit, without any check (NOT_FOUND if absent). */
export async function loadKpiRow(tx: Tx, orgId: string, kpiId: string): Promise<KpiForWrite> {
  const [row] = await tx
    .select({ ...kpiColumns, ownerHomeUnitId: memberships.homeUnitId })
    .from(kpis)
    .leftJoin(
      memberships,
      and(eq(memberships.orgId, kpis.orgId), eq(memberships.userId, kpis.ownerUserId)),
    )
    .where(and(eq(kpis.orgId, orgId), eq(kpis.id, kpiId)))
    .limit(1);
  if (!row) throw notFoundError();
  const { ownerHomeUnitId, ...dto } = row;
  return { ...toKpiDto(dto), ownerHomeUnitId };
}

/** An individual KPI the actor may not see is NOT_FOUND, exactly like a missing id. */
export function assertKpiVisible(
  scope: AuthzScope,
  kpi: Pick<KpiForWrite, 'isIndividual' | 'ownerUserId' | 'ownerHomeUnitId'>,
): void {
  assertCan(
    scope,
    'kpis.read',
    {
      isIndividual: kpi.isIndividual,
      ownerUserId: kpi.ownerUserId,
      ownerHomeUnitId: kpi.ownerHomeUnitId,
    },
    { hide: true },
  );
}

/**
 * Loads a KPI of the org for a write. Another org's id, a missing id and an individual KPI the
 * actor may not see all give NOT_FOUND. Does not check the write permission itself.
 */
export async function getKpiForWrite(
  tx: Tx,
  scope: AuthzScope,
  orgId: string,
  kpiId: string,
): Promise<KpiForWrite> {
  const kpi = await loadKpiRow(tx, orgId, kpiId);
  assertKpiVisible(scope, kpi);
  return kpi;
}

/** The `KpiDto` part of a loaded KPI (drops the owner's home unit). */
export function kpiDtoOf(kpi: KpiForWrite): KpiDto {
  const { ownerHomeUnitId: _ownerHomeUnitId, ...dto } = kpi;
  return dto;
}
