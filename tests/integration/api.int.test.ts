/**
 * The REST API on a real database: keys (scope, revocation, the creator's role), the tenant wall,
 * reads by id and by key, atomic batches that name every bad item, Idempotency-Key (replay, a new
 * body refused, 20 concurrent twins with one effect), the per-key rate limit and the OpenAPI
 * document. Route handlers are called as Next calls them.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { apiIdempotency, apiRateWindows, memberships } from '@/db/schema';
import { GET as getKpi } from '@/app/api/v1/kpis/[kpi]/route';
import { GET as getValues } from '@/app/api/v1/kpis/[kpi]/values/route';
import { GET as listKpisRoute } from '@/app/api/v1/kpis/route';
import { POST as postCheckins } from '@/app/api/v1/checkins/route';
import { GET as getOpenApi } from '@/app/api/v1/openapi.json/route';
import { createApiKeyAction, revokeApiKeyAction } from '@/lib/actions/api-keys';
import { createKpiAction, setNorthStarAction } from '@/lib/actions/kpis';
import { consumeApiRateLimit, RateLimitedError } from '@/lib/dal/api-keys/rate-limit';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { as, checkinCount, expectNoDrift, kpiInput, must, valuesOf } from './cascade-helpers';
import { call, json } from './api-contract';
import { addTestMember, createTestOrg } from './factories';

type Org = Awaited<ReturnType<typeof buildOrg>>;

async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const tag = randomUUID().slice(0, 6);
  const parent = await as(owner, async () =>
    must(
      await createKpiAction(
        org.slug,
        kpiInput(rootUnitId, { name: 'Deals', rollup: 'sum', key: `deals.total_${tag}` }),
      ),
    ),
  );
  await as(owner, async () =>
    must(await setNorthStarAction(org.slug, { kpiId: parent.id, isNorthStar: true })),
  );
  const childA = await as(owner, async () =>
    must(
      await createKpiAction(
        org.slug,
        kpiInput(rootUnitId, { name: 'Deals A', parentId: parent.id, key: `deals.a_${tag}` }),
      ),
    ),
  );
  const childB = await as(owner, async () =>
    must(
      await createKpiAction(
        org.slug,
        kpiInput(rootUnitId, { name: 'Deals B', parentId: parent.id }),
      ),
    ),
  );
  const key = async (scope: 'read' | 'write') =>
    as(owner, async () =>
      must(await createApiKeyAction(org.slug, { name: `${scope} key`, scope })),
    ).then((r) => ({
      id: r.key.id,
      secret: r.secret,
    }));
  return {
    org,
    owner,
    rootUnitId,
    parent,
    childA,
    childB,
    tag,
    write: await key('write'),
    read: await key('read'),
  };
}

describe('REST API v1', () => {
  let a: Org;
  let b: Org;
  let today: string;
  beforeAll(async () => {
    a = await buildOrg();
    b = await buildOrg();
    today = todayInTimeZone(a.org.timeZone);
  }, 60_000);

  it('refuses a missing, malformed or unknown key with the same 401', async () => {
    const answers = await Promise.all(
      [undefined, 'not-a-key', `kpik_${'x'.repeat(43)}`].map(async (secret) =>
        json(await call(listKpisRoute, '/kpis', { secret })),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('Bearer');
    }
    expect(new Set(answers.map((x) => JSON.stringify(x.body))).size).toBe(1);
  });

  it("lists the org's KPIs with their current period, and filters them", async () => {
    const all = await json(await call(listKpisRoute, '/kpis', { secret: a.read.secret }));
    expect(all.status).toBe(200);
    expect(all.body.data.map((k: { id: string }) => k.id).sort()).toEqual(
      [a.parent.id, a.childA.id, a.childB.id].sort(),
    );
    expect(all.body.data[0].current).toMatchObject({
      status: expect.any(String),
      start: expect.any(String),
    });
    const stars = await json(
      await call(listKpisRoute, '/kpis?northStar=true', { secret: a.read.secret }),
    );
    expect(stars.body.data.map((k: { id: string }) => k.id)).toEqual([a.parent.id]);
    const bad = await json(
      await call(listKpisRoute, '/kpis?status=green&color=red', { secret: a.read.secret }),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['_form', 'status'].sort(),
    );
  });

  it("reads one KPI by id or by key; another org's id and key look exactly like missing ones", async () => {
    const byId = await json(
      await call(getKpi, `/kpis/${a.childA.id}`, {
        secret: a.read.secret,
        params: { kpi: a.childA.id },
      }),
    );
    const byKey = await json(
      await call(getKpi, `/kpis/deals.a_${a.tag}`, {
        secret: a.read.secret,
        params: { kpi: `deals.a_${a.tag}` },
      }),
    );
    expect(byId.status).toBe(200);
    expect(byKey.body).toEqual(byId.body);
    const answers = await Promise.all(
      [b.childA.id, `deals.a_${b.tag}`, randomUUID(), 'no.such_key'].map(async (ref) =>
        json(await call(getKpi, `/kpis/${ref}`, { secret: a.read.secret, params: { kpi: ref } })),
      ),
    );
    for (const answer of answers)
      expect(answer).toMatchObject({
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'Not found.' } },
      });
    expect(new Set(answers.map((x) => JSON.stringify(x.body))).size).toBe(1);
  });

  it('records a check-in that rolls up at once, and lists period values for a range', async () => {
    const before = await checkinCount(a.org.id);
    const created = await json(
      await call(postCheckins, '/checkins', {
        secret: a.write.secret,
        method: 'POST',
        body: { kpi: `deals.a_${a.tag}`, observedOn: today, value: '2.5' },
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body.data.count).toBe(1);
    expect(await checkinCount(a.org.id)).toBe(before + 1);
    const parentValues = await valuesOf(a.org.id, a.parent.id);
    expect(Object.values(parentValues)).toContain('2.5');
    const values = await json(
      await call(getValues, `/kpis/${a.parent.id}/values?from=${addDays(today, -60)}&to=${today}`, {
        secret: a.read.secret,
        params: { kpi: a.parent.id },
      }),
    );
    expect(values.status).toBe(200);
    expect(values.body.data.periods.length).toBeGreaterThanOrEqual(2);
    expect(values.body.data.periods.at(-1)).toMatchObject({
      value: '2.5',
      childrenReported: 1,
      childrenExpected: 2,
    });
    const reversed = await json(
      await call(getValues, `/kpis/${a.parent.id}/values?from=${today}&to=${addDays(today, -1)}`, {
        secret: a.read.secret,
        params: { kpi: a.parent.id },
      }),
    );
    expect(reversed.status).toBe(422);
    // 120 monthly periods are answered; 121 are refused naming the limit, never cut short.
    const range = (from: string, to: string) =>
      call(getValues, `/kpis/${a.parent.id}/values?from=${from}&to=${to}`, {
        secret: a.read.secret,
        params: { kpi: a.parent.id },
      }).then(json);
    const tenYears = await range('2016-01-01', '2025-12-31');
    expect(tenYears.status).toBe(200);
    expect(tenYears.body.data.periods).toHaveLength(120);
    const tooLong = await range('2015-12-31', '2025-12-31');
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.details).toEqual([
      {
        path: 'from',
        message: 'A range covers at most 120 periods of the KPI (120 months); this one covers 121',
      },
    ]);
    await expectNoDrift(a.org.id);
  });

  it('writes a batch all or nothing, naming every bad item with its reason', async () => {
    const before = await checkinCount(a.org.id);
    const bad = await json(
      await call(postCheckins, '/checkins', {
        secret: a.write.secret,
        method: 'POST',
        body: {
          items: [
            { kpi: a.childA.id, observedOn: today, value: '1' },
            { kpi: a.childB.id, observedOn: today, value: 1 },
            { kpi: b.childA.id, observedOn: today, value: '1' },
            { kpi: a.parent.id, observedOn: today, value: '1' },
            { kpi: a.childA.id, observedOn: addDays(today, 2), value: '1' },
            { kpi: a.childA.id, observedOn: '2025-02-30', value: 'NaN' },
          ],
        },
      }),
    );
    // Another org's KPI reads as a missing one: 404, as the document says, every bad item named.
    expect(bad.status).toBe(404);
    expect(bad.body.error.code).toBe('NOT_FOUND');
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect([...new Set(paths)].sort()).toEqual(
      [
        'items.1.value',
        'items.2.kpi',
        'items.3.kpi',
        'items.4.observedOn',
        'items.5.observedOn',
        'items.5.value',
      ].sort(),
    );
    expect(
      bad.body.error.details.find((d: { path: string }) => d.path === 'items.2.kpi').message,
    ).toBe('No KPI with this id or key');
    expect(bad.body.error.message).toContain('5 items need fixing');
    expect(await checkinCount(a.org.id)).toBe(before);
    const post = (body: unknown) =>
      call(postCheckins, '/checkins', { secret: a.write.secret, method: 'POST', body }).then(json);
    // The same batch without the unknown KPI: 422, every bad item named.
    const fixable = await post({
      items: [
        { kpi: a.childA.id, observedOn: today, value: '1' },
        { kpi: a.childB.id, observedOn: today, value: 1 },
      ],
    });
    expect(fixable.status).toBe(422);
    expect(fixable.body.error.details).toEqual([
      { path: 'items.1.value', message: expect.any(String) },
    ]);
    for (const kpi of [`no.such_${a.tag}`, b.childA.id, randomUUID()]) {
      const unknown = await post({ kpi, observedOn: today, value: '1' });
      expect(unknown.status, kpi).toBe(404);
      expect(unknown.body.error).toMatchObject({
        code: 'NOT_FOUND',
        details: [{ path: 'kpi', message: 'No KPI with this id or key' }],
      });
    }
    expect(await checkinCount(a.org.id)).toBe(before);

    const ok = await json(
      await call(postCheckins, '/checkins', {
        secret: a.write.secret,
        method: 'POST',
        body: {
          items: Array.from({ length: 300 }, (_, i) => ({
            kpi: i % 2 ? a.childA.id : a.childB.id,
            observedOn: today,
            value: '0.1',
          })),
        },
      }),
    );
    expect(ok.status).toBe(201);
    expect(ok.body.data.count).toBe(300);
    expect(await checkinCount(a.org.id)).toBe(before + 300);
    const tooMany = await json(
      await call(postCheckins, '/checkins', {
        secret: a.write.secret,
        method: 'POST',
        body: {
          items: Array.from({ length: 1001 }, () => ({
            kpi: a.childA.id,
            observedOn: today,
            value: '1',
          })),
        },
      }),
    );
    expect(tooMany.status).toBe(422);
    expect(await checkinCount(a.org.id)).toBe(before + 300);
    const notJson = await json(
      await call(postCheckins, '/checkins', {
        secret: a.write.secret,
        method: 'POST',
        body: '{"kpi":',
      }),
    );
    expect(notJson).toMatchObject({
      status: 422,
      body: { error: { message: 'The body is not valid JSON.' } },
    });
    await expectNoDrift(a.org.id);
  });

  it('keeps read keys read-only, and stops revoked keys and keys whose creator is no longer an admin', async () => {
    const before = await checkinCount(a.org.id);
    const denied = await json(
      await call(postCheckins, '/checkins', {
        secret: a.read.secret,
        method: 'POST',
        body: { kpi: a.childA.id, observedOn: today, value: '1' },
      }),
    );
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await checkinCount(a.org.id)).toBe(before);

    const spare = await as(a.owner, async () =>
      must(await createApiKeyAction(a.org.slug, { name: 'spare', scope: 'read' })),
    );
    expect((await call(listKpisRoute, '/kpis', { secret: spare.secret })).status).toBe(200);
    await as(a.owner, async () =>
      must(await revokeApiKeyAction(a.org.slug, { apiKeyId: spare.key.id })),
    );
    expect((await call(listKpisRoute, '/kpis', { secret: spare.secret })).status).toBe(401);

    // A key made by an admin who is later demoted stops at once.
    const admin = await addTestMember(a.org.id, { role: 'admin', homeUnitId: a.rootUnitId });
    const adminKey = await as(admin, async () =>
      must(await createApiKeyAction(a.org.slug, { name: 'admin key', scope: 'read' })),
    );
    expect((await call(listKpisRoute, '/kpis', { secret: adminKey.secret })).status).toBe(200);
    const db = await getOwnerDb();
    await db
      .update(memberships)
      .set({ role: 'member' })
      .where(and(eq(memberships.orgId, a.org.id), eq(memberships.userId, admin.userId)));
    expect((await call(listKpisRoute, '/kpis', { secret: adminKey.secret })).status).toBe(401);
  });

  it('replays an idempotent request, refuses the key with a different body, and gives 20 concurrent twins one effect', async () => {
    const before = await checkinCount(a.org.id);
    const key = `idem-${randomUUID()}`;
    const body = { kpi: a.childB.id, observedOn: today, value: '7' };
    const first = await json(
      await call(postCheckins, '/checkins', {
        secret: a.write.secret,
        method: 'POST',
        body,
        headers: { 'idempotency-key': key },
      }),
    );
    const replay = await json(
      await call(postCheckins, '/checkins', {
        secret: a.write.secret,
        method: 'POST',
        body,
        headers: { 'idempotency-key': key },
      }),
    );
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await checkinCount(a.org.id)).toBe(before + 1);
    const changed = await json(
      await call(postCheckins, '/checkins', {
        secret: a.write.secret,
        method: 'POST',
        body: { ...body, value: '8' },
        headers: { 'idempotency-key': key },
      }),
    );
    expect(changed).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    expect(await checkinCount(a.org.id)).toBe(before + 1);

    const raceKey = `race-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () =>
        json(
          await call(postCheckins, '/checkins', {
            secret: a.write.secret,
            method: 'POST',
            body: { kpi: a.childA.id, observedOn: today, value: '3' },
            headers: { 'idempotency-key': raceKey },
          }),
        ),
      ),
    );
    expect(answers.map((x) => x.status)).toEqual(Array(20).fill(201));
    // Replays come back from jsonb (keys reordered): compare as values.
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
    expect(answers.filter((x) => x.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(await checkinCount(a.org.id)).toBe(before + 2);
    await expectNoDrift(a.org.id);
  });

  it('limits requests per key and says when to retry', async () => {
    const orgId = b.org.id;
    await consumeApiRateLimit(orgId, b.read.id, 2);
    await consumeApiRateLimit(orgId, b.read.id, 2);
    const error = await consumeApiRateLimit(orgId, b.read.id, 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60);
    // Through the route: a window already over the limit answers 429 with Retry-After.
    const db = await getOwnerDb();
    await db
      .update(apiRateWindows)
      .set({ count: 1_000_000 })
      .where(
        and(
          eq(apiRateWindows.orgId, orgId),
          eq(apiRateWindows.apiKeyId, b.read.id),
          sql`${apiRateWindows.windowStart} = date_trunc('minute', now())`,
        ),
      );
    const limited = await call(listKpisRoute, '/kpis', { secret: b.read.secret });
    if (limited.status !== 429) {
      // The minute turned between the two statements: the new window starts empty; try once more.
      await db
        .update(apiRateWindows)
        .set({ count: 1_000_000 })
        .where(and(eq(apiRateWindows.orgId, orgId), eq(apiRateWindows.apiKeyId, b.read.id)));
    }
    const answer =
      limited.status === 429
        ? limited
        : await call(listKpisRoute, '/kpis', { secret: b.read.secret });
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another key of the same org is not affected.
    expect((await call(listKpisRoute, '/kpis', { secret: b.write.secret })).status).toBe(200);
  });

  it("prunes a key's old rate windows and expired idempotency records on its first request of a minute", async () => {
    const fresh = await as(b.owner, async () =>
      must(await createApiKeyAction(b.org.slug, { name: 'prune', scope: 'read' })),
    );
    const db = await getOwnerDb();
    const orgId = b.org.id;
    const apiKeyId = fresh.key.id;
    await db.insert(apiRateWindows).values({
      orgId,
      apiKeyId,
      windowStart: sql`date_trunc('minute', now()) - interval '2 hours'`,
      count: 5,
    });
    await db.insert(apiIdempotency).values([
      {
        orgId,
        apiKeyId,
        key: 'old',
        requestHash: 'x',
        status: 201,
        response: {},
        createdAt: sql`now() - interval '25 hours'`,
      },
      {
        orgId,
        apiKeyId,
        key: 'recent',
        requestHash: 'x',
        status: 201,
        response: {},
        createdAt: sql`now() - interval '1 hour'`,
      },
    ]);
    await consumeApiRateLimit(orgId, apiKeyId, 10);
    const windows = await db
      .select({ count: apiRateWindows.count })
      .from(apiRateWindows)
      .where(eq(apiRateWindows.apiKeyId, apiKeyId));
    expect(windows).toEqual([{ count: 1 }]);
    const kept = await db
      .select({ key: apiIdempotency.key })
      .from(apiIdempotency)
      .where(eq(apiIdempotency.apiKeyId, apiKeyId));
    expect(kept).toEqual([{ key: 'recent' }]);
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = await json(await getOpenApi());
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths).sort()).toEqual([
      '/checkins',
      '/kpis',
      '/kpis/{kpi}',
      '/kpis/{kpi}/archive',
      '/kpis/{kpi}/attribution',
      '/kpis/{kpi}/targets',
      '/kpis/{kpi}/values',
      '/webhooks',
      '/webhooks/{id}',
    ]);
    expect(doc.body.components.schemas.CheckinInput.required.sort()).toEqual([
      'kpi',
      'observedOn',
      'value',
    ]);
    expect(doc.body.components.schemas.CheckinBatchInput.properties.items.maxItems).toBe(1000);
    expect(
      doc.body.paths['/kpis'].get.parameters.map((p: { name: string }) => p.name).sort(),
    ).toEqual(['northStar', 'owner', 'status', 'unit']);
  });
});
