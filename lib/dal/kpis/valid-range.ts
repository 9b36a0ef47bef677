import { and, asc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { checkins } from '@/db/schema';
import { toDec } from '@/lib/domain/decimal';
import { describeRange, rangeOrderProblem, type RangeKpi } from '@/lib/domain/value-range';
import { formatValue } from '@/lib/domain/format';
import { formatDay } from '@/lib/domain/dates';
import { validationError } from '@/lib/errors';

/*
 * A KPI's valid range as the KPI writes set it: bounds in order, and no recorded reading of the
 * KPI outside it (a range its own history contradicts would refuse the next correction of any of
 * those readings, and tell the reader nothing true).
 */

/**
 * Refuses a range whose lower bound is above its upper one (on `validMax`), or that excludes a
 * reading the KPI already has (on `validMin` or `validMax`, naming the count and the earliest
 * such reading). Runs in the caller's tenant transaction, which holds the org cascade lock, so
 * no reading can arrive between the check and the write. Tenant: orgId.
 */
export async function assertValidRange(
  tx: Tx,
  orgId: string,
  kpi: RangeKpi & { id: string | null },
  locale: string,
): Promise<void> {
  const order = rangeOrderProblem(kpi);
  if (order) throw validationError(order, { validMax: [order] });
  if (kpi.id === null) return; // a new KPI has no readings
  const outside: SQL[] = [];
  if (kpi.validMin !== null) outside.push(lt(checkins.value, kpi.validMin));
  if (kpi.validMax !== null) outside.push(gt(checkins.value, kpi.validMax));
  if (outside.length === 0) return;
  const rows = await tx
    .select({
      observedOn: checkins.observedOn,
      value: checkins.value,
      count: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(checkins)
    .where(and(eq(checkins.orgId, orgId), eq(checkins.kpiId, kpi.id), or(...outside)))
    .orderBy(asc(checkins.observedOn))
    .limit(1);
  const first = rows[0];
  if (!first) return;
  const value = toDec(first.value);
  const shown = formatValue(value.toFixed(), { ...kpi, decimals: value.decimalPlaces() }, locale);
  const them = first.count === 1 ? 'it' : 'them';
  const message = `${first.count} ${first.count === 1 ? 'reading lies' : 'readings lie'} outside ${describeRange(kpi, locale)}, the first ${shown} on ${formatDay(first.observedOn, locale)}: correct ${them} first, or widen the range.`;
  const below = kpi.validMin !== null && value.lt(toDec(kpi.validMin));
  throw validationError(message, { [below ? 'validMin' : 'validMax']: [message] });
}
