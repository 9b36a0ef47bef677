/*
 * Off-track alerts (issue 19 item 4), imported by notifications.int.test.ts so that they run in
 * that file's sequence: both run the jobs, which serve every organization of the database.
 */
import { sql } from 'drizzle-orm';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, getDbHandle, getOwnerDb, withOrgTx } from '@/db/client';
import { checkins, kpiValueEvents, mailDeliveries, notifications } from '@/db/schema';
import {
  deleteCheckinAction,
  recordCheckinAction,
  updateCheckinAction,
} from '@/lib/actions/checkins';
import { setEmailPreferenceAction } from '@/lib/actions/notifications';
import { recomputeFrom } from '@/lib/dal/cascade/recompute';
import { runDueJobs } from './job-scope';
import type { NotifyConfig } from '@/lib/notify/config';
import { as, must } from './cascade-helpers';
import { addTestMember, createTestKpi, createTestOrg, makeLead } from './factories';
import { startSmtpSink } from './smtp-sink';

// Off-track alerts (issue 19, item 4), end to end: real check-ins through the actions, the
// outbox rows they write, the job turning them into notifications, and the mail on a real SMTP
// server in this process. November 2026 is a closed period (check-ins cannot be in the future).

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let config: NotifyConfig;

beforeAll(async () => {
  await getDbHandle();
  sink = await startSmtpSink();
  config = {
    smtpUrl: sink.url,
    from: 'Cascade KPI <no-reply@kpi.test>',
    appUrl: 'http://kpi.test',
    secret: 'status-alerts-test-secret-0123456789abcdef',
  };
});

afterAll(async () => {
  await sink.close();
});

/** An org whose root unit is led by `lead`, with `alice` and `bob` as members. */
async function scenario() {
  const { org, owner, rootUnitId } = await createTestOrg({
    timeZone: 'Europe/Berlin',
    name: 'Alert Test Co',
  });
  const member = (name: string) =>
    addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId, name });
  const alice = await member('Alice Owner');
  const bob = await member('Bob Parent');
  const lead = await member('Lena Lead');
  await makeLead(org.id, rootUnitId, lead.userId);
  const kpi = (name: string, ownerUserId: string, over: Record<string, unknown> = {}) =>
    createTestKpi(owner, org.slug, rootUnitId, {
      name,
      ownerUserId,
      defaultTarget: '100',
      ...over,
    });
  const checkin = (kpiId: string, observedOn: string, value: string) =>
    as(owner, async () => must(await recordCheckinAction(org.slug, { kpiId, observedOn, value })));
  return { org, owner, rootUnitId, alice, bob, lead, kpi, checkin };
}

async function alertsOf(orgId: string) {
  const db = await getOwnerDb();
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.orgId, orgId), eq(notifications.kind, 'status_alert')));
}

async function eventsOf(orgId: string) {
  const db = await getOwnerDb();
  return db.select().from(kpiValueEvents).where(eq(kpiValueEvents.orgId, orgId));
}

/** Mails to these addresses whose subject contains `words`. */
// The jobs run at the real instant: on a Monday morning the weekly digests (which list these
// alerts too) go out as well; they have their own suite (digests-suite.ts).
const isDigest = (subject: string) => subject.startsWith('Weekly digest');

function mailsTo(addresses: string[], words: string) {
  return sink
    .to(addresses)
    .filter((m) => m.text.includes(words) && !m.text.includes('Subject: Weekly digest'));
}

describe('off-track alerts', () => {
  it("a check-in that turns a KPI off track alerts its owner and its unit's lead once", async () => {
    const s = await scenario();
    const revenue = await s.kpi('Net revenue', s.alice.userId);
    await s.checkin(revenue.id, '2026-11-10', '50');
    // The outbox row was written with the check-in.
    const events = await eventsOf(s.org.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kpiId: revenue.id, periodStart: '2026-11-01' });
    expect(Number(events[0]!.newValue)).toBe(50);
    expect(events[0]!.oldValue).toBeNull();

    await runDueJobs(new Date(), config);
    await runDueJobs(new Date(), config); // twice: still once
    const alerts = await alertsOf(s.org.id);
    expect(alerts.map((a) => a.recipientUserId).sort()).toEqual(
      [s.alice.userId, s.lead.userId].sort(),
    );
    expect(alerts[0]!.subject).toBe('Net revenue is off track for Nov 2026');
    expect(alerts[0]!.link).toBe(`/o/${s.org.slug}/kpis/${revenue.id}`);
    expect(alerts[0]!.dedupKey).toMatch(
      new RegExp(`^status:${revenue.id}:2026-11-01:no_data->off_track:[0-9a-f-]{36}$`),
    );
    expect(await eventsOf(s.org.id)).toHaveLength(0);

    const mails = mailsTo([s.alice.email, s.lead.email], 'Net revenue is off track');
    expect(mails.map((m) => m.to[0]).sort()).toEqual([s.alice.email, s.lead.email].sort());
    const text = mails[0]!.text;
    expect(text).toContain('Alert Test Co');
    expect(text).toContain('Europe/Berlin');
    expect(text).toContain('Nov 2026: 50 against a target of 100, Off track (was No data)');
    expect(text).toContain(`http://kpi.test/o/${s.org.slug}/kpis/${revenue.id}`);
    expect(mailsTo([s.bob.email], 'Net revenue')).toHaveLength(0);
  });

  it("a rollup crossing on a parent alerts the parent's owner", async () => {
    const s = await scenario();
    const company = await s.kpi('Company bookings', s.bob.userId, {
      rollup: 'sum',
      defaultTarget: '200',
    });
    const child = await s.kpi('Team bookings', s.alice.userId, { parentId: company.id });
    await s.checkin(child.id, '2026-11-10', '150'); // child 150/100: on track; parent 150/200: off
    await runDueJobs(new Date(), config);
    const alerts = await alertsOf(s.org.id);
    expect(alerts.filter((a) => a.kpiId === child.id)).toHaveLength(0);
    const parent = alerts.filter((a) => a.kpiId === company.id);
    expect(parent.map((a) => a.recipientUserId).sort()).toEqual(
      [s.bob.userId, s.lead.userId].sort(),
    );
    expect(mailsTo([s.bob.email], 'Company bookings is off track for Nov 2026')).toHaveLength(1);
    expect(mailsTo([s.alice.email], 'Company bookings')).toHaveLength(0);
  });

  it('a recovery to on track is noted once; staying on track says nothing more', async () => {
    const s = await scenario();
    const revenue = await s.kpi('Renewals', s.alice.userId);
    await s.checkin(revenue.id, '2026-11-10', '50');
    await runDueJobs(new Date(), config);
    await s.checkin(revenue.id, '2026-11-20', '60'); // sum 110: on track
    await runDueJobs(new Date(), config);
    await s.checkin(revenue.id, '2026-11-25', '5'); // 115: still on track
    await runDueJobs(new Date(), config);
    await runDueJobs(new Date(), config);
    const alerts = await alertsOf(s.org.id);
    const recovered = alerts.filter((a) => a.dedupKey.includes('off_track->on_track'));
    expect(recovered.map((a) => a.recipientUserId).sort()).toEqual(
      [s.alice.userId, s.lead.userId].sort(),
    );
    expect(recovered[0]!.subject).toBe('Renewals is back on track for Nov 2026');
    expect(alerts).toHaveLength(4); // off track and back, each to two people
    expect(mailsTo([s.alice.email], 'Renewals is back on track')).toHaveLength(1);
  });

  it('deleting a reading can turn a KPI off track: alerted like any write', async () => {
    const s = await scenario();
    const leads = await s.kpi('Qualified leads', s.alice.userId);
    const first = await s.checkin(leads.id, '2026-11-05', '100'); // on track
    await s.checkin(leads.id, '2026-11-15', '10'); // 110: still on track
    await runDueJobs(new Date(), config);
    expect(await alertsOf(s.org.id)).toHaveLength(0);
    must(
      await as(s.owner, () =>
        deleteCheckinAction(s.org.slug, { checkinId: first.id, version: first.version }),
      ),
    ); // 10: off track
    await runDueJobs(new Date(), config);
    const alerts = await alertsOf(s.org.id);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]!.dedupKey).toContain(':on_track->off_track:');
    expect(alerts[0]!.body).toBe('Nov 2026: 10 against a target of 100, Off track (was On track)');
  });

  it('a second identical check-in creates no new alert', async () => {
    const s = await scenario();
    const nps = await s.kpi('NPS', s.alice.userId, { timeAggregation: 'last' });
    await s.checkin(nps.id, '2026-11-10', '50');
    await runDueJobs(new Date(), config);
    expect(await alertsOf(s.org.id)).toHaveLength(2);
    await s.checkin(nps.id, '2026-11-10', '50');
    expect(await eventsOf(s.org.id)).toHaveLength(0); // the value did not change: no event
    await runDueJobs(new Date(), config);
    expect(await alertsOf(s.org.id)).toHaveLength(2);
  });

  it('an edited check-in turning a formula off track alerts, by e-mail only where wanted', async () => {
    const s = await scenario();
    const revenue = await s.kpi('Revenue', s.alice.userId, { key: 'fin.revenue' });
    const cost = await s.kpi('Cost', s.alice.userId, {
      key: 'fin.cost',
      direction: 'decrease',
      defaultTarget: '1000',
    });
    const margin = await s.kpi('Margin', s.bob.userId, {
      rollup: 'formula',
      formula: 'fin.revenue - fin.cost',
    });
    // Bob turns off e-mail for these alerts: he still gets them in the inbox.
    must(
      await as(s.bob, () =>
        setEmailPreferenceAction(s.org.slug, { kind: 'status_alert', email: false }),
      ),
    );
    await s.checkin(revenue.id, '2026-11-10', '300');
    const spent = await s.checkin(cost.id, '2026-11-10', '150'); // margin 150: on track
    await runDueJobs(new Date(), config);
    expect(await alertsOf(s.org.id)).toHaveLength(0);
    must(
      await as(s.owner, () =>
        updateCheckinAction(s.org.slug, {
          checkinId: spent.id,
          version: spent.version,
          value: '250',
        }),
      ),
    ); // margin 50: off track (the formula recompute inside the edit's transaction)
    await runDueJobs(new Date(), config);
    const alerts = await alertsOf(s.org.id);
    expect(alerts.map((a) => [a.kpiId, a.recipientUserId]).sort()).toEqual(
      [
        [margin.id, s.bob.userId],
        [margin.id, s.lead.userId],
      ].sort(),
    );
    const db = await getOwnerDb();
    const mails = await db.select().from(mailDeliveries).where(eq(mailDeliveries.orgId, s.org.id));
    expect(mails.filter((m) => !isDigest(m.subject)).map((m) => m.toAddress)).toEqual([
      s.lead.email,
    ]);
    expect(mailsTo([s.lead.email], 'Margin is off track for Nov 2026')).toHaveLength(1);
    expect(mailsTo([s.bob.email], 'Margin')).toHaveLength(0);
  });

  it('a rolled-back write leaves no event and no alert', async () => {
    const s = await scenario();
    const revenue = await s.kpi('Upsell', s.alice.userId);
    const boom = new Error('rolled back on purpose');
    await expect(
      withOrgTx(s.org.id, async (tx) => {
        await tx.insert(checkins).values({
          orgId: s.org.id,
          kpiId: revenue.id,
          observedOn: '2026-11-10',
          value: '10',
          authorUserId: s.owner.userId,
        });
        await recomputeFrom(tx, s.org.id, s.org.fyStartMonth, revenue.id, ['2026-11-10']);
        // Inside the transaction the outbox row is there...
        const inside = await execRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from kpi_value_events where org_id = ${s.org.id}::uuid`,
        );
        expect(inside[0]!.n).toBe(1);
        throw boom;
      }),
    ).rejects.toBe(boom);
    // ...and gone with it.
    expect(await eventsOf(s.org.id)).toHaveLength(0);
    await runDueJobs(new Date(), config);
    expect(await alertsOf(s.org.id)).toHaveLength(0);
    const db = await getOwnerDb();
    expect(
      await db.select().from(mailDeliveries).where(eq(mailDeliveries.orgId, s.org.id)),
    ).toHaveLength(0);
  });
});
