/**
 * `/api/v1/webhooks` (issue 23, item 2): list, create, read, update and delete webhook endpoints
 * with a `write:definitions` key; read and write keys are refused, another organization's
 * endpoint answers exactly like a missing one, a refused request writes nothing, and the signing
 * secret appears in the create answer only. The document lists the routes.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, webhookEndpoints } from '@/db/schema';
import {
  DELETE as deleteWebhook,
  GET as getWebhook,
  PATCH as patchWebhook,
} from '@/app/api/v1/webhooks/[id]/route';
import { GET as listWebhooks, POST as postWebhook } from '@/app/api/v1/webhooks/route';
import { GET as getOpenApi } from '@/app/api/v1/openapi.json/route';
import { createApiKeyAction } from '@/lib/actions/api-keys';
import { call as contractCall, json, type Answer } from './api-contract';
import { as, must } from './cascade-helpers';
import { createTestOrg } from './factories';

async function buildOrg() {
  const { org, owner } = await createTestOrg();
  const key = async (scope: 'read' | 'write' | 'write:definitions') =>
    (await as(owner, async () => must(await createApiKeyAction(org.slug, { name: scope, scope }))))
      .secret;
  return {
    org,
    owner,
    read: await key('read'),
    write: await key('write'),
    defs: await key('write:definitions'),
  };
}

type Handler = (request: Request, segment: { params: Promise<never> }) => Promise<Response>;

/** A request through the route, its answer first checked against the OpenAPI document. */
async function call(
  handler: Handler,
  path: string,
  opts: {
    secret?: string;
    method?: string;
    body?: unknown;
    id?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Omit<Answer, 'headers'>> {
  const { status, body } = await callWithHeaders(handler, path, opts);
  return { status, body };
}

async function callWithHeaders(
  handler: Handler,
  path: string,
  opts: Parameters<typeof call>[2] = {},
): Promise<Answer> {
  const { id, ...rest } = opts ?? {};
  return json(await contractCall(handler, path, { ...rest, ...(id ? { params: { id } } : {}) }));
}

async function endpointRows(orgId: string) {
  const db = await getOwnerDb();
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, orgId));
}

describe('/api/v1/webhooks', () => {
  let a: Awaited<ReturnType<typeof buildOrg>>;
  let b: Awaited<ReturnType<typeof buildOrg>>;

  beforeAll(async () => {
    a = await buildOrg();
    b = await buildOrg();
  });

  it('asks for a key with the write:definitions scope', async () => {
    const none = await call(listWebhooks, '/webhooks');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    for (const secret of [a.read, a.write]) {
      expect((await call(listWebhooks, '/webhooks', { secret })).status).toBe(403);
      const post = await call(postWebhook, '/webhooks', {
        secret,
        method: 'POST',
        body: { url: 'http://127.0.0.1:9/hook', events: ['checkin.recorded'] },
      });
      expect(post.status).toBe(403);
      expect(post.body.error.message).toMatch(/write:definitions/);
    }
    expect(await endpointRows(a.org.id)).toHaveLength(0);
    expect(await call(listWebhooks, '/webhooks', { secret: a.defs })).toEqual({
      status: 200,
      body: { data: [] },
    });
  });

  it('creates an endpoint, shows its secret once, and lists, reads, changes and deletes it', async () => {
    const created = await call(postWebhook, '/webhooks', {
      secret: a.defs,
      method: 'POST',
      body: {
        url: 'http://127.0.0.1:9/hook',
        description: 'Warehouse',
        events: ['checkin.recorded', 'period.closed', 'checkin.recorded'],
      },
    });
    expect(created.status).toBe(201);
    const endpoint = created.body.data;
    expect(endpoint).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      description: 'Warehouse',
      events: ['checkin.recorded', 'period.closed'],
      enabled: true,
      disabledReason: null,
      failingSince: null,
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const listed = await call(listWebhooks, '/webhooks', { secret: a.defs });
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).not.toHaveProperty('secret');
    const one = await call(getWebhook, `/webhooks/${endpoint.id}`, {
      secret: a.defs,
      id: endpoint.id,
    });
    expect(one.status).toBe(200);
    expect(one.body.data).not.toHaveProperty('secret');
    expect(JSON.stringify(one.body)).not.toContain(endpoint.secret.slice(6));

    const patched = await call(patchWebhook, `/webhooks/${endpoint.id}`, {
      secret: a.defs,
      method: 'PATCH',
      id: endpoint.id,
      body: { events: ['kpi.updated'], enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ events: ['kpi.updated'], enabled: false });

    const db = await getOwnerDb();
    const audits = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, a.org.id), eq(auditLog.entityId, endpoint.id)));
    expect(audits.map((r) => r.action).sort()).toEqual(['webhook.create', 'webhook.update']);

    const deleted = await call(deleteWebhook, `/webhooks/${endpoint.id}`, {
      secret: a.defs,
      method: 'DELETE',
      id: endpoint.id,
    });
    expect(deleted).toEqual({ status: 200, body: { data: { id: endpoint.id } } });
    const gone = await call(getWebhook, `/webhooks/${endpoint.id}`, {
      secret: a.defs,
      id: endpoint.id,
    });
    expect(gone.status).toBe(404);
  });

  it('refuses bad input naming every field, and writes nothing', async () => {
    const bad = await call(postWebhook, '/webhooks', {
      secret: a.defs,
      method: 'POST',
      body: { url: 'not a url', events: ['checkin.recorded', 'kpi.deleted'], extra: 1 },
    });
    expect(bad.status).toBe(422);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['url', 'events.1']));
    const empty = await call(postWebhook, '/webhooks', {
      secret: a.defs,
      method: 'POST',
      body: { url: 'https://hooks.example.com/x', events: [] },
    });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details).toEqual([
      { path: 'events', message: 'Choose at least one event' },
    ]);
    const ftp = await call(postWebhook, '/webhooks', {
      secret: a.defs,
      method: 'POST',
      body: { url: 'ftp://hooks.example.com/x', events: ['kpi.updated'] },
    });
    expect(ftp.status).toBe(422);
    expect(ftp.body.error.details[0]).toMatchObject({ path: 'url' });
    expect(ftp.body.error.details[0].message).toMatch(/https/);
    const notJson = await call(postWebhook, '/webhooks', {
      secret: a.defs,
      method: 'POST',
      body: '{',
    });
    expect(notJson.status).toBe(422);
    expect(await endpointRows(a.org.id)).toHaveLength(0);
  });

  it("answers another organization's endpoint exactly like a missing one, and changes nothing", async () => {
    const theirs = await call(postWebhook, '/webhooks', {
      secret: b.defs,
      method: 'POST',
      body: { url: 'http://127.0.0.1:9/b', events: ['kpi.updated'] },
    });
    const id = theirs.body.data.id as string;
    const before = await endpointRows(b.org.id);
    for (const target of [id, randomUUID()]) {
      const get = await call(getWebhook, `/webhooks/${target}`, { secret: a.defs, id: target });
      const patch = await call(patchWebhook, `/webhooks/${target}`, {
        secret: a.defs,
        method: 'PATCH',
        id: target,
        body: { enabled: false },
      });
      const del = await call(deleteWebhook, `/webhooks/${target}`, {
        secret: a.defs,
        method: 'DELETE',
        id: target,
      });
      for (const answer of [get, patch, del]) {
        expect(answer).toEqual({
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'Not found.' } },
        });
      }
    }
    expect(await endpointRows(b.org.id)).toEqual(before);
    expect((await call(listWebhooks, '/webhooks', { secret: a.defs })).body.data).toEqual([]);
    const badId = await call(getWebhook, '/webhooks/nope', { secret: a.defs, id: 'nope' });
    expect(badId.status).toBe(422);
  });

  it('registers once per Idempotency-Key, even racing, and a replay answers the same secret', async () => {
    const org = await buildOrg();
    const body = { url: 'http://127.0.0.1:9/raced', events: ['period.closed'] };
    const headers = { 'Idempotency-Key': `race-${randomUUID()}` };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        callWithHeaders(postWebhook, '/webhooks', {
          secret: org.defs,
          method: 'POST',
          body,
          headers,
        }),
      ),
    );
    expect(answers.map((x) => x.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((x) => x.body.data.id)).size).toBe(1);
    expect(new Set(answers.map((x) => x.body.data.secret)).size).toBe(1);
    expect(answers[0]!.body.data.secret).toMatch(/^whsec_/);
    expect(answers.filter((x) => x.headers.get('idempotent-replayed') === 'true')).toHaveLength(3);
    expect(await endpointRows(org.org.id)).toHaveLength(1);
    // The stored answer keeps the secret sealed, never in the clear.
    const stored = await (
      await getOwnerDb()
    ).execute(sql`select response::text as r from api_idempotency where org_id = ${org.org.id}`);
    expect(JSON.stringify(stored)).not.toContain(answers[0]!.body.data.secret);
    // The same key with another request: 409, nothing registered.
    const other = await call(postWebhook, '/webhooks', {
      secret: org.defs,
      method: 'POST',
      body: { ...body, url: 'http://127.0.0.1:9/other' },
      headers,
    });
    expect(other.status).toBe(409);
    expect(await endpointRows(org.org.id)).toHaveLength(1);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await getOpenApi()).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/webhooks', '/webhooks/{id}']));
    expect(Object.keys(doc.paths['/webhooks/{id}'])).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
    expect(doc.paths['/webhooks'].post.responses['201']).toBeDefined();
  });
});
