import { checkins } from '@/db/schema';
import { assertCan, type AuthzScope } from '@/lib/authz/can';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { validationError } from '@/lib/errors';
import { type KpiForWrite } from '../cascade/kpi-rows';

/*
 * The rules every check-in write shares (who may record on a KPI, manual KPIs only, no future
 * dates) and the check-in DTO; the writes themselves are in edit.ts, batch.ts and save-all.ts, and
 * a new single check-in has its own pipelined path (lib/dal/cascade/checkin-transaction.ts).
 */
export type CheckinSource = 'manual' | 'csv' | 'api' | 'sql';

/** A check-in as the check-in actions return it. */
export type CheckinDto = {
  id: string;
  kpiId: string;
  observedOn: string;
  value: string;
  note: string;
  source: CheckinSource;
  authorUserId: string | null;
  version: number;
  createdAt: string;
};

export const checkinColumns = {
  id: checkins.id,
  kpiId: checkins.kpiId,
  observedOn: checkins.observedOn,
  value: checkins.value,
  note: checkins.note,
  source: checkins.source,
  authorUserId: checkins.authorUserId,
  version: checkins.version,
  createdAt: checkins.createdAt,
};

export type CheckinRow = Omit<CheckinDto, 'createdAt'> & { createdAt: Date };

export function toCheckinDto(row: CheckinRow): CheckinDto {
  return { ...row, value: normalizeDecimal(row.value), createdAt: row.createdAt.toISOString() };
}

/** Message for a check-in on a KPI whose value is rolled up from its children. */
export const COMPUTED_KPI_MESSAGE =
  'Values of this KPI come from its children: record values on the KPIs that roll up into it.';

export type RecordTarget = Pick<
  KpiForWrite,
  'unitId' | 'ownerUserId' | 'isIndividual' | 'ownerHomeUnitId' | 'archivedOn' | 'rollup'
>;

export function assertMayRecord(scope: AuthzScope, kpi: RecordTarget, field = 'kpiId'): void {
  assertCan(scope, 'checkins.write', {
    unitId: kpi.unitId,
    ownerUserId: kpi.ownerUserId,
    isIndividual: kpi.isIndividual,
    ownerHomeUnitId: kpi.ownerHomeUnitId,
  });
  if (kpi.archivedOn) {
    throw validationError('This KPI is archived: its values can no longer change.', {
      [field]: ['This KPI is archived'],
    });
  }
}

export function assertManual(kpi: Pick<KpiForWrite, 'rollup'>, field = 'kpiId'): void {
  if (kpi.rollup !== 'manual') {
    throw validationError(COMPUTED_KPI_MESSAGE, { [field]: [COMPUTED_KPI_MESSAGE] });
  }
}

/**
 * Refuses a date after today in the org's time zone. A date before yesterday in UTC is in the
 * past in every zone (offsets stay within a day), so the costly zone lookup only runs near today.
 */
export function assertNotFuture(observedOn: string, timeZone: string, field = 'observedOn'): void {
  const utcYesterday = addDays(new Date().toISOString().slice(0, 10), -1);
  if (observedOn < utcYesterday) return;
  const today = todayInTimeZone(timeZone);
  if (observedOn > today) {
    throw validationError('A check-in cannot be dated in the future.', {
      [field]: [`Choose a date on or before today (${today})`],
    });
  }
}
