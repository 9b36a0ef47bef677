/*
 * Weekly digests and scheduled reports (issue 19 item 5), imported by notifications.int.test.ts
 * so that they run in that file's sequence: the jobs serve every organization of the database.
 * A real SMTP server in this process, the clock injected (09:00 in Berlin is 08:00 UTC in
 * December); check-ins are dated on or before 5 Dec 2026 (never in the future).
 */
import { count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDbHandle, getOwnerDb } from '@/db/client';
import {
  digestWeekMarks,
  kpis,
  mailDeliveries,
  notifications,
  reportScheduleRecipients,
  reportSchedules,
  units,
} from '@/db/schema';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { removeMemberAction } from '@/lib/actions/people';
import { createReportScheduleAction, deleteReportScheduleAction } from '@/lib/actions/reports';
import { listMailDeliveries } from '@/lib/dal/notifications/deliveries-log';
import { listReportSchedules } from '@/lib/dal/reports/schedules';
import { runDueJobs } from './job-scope';
import { verifyUnsubscribeToken } from '@/lib/mail/unsubscribe-token';
import type { NotifyConfig } from '@/lib/notify/config';
import { as, contextFor, must, refused } from './cascade-helpers';
import { addTestMember, createTestKpi, createTestOrg, makeLead } from './factories';
import { sinkNotifyConfig, startSmtpSink, type CaughtMail } from './smtp-sink';

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let config: NotifyConfig;
const secret = 'digests-test-secret-0123456789abcdef';

beforeAll(async () => {
  await getDbHandle();
  sink = await startSmtpSink();
  config = sinkNotifyConfig(sink.url, secret);
});

afterAll(async () => {
  await sink.close();
});

const MONDAY_0900_BERLIN = new Date('2026-12-07T08:00:00Z');
const WEDNESDAY_0900_BERLIN = new Date('2026-12-09T08:00:00Z');
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

function withSubject(mails: CaughtMail[], prefix: string): CaughtMail[] {
  return mails.filter((m) => m.text.includes(`Subject: ${prefix}`));
}

/** The PDF attached to a raw MIME message: its file name and bytes. */
function pdfAttachment(raw: string): { name: string; bytes: Buffer } | null {
  const at = raw.indexOf('Content-Type: application/pdf');
  if (at < 0) return null;
  const headersEnd = raw.indexOf('\r\n\r\n', at);
  const headers = raw.slice(at, headersEnd).replace(/\r?\n[ \t]+/g, ' ');
  const name = /filename="?([^";\r\n]+)"?/.exec(headers)?.[1] ?? '';
  const bodyEnd = raw.indexOf('\r\n--', headersEnd);
  return {
    name,
    bytes: Buffer.from(raw.slice(headersEnd + 4, bodyEnd).replace(/\s+/g, ''), 'base64'),
  };
}

describe('weekly digest', () => {
  it('goes to each lead and admin about their scope, Monday 09:00 local, once a week, never to a member', async () => {
    const { org, owner, rootUnitId } = await createTestOrg({
      timeZone: 'Europe/Berlin',
      name: 'Digest Co',
    });
    const db = await getOwnerDb();
    const [sales] = await db
      .insert(units)
      .values({ orgId: org.id, parentId: rootUnitId, kind: 'department', name: 'Sales' })
      .returning({ id: units.id });
    const [eng] = await db
      .insert(units)
      .values({ orgId: org.id, parentId: rootUnitId, kind: 'department', name: 'Engineering' })
      .returning({ id: units.id });
    const lena = await addTestMember(org.id, {
      role: 'member',
      homeUnitId: sales!.id,
      name: 'Lena Lead',
    });
    const mo = await addTestMember(org.id, {
      role: 'member',
      homeUnitId: sales!.id,
      name: 'Mo Member',
    });
    await makeLead(org.id, sales!.id, lena.userId);
    const kpi = (name: string, unitId: string) =>
      createTestKpi(owner, org.slug, unitId, {
        name,
        ownerUserId: mo.userId,
        defaultTarget: '100',
      });
    const bookings = await kpi('Sales bookings', sales!.id);
    const calls = await kpi('Sales calls', sales!.id);
    const uptime = await kpi('Engineering uptime', eng!.id);
    // A KPI created this month was never due for November: not "missing".
    await kpi('Sales demos (new)', sales!.id);
    await db
      .update(kpis)
      .set({ createdAt: new Date('2026-01-01T00:00:00Z') })
      .where(inArray(kpis.id, [bookings.id, calls.id, uptime.id]));
    const checkin = (kpiId: string, observedOn: string, value: string) =>
      as(owner, async () =>
        must(await recordCheckinAction(org.slug, { kpiId, observedOn, value })),
      );
    // Bookings: 10 in November (off track against 100), 30 in December's first week against
    // 10 in November's: the biggest mover. Calls and uptime have no November value.
    await checkin(bookings.id, '2026-11-03', '10');
    await checkin(bookings.id, '2026-12-02', '30');
    // The off-track alert is made during the week (Friday); the digest lists it.
    await runDueJobs(new Date('2026-12-04T12:00:00Z'), config);
    const people = [lena.email, mo.email, owner.email];
    expect(withSubject(sink.to(people), 'Weekly digest')).toHaveLength(0);

    // 08:59 in Berlin on Monday: not yet.
    await runDueJobs(later(MONDAY_0900_BERLIN, -60_000), config);
    expect(withSubject(sink.to(people), 'Weekly digest')).toHaveLength(0);
    // 09:00, twice at the same instant, and again later that day: one each.
    await runDueJobs(MONDAY_0900_BERLIN, config);
    await runDueJobs(MONDAY_0900_BERLIN, config);
    await runDueJobs(later(MONDAY_0900_BERLIN, 6 * 3600_000), config);
    const digests = withSubject(sink.to(people), 'Weekly digest');
    expect(digests.map((m) => m.to[0]).sort()).toEqual([lena.email, owner.email].sort());

    const lenas = digests.find((m) => m.to[0] === lena.email)!.text;
    expect(lenas).toContain('Subject: Weekly digest: 1 status change, 1 missing value, 1 mover');
    expect(lenas).toContain('Digest Co');
    expect(lenas).toContain('Europe/Berlin');
    expect(lenas).toContain('in the area you lead in the week to 12/07/2026');
    expect(lenas).toContain('Sales bookings is off track for Nov 2026');
    expect(lenas).toContain('Sales calls (no value for Nov 2026)');
    expect(lenas).toContain(
      'Sales bookings (+200%: 30 in Dec 2026 so far, 10 in Nov 1\u2009\u2013\u20097)',
    );
    expect(lenas).toContain(`http://kpi.test/o/${org.slug}/kpis/${bookings.id}`);
    expect(lenas).toContain(`http://kpi.test/o/${org.slug}/kpis/${calls.id}`);
    expect(lenas).not.toContain('Engineering uptime');
    expect(lenas).not.toContain('Sales demos');
    expect(lenas).toMatch(/Content-Type: text\/html/);
    const unfolded = lenas.replace(/\r?\n[ \t]+/g, ' ');
    const token = decodeURIComponent(/\/api\/unsubscribe\?token=([^>\s]+)>/.exec(unfolded)![1]!);
    expect(verifyUnsubscribeToken(token, secret)).toEqual({
      orgId: org.id,
      userId: lena.userId,
      kind: 'weekly_digest',
    });
    // The owner sees the whole organization.
    const owners = digests.find((m) => m.to[0] === owner.email)!.text;
    expect(owners).toContain('Subject: Weekly digest: 1 status change, 2 missing values, 1 mover');
    expect(owners).toContain(`http://kpi.test/o/${org.slug}/kpis/${uptime.id}`);

    const rows = await db
      .select({ to: notifications.recipientUserId, key: notifications.dedupKey })
      .from(notifications)
      .where(eq(notifications.kind, 'weekly_digest'));
    expect(rows.filter((r) => r.to === lena.userId)).toEqual([
      { to: lena.userId, key: 'digest:2026-W50' },
    ]);
    // Tuesday: nothing more.
    await runDueJobs(later(MONDAY_0900_BERLIN, 24 * 3600_000), config);
    expect(withSubject(sink.to(people), 'Weekly digest')).toHaveLength(2);
  }, 120_000);

  it('weighs an organization once on its digest day: a lead with nothing to say is not weighed again every quarter hour, and is the next Monday', async () => {
    const { org, owner, rootUnitId } = await createTestOrg({
      timeZone: 'Europe/Berlin',
      name: 'Quiet Digest Co',
    });
    const db = await getOwnerDb();
    const [ops] = await db
      .insert(units)
      .values({ orgId: org.id, parentId: rootUnitId, kind: 'department', name: 'Ops' })
      .returning({ id: units.id });
    const ola = await addTestMember(org.id, {
      role: 'member',
      homeUnitId: ops!.id,
      name: 'Ola Lead',
    });
    await makeLead(org.id, ops!.id, ola.userId);
    const digestsTo = () => withSubject(sink.to([ola.email, owner.email]), 'Weekly digest');
    const mark = async () =>
      (await db.select().from(digestWeekMarks).where(eq(digestWeekMarks.orgId, org.id)))[0]?.week;

    // Monday 09:00: nothing to say to anyone (no KPI yet); the week is settled all the same.
    await runDueJobs(MONDAY_0900_BERLIN, config);
    expect(digestsTo()).toHaveLength(0);
    expect(await mark()).toBe('2026-W50');

    // Something to say appears (a KPI with no value for November), but the week is settled: the
    // quarter-hourly runs of the day weigh nobody again (every organization of this file whose
    // digest day it is was settled at 09:00).
    const tickets = await createTestKpi(owner, org.slug, ops!.id, {
      name: 'Ops tickets closed',
      ownerUserId: ola.userId,
      defaultTarget: '100',
    });
    await db
      .update(kpis)
      .set({ createdAt: new Date('2026-01-01T00:00:00Z') })
      .where(eq(kpis.id, tickets.id));
    const quarterPast = await runDueJobs(later(MONDAY_0900_BERLIN, 15 * 60_000), config);
    expect(quarterPast['weekly-digests']).toEqual({ created: 0, settled: 0 });
    expect(digestsTo()).toHaveLength(0);

    // The next Monday is a new week: weighed again, and the lead hears of the missing value.
    await runDueJobs(later(MONDAY_0900_BERLIN, 7 * 24 * 3600_000), config);
    const next = digestsTo();
    expect(next.map((m) => m.to[0]).sort()).toEqual([ola.email, owner.email].sort());
    const olas = next.find((m) => m.to[0] === ola.email)!.text;
    expect(olas).toContain('Ops tickets closed (no value for Nov 2026)');
    expect(await mark()).toBe('2026-W51');
  }, 120_000);
});

describe('scheduled reports', () => {
  async function scheduleScenario(name: string) {
    const { org, owner, rootUnitId } = await createTestOrg({ timeZone: 'Europe/Berlin', name });
    const member = (n: string) =>
      addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId, name: n });
    const ann = await member('Ann Reader');
    const ben = await member('Ben Reader');
    const cy = await member('Cy Bystander');
    await createTestKpi(owner, org.slug, rootUnitId, { name: 'Revenue', defaultTarget: '100' });
    return { org, owner, rootUnitId, ann, ben, cy };
  }

  async function scheduleCounts(orgId: string) {
    const db = await getOwnerDb();
    const [s] = await db
      .select({ n: count() })
      .from(reportSchedules)
      .where(eq(reportSchedules.orgId, orgId));
    const [r] = await db
      .select({ n: count() })
      .from(reportScheduleRecipients)
      .where(eq(reportScheduleRecipients.orgId, orgId));
    return { schedules: s!.n, recipients: r!.n };
  }

  it('sends the report PDF to the chosen members, once per occurrence; a removed member stops receiving', async () => {
    const s = await scheduleScenario('Schedule Co');
    const created = must(
      await as(s.owner, () =>
        createReportScheduleAction(s.org.slug, {
          scope: 'company',
          frequency: 'weekly',
          weekday: 3,
          recipientUserIds: [s.ann.userId, s.ben.userId],
        }),
      ),
    );
    const listed = await listReportSchedules(await contextFor(s.owner, s.org.slug));
    expect(listed.map((l) => [l.id, l.scopeKey, l.when, l.recipients.map((r) => r.name)])).toEqual([
      [created.id, 'company', 'Weekly on Wednesday', ['Ann Reader', 'Ben Reader']],
    ]);
    const people = [s.ann.email, s.ben.email, s.cy.email, s.owner.email];
    const reports = () => withSubject(sink.to(people), 'Report:');

    await runDueJobs(later(WEDNESDAY_0900_BERLIN, -60_000), config);
    expect(reports()).toHaveLength(0);
    await runDueJobs(WEDNESDAY_0900_BERLIN, config);
    await runDueJobs(WEDNESDAY_0900_BERLIN, config);
    await runDueJobs(later(WEDNESDAY_0900_BERLIN, 8 * 3600_000), config);
    let mails = reports();
    expect(mails.map((m) => m.to[0]).sort()).toEqual([s.ann.email, s.ben.email].sort());
    const mail = mails[0]!;
    expect(mail.text).toContain('Subject: Report: Schedule Co, Dec 2026');
    expect(mail.text).toContain('Europe/Berlin');
    expect(mail.text).toContain(`http://kpi.test/o/${s.org.slug}/reports?period=month-2026-12-01`);
    const pdf = pdfAttachment(mail.raw);
    expect(pdf?.name).toMatch(/\.pdf$/);
    expect(pdf!.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Ben leaves; next Wednesday only Ann gets it.
    must(await as(s.owner, () => removeMemberAction(s.org.slug, { userId: s.ben.userId })));
    const nextWeek = later(WEDNESDAY_0900_BERLIN, 7 * 24 * 3600_000);
    await runDueJobs(nextWeek, config);
    await runDueJobs(nextWeek, config);
    mails = reports();
    expect(mails.map((m) => m.to[0]).sort()).toEqual(
      [s.ann.email, s.ann.email, s.ben.email].sort(),
    );
    const db = await getOwnerDb();
    const keys = await db
      .select({ key: notifications.dedupKey })
      .from(notifications)
      .where(eq(notifications.orgId, s.org.id));
    expect(
      keys
        .map((k) => k.key)
        .filter((k) => k.startsWith('report:'))
        .sort(),
    ).toEqual([`report:${created.id}:2026-12-09`, `report:${created.id}:2026-12-16`]);
  }, 120_000);

  it('keeps the PDF in the outbox without an SMTP server, with its name and size in the log', async () => {
    const s = await scheduleScenario('Outbox Report Co');
    must(
      await as(s.owner, () =>
        createReportScheduleAction(s.org.slug, {
          scope: 'company',
          frequency: 'monthly',
          dayOfMonth: 9,
          recipientUserIds: [s.cy.userId],
        }),
      ),
    );
    await runDueJobs(WEDNESDAY_0900_BERLIN, { ...config, smtpUrl: undefined });
    const db = await getOwnerDb();
    const [d] = await db.select().from(mailDeliveries).where(eq(mailDeliveries.orgId, s.org.id));
    expect([d!.status, d!.toAddress, d!.attachmentType]).toEqual([
      'outbox',
      s.cy.email,
      'application/pdf',
    ]);
    expect(Buffer.from(d!.attachment!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Monthly: the last complete month.
    expect(d!.subject).toContain('Report: Outbox Report Co, Nov 2026');
    const log = await listMailDeliveries(await contextFor(s.owner, s.org.slug));
    expect(log.items.map((i) => i.attachment)).toEqual([
      { name: d!.attachmentName, bytes: d!.attachment!.length },
    ]);
    expect(sink.to([s.cy.email])).toHaveLength(0);
  }, 120_000);

  it("refuses bad input and another organization's schedule, changing nothing", async () => {
    const s = await scheduleScenario('Refusal Co');
    const other = await createTestOrg({ name: 'Other Co' });
    const mine = must(
      await as(s.owner, () =>
        createReportScheduleAction(s.org.slug, {
          scope: 'company',
          frequency: 'weekly',
          weekday: 1,
          recipientUserIds: [s.ann.userId],
        }),
      ),
    );
    const before = await scheduleCounts(s.org.id);
    const create = (input: unknown) =>
      as(s.owner, () => createReportScheduleAction(s.org.slug, input as never));
    const base = {
      scope: 'company',
      frequency: 'weekly',
      weekday: 2,
      recipientUserIds: [s.ann.userId],
    };
    expect(refused(await create({ ...base, weekday: undefined })).code).toBe('VALIDATION');
    expect(refused(await create({ ...base, weekday: 8 })).code).toBe('VALIDATION');
    const day29 = refused(
      await create({ ...base, frequency: 'monthly', weekday: undefined, dayOfMonth: 29 }),
    );
    expect(day29.code).toBe('VALIDATION');
    expect(day29.fieldErrors?.dayOfMonth).toEqual(['Choose a day from 1 to 28']);
    expect(refused(await create({ ...base, recipientUserIds: [] })).code).toBe('VALIDATION');
    expect(refused(await create({ ...base, extra: 1 })).code).toBe('VALIDATION');
    expect(refused(await create({ ...base, scope: 'nope' })).code).toBe('VALIDATION');
    // Another organization's person or unit looks missing.
    expect(
      refused(await create({ ...base, recipientUserIds: [s.ann.userId, other.owner.userId] })).code,
    ).toBe('NOT_FOUND');
    expect(refused(await create({ ...base, scope: other.rootUnitId })).code).toBe('NOT_FOUND');
    // A member may not schedule.
    expect(
      refused(await as(s.ann, () => createReportScheduleAction(s.org.slug, base as never))).code,
    ).toBe('FORBIDDEN');
    // Another organization's admin cannot delete it: it looks missing, like a random id.
    const foreign = refused(
      await as(other.owner, () =>
        deleteReportScheduleAction(other.org.slug, { scheduleId: mine.id }),
      ),
    );
    const random = refused(
      await as(other.owner, () =>
        deleteReportScheduleAction(other.org.slug, {
          scheduleId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
    );
    expect(foreign.code).toBe('NOT_FOUND');
    expect(random.code).toBe('NOT_FOUND');
    expect(await scheduleCounts(s.org.id)).toEqual(before);
    // Its own admin can.
    must(await as(s.owner, () => deleteReportScheduleAction(s.org.slug, { scheduleId: mine.id })));
    expect(await scheduleCounts(s.org.id)).toEqual({ schedules: 0, recipients: 0 });
  });
});
