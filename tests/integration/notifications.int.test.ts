import { spawn } from 'node:child_process';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDbHandle, getOwnerDb } from '@/db/client';
import { auditLog, kpis, mailDeliveries, notifications, units } from '@/db/schema';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { createKpiAction } from '@/lib/actions/kpis';
import {
  markNotificationsReadAction,
  setEmailPreferenceAction,
  updateReminderSettingsAction,
} from '@/lib/actions/notifications';
import { claimDueDeliveries } from '@/lib/dal/notifications/deliveries';
import { listMyNotifications } from '@/lib/dal/notifications/inbox';
import { readOrgPageFrame } from '@/lib/dal/org-page-frame';
import { getMyEmailPreferences, unsubscribeByToken } from '@/lib/dal/notifications/preferences';
import { getAuthSecret } from '@/lib/auth/secret';
import { DELIVERY_LEASE_MS, MAX_DELIVERY_ATTEMPTS } from '@/lib/domain/delivery-policy';
import { deliverDueMail, runDueJobs, startJobsWorker } from './job-scope';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '@/lib/mail/unsubscribe-token';
import type { NotifyConfig } from '@/lib/notify/config';
import { as, contextFor, kpiInput, must, refused } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';
import { realPostgres } from './real-postgres';
import { startSmtpSink } from './smtp-sink';
// The off-track alert tests run in this file, after these: jobs sweep every organization, so two
// files running jobs at once on the shared database would take each other's mail and events.
import './status-alerts-suite';
// Weekly digests and scheduled reports, likewise in this file's sequence.
import './digests-suite';
// "Remind" now, the missing-values list and the escalation delay: they run the jobs too.
import './nudges-suite';
// Scheduled pulls from a SQL source: the sql-pulls job serves every organization too.
import './sql-pulls-suite';
// Webhooks out: the delivery job serves every organization too.
import './webhooks-suite';

// Reminders and their mail, end to end on a real SMTP server in this process, with the clock
// injected: 09:00 in Berlin is 08:00 UTC in November and December.
const BEFORE_NOV_END = new Date('2026-11-27T08:00:00Z'); // 3 days before Nov 30
const NOV_DUE = new Date('2026-12-02T08:00:00Z'); // Nov 30 + 2 grace days
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);
/** What the org layout shows around a page (the switcher's organizations, the bell's count). */
const chromeOf = async (who: Parameters<typeof readOrgPageFrame>[0], slug: string) =>
  (await readOrgPageFrame(who, slug)).chrome;

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let config: NotifyConfig;
const secret = 'notifications-test-secret-0123456789abcdef';

beforeAll(async () => {
  // Open (and migrate) the database here, not in the first test's time budget.
  await getDbHandle();
  sink = await startSmtpSink();
  config = {
    smtpUrl: sink.url,
    from: 'Cascade KPI <no-reply@kpi.test>',
    appUrl: 'http://kpi.test',
    secret,
  };
});

afterAll(async () => {
  await sink.close();
});

/** An org in Berlin with people owning monthly KPIs recorded by hand (created in January). */
async function scenario(people: number, opts: { name?: string } = {}) {
  const { org, owner, rootUnitId } = await createTestOrg({
    timeZone: 'Europe/Berlin',
    name: opts.name ?? 'Reminder Test Co',
  });
  const members = [];
  for (let i = 0; i < people; i += 1) {
    members.push(
      await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId, name: `Person ${i}` }),
    );
  }
  const createKpi = (
    name: string,
    ownerUserId: string | null,
    over: Record<string, unknown> = {},
  ) =>
    as(owner, async () =>
      must(await createKpiAction(org.slug, kpiInput(rootUnitId, { name, ownerUserId, ...over }))),
    );
  const backdate = async () => {
    const db = await getOwnerDb();
    await db
      .update(kpis)
      .set({ createdAt: new Date('2026-01-01T00:00:00Z') })
      .where(eq(kpis.orgId, org.id));
  };
  return { org, owner, rootUnitId, members, createKpi, backdate };
}

async function notificationsOf(orgId: string) {
  const db = await getOwnerDb();
  return db.select().from(notifications).where(eq(notifications.orgId, orgId));
}

async function deliveriesOf(orgId: string) {
  const db = await getOwnerDb();
  return db.select().from(mailDeliveries).where(eq(mailDeliveries.orgId, orgId));
}

describe('check-in reminders', () => {
  it('sends one message per person listing everything due, at 09:00 local, with links', async () => {
    const s = await scenario(3);
    const [alice, bob, carol] = s.members as [
      (typeof s.members)[0],
      (typeof s.members)[0],
      (typeof s.members)[0],
    ];
    const signups = await s.createKpi('Signups', alice.userId);
    const demos = await s.createKpi('Demos booked', alice.userId);
    const calls = await s.createKpi('Calls', bob.userId);
    await s.createKpi('Quarterly NPS', carol.userId, {
      cadence: 'quarter',
      timeAggregation: 'average',
    });
    await s.createKpi('Nobody owns this', null);
    await s.backdate();
    // Bob already has November's value: nothing due for him.
    must(
      await as(s.owner, () =>
        recordCheckinAction(s.org.slug, { kpiId: calls.id, observedOn: '2026-11-10', value: '4' }),
      ),
    );
    const people = [alice.email, bob.email, carol.email];

    // 08:59 in Berlin: not yet.
    await runDueJobs(later(BEFORE_NOV_END, -60_000), config);
    expect(sink.to(people)).toHaveLength(0);

    await runDueJobs(BEFORE_NOV_END, config);
    const first = sink.to(people);
    expect(first).toHaveLength(1);
    const mail = first[0]!;
    expect(mail.to).toEqual([alice.email]);
    expect(mail.text).toContain('Subject: Check-in reminder: 2 KPIs need a value');
    expect(mail.text).toContain('Reminder Test Co');
    expect(mail.text).toContain('Europe/Berlin');
    expect(mail.text).toContain('Signups (Nov 2026, due 12/02/2026)');
    expect(mail.text).toContain('Demos booked');
    expect(mail.text).not.toContain('Calls');
    expect(mail.text).toContain(`http://kpi.test/o/${s.org.slug}#checkins-heading`);
    expect(mail.text).toContain(`http://kpi.test/o/${s.org.slug}/kpis/${signups.id}`);
    expect(mail.text).toContain(`http://kpi.test/o/${s.org.slug}/kpis/${demos.id}`);
    expect(mail.text).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.text).toMatch(/Content-Type: text\/plain/);
    expect(mail.text).toMatch(/Content-Type: text\/html/);
    const unfolded = mail.text.replace(/\r?\n[ \t]+/g, ' '); // header folding
    expect(unfolded).toMatch(
      /List-Unsubscribe: <http:\/\/kpi\.test\/api\/unsubscribe\?token=[^>]+>/,
    );
    expect(mail.text).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const token = decodeURIComponent(/\/api\/unsubscribe\?token=([^>\s]+)>/.exec(mail.text)![1]!);
    expect(verifyUnsubscribeToken(token, secret)).toEqual({
      orgId: s.org.id,
      userId: alice.userId,
      kind: 'checkin_reminder',
    });

    const inbox = await notificationsOf(s.org.id);
    expect(inbox.map((n) => [n.recipientUserId, n.link, n.dedupKey])).toEqual([
      [alice.userId, `/o/${s.org.slug}#checkins-heading`, 'reminder:2026-11-27'],
    ]);
    expect((await deliveriesOf(s.org.id)).map((d) => d.status)).toEqual(['sent']);

    // Run again at the same instant, and later that day: nothing new.
    await runDueJobs(BEFORE_NOV_END, config);
    await runDueJobs(later(BEFORE_NOV_END, 6 * 3600_000), config);
    expect(sink.to(people)).toHaveLength(1);
    expect(await notificationsOf(s.org.id)).toHaveLength(1);

    // The due date (Nov 30 + 2): overdue, for the same two KPIs; Bob still has nothing due.
    await runDueJobs(NOV_DUE, config);
    const second = sink.to(people).slice(1);
    expect(second).toHaveLength(1);
    expect(second[0]!.to).toEqual([alice.email]);
    expect(second[0]!.text).toContain('Subject: Check-in overdue: 2 KPIs need a value');
    expect(second[0]!.text).toContain('Signups (Nov 2026, was due 12/02/2026)');
  });

  it("follows the organization settings and each person's e-mail preference", async () => {
    const s = await scenario(2, { name: 'Settings Co' });
    const [dana, eli] = s.members as [(typeof s.members)[0], (typeof s.members)[0]];
    await s.createKpi('Tickets closed', dana.userId);
    await s.createKpi('Churned accounts', eli.userId);
    await s.backdate();
    // Remind 5 days before; validation refuses nonsense and leaves the settings unchanged.
    expect(
      refused(
        await as(s.owner, () =>
          updateReminderSettingsAction(s.org.slug, { reminderDaysBefore: 0, reminderGraceDays: 2 }),
        ),
      ).code,
    ).toBe('VALIDATION');
    expect(
      refused(
        await as(dana, () =>
          updateReminderSettingsAction(s.org.slug, { reminderDaysBefore: 5, reminderGraceDays: 2 }),
        ),
      ).code,
    ).toBe('FORBIDDEN');
    must(
      await as(s.owner, () =>
        updateReminderSettingsAction(s.org.slug, { reminderDaysBefore: 5, reminderGraceDays: 2 }),
      ),
    );
    const db0 = await getOwnerDb();
    const audits = await db0
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, s.org.id), eq(auditLog.action, 'settings.reminders')));
    expect(audits).toEqual([
      {
        action: 'settings.reminders',
        after: { daysBefore: 5, graceDays: 2, escalationDelayDays: 3 },
      },
    ]);
    // Eli turns reminder e-mails off: the inbox still gets it, the mail does not go.
    must(
      await as(eli, () =>
        setEmailPreferenceAction(s.org.slug, { kind: 'checkin_reminder', email: false }),
      ),
    );
    const people = [dana.email, eli.email];
    await runDueJobs(BEFORE_NOV_END, config); // 3 days before: not this org's day any more
    expect(await notificationsOf(s.org.id)).toHaveLength(0);
    await runDueJobs(new Date('2026-11-25T08:00:00Z'), config); // 5 days before Nov 30
    expect((await notificationsOf(s.org.id)).map((n) => n.recipientUserId).sort()).toEqual(
      [dana.userId, eli.userId].sort(),
    );
    expect(sink.to(people).map((m) => m.to)).toEqual([[dana.email]]);
    expect(await deliveriesOf(s.org.id)).toHaveLength(1);
  });

  it('keeps mail in the outbox without an SMTP server', async () => {
    const s = await scenario(1, { name: 'Outbox Co' });
    const [fay] = s.members as [(typeof s.members)[0]];
    await s.createKpi('Leads', fay.userId);
    await s.backdate();
    await runDueJobs(BEFORE_NOV_END, { ...config, smtpUrl: undefined });
    const deliveries = await deliveriesOf(s.org.id);
    expect(deliveries.map((d) => [d.status, d.toAddress])).toEqual([['outbox', fay.email]]);
    expect(deliveries[0]!.textBody).toContain('Outbox Co');
    // A worker with SMTP later does not send outbox mail.
    await deliverDueMail(later(BEFORE_NOV_END, 3600_000), config);
    expect(sink.to([fay.email])).toHaveLength(0);
  });
});

describe('escalation', () => {
  it("a value still missing goes to the owner's lead, then one lead up per further delay", async () => {
    const s = await scenario(0, { name: 'Escalation Co' });
    const db = await getOwnerDb();
    const vp = await addTestMember(s.org.id, {
      role: 'member',
      homeUnitId: s.rootUnitId,
      name: 'Vera VP',
    });
    const tl = await addTestMember(s.org.id, {
      role: 'member',
      homeUnitId: s.rootUnitId,
      name: 'Tom Lead',
    });
    const [sales] = await db
      .insert(units)
      .values({
        orgId: s.org.id,
        parentId: s.rootUnitId,
        kind: 'department',
        name: 'Sales',
        leadUserId: vp.userId,
      })
      .returning({ id: units.id });
    const [team] = await db
      .insert(units)
      .values({
        orgId: s.org.id,
        parentId: sales!.id,
        kind: 'team',
        name: 'EMEA',
        leadUserId: tl.userId,
      })
      .returning({ id: units.id });
    const rep = await addTestMember(s.org.id, {
      role: 'member',
      homeUnitId: team!.id,
      name: 'Rita Rep',
    });
    const done = await addTestMember(s.org.id, {
      role: 'member',
      homeUnitId: team!.id,
      name: 'Dan Done',
    });
    await s.createKpi('Meetings booked', rep.userId);
    const reported = await s.createKpi('Calls made', done.userId);
    await s.backdate();
    must(
      await as(s.owner, () =>
        recordCheckinAction(s.org.slug, {
          kpiId: reported.id,
          observedOn: '2026-11-12',
          value: '9',
        }),
      ),
    );
    const leads = [vp.email, tl.email];
    const escalations = async () =>
      (await notificationsOf(s.org.id)).filter((n) => n.kind === 'missing_escalation');

    // Due Dec 2; 3 days later (Dec 5, 09:00 Berlin) to the team lead, listing Rita's KPI only.
    await runDueJobs(new Date('2026-12-04T08:00:00Z'), config);
    expect(await escalations()).toHaveLength(0);
    await runDueJobs(new Date('2026-12-05T08:00:00Z'), config);
    await runDueJobs(new Date('2026-12-05T08:00:00Z'), config);
    let mails = sink.to(leads);
    expect(mails.map((m) => m.to)).toEqual([[tl.email]]);
    expect(mails[0]!.text).toContain('Subject: Missing in your area: 1 KPI value not reported');
    expect(mails[0]!.text).toContain('Meetings booked (Rita Rep, Nov 2026, was due 12/02/2026)');
    expect(mails[0]!.text).not.toContain('Calls made');
    expect(mails[0]!.text).toContain('Escalation Co');
    // Still missing 3 days later: the next lead up; then nobody above (the root has no lead).
    await runDueJobs(new Date('2026-12-08T08:00:00Z'), config);
    mails = sink.to(leads);
    expect(mails.map((m) => m.to)).toEqual([[tl.email], [vp.email]]);
    await runDueJobs(new Date('2026-12-11T08:00:00Z'), config);
    expect(sink.to(leads)).toHaveLength(2);
    const rows = await escalations();
    expect(rows.map((n) => [n.recipientUserId, n.dedupKey]).sort()).toEqual(
      [
        [tl.userId, 'escalation:2026-12-05'],
        [vp.userId, 'escalation:2026-12-08'],
      ].sort(),
    );
  });
});

describe('delivery', () => {
  it('retries a refused send with backoff and gives up after the last attempt', async () => {
    const s = await scenario(1, { name: 'Retry Co' });
    const [gus] = s.members as [(typeof s.members)[0]];
    await s.createKpi('Uptime', gus.userId, { timeAggregation: 'average', measureUnit: 'percent' });
    await s.backdate();
    sink.setMode('reject');
    try {
      await runDueJobs(BEFORE_NOV_END, config);
      let [d] = await deliveriesOf(s.org.id);
      expect([d!.status, d!.attempts]).toEqual(['retrying', 1]);
      expect(d!.lastError).toMatch(/451/);
      expect(d!.nextAttemptAt.toISOString()).toBe('2026-11-27T08:01:00.000Z');
      // Not before its time.
      await deliverDueMail(later(BEFORE_NOV_END, 30_000), config);
      [d] = await deliveriesOf(s.org.id);
      expect(d!.attempts).toBe(1);
      let at = BEFORE_NOV_END;
      for (let attempt = 2; attempt <= MAX_DELIVERY_ATTEMPTS; attempt += 1) {
        at = d!.nextAttemptAt;
        await deliverDueMail(at, config);
        [d] = await deliveriesOf(s.org.id);
        expect(d!.attempts).toBe(attempt);
      }
      expect(d!.status).toBe('failed');
      sink.setMode('accept');
      await deliverDueMail(later(at, 24 * 3600_000), config);
      [d] = await deliveriesOf(s.org.id);
      expect(d!.status).toBe('failed');
      expect(sink.to([gus.email])).toHaveLength(0);
    } finally {
      sink.setMode('accept');
    }
  });

  it('recovers a claim whose worker died before sending: sent once, after the lease', async () => {
    const s = await scenario(3, { name: 'Crash Co' });
    for (const m of s.members) await s.createKpi(`KPI of ${m.email}`, m.userId);
    await s.backdate();
    const people = s.members.map((m) => m.email);
    // Reminders created with mail pending (no worker sends yet): a delivery run would send them.
    await runDueJobs(BEFORE_NOV_END, { ...config, smtpUrl: sink.url });
    // The run above already sent them; make fresh pending ones for the crash itself.
    expect(sink.to(people)).toHaveLength(3);
    const db = await getOwnerDb();
    await db
      .update(mailDeliveries)
      .set({ status: 'pending', sentAt: null, attempts: 0 })
      .where(eq(mailDeliveries.orgId, s.org.id));
    const before = sink.mails.length;
    // A worker claims them and dies.
    const claimed = await claimDueDeliveries(s.org.id, BEFORE_NOV_END, 100);
    expect(claimed).toHaveLength(3);
    // Another run while the lease holds sends nothing; after it, each once; then never again.
    await deliverDueMail(later(BEFORE_NOV_END, 60_000), config);
    expect(sink.mails.length).toBe(before);
    await deliverDueMail(later(BEFORE_NOV_END, DELIVERY_LEASE_MS), config);
    await deliverDueMail(later(BEFORE_NOV_END, DELIVERY_LEASE_MS + 60_000), config);
    const resent = sink.mails.slice(before).filter((m) => m.to.some((t) => people.includes(t)));
    expect(resent.map((m) => m.to[0]).sort()).toEqual([...people].sort());
    const deliveries = await deliveriesOf(s.org.id);
    expect(deliveries.map((d) => [d.status, d.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
      ['sent', 2],
    ]);
  });

  describe.runIf(realPostgres)('on a real server', () => {
    it('two workers at once send each message once', async () => {
      const s = await scenario(25, { name: 'Two Workers Co' });
      for (const m of s.members) await s.createKpi(`KPI of ${m.email}`, m.userId);
      await s.backdate();
      const people = s.members.map((m) => m.email);
      // Reminders without mail sending (the mail step runs next, twice at once).
      await runDueJobs(BEFORE_NOV_END, { ...config, smtpUrl: sink.url }).catch(() => undefined);
      // runDueJobs sent them already; reset to pending and race three workers.
      const db = await getOwnerDb();
      await db
        .update(mailDeliveries)
        .set({ status: 'pending', sentAt: null, attempts: 0 })
        .where(eq(mailDeliveries.orgId, s.org.id));
      const before = sink.mails.length;
      const runs = await Promise.all([
        deliverDueMail(BEFORE_NOV_END, config),
        deliverDueMail(BEFORE_NOV_END, config),
        deliverDueMail(BEFORE_NOV_END, config),
      ]);
      const mine = sink.mails.slice(before).filter((m) => m.to.some((t) => people.includes(t)));
      expect(mine).toHaveLength(25);
      expect(new Set(mine.map((m) => m.to[0])).size).toBe(25);
      expect(runs.reduce((n, r) => n + r.sent, 0)).toBeGreaterThanOrEqual(25);
      const deliveries = await deliveriesOf(s.org.id);
      expect(deliveries.filter((d) => !(d.status === 'sent' && d.attempts === 1))).toEqual([]);
    });

    it('a worker killed between claiming and sending: every message arrives once', async () => {
      const s = await scenario(4, { name: 'Killed Worker Co' });
      for (const m of s.members) await s.createKpi(`KPI of ${m.email}`, m.userId);
      await s.backdate();
      const people = s.members.map((m) => m.email);
      sink.setMode('hang');
      const child = spawn(
        'node_modules/.bin/tsx',
        ['lib/cli/jobs-run-due.ts', '--now', BEFORE_NOV_END.toISOString()],
        {
          env: {
            ...process.env,
            SMTP_URL: sink.url,
            APP_URL: 'http://kpi.test',
            AUTH_SECRET: secret,
          },
          stdio: 'ignore',
          // Its own process group: tsx runs the script in a child process, and both must die.
          detached: true,
        },
      );
      const kill = () => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      try {
        // Wait until the worker has claimed this org's deliveries and hangs in its first send.
        const deadline = Date.now() + 30_000;
        const hungBefore = sink.hungCount();
        for (;;) {
          const rows = await deliveriesOf(s.org.id);
          const claimed = rows.length === 4 && rows.every((d) => d.status === 'sending');
          if (claimed && sink.hungCount() > hungBefore) break;
          if (Date.now() > deadline) throw new Error('the worker never claimed the deliveries');
          await new Promise((r) => setTimeout(r, 100));
        }
        const exited = new Promise((r) => child.once('exit', r));
        kill();
        await exited;
      } finally {
        kill();
        sink.setMode('accept');
      }
      expect(sink.to(people)).toHaveLength(0);
      await deliverDueMail(later(BEFORE_NOV_END, DELIVERY_LEASE_MS), config);
      await runDueJobs(later(BEFORE_NOV_END, DELIVERY_LEASE_MS + 60_000), config);
      expect(
        sink
          .to(people)
          .map((m) => m.to[0])
          .sort(),
      ).toEqual([...people].sort());
      expect((await deliveriesOf(s.org.id)).every((d) => d.status === 'sent')).toBe(true);
    });
  });
});

describe('the queue', () => {
  it('a pg-boss worker on this database runs the reminders and sends their mail', async () => {
    const s = await scenario(1, { name: 'Worker Co' });
    const [kim] = s.members as [(typeof s.members)[0]];
    await s.createKpi('Kim KPI', kim.userId);
    await s.backdate();
    const worker = await startJobsWorker({ clock: () => BEFORE_NOV_END, config });
    try {
      // As a cron tick would: the reminders job, which then nudges the mail job.
      await worker.boss.send('checkin-reminders', {});
      const deadline = Date.now() + 60_000;
      while (sink.to([kim.email]).length === 0) {
        if (Date.now() > deadline) throw new Error('the worker sent nothing within a minute');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await worker.stop();
    }
    expect(sink.to([kim.email])).toHaveLength(1);
    expect((await deliveriesOf(s.org.id)).map((d) => d.status)).toEqual(['sent']);
  }, 120_000);
});

describe('inbox', () => {
  it('shows a person only their own notifications and marks them read', async () => {
    const s = await scenario(2, { name: 'Inbox Co' });
    const [hal, ivy] = s.members as [(typeof s.members)[0], (typeof s.members)[0]];
    await s.createKpi('Hal KPI', hal.userId);
    await s.createKpi('Ivy KPI', ivy.userId);
    await s.backdate();
    await runDueJobs(BEFORE_NOV_END, { ...config, smtpUrl: undefined });
    await runDueJobs(NOV_DUE, { ...config, smtpUrl: undefined });
    const halCtx = await contextFor(hal, s.org.slug);
    const ivyCtx = await contextFor(ivy, s.org.slug);
    const halInbox = await listMyNotifications(halCtx);
    expect(halInbox.map((n) => n.subject)).toEqual([
      'Check-in overdue: 1 KPI needs a value',
      'Check-in reminder: 1 KPI needs a value',
    ]);
    expect(halInbox.every((n) => n.body.includes('Hal KPI'))).toBe(true);
    expect((await chromeOf(hal, s.org.slug)).unread).toBe(2);
    const ivyIds = (await listMyNotifications(ivyCtx)).map((n) => n.id);
    // Hal cannot mark Ivy's: nothing changes (like a missing id).
    expect(
      must(await as(hal, () => markNotificationsReadAction(s.org.slug, { ids: ivyIds }))),
    ).toEqual({ marked: 0 });
    expect((await chromeOf(ivy, s.org.slug)).unread).toBe(2);
    expect(
      must(
        await as(hal, () => markNotificationsReadAction(s.org.slug, { ids: [halInbox[0]!.id] })),
      ),
    ).toEqual({ marked: 1 });
    expect((await chromeOf(hal, s.org.slug)).unread).toBe(1);
    // The layout reads the count with the switcher's organizations and the membership, in one
    // transaction.
    expect(await chromeOf(hal, s.org.slug)).toEqual({
      orgs: [{ slug: s.org.slug, name: s.org.name, role: 'member' }],
      unread: 1,
    });
    expect((await chromeOf(ivy, s.org.slug)).unread).toBe(2);
    expect(
      must(await as(hal, () => markNotificationsReadAction(s.org.slug, { all: true }))),
    ).toEqual({
      marked: 1,
    });
    expect((await chromeOf(hal, s.org.slug)).unread).toBe(0);
    expect((await chromeOf(ivy, s.org.slug)).unread).toBe(2);
    expect(
      refused(
        await as(hal, () => markNotificationsReadAction(s.org.slug, { ids: ['nope'] } as never)),
      ).code,
    ).toBe('VALIDATION');
    // Another organization's member sees none of them.
    const other = await createTestOrg();
    const otherCtx = await contextFor(other.owner, other.org.slug);
    expect(await listMyNotifications(otherCtx)).toEqual([]);
  });

  it("the one-click route turns e-mail off for the token's person only, and refuses forgeries", async () => {
    const s = await scenario(2, { name: 'One Click Co' });
    const [lee, max] = s.members as [(typeof s.members)[0], (typeof s.members)[0]];
    const { POST } = await import('@/app/api/unsubscribe/route');
    const { NextRequest } = await import('next/server');
    const post = (token: string) =>
      POST(
        new NextRequest(`http://kpi.test/api/unsubscribe?token=${encodeURIComponent(token)}`, {
          method: 'POST',
          body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
    const token = signUnsubscribeToken(
      { orgId: s.org.id, userId: lee.userId, kind: 'checkin_reminder' },
      getAuthSecret(),
    );
    expect((await post(`${token.slice(0, -3)}abc`)).status).toBe(400);
    expect(
      (
        await post(
          signUnsubscribeToken(
            { orgId: s.org.id, userId: lee.userId, kind: 'checkin_reminder' },
            'another-secret-another-secret-1234',
          ),
        )
      ).status,
    ).toBe(400);
    expect((await getMyEmailPreferences(await contextFor(lee, s.org.slug))).checkin_reminder).toBe(
      true,
    );
    const ok = await post(token);
    expect(ok.status).toBe(200);
    expect(await getMyEmailPreferences(await contextFor(lee, s.org.slug))).toEqual({
      checkin_reminder: false,
      missing_escalation: true,
      status_alert: true,
      weekly_digest: true,
      scheduled_report: true,
      webhook_disabled: true,
    });
    expect(await getMyEmailPreferences(await contextFor(max, s.org.slug))).toEqual({
      checkin_reminder: true,
      missing_escalation: true,
      status_alert: true,
      weekly_digest: true,
      scheduled_report: true,
      webhook_disabled: true,
    });
  });

  it('unsubscribes through a signed token', async () => {
    const s = await scenario(1, { name: 'Unsubscribe Co' });
    const [jo] = s.members as [(typeof s.members)[0]];
    expect(
      await unsubscribeByToken({ orgId: s.org.id, userId: jo.userId, kind: 'checkin_reminder' }),
    ).toBe(true);
    await s.createKpi('Jo KPI', jo.userId);
    await s.backdate();
    await runDueJobs(BEFORE_NOV_END, config);
    expect(await notificationsOf(s.org.id)).toHaveLength(1);
    expect(await deliveriesOf(s.org.id)).toHaveLength(0);
    expect(sink.to([jo.email])).toHaveLength(0);
    // A person who is not a member there changes nothing.
    const other = await createTestOrg();
    expect(
      await unsubscribeByToken({
        orgId: s.org.id,
        userId: other.owner.userId,
        kind: 'checkin_reminder',
      }),
    ).toBe(false);
  });
});
