/*
 * Webhooks out (issue 23, item 2), imported by notifications.int.test.ts so that they run in that
 * file's sequence: the delivery job serves every organization of the database, like the others.
 * Real check-ins and KPI edits through the actions, the outbox rows they write, the job turning
 * them into signed deliveries received by an HTTP server on loopback (WEBHOOKS_ALLOW_PRIVATE=1
 * is set by tests/integration/setup.ts), with the clock injected.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, getDbHandle, getOwnerDb } from '@/db/client';
import {
  mailDeliveries,
  notifications,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from '@/db/schema';
import { deleteCheckinAction, recordCheckinAction, updateCheckinAction } from '@/lib/actions/checkins';
import { updateKpiAction } from '@/lib/actions/kpis';
import { saveTargetsAction } from '@/lib/actions/targets';
import {
  createWebhookEndpointAction,
  resendWebhookDeliveryAction,
  updateWebhookEndpointAction,
} from '@/lib/actions/webhooks';
import { listWebhookDeliveries } from '@/lib/dal/webhooks/log';
import type { WebhookEventType } from '@/lib/domain/webhook-policy';
import { deliverWebhooks, runDueJobs } from './job-scope';
import { sendWebhook } from '@/lib/integrations/webhooks/send';
import { verifyWebhook } from '@/lib/integrations/webhooks/signing';
import type { NotifyConfig } from '@/lib/notify/config';
import { as, contextFor, must, refused } from './cascade-helpers';
import { addTestMember, createTestKpi, createTestOrg } from './factories';
import { startTestMail, type startSmtpSink } from './smtp-sink';

type Received = { headers: http.IncomingHttpHeaders; body: string; path: string };

/** An HTTP receiver on loopback answering each request with the next status of `script`. */
async function startReceiver(script: number[] = [], fallback = 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body, path: req.url ?? '' });
      const status = script.shift() ?? fallback;
      if (status === 0) return; // never answers
      res.writeHead(status, status === 302 ? { location: '/elsewhere' } : {});
      res.end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let config: NotifyConfig;
const receivers: { close: () => Promise<void> }[] = [];

beforeAll(async () => {
  await getDbHandle();
  ({ sink, config } = await startTestMail('webhooks-test-secret-0123456789abcdef'));
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await sink.close();
});

async function scenario(
  events: WebhookEventType[],
  script: number[] = [],
  opts: { fallback?: number; timeZone?: string } = {},
) {
  const { org, owner, rootUnitId } = await createTestOrg({
    timeZone: opts.timeZone ?? 'UTC',
    name: 'Webhook Test Co',
  });
  const receiver = await startReceiver(script, opts.fallback);
  receivers.push(receiver);
  const created = await as(owner, async () =>
    must(
      await createWebhookEndpointAction(org.slug, {
        url: receiver.url,
        description: 'Data warehouse',
        events,
      }),
    ),
  );
  const kpi = await createTestKpi(owner, org.slug, rootUnitId, {
    name: 'Signed deals',
    key: `deals_${randomUUID().slice(0, 8)}`,
    defaultTarget: '100',
  });
  const checkin = (observedOn: string, value: string) =>
    as(owner, () => recordCheckinAction(org.slug, { kpiId: kpi.id, observedOn, value }));
  return {
    org,
    owner,
    rootUnitId,
    receiver,
    endpoint: created.endpoint,
    secret: created.secret,
    kpi,
    checkin,
  };
}

async function outboxOf(orgId: string) {
  const db = await getOwnerDb();
  return db.select().from(webhookEvents).where(eq(webhookEvents.orgId, orgId));
}

const later = (at: Date, ms: number) => new Date(at.getTime() + ms);

/** Checks a received request's signature with the endpoint's secret at the attempt's instant. */
function verified(secret: string, r: Received, at: Date): boolean {
  return verifyWebhook(
    secret,
    {
      id: String(r.headers['webhook-id']),
      timestamp: String(r.headers['webhook-timestamp']),
      signature: String(r.headers['webhook-signature']),
    },
    r.body,
    at,
  );
}

describe('webhooks', () => {
  it('delivers a signed checkin.recorded, retrying with backoff until the receiver takes it', async () => {
    const s = await scenario(['checkin.recorded'], [500, 503, 200]);
    expect(s.secret).toMatch(/^whsec_/);
    must(await s.checkin('2026-11-10', '42.50'));
    // The outbox row was written with the check-in.
    const outbox = await outboxOf(s.org.id);
    expect(outbox.map((e) => e.type)).toEqual(['checkin.recorded']);

    const t0 = new Date();
    await runDueJobs(t0, config); // through the job registry: fan-out and the first attempt
    expect(await outboxOf(s.org.id)).toHaveLength(0);
    expect(s.receiver.received).toHaveLength(1);
    // Not due yet: nothing is sent before the backoff ends.
    await deliverWebhooks(later(t0, 10_000), config);
    expect(s.receiver.received).toHaveLength(1);
    const t1 = later(t0, 30_000);
    await deliverWebhooks(t1, config);
    expect(s.receiver.received).toHaveLength(2);
    await deliverWebhooks(later(t1, 60_000), config); // 2 min after the second: not yet
    expect(s.receiver.received).toHaveLength(2);
    const t2 = later(t1, 2 * 60_000);
    await deliverWebhooks(t2, config);
    expect(s.receiver.received).toHaveLength(3);
    await deliverWebhooks(later(t2, 60 * 60_000), config); // delivered: never again
    expect(s.receiver.received).toHaveLength(3);

    const [r1, r2, r3] = s.receiver.received as [Received, Received, Received];
    // One message: same id and body every attempt, signed afresh at each attempt's instant.
    expect(new Set([r1, r2, r3].map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(r2.body).toBe(r1.body);
    expect(verified(s.secret, r1, t0)).toBe(true);
    expect(verified(s.secret, r2, t1)).toBe(true);
    expect(verified(s.secret, r3, t2)).toBe(true);
    expect(r3.headers['webhook-timestamp']).toBe(String(Math.floor(t2.getTime() / 1000)));
    expect(verified('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', r3, t2)).toBe(false);
    expect(r1.headers['content-type']).toBe('application/json');
    const body = JSON.parse(r1.body) as {
      type: string;
      timestamp: string;
      data: { checkin: Record<string, unknown>; kpi: Record<string, unknown> };
    };
    expect(body.type).toBe('checkin.recorded');
    expect(body.data.checkin).toMatchObject({
      kpiId: s.kpi.id,
      observedOn: '2026-11-10',
      value: '42.5',
      source: 'manual',
      authorUserId: s.owner.userId,
    });
    expect(body.data.kpi).toEqual({ id: s.kpi.id, key: s.kpi.key, name: 'Signed deals' });

    // The log: three attempts with their status codes, newest first.
    const ctx = await contextFor(s.owner, s.org.slug);
    const [delivery] = await listWebhookDeliveries(ctx, s.endpoint.id);
    expect(delivery).toMatchObject({
      eventType: 'checkin.recorded',
      status: 'delivered',
      attempts: 3,
    });
    expect(delivery!.log.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [3, 200, null],
      [2, 503, 'HTTP 503'],
      [1, 500, 'HTTP 500'],
    ]);
    expect(delivery!.log.every((a) => a.durationMs >= 0)).toBe(true);
    expect(delivery!.id).toBe(r1.headers['webhook-id']);

    // Resend: the same message (id and body) once more, logged as a fourth attempt.
    must(
      await as(s.owner, () =>
        resendWebhookDeliveryAction(s.org.slug, { deliveryId: delivery!.id }),
      ),
    );
    const t3 = later(t2, 2 * 60 * 60_000);
    await deliverWebhooks(t3, config);
    expect(s.receiver.received).toHaveLength(4);
    const r4 = s.receiver.received[3]!;
    expect(r4.headers['webhook-id']).toBe(delivery!.id);
    expect(r4.body).toBe(r1.body);
    expect(verified(s.secret, r4, t3)).toBe(true);
    const [again] = await listWebhookDeliveries(ctx, s.endpoint.id);
    expect(again!.log.map((a) => a.attempt)).toEqual([4, 3, 2, 1]);
    expect(again!.status).toBe('delivered');
  });

  it('writes the event in the check-in’s transaction: a refused check-in leaves none', async () => {
    const s = await scenario(['checkin.recorded']);
    // Refused: in the future; and on a KPI of nobody's (a random id).
    refused(await s.checkin('2999-01-01', '5'));
    refused(
      await as(s.owner, () =>
        recordCheckinAction(s.org.slug, {
          kpiId: '00000000-0000-4000-8000-000000000000',
          observedOn: '2026-11-10',
          value: '5',
        }),
      ),
    );
    expect(await outboxOf(s.org.id)).toHaveLength(0);
    must(await s.checkin('2026-11-11', '5'));
    expect(await outboxOf(s.org.id)).toHaveLength(1);

    // An organization without an endpoint for the event writes nothing at all.
    const other = await scenario(['period.closed']);
    must(await other.checkin('2026-11-11', '5'));
    expect(await outboxOf(other.org.id)).toHaveLength(0);
  });

  it('sends checkin.updated and checkin.deleted for corrections and deletions, in their transactions', async () => {
    const s = await scenario(['checkin.updated', 'checkin.deleted']);
    const recorded = must(await s.checkin('2026-11-12', '5'));
    expect(await outboxOf(s.org.id)).toHaveLength(0); // not subscribed to checkin.recorded
    // A refused correction (stale version) leaves no event.
    refused(
      await as(s.owner, () =>
        updateCheckinAction(s.org.slug, { checkinId: recorded.id, version: recorded.version + 5, value: '6' }),
      ),
    );
    expect(await outboxOf(s.org.id)).toHaveLength(0);
    const corrected = must(
      await as(s.owner, () =>
        updateCheckinAction(s.org.slug, { checkinId: recorded.id, version: recorded.version, value: '6.5' }),
      ),
    );
    must(
      await as(s.owner, () =>
        deleteCheckinAction(s.org.slug, { checkinId: recorded.id, version: corrected.version }),
      ),
    );
    const events = (await outboxOf(s.org.id)).sort((a, b) => a.seq - b.seq);
    expect(events.map((e) => e.type)).toEqual(['checkin.updated', 'checkin.deleted']);
    expect(events[0]!.payload).toMatchObject({
      checkin: { id: recorded.id, kpiId: s.kpi.id, observedOn: '2026-11-12', value: '6.5' },
      previous: { observedOn: '2026-11-12', value: '5' },
      updatedByUserId: s.owner.userId,
      kpi: { id: s.kpi.id, key: s.kpi.key },
    });
    expect(events[1]!.payload).toMatchObject({
      checkin: { id: recorded.id, value: '6.5' },
      deletedByUserId: s.owner.userId,
      kpi: { id: s.kpi.id },
    });
  });

  it('sends kpi.updated for a period target set and cleared (its audit action, before and after)', async () => {
    const s = await scenario(['kpi.updated']);
    const cell = { kpiId: s.kpi.id, periodStart: '2026-11-01' };
    must(await as(s.owner, () => saveTargetsAction(s.org.slug, { targets: [{ ...cell, target: '120' }] })));
    // The same target again changes nothing and says nothing.
    must(await as(s.owner, () => saveTargetsAction(s.org.slug, { targets: [{ ...cell, target: '120' }] })));
    must(await as(s.owner, () => saveTargetsAction(s.org.slug, { targets: [{ ...cell, target: null }] })));
    const events = (await outboxOf(s.org.id))
      .filter((e) => (e.payload as { action?: string }).action?.startsWith('target.'))
      .sort((a, b) => a.seq - b.seq);
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        action: 'target.set',
        before: null,
        after: { ...cell, target: '120' },
        kpi: expect.objectContaining({ id: s.kpi.id }),
      }),
      expect.objectContaining({
        action: 'target.clear',
        before: { ...cell, target: '120' },
        after: { ...cell, target: null },
      }),
    ]);
  });

  it('sends kpi.updated and kpi.status_changed from the same writes, and nothing twice', async () => {
    const s = await scenario(['kpi.updated', 'kpi.status_changed']);
    must(
      await as(s.owner, () =>
        updateKpiAction(s.org.slug, {
          kpiId: s.kpi.id,
          version: s.kpi.version,
          name: 'Deals signed',
        }),
      ),
    );
    must(await s.checkin('2026-11-10', '120')); // Nov 2026: no data -> on track (target 100)
    // The KPI's creation (after the endpoint) and its edit; the status change comes from the job.
    expect((await outboxOf(s.org.id)).map((e) => e.type)).toEqual(['kpi.updated', 'kpi.updated']);
    const now = new Date();
    await runDueJobs(now, config); // status alerts record the status change, then webhooks go
    await runDueJobs(now, config);
    const bodies = s.receiver.received.map(
      (r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> },
    );
    expect(bodies.map((b) => b.type).sort()).toEqual([
      'kpi.status_changed',
      'kpi.updated',
      'kpi.updated',
    ]);
    const updates = bodies.filter((b) => b.type === 'kpi.updated').map((b) => b.data);
    expect(updates.map((d) => d.action).sort()).toEqual(['kpi.create', 'kpi.update']);
    expect(updates.find((d) => d.action === 'kpi.update')).toMatchObject({
      kpi: { id: s.kpi.id, name: 'Deals signed' },
      after: { name: 'Deals signed' },
    });
    const changed = bodies.find((b) => b.type === 'kpi.status_changed')!;
    expect(changed.data).toMatchObject({
      periodStart: '2026-11-01',
      cadence: 'month',
      from: 'no_data',
      to: 'on_track',
      value: '120',
      kpi: { id: s.kpi.id },
    });
    for (const r of s.receiver.received) expect(verified(s.secret, r, now)).toBe(true);
  });

  it('announces a closed period once, on the first run after it ends in the org’s time zone', async () => {
    const s = await scenario(['period.closed'], [], { timeZone: 'Europe/Berlin' });
    // Berlin's 2027 starts at 23:00 UTC on 31 December 2026.
    await deliverWebhooks(new Date('2026-12-31T22:30:00Z'), config);
    expect(s.receiver.received).toHaveLength(0);
    const closedAt = new Date('2026-12-31T23:05:00Z');
    await deliverWebhooks(closedAt, config);
    await deliverWebhooks(later(closedAt, 60_000), config);
    await deliverWebhooks(new Date('2027-01-20T09:00:00Z'), config);
    const bodies = s.receiver.received.map(
      (r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> },
    );
    expect(bodies.map((b) => b.type)).toEqual(['period.closed', 'period.closed', 'period.closed']);
    expect(
      bodies.map((b) => [b.data.cadence, b.data.periodStart, b.data.periodEnd]).sort(),
    ).toEqual([
      ['month', '2026-12-01', '2026-12-31'],
      ['quarter', '2026-10-01', '2026-12-31'],
      ['year', '2026-01-01', '2026-12-31'],
    ]);
    expect(bodies.find((b) => b.data.cadence === 'month')!.data.closedAt).toBe(
      '2026-12-31T23:00:00.000Z',
    );
    // January closes a month only.
    await deliverWebhooks(new Date('2027-02-01T08:00:00Z'), config);
    expect(s.receiver.received).toHaveLength(4);
    expect(JSON.parse(s.receiver.received[3]!.body)).toMatchObject({
      type: 'period.closed',
      data: { cadence: 'month', periodStart: '2027-01-01' },
    });
  });

  it('turns off an endpoint failing for a day and tells its admins, in the inbox and by e-mail', async () => {
    const s = await scenario(['checkin.recorded'], [], { fallback: 500 });
    const admin = await addTestMember(s.org.id, { role: 'admin', homeUnitId: s.rootUnitId });
    const member = await addTestMember(s.org.id, { role: 'member', homeUnitId: s.rootUnitId });
    must(await s.checkin('2026-11-10', '1'));
    const t0 = new Date();
    await deliverWebhooks(t0, config);
    await deliverWebhooks(later(t0, 30_000), config);
    await deliverWebhooks(later(t0, 3 * 60_000), config);
    const db = await getOwnerDb();
    const endpointNow = async () =>
      (await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, s.endpoint.id)))[0]!;
    expect((await endpointNow()).enabled).toBe(true);
    expect((await endpointNow()).failingSince?.toISOString()).toBe(t0.toISOString());
    expect(s.receiver.received).toHaveLength(3);

    // A day after the first failure, the next failed attempt turns it off.
    const tDay = later(t0, 24 * 60 * 60_000 + 60_000);
    const run = await deliverWebhooks(tDay, config);
    expect(run.disabled).toBeGreaterThanOrEqual(1);
    const off = await endpointNow();
    expect(off.enabled).toBe(false);
    expect(off.disabledReason).toMatch(/failed for a day.*HTTP 500/);
    const notices = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.orgId, s.org.id), eq(notifications.kind, 'webhook_disabled')));
    expect(notices.map((n) => n.recipientUserId).sort()).toEqual(
      [s.owner.userId, admin.userId].sort(),
    );
    expect(notices[0]!.link).toBe(`/o/${s.org.slug}/settings/webhooks`);
    expect(notices.some((n) => n.recipientUserId === member.userId)).toBe(false);
    const mails = await db.select().from(mailDeliveries).where(eq(mailDeliveries.orgId, s.org.id));
    expect(mails.map((m) => m.toAddress).sort()).toEqual([s.owner.email, admin.email].sort());
    await runDueJobs(tDay, config); // the mail job sends them
    expect(
      sink
        .to([s.owner.email, admin.email])
        .filter((m) => m.text.includes('webhook endpoint was turned off')),
    ).toHaveLength(2);

    // Off: nothing more is attempted, however late; resending is refused until it is on again.
    const attemptsBefore = s.receiver.received.length;
    await deliverWebhooks(later(tDay, 48 * 60 * 60_000), config);
    expect(s.receiver.received).toHaveLength(attemptsBefore);
    const [delivery] = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, s.endpoint.id));
    const refusedResend = refused(
      await as(s.owner, () =>
        resendWebhookDeliveryAction(s.org.slug, { deliveryId: delivery!.id }),
      ),
    );
    expect(refusedResend.message).toMatch(/Turn the endpoint on/);
    must(
      await as(s.owner, () =>
        updateWebhookEndpointAction(s.org.slug, { endpointId: s.endpoint.id, enabled: true }),
      ),
    );
    const on = await endpointNow();
    expect(on).toMatchObject({ enabled: true, failingSince: null, disabledReason: null });
  });

  it('checks the address again when sending, follows no redirect and gives up after the timeout', async () => {
    const receiver = await startReceiver([302, 0]);
    receivers.push(receiver);
    // Registered while private addresses were allowed; the operator then forbids them.
    const refusedNow = await sendWebhook({
      url: receiver.url,
      headers: {},
      body: '{}',
      allowPrivate: false,
    });
    expect(refusedNow).toMatchObject({ ok: false, statusCode: null });
    expect(refusedNow.error).toMatch(/https/);
    const viaHttps = await sendWebhook({
      url: receiver.url.replace('http:', 'https:'),
      headers: {},
      body: '{}',
      allowPrivate: false,
    });
    expect(viaHttps.error).toMatch(/private, loopback/);
    expect(receiver.received).toHaveLength(0);

    const redirected = await sendWebhook({
      url: receiver.url,
      headers: {},
      body: '{}',
      allowPrivate: true,
    });
    expect(redirected).toMatchObject({
      ok: false,
      statusCode: 302,
      error: 'Redirect (302) not followed',
    });
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook']);

    const silent = await sendWebhook({
      url: receiver.url,
      headers: {},
      body: '{}',
      allowPrivate: true,
      timeoutMs: 300,
    });
    expect(silent).toMatchObject({ ok: false, statusCode: null });
    expect(silent.error).toMatch(/No answer within/);
    expect(silent.durationMs).toBeLessThan(5_000);
  });

  it('keeps the secret sealed at rest', async () => {
    const s = await scenario(['checkin.recorded']);
    const [row] = await execRows<{ secret_sealed: string }>(
      await getOwnerDb(),
      sql`select secret_sealed from webhook_endpoints where id = ${s.endpoint.id}`,
    );
    expect(row!.secret_sealed).not.toContain(s.secret.slice(6));
    expect(row!.secret_sealed.length).toBeGreaterThan(20);
  });
});
