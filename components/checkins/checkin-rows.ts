import type { CheckinRowDto } from '@/lib/domain/dashboard/my-dashboard';
import { formatDay } from '@/lib/domain/dates';
import { Dec, toPlainString } from '@/lib/domain/decimal';
import { formatValue } from '@/lib/domain/format';
import { planReading } from '@/lib/domain/readings';

/*
 * The one-screen check-in's rows without React: what saving a typed text does, the optimistic
 * values of a save and the lines each row shows. Used by the form (checkins-due-form.tsx).
 */

/** One row to save: a new reading, or a correction of the KPI's reading of the screen's date. */
export type Draft = {
  kpiId: string;
  value: string;
  kind: 'record' | 'update';
  reading?: { id: string; version: number };
  confirmUnusual?: true;
};

export type RowPlan = {
  kind: 'skip' | 'record' | 'update';
  value?: string;
  error?: string;
  reading?: Draft['reading'];
};

/**
 * A row as it will read once a save lands: its period value (where it can be known exactly) and
 * the reading of the screen's date; `valueText` is the period value as the target row prints it.
 */
export type PendingCheckin = {
  periodLabel: string;
  periodValue: string | null;
  valueText: string;
  reading: { id: string; version: number; value: string; observedOn: string };
};

/** True for flows (sum): each check-in adds to the period's total instead of replacing it. */
export function adds(row: CheckinRowDto): boolean {
  return row.timeAggregation === 'sum';
}

/** The KPI's reading of the screen's date, when it has one (a level's or a rate's is corrected). */
function todaysReading(row: CheckinRowDto, today: string) {
  return row.inPeriod?.observedOn === today ? row.inPeriod : null;
}

/**
 * What saving this row would do: nothing, record a new reading dated `today`, or correct the
 * KPI's reading of `today` (never a reading of another date: see lib/domain/readings).
 */
export function planRow(row: CheckinRowDto, text: string, today: string, locale: string): RowPlan {
  const p = planReading({
    timeAggregation: row.timeAggregation,
    date: today,
    text,
    locale,
    readings: [todaysReading(row, today)],
  });
  if (p.kind !== 'correct') return p;
  return {
    kind: 'update',
    value: p.value,
    reading: { id: p.reading.id, version: p.reading.version },
  };
}

/** The period value the server will compute after this change, where it can be known exactly. */
function optimisticPeriodValue(row: CheckinRowDto, draft: Draft): string | null {
  switch (row.timeAggregation) {
    case 'last':
      return draft.value;
    case 'sum':
      return toPlainString(new Dec(row.periodValue ?? '0').plus(new Dec(draft.value)));
    case 'average':
      return row.periodValue;
  }
}

/** What each drafted row will read once the save lands, by KPI id. */
export function pendingCheckins(
  rows: readonly CheckinRowDto[],
  drafts: readonly Draft[],
  today: string,
  locale: string,
): Map<string, PendingCheckin> {
  const out = new Map<string, PendingCheckin>();
  for (const draft of drafts) {
    const row = rows.find((r) => r.kpiId === draft.kpiId);
    if (!row) continue;
    const periodValue = optimisticPeriodValue(row, draft);
    out.set(row.kpiId, {
      periodLabel: row.periodLabel,
      periodValue,
      valueText: formatValue(periodValue, row.measure, locale),
      reading: {
        id: draft.reading?.id ?? `pending-${row.kpiId}`,
        version: draft.reading?.version ?? 1,
        value: draft.value,
        observedOn: today,
      },
    });
  }
  return out;
}

/** The row as the screen shows it while its save is pending. */
export function withPending(
  row: CheckinRowDto,
  pending: PendingCheckin | undefined,
): CheckinRowDto {
  if (!pending) return row;
  return {
    ...row,
    periodValue: pending.periodValue,
    last: { value: pending.reading.value, observedOn: pending.reading.observedOn },
    inPeriod: pending.reading,
  };
}

/** The first error of each row, from field errors keyed `items.<index>.<field>`. */
export function rowErrorsOf(
  fieldErrors: Record<string, string[]> | undefined,
  drafts: readonly Draft[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, messages] of Object.entries(fieldErrors ?? {})) {
    const match = /^items\.(\d+)\./.exec(key);
    const kpiId = match ? drafts[Number(match[1])]?.kpiId : undefined;
    if (kpiId && messages[0]) out[kpiId] ??= messages[0];
  }
  return out;
}

/** The last reading as people read it: "806,405 USD (4 Dec)". */
function lastReading(row: CheckinRowDto, locale: string): string | null {
  if (!row.last) return null;
  const day = formatDay(row.last.observedOn, locale, { year: false });
  return `${formatValue(row.last.value, row.measure, locale)} (${day})`;
}

/** What the empty field shows: a level's or rate's last reading as a hint; a flow's prompt. */
export function placeholderOf(row: CheckinRowDto, today: string, locale: string): string {
  if (adds(row)) return 'amount';
  const reading = todaysReading(row, today) ?? row.last;
  return reading
    ? formatValue(reading.value, { ...row.measure, measureUnit: 'count' }, locale)
    : '';
}

/** The line under a row: the last reading, and what saving what was typed will do. */
export function rowHint(
  row: CheckinRowDto,
  kind: RowPlan['kind'],
  today: string,
  locale: string,
): string {
  const last = lastReading(row, locale);
  const day = formatDay(today, locale, { year: false });
  if (adds(row)) {
    if (kind === 'record') {
      return `Adds this amount to ${row.periodLabel}'s total, as a new entry dated ${day}.`;
    }
    return `Type an amount to add to ${row.periodLabel}'s total${last ? ` · last entry ${last}` : ''}.`;
  }
  const todays = todaysReading(row, today);
  if (kind === 'update' && todays) {
    return `Saving corrects today's reading (${formatValue(todays.value, row.measure, locale)}).`;
  }
  if (kind === 'record') {
    return last
      ? `Saving records a new reading dated ${day}; last reading ${last} is kept.`
      : `Saving records the first reading, dated ${day}.`;
  }
  if (todays) {
    return `Today's reading ${formatValue(todays.value, row.measure, locale)} (${day}). Type a value to correct it.`;
  }
  return last ? `Last reading ${last}.` : 'No reading yet.';
}

export function unitSuffix(row: CheckinRowDto): string {
  switch (row.measure.measureUnit) {
    case 'currency':
      return row.measure.currency ?? '';
    case 'percent':
      return '%';
    case 'ratio':
      return '×';
    default:
      return '';
  }
}
