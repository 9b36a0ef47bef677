import { compareDates } from './dates';
import { periodStart, previousPeriodStart, type Cadence } from './periods';

/**
 * Guard rails against KPI overload: the most KPIs a unit and a person should carry, and which
 * KPIs have gone quiet long enough to be candidates for retirement. Pure.
 */

export type KpiLimits = { perUnit: number; perPerson: number };

export const DEFAULT_KPI_LIMITS: KpiLimits = Object.freeze({ perUnit: 7, perPerson: 5 });
export const MIN_KPI_LIMIT = 1;
export const MAX_KPI_LIMIT = 1000;

/** An organization's limits, from its settings as the org context carries them. */
export function kpiLimitsOf(org: { maxKpisPerUnit: number; maxKpisPerPerson: number }): KpiLimits {
  return { perUnit: org.maxKpisPerUnit, perPerson: org.maxKpisPerPerson };
}

/**
 * The units or people carrying more active KPIs than `limit` (at the limit is fine), the most
 * loaded first, then by name.
 */
export function overLimit<T extends { count: number }>(
  rows: readonly T[],
  limit: number,
  nameOf: (row: T) => string,
): T[] {
  return rows
    .filter((r) => r.count > limit)
    .sort((a, b) => b.count - a.count || nameOf(a).localeCompare(nameOf(b)));
}

/** A limit a new KPI would go past: `count` is how many there are before it. */
export type LimitBreach = { kind: 'unit' | 'person'; count: number; limit: number };

/**
 * Which limits one more KPI would exceed. Individual KPIs are a person's own targets: they count
 * toward their owner's limit, not the unit's. `personCount` is null when the KPI has no owner.
 */
export function limitBreaches(input: {
  isIndividual: boolean;
  unitCount: number;
  personCount: number | null;
  limits: KpiLimits;
}): LimitBreach[] {
  const out: LimitBreach[] = [];
  if (!input.isIndividual && input.unitCount + 1 > input.limits.perUnit) {
    out.push({ kind: 'unit', count: input.unitCount, limit: input.limits.perUnit });
  }
  if (input.personCount !== null && input.personCount + 1 > input.limits.perPerson) {
    out.push({ kind: 'person', count: input.personCount, limit: input.limits.perPerson });
  }
  return out;
}

/**
 * What happens to a create past a limit: nothing in the way -> `allow`; admins (org-wide KPI
 * writers) are warned and may go ahead once they confirm; leads may not exceed.
 */
export function limitDecision(
  breaches: readonly LimitBreach[],
  actor: { isAdmin: boolean; confirmed: boolean },
): 'allow' | 'confirm' | 'refuse' {
  if (breaches.length === 0) return 'allow';
  if (!actor.isAdmin) return 'refuse';
  return actor.confirmed ? 'allow' : 'confirm';
}

/** One sentence per breach, for the warning and the refusal. */
export function describeBreach(breach: LimitBreach, name: string): string {
  const what = breach.kind === 'unit' ? `${name} already has` : `${name} already owns`;
  const kpis = `${breach.count} active KPI${breach.count === 1 ? '' : 's'}`;
  return `${what} ${kpis}; your organization's limit is ${breach.limit} per ${breach.kind}.`;
}

/** Periods without a value after which a KPI is a candidate to retire. */
export const IDLE_PERIODS = 3;

/**
 * First day of the idle window: the `idle` closed periods before the current one (the current
 * period belongs to the window too).
 */
export function idleWindowStart(
  cadence: Cadence,
  today: string,
  fyStartMonth: number,
  idle: number = IDLE_PERIODS,
): string {
  let start = periodStart(today, cadence, fyStartMonth);
  for (let i = 0; i < idle; i += 1) start = previousPeriodStart(start, cadence);
  return start;
}

/**
 * A KPI that existed through the whole idle window (created on or before its first day) and has
 * no value in it, the current period included: it is measured by nobody and can be archived
 * (archiving keeps its history). `lastValueStart`: its latest period with a value, or null.
 */
export function isRetireCandidate(input: {
  cadence: Cadence;
  createdOn: string;
  lastValueStart: string | null;
  today: string;
  fyStartMonth: number;
  idle?: number;
}): boolean {
  const windowStart = idleWindowStart(input.cadence, input.today, input.fyStartMonth, input.idle);
  if (compareDates(input.createdOn, windowStart) > 0) return false;
  return input.lastValueStart === null || compareDates(input.lastValueStart, windowStart) < 0;
}
