/**
 * Webhook delivery policy (pure): the events, the retry schedule (exponential backoff) and when
 * a failing endpoint is turned off.
 */

/** The events an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'checkin.recorded',
  'checkin.updated',
  'checkin.deleted',
  'kpi.status_changed',
  'kpi.updated',
  'period.closed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** How the settings page describes each event. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  'checkin.recorded': 'A value was recorded (form, check-in screen, CSV or API)',
  'checkin.updated': 'A recorded value was corrected (its value, date or note)',
  'checkin.deleted': 'A recorded value was deleted',
  'kpi.status_changed': "A KPI's status for a period changed",
  'kpi.updated': 'A KPI was created, edited, linked, reassigned or archived, or a period target changed',
  'period.closed': 'A month, quarter or year ended (in the organization’s time zone)',
};

/** A delivery is tried at most this many times, then it is `failed`. */
export const MAX_WEBHOOK_ATTEMPTS = 9;

/** A claimed delivery not settled within this time is taken over (its worker died). */
export const WEBHOOK_LEASE_MS = 2 * 60_000;

/** An endpoint failing without a success for this long is disabled. */
export const WEBHOOK_DISABLE_AFTER_MS = 24 * 60 * 60_000;

/**
 * Delay before attempt `attempts + 1` after `attempts` failures: 30 s times 4 to the power of
 * the failures so far (30 s, 2 min, 8 min, 32 min, about 2 h, 8.5 h), at most 10 h; nine
 * attempts span about 31 hours, past the day after which a failing endpoint is disabled.
 */
export function webhookRetryDelayMs(attempts: number): number {
  const ms = 30_000 * 4 ** Math.max(0, attempts - 1);
  return Math.min(ms, 10 * 60 * 60_000);
}

/** What a failed attempt leads to: another try later, or giving up. */
export function afterWebhookFailure(
  attempts: number,
  now: Date,
): { status: 'retrying'; nextAttemptAt: Date } | { status: 'failed' } {
  if (attempts >= MAX_WEBHOOK_ATTEMPTS) return { status: 'failed' };
  return {
    status: 'retrying',
    nextAttemptAt: new Date(now.getTime() + webhookRetryDelayMs(attempts)),
  };
}

/** Whether an endpoint failing since `failingSince` is to be disabled at `now`. */
export function shouldDisableEndpoint(failingSince: Date | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= WEBHOOK_DISABLE_AFTER_MS;
}
