/*
 * "Remind" now, the missing-values list and the escalation delay (issue 19 item 3), imported by
 * notifications.int.test.ts so that they run in that file's sequence: they run the jobs, which
 * serve every organization of the database. Mail goes to a real SMTP server in this process;
 * the clock is injected (Berlin: 09:00 is 08:00 UTC in November and December).
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDbHandle, getOwnerDb } from '@/db/client';
import { kpis, mailDeliveries, notificationItems, notifications, units } from '@/db/schema';
import { remindOwnerAction, updateReminderSettingsAction } from '@/lib/actions/notifications';
import { listMissingValuesForActor } from '@/lib/dal/notifications/missing-list';
import { getReport } from '@/lib/dal/reports/report';
import { getShareSnapshot } from '@/lib/dal/reports/shares';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { RateLimitedError } from '@/lib/dal/rate-limit';
import { todayInTimeZone } from '@/lib/domain/dates';
import { deliverDueMail, runDueJobs } from './job-scope';
import type { NotifyConfig } from '@/lib/notify/config';
import { remindOwner } from '@/lib/notify/nudge';
import { as, contextFor, must, refused } from './cascade-helpers';
import { addTestMember, createTestKpi, createTestOrg, makeLead } from './factories';
import { startTestMail, type startSmtpSink } from './smtp-sink';

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let config: NotifyConfig;

beforeAll(async () => {
  await getDbHandle();
  ({ sink, config } = await startTestMail('nudges-test-secret-0123456789abcdef0123'));
});

afterAll(async () => {
  await sink.close();
});

/**
 * An org in Berlin: company > Sales (led by Lena) and Engineering (led by Eric); Alice (Sales)
 * owns monthly KPIs recorded by hand, created in January; Mo is a member without a unit to lead.
 */
async function scenario(name: string) {
  const { org, owner, rootUnitId } = await createTestOrg({ timeZone: 'Europe/Berlin', name });
  const db = await getOwnerDb();
  const unit = async (unitName: string) => {
    const [row] = await db
      .insert(units)
      .values({ orgId: org.id, parentId: rootUnitId, kind: 'department', name: unitName })
      .returning({ id: units.id });
    return row!.id;
  };
  const salesId = await unit('Sales');
  const engId = await unit('Engineering');
  const member = (who: string, homeUnitId: string) =>
    addTestMember(org.id, { role: 'member', homeUnitId, name: who });
  const lena = await member('Lena Lead', salesId);
  const eric = await member('Eric Eng', engId);
  const alice = await member('Alice Owner', salesId);
  const mo = await member('Mo Member', salesId);
  await makeLead(org.id, salesId, lena.userId);
  await makeLead(org.id, engId, eric.userId);
  const kpi = (kpiName: string, ownerUserId: string) =>
    createTestKpi(owner, org.slug, salesId, { name: kpiName, ownerUserId });
  const backdate = () =>
    db
      .update(kpis)
      .set({ createdAt: new Date('2026-01-01T00:00:00Z') })
      .where(eq(kpis.orgId, org.id));
  return { org, owner, salesId, engId, lena, eric, alice, mo, kpi, backdate };
}

async function notificationsTo(orgId: string, userId: string) {
  const db = await getOwnerDb();
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.orgId, orgId), eq(notifications.recipientUserId, userId)));
}

describe('remind now (a nudge)', () => {
  it('sends one message with the reminders’ template; a second the same day is refused', async () => {
    const s = await scenario('Nudge Co');
    const signups = await s.kpi('Signups', s.alice.userId);
    await s.kpi('Demos booked', s.alice.userId);
    await s.backdate();
    const now = new Date('2026-12-01T10:00:00Z'); // Nov 30 was the last day; due Dec 2
    const ctx = await contextFor(s.owner, s.org.slug);
    const outcome = await remindOwner(
      ctx,
      { ownerUserId: s.alice.userId, on: '2026-11-15' },
      { now, config },
    );
    expect(outcome.status).toBe('sent');
    await deliverDueMail(now, config);
    const mails = sink.to([s.alice.email]);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toMatch(/Subject: Reminder from Owner \S+: 2 KPIs need a value/);
    expect(mails[0]!.text).toContain('Signups (Nov 2026, was due 12/02/2026)');
    expect(mails[0]!.text).toContain('Demos booked');
    expect(mails[0]!.text).toContain('Nudge Co');
    expect(mails[0]!.text).toContain(`http://kpi.test/o/${s.org.slug}/kpis/${signups.id}`);
    expect(mails[0]!.text).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const [note] = await notificationsTo(s.org.id, s.alice.userId);
    expect(note!.kind).toBe('checkin_reminder');
    expect(note!.dedupKey).toMatch(/^nudge:2026-12-01:/);
    const db = await getOwnerDb();
    const items = await db
      .select({ kpiId: notificationItems.kpiId, periodStart: notificationItems.periodStart })
      .from(notificationItems)
      .where(eq(notificationItems.notificationId, note!.id));
    expect(items.map((i) => i.periodStart)).toEqual(['2026-11-01', '2026-11-01']);

    // Again the same local day, from anyone: refused, with a clear message; nothing new.
    const lenaCtx = await contextFor(s.lena, s.org.slug);
    const again = remindOwner(
      lenaCtx,
      { ownerUserId: s.alice.userId, items: [{ kpiId: signups.id, periodStart: '2026-11-01' }] },
      { now: new Date('2026-12-01T21:00:00Z'), config },
    );
    await expect(again).rejects.toBeInstanceOf(RateLimitedError);
    await expect(again).rejects.toThrow(
      'Alice Owner was already reminded about this KPI today. You can remind them again tomorrow.',
    );
    await deliverDueMail(new Date('2026-12-01T21:00:00Z'), config);
    expect(sink.to([s.alice.email])).toHaveLength(1);
    expect(await notificationsTo(s.org.id, s.alice.userId)).toHaveLength(1);

    // The next local day (midnight in Berlin is 23:00 UTC): one more is allowed.
    const nextDay = await remindOwner(
      lenaCtx,
      { ownerUserId: s.alice.userId, items: [{ kpiId: signups.id, periodStart: '2026-11-01' }] },
      { now: new Date('2026-12-01T23:30:00Z'), config },
    );
    expect(nextDay.status).toBe('sent');
    expect(await notificationsTo(s.org.id, s.alice.userId)).toHaveLength(2);
  });

  it('through the action: sent once, then refused as rate limited until tomorrow', async () => {
    const s = await scenario('Nudge Action Co');
    await s.kpi('Open tickets', s.alice.userId);
    const today = todayInTimeZone('Europe/Berlin');
    const remind = () =>
      as(s.lena, () => remindOwnerAction(s.org.slug, { ownerUserId: s.alice.userId, on: today }));
    const first = must(await remind());
    expect(first).toEqual({
      status: 'sent',
      sent: 1,
      message: 'Reminder sent to Alice Owner about 1 KPI.',
    });
    const second = refused(await remind());
    expect(second.code).toBe('RATE_LIMITED');
    expect(second.message).toBe(
      'Alice Owner was already reminded about this KPI today. You can remind them again tomorrow.',
    );
    const [note] = await notificationsTo(s.org.id, s.alice.userId);
    const db = await getOwnerDb();
    const deliveries = await db
      .select({ status: mailDeliveries.status })
      .from(mailDeliveries)
      .where(eq(mailDeliveries.notificationId, note!.id));
    // No SMTP_URL in the test environment: the e-mail waits in the outbox.
    expect(deliveries).toEqual([{ status: 'outbox' }]);
  });

  it('does not repeat what the scheduled reminder sent today, and says so', async () => {
    const s = await scenario('Nudge Dedup Co');
    await s.kpi('Churned accounts', s.alice.userId);
    await s.backdate();
    const due = new Date('2026-12-02T08:00:00Z'); // Nov 30 + 2 grace days, 09:00 Berlin
    await runDueJobs(due, config);
    expect(sink.to([s.alice.email]).map((m) => m.text)).toEqual([
      expect.stringContaining('Subject: Check-in overdue: 1 KPI needs a value'),
    ]);
    const ctx = await contextFor(s.owner, s.org.slug);
    const later = new Date('2026-12-02T15:00:00Z');
    const outcome = await remindOwner(
      ctx,
      { ownerUserId: s.alice.userId, on: '2026-11-30' },
      { now: later, config },
    );
    expect(outcome).toMatchObject({ status: 'already_reminded', count: 1 });
    await deliverDueMail(later, config);
    expect(sink.to([s.alice.email])).toHaveLength(1);
    expect(await notificationsTo(s.org.id, s.alice.userId)).toHaveLength(1);
    // The day after, the nudge goes.
    const next = await remindOwner(
      ctx,
      { ownerUserId: s.alice.userId, on: '2026-11-30' },
      { now: new Date('2026-12-03T10:00:00Z'), config },
    );
    expect(next.status).toBe('sent');
  });

  it('a lead reminds in their area only; a member may not remind; admins anyone', async () => {
    const s = await scenario('Nudge Scope Co');
    const kpi = await s.kpi('Meetings held', s.alice.userId);
    const today = todayInTimeZone('Europe/Berlin');
    const input = { ownerUserId: s.alice.userId, on: today };
    const byMo = refused(await as(s.mo, () => remindOwnerAction(s.org.slug, input)));
    expect(byMo.code).toBe('FORBIDDEN');
    const byEric = refused(await as(s.eric, () => remindOwnerAction(s.org.slug, input)));
    expect(byEric.code).toBe('FORBIDDEN');
    const named = refused(
      await as(s.eric, () =>
        remindOwnerAction(s.org.slug, {
          ownerUserId: s.alice.userId,
          items: [{ kpiId: kpi.id, periodStart: `${today.slice(0, 8)}01` }],
        }),
      ),
    );
    expect(named.code).toBe('FORBIDDEN');
    expect(await notificationsTo(s.org.id, s.alice.userId)).toHaveLength(0);
    expect(must(await as(s.lena, () => remindOwnerAction(s.org.slug, input))).status).toBe('sent');
    // The owner's own KPI in Engineering: Lena leads Alice's home unit, so she may remind.
    await createTestKpi(s.owner, s.org.slug, s.engId, {
      name: 'Eng handover',
      ownerUserId: s.alice.userId,
    });
    const more = must(await as(s.lena, () => remindOwnerAction(s.org.slug, input)));
    expect(more.message).toBe(
      'Reminder sent to Alice Owner about 1 KPI. 1 KPI left out: reminded today already.',
    );
  });

  it("another organization's KPI or person looks like one that does not exist", async () => {
    const s = await scenario('Nudge Wall Co');
    const other = await scenario('Nudge Other Co');
    const theirs = await other.kpi('Their KPI', other.alice.userId);
    const today = todayInTimeZone('Europe/Berlin');
    const start = `${today.slice(0, 8)}01`;
    const call = (input: Parameters<typeof remindOwnerAction>[1]) =>
      as(s.owner, () => remindOwnerAction(s.org.slug, input));
    const foreignKpi = refused(
      await call({
        ownerUserId: s.alice.userId,
        items: [{ kpiId: theirs.id, periodStart: start }],
      }),
    );
    const randomKpi = refused(
      await call({
        ownerUserId: s.alice.userId,
        items: [{ kpiId: randomUUID(), periodStart: start }],
      }),
    );
    expect(foreignKpi.code).toBe('NOT_FOUND');
    expect(foreignKpi.message).toBe(randomKpi.message);
    const foreignPerson = refused(await call({ ownerUserId: other.alice.userId, on: today }));
    const randomPerson = refused(await call({ ownerUserId: randomUUID(), on: today }));
    expect(foreignPerson.code).toBe('NOT_FOUND');
    expect(foreignPerson.message).toBe(randomPerson.message);
    expect(await notificationsTo(other.org.id, other.alice.userId)).toHaveLength(0);
    // Bad input: both or neither of a day and items, a future day.
    expect(refused(await call({ ownerUserId: s.alice.userId })).code).toBe('VALIDATION');
    expect(refused(await call({ ownerUserId: s.alice.userId, on: '2999-01-01' })).code).toBe(
      'VALIDATION',
    );
  });
});

describe("the report's not-reported list", () => {
  it('names the owner of each missing value for remind, never in a share snapshot', async () => {
    const s = await scenario('Report Remind Co');
    const kpi = await s.kpi('Renewals', s.alice.userId);
    await createTestKpi(s.owner, s.org.slug, s.salesId, { name: 'Unowned' });
    const ctx = await contextFor(s.owner, s.org.slug);
    const month = `month-${todayInTimeZone('Europe/Berlin').slice(0, 8)}01`;
    const report = await getReport(ctx, {
      scope: 'company',
      period: resolveDashboardPeriod(month, ctx.org),
    });
    const refs = report.summary.withoutValue;
    expect(refs.find((r) => r.kpiId === kpi.id)?.owner).toEqual({
      userId: s.alice.userId,
      name: 'Alice Owner',
    });
    expect(refs.find((r) => r.name === 'Unowned')?.owner).toBeUndefined();
    const snapshot = await getShareSnapshot(ctx, {
      scope: 'company',
      period: month,
      expiresInDays: 7,
    });
    expect(snapshot.summary.withoutValue.map((r) => r.name).sort()).toEqual([
      'Renewals',
      'Unowned',
    ]);
    expect(snapshot.summary.withoutValue.some((r) => 'owner' in r)).toBe(false);
  });
});

describe('missing values list', () => {
  it('lists by person with due date, days overdue, and the reminders and escalations sent', async () => {
    const s = await scenario('Missing List Co');
    const ben = await addTestMember(s.org.id, {
      role: 'member',
      homeUnitId: s.engId,
      name: 'Ben Builder',
    });
    await s.kpi('Signups', s.alice.userId);
    await createTestKpi(s.owner, s.org.slug, s.engId, { name: 'Deploys', ownerUserId: ben.userId });
    await s.backdate();
    await runDueJobs(new Date('2026-12-02T08:00:00Z'), config); // due-date reminders
    await runDueJobs(new Date('2026-12-05T08:00:00Z'), config); // escalation to the leads
    const at = new Date('2026-12-06T10:00:00Z');
    const all = await listMissingValuesForActor(await contextFor(s.owner, s.org.slug), at);
    expect(all.today).toBe('2026-12-06');
    expect(all.total).toBe(2);
    const alice = all.people.find((p) => p.userId === s.alice.userId)!;
    expect(alice.homeUnitName).toBe('Sales');
    expect(alice.items).toEqual([
      expect.objectContaining({
        kpiName: 'Signups',
        periodStart: '2026-11-01',
        dueDate: '2026-12-02',
        daysOverdue: 4,
        remindedAt: expect.any(String),
        nudgedAt: null,
        escalatedAt: expect.any(String),
      }),
    ]);
    // Eric leads Engineering: only Ben's value.
    const erics = await listMissingValuesForActor(await contextFor(s.eric, s.org.slug), at);
    expect(erics.people.map((p) => p.name)).toEqual(['Ben Builder']);
    // A member without a unit to lead: nothing.
    const mos = await listMissingValuesForActor(await contextFor(s.mo, s.org.slug), at);
    expect(mos.people).toEqual([]);
  });
});

describe('escalation delay setting', () => {
  it('escalates after the configured number of days, one lead step per delay', async () => {
    const s = await scenario('Escalation Delay Co');
    await s.kpi('Pipeline reviews', s.alice.userId);
    await s.backdate();
    const bad = refused(
      await as(s.owner, () =>
        updateReminderSettingsAction(s.org.slug, {
          reminderDaysBefore: 3,
          reminderGraceDays: 2,
          escalationDelayDays: 31,
        }),
      ),
    );
    expect(bad.fieldErrors?.escalationDelayDays).toEqual([
      'Days before escalating must be at most 30',
    ]);
    expect(
      must(
        await as(s.owner, () =>
          updateReminderSettingsAction(s.org.slug, {
            reminderDaysBefore: 3,
            reminderGraceDays: 2,
            escalationDelayDays: 5,
          }),
        ),
      ),
    ).toEqual({ daysBefore: 3, graceDays: 2, escalationDelayDays: 5 });
    const escalations = async () =>
      (await notificationsTo(s.org.id, s.lena.userId)).filter(
        (n) => n.kind === 'missing_escalation',
      );
    // Due Dec 2: not after 3 days (the default), but after 5 (Dec 7, 09:00 Berlin).
    await runDueJobs(new Date('2026-12-05T08:00:00Z'), config);
    await runDueJobs(new Date('2026-12-06T08:00:00Z'), config);
    expect(await escalations()).toHaveLength(0);
    await runDueJobs(new Date('2026-12-07T08:00:00Z'), config);
    expect((await escalations()).map((n) => n.dedupKey)).toEqual(['escalation:2026-12-07']);
    // Dec 7 2026 is a Monday: the lead's weekly digest goes out at the same hour
    // (digests-suite.ts); the escalation is the one other message.
    const escalationMails = sink
      .to([s.lena.email])
      .filter((m) => !m.raw.includes('Subject: Weekly digest'));
    expect(escalationMails.map((m) => m.to)).toEqual([[s.lena.email]]);
  });
});
