import {
  evaluatePeriod,
  type EvaluatePeriodInput,
  type PeriodEvaluation,
  type Status,
} from './progress';

/*
 * The crossing rule of off-track alerts (issue 19, item 4): pure, no I/O. A write changed a
 * KPI's value for a period; its status before and after, graded at the same instant, decide
 * whether anyone hears of it.
 */

/** A status change people are told about: into trouble, or back on track from it. */
export type Crossing = { from: Status; to: 'at_risk' | 'off_track' | 'on_track' };

const TROUBLE = new Set<Status>(['at_risk', 'off_track']);

/**
 * The crossing between two statuses of one (KPI, period) at one instant, or null. Into `at_risk`
 * or `off_track` from anything else (including `no_data` and `in_progress`: the first graded
 * value of a period can be bad news); back to `on_track` only from `at_risk` or `off_track` (a
 * recovery). `in_progress` and `no_data` are never a crossing's end: an ungraded open period
 * or a deleted value says nothing about the KPI.
 */
export function statusCrossing(from: Status, to: Status): Crossing | null {
  if (from === to) return null;
  if (to === 'at_risk' || to === 'off_track') return { from, to };
  if (to === 'on_track' && TROUBLE.has(from)) return { from, to };
  return null;
}

/**
 * The deduplication key of one crossing: KPI, period, from → to, and the value-change event that
 * caused it. The event id is what lets a later genuine re-crossing (off track, back on track,
 * off track again) alert again, while a re-run of the job over the same event creates nothing.
 */
export function statusAlertDedupKey(input: {
  kpiId: string;
  periodStart: string;
  crossing: Crossing;
  eventId: string;
}): string {
  return `status:${input.kpiId}:${input.periodStart}:${input.crossing.from}->${input.crossing.to}:${input.eventId}`;
}

/**
 * Who hears of a crossing: the KPI's owner and its unit's lead, each once (none twice when the
 * owner leads the unit; nobody when neither is set).
 */
export function statusAlertRecipients(input: {
  ownerUserId: string | null;
  unitLeadUserId: string | null;
}): string[] {
  return [...new Set([input.ownerUserId, input.unitLeadUserId].filter((id) => id !== null))];
}

/** A value change of one (KPI, period): the period's grading inputs with the old and new value. */
export type ValueChange = Omit<EvaluatePeriodInput, 'actual'> & {
  oldValue: string | null;
  newValue: string | null;
};

/**
 * Grades the old and the new value of one (KPI, period) at the same instant (`today`, the
 * write's local date) and returns the crossing, if any, with the new evaluation. Graded at one
 * instant, a flow's pace is the same on both sides: only the value decides.
 */
export function valueChangeCrossing(
  change: ValueChange,
): { crossing: Crossing; evaluation: PeriodEvaluation } | null {
  const { before, after } = gradeValueChange(change);
  const crossing = statusCrossing(before.status, after.status);
  return crossing ? { crossing, evaluation: after } : null;
}

/**
 * The old and the new value of one (KPI, period) graded at the same instant, as above: every
 * status change (the `kpi.status_changed` webhook), not only the crossings people are told of.
 */
export function gradeValueChange(change: ValueChange): {
  before: PeriodEvaluation;
  after: PeriodEvaluation;
} {
  const { oldValue, newValue, ...period } = change;
  return {
    before: evaluatePeriod({ ...period, actual: oldValue }),
    after: evaluatePeriod({ ...period, actual: newValue }),
  };
}

/**
 * One change per (KPI, period) and write: a transaction can write one period value more than
 * once (a formula recomputed in a later round, an edit moving a reading between periods), and
 * people hear of what the write did, not of its steps. Events of the same KPI, period and
 * instant (a transaction's `now()`) merge into one with the first old and the last new value,
 * keeping the first one's identity. `events` in write order.
 */
export function mergeSameWrite<
  E extends {
    kpiId: string;
    periodStart: string;
    at: Date;
    oldValue: string | null;
    newValue: string | null;
  },
>(events: readonly E[]): E[] {
  const merged = new Map<string, E>();
  for (const e of events) {
    const key = `${e.kpiId}|${e.periodStart}|${e.at.getTime()}`;
    const first = merged.get(key);
    merged.set(key, first ? { ...first, newValue: e.newValue } : e);
  }
  return [...merged.values()];
}
