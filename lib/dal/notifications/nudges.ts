import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { withOrgTx, type Tx } from '@/db/client';
import { kpis, memberships, users } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { periodsContaining, type DuePeriod } from '@/lib/domain/missing-values';
import type { Cadence } from '@/lib/domain/periods';
import { localInstant } from '@/lib/domain/reminders';
import { forbiddenError, notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { RemindOwnerInput } from '@/lib/validation/notifications';
import { appendAudit } from '../audit';
import { RateLimitedError } from '../rate-limit';
import { createNotifications, type DraftMail, type NotificationDraft } from './create';
import { listItemNotices } from './item-history';
import { mayRemindAbout, readReminderDays } from './missing-list';
import { listMissingValues } from './missing-values';

/** A missing value a nudge lists. */
export type NudgeItem = DuePeriod & { kpiId: string; kpiName: string };

/** Whom a nudge goes to. */
export type NudgeOwner = { userId: string; name: string };

/** What a "remind" did. */
export type NudgeOutcome =
  | { status: 'sent'; owner: NudgeOwner; items: NudgeItem[]; alreadyReminded: number }
  | { status: 'already_reminded'; owner: NudgeOwner; count: number }
  | { status: 'nothing_missing'; owner: NudgeOwner };

const itemKey = (i: { kpiId: string; periodStart: string }) => `${i.kpiId}@${i.periodStart}`;

/**
 * The named (KPI, period) items as due periods: each KPI the actor may see and remind its owner
 * about (else NOT_FOUND or FORBIDDEN), owned by `owner`, each period one of its cadence that has
 * started by `today` (else VALIDATION).
 */
async function namedItemPeriods(
  ctx: OrgContext,
  tx: Tx,
  owner: NudgeOwner & { homeUnitId: string },
  items: NonNullable<RemindOwnerInput['items']>,
  today: string,
  graceDays: number,
): Promise<DuePeriod[]> {
  const ids = [...new Set(items.map((i) => i.kpiId))];
  const rows = await tx
    .select({
      id: kpis.id,
      unitId: kpis.unitId,
      ownerUserId: kpis.ownerUserId,
      isIndividual: kpis.isIndividual,
      cadence: kpis.cadence,
    })
    .from(kpis)
    .where(and(eq(kpis.orgId, ctx.org.id), inArray(kpis.id, ids), isNull(kpis.archivedOn)));
  // Another organization's KPI, an archived or a made-up one: the same answer.
  if (rows.length !== ids.length) throw notFoundError();
  const cadenceOf = new Map<string, Cadence>();
  for (const k of rows) {
    if (k.ownerUserId !== owner.userId) {
      throw validationError(`Those KPIs are not all owned by ${owner.name}.`);
    }
    const target = {
      unitId: k.unitId,
      isIndividual: k.isIndividual,
      ownerUserId: k.ownerUserId,
      ownerHomeUnitId: owner.homeUnitId,
    };
    assertCan(ctx, 'kpis.read', target, { hide: true });
    assertCan(ctx, 'checkins.remind', target);
    cadenceOf.set(k.id, k.cadence);
  }
  return items.map((i) => {
    const cadence = cadenceOf.get(i.kpiId)!;
    const [p] = periodsContaining(i.periodStart, ctx.org.fyStartMonth, graceDays).filter(
      (d) => d.cadence === cadence,
    );
    if (!p || p.periodStart !== i.periodStart || p.periodStart > today) {
      throw validationError('That is not a period of this KPI that has started.');
    }
    return p;
  });
}

/**
 * A nudge now ("remind"): in one tenant transaction, finds the owner's KPIs recorded by
 * hand without a value for the periods containing `input.on` (or for exactly `input.items`), keeps
 * those the actor may remind about, and creates one check-in reminder notification listing them
 * (with its mail, through `createNotifications`). Deduplicated per (KPI, period) and local day:
 * what the owner's scheduled reminder listed today is not sent again (the outcome says so), and a
 * second nudge the same day about the same value is refused (RATE_LIMITED, until local midnight).
 * Serialized per owner by an advisory lock. Permission: `checkins.remind` per KPI (owners and
 * admins anywhere; a lead for the KPI's unit or its owner's home unit in their subtree).
 * Unknown or another organization's person or KPI: NOT_FOUND. Audited. Tenant: ctx.org.
 */
export async function recordNudge(
  ctx: OrgContext,
  input: RemindOwnerInput,
  opts: {
    now: Date;
    smtpConfigured: boolean;
    messageIdHost: string;
    draft: (owner: NudgeOwner, today: string, items: NudgeItem[]) => NotificationDraft;
    renderMail: (draft: NotificationDraft, recipient: { name: string; email: string }) => DraftMail;
  },
): Promise<NudgeOutcome> {
  return withOrgTx(ctx.org.id, (tx) => nudgeInTx(ctx, tx, input, opts));
}

async function nudgeInTx(
  ctx: OrgContext,
  tx: Tx,
  input: RemindOwnerInput,
  opts: Parameters<typeof recordNudge>[2],
): Promise<NudgeOutcome> {
  const { timeZone } = ctx.org;
  const today = todayInTimeZone(timeZone, opts.now);
  if (input.on && input.on > today) {
    throw validationError('That period has not started yet.', { on: ['Pick a day up to today'] });
  }
  const [found] = await tx
    .select({ userId: memberships.userId, name: users.name, homeUnitId: memberships.homeUnitId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, ctx.org.id), eq(memberships.userId, input.ownerUserId)));
  if (!found) throw notFoundError();
  const owner = { userId: found.userId, name: found.name };
  const { graceDays } = await readReminderDays(tx, ctx.org.id);
  const periods = input.items
    ? await namedItemPeriods(ctx, tx, found, input.items, today, graceDays)
    : periodsContaining(input.on ?? today, ctx.org.fyStartMonth, graceDays);
  const named = input.items ? new Set(input.items.map(itemKey)) : null;
  const missing = (await listMissingValues(tx, ctx.org.id, periods)).filter(
    (m) => m.ownerUserId === owner.userId && (!named || named.has(itemKey(m))),
  );
  if (missing.length === 0) return { status: 'nothing_missing', owner };
  const allowed = missing.filter((m) => mayRemindAbout(ctx, m));
  if (allowed.length === 0) {
    throw forbiddenError('You may remind people only about KPIs in the area you lead.');
  }

  // One nudge decision at a time per owner: two clicks at once cannot both pass the check.
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`nudge:${ctx.org.id}:${owner.userId}`}, 0))`,
  );
  const notices = (
    await listItemNotices(tx, ctx.org.id, allowed, localInstant(today, 0, timeZone))
  ).filter((n) => n.recipientUserId === owner.userId && n.kind === 'checkin_reminder');
  const nudged = new Set(notices.filter((n) => n.nudge).map(itemKey));
  const scheduled = new Set(notices.filter((n) => !n.nudge).map(itemKey));
  const fresh = allowed.filter((m) => !nudged.has(itemKey(m)) && !scheduled.has(itemKey(m)));
  if (fresh.length === 0) {
    if (allowed.some((m) => nudged.has(itemKey(m)))) {
      const midnight = localInstant(addDays(today, 1), 0, timeZone).getTime();
      throw new RateLimitedError(
        Math.max(1, Math.ceil((midnight - opts.now.getTime()) / 1000)),
        `${owner.name} was already reminded about ${allowed.length === 1 ? 'this KPI' : 'these KPIs'} today. You can remind them again tomorrow.`,
      );
    }
    return { status: 'already_reminded', owner, count: allowed.length };
  }

  const byPeriod = new Map(periods.map((p) => [`${p.cadence}:${p.periodStart}`, p]));
  const items: NudgeItem[] = fresh.map((m) => ({
    ...byPeriod.get(`${m.cadence}:${m.periodStart}`)!,
    kpiId: m.kpiId,
    kpiName: m.kpiName,
  }));
  const created = await createNotifications(
    tx,
    ctx.org.id,
    [opts.draft(owner, today, items)],
    opts,
  );
  if (created.length === 0) {
    throw new RateLimitedError(60, `${owner.name} was just reminded about these KPIs.`);
  }
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'checkins.remind',
    entityType: 'membership',
    entityId: owner.userId,
    after: { items: items.map((i) => ({ kpiId: i.kpiId, periodStart: i.periodStart })) },
  });
  return { status: 'sent', owner, items, alreadyReminded: allowed.length - fresh.length };
}
