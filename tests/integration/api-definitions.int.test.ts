/**
 * Definitions through the REST API (`write:definitions` keys) on a real database: a KPI tree made
 * by API (company KPI, a department child linked by key, a formula KPI, targets, an owner) and
 * values pushed to it; scopes; the KPI form's validation and limits (same messages, nothing
 * written on refusal); Idempotency-Key under a race; stale versions (409 with the current one);
 * the tenant wall (another org's id or key reads as a missing one); audit records naming the key.
 * Every answer is checked against the OpenAPI document (api-contract.ts).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, kpis, kpiTargets } from '@/db/schema';
import { POST as archiveRoute } from '@/app/api/v1/kpis/[kpi]/archive/route';
import { GET as getKpiRoute, PATCH as patchKpi } from '@/app/api/v1/kpis/[kpi]/route';
import { PUT as putTargets } from '@/app/api/v1/kpis/[kpi]/targets/route';
import { POST as createKpiRoute } from '@/app/api/v1/kpis/route';
import { POST as postCheckins } from '@/app/api/v1/checkins/route';
import { createApiKeyAction } from '@/lib/actions/api-keys';
import { createKpiAction } from '@/lib/actions/kpis';
import { createUnitAction } from '@/lib/actions/units';
import { listHistory } from '@/lib/dal/audit-history';
import { actorLabel } from '@/lib/domain/audit-history';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { periodStart } from '@/lib/domain/periods';
import type { ApiKeyScope } from '@/lib/dal/api-keys/keys';
import { call, json, type Answer } from './api-contract';
import {
  as,
  contextFor,
  expectNoDrift,
  kpiInput,
  must,
  refused,
  valuesOf,
} from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

type Org = Awaited<ReturnType<typeof buildOrg>>;

async function buildOrg(kpiLimits?: { perUnit: number; perPerson: number }) {
  const { org, owner, rootUnitId } = await createTestOrg(kpiLimits ? { kpiLimits } : {});
  const tag = randomUUID().slice(0, 6);
  const dept = await as(owner, async () =>
    must(
      await createUnitAction(org.slug, { parentId: rootUnitId, kind: 'department', name: 'Sales' }),
    ),
  );
  const key = async (scope: ApiKeyScope) =>
    as(owner, async () =>
      must(await createApiKeyAction(org.slug, { name: `${scope} key ${tag}`, scope })),
    ).then((r) => ({ id: r.key.id, name: `${scope} key ${tag}`, secret: r.secret }));
  return {
    org,
    owner,
    rootUnitId,
    deptId: dept.id,
    tag,
    read: await key('read'),
    write: await key('write'),
    defs: await key('write:definitions'),
  };
}

const kpisOf = async (orgId: string) =>
  (await getOwnerDb()).select({ id: kpis.id }).from(kpis).where(eq(kpis.orgId, orgId));

const targetsOf = async (orgId: string, kpiId: string) =>
  (await getOwnerDb())
    .select({ periodStart: kpiTargets.periodStart, target: kpiTargets.target })
    .from(kpiTargets)
    .where(and(eq(kpiTargets.orgId, orgId), eq(kpiTargets.kpiId, kpiId)))
    .orderBy(kpiTargets.periodStart);

const create = (secret: string, body: unknown, headers?: Record<string, string>) =>
  call(createKpiRoute, '/kpis', { secret, method: 'POST', body, headers }).then(json);

const patch = (secret: string, ref: string, body: unknown, headers?: Record<string, string>) =>
  call(patchKpi, `/kpis/${ref}`, {
    secret,
    method: 'PATCH',
    body,
    headers,
    params: { kpi: ref },
  }).then(json);

const archive = (secret: string, ref: string, body: unknown) =>
  call(archiveRoute, `/kpis/${ref}/archive`, {
    secret,
    method: 'POST',
    body,
    params: { kpi: ref },
  }).then(json);

const setTargets = (secret: string, ref: string, body: unknown) =>
  call(putTargets, `/kpis/${ref}/targets`, {
    secret,
    method: 'PUT',
    body,
    params: { kpi: ref },
  }).then(json);

const money = (unitId: string, over: Record<string, unknown> = {}) => ({
  name: 'ARR',
  unitId,
  measureUnit: 'currency',
  currency: 'USD',
  direction: 'increase',
  cadence: 'month',
  timeAggregation: 'last',
  ...over,
});

describe('REST API v1: definitions', () => {
  let a: Org;
  let b: Org;
  let today: string;
  let month: string;
  let bKpi: { id: string; key: string };
  beforeAll(async () => {
    [a, b] = await Promise.all([buildOrg(), buildOrg()]);
    today = todayInTimeZone(a.org.timeZone);
    month = periodStart(today, 'month', a.org.fyStartMonth);
    const created = await create(b.defs.secret, money(b.rootUnitId, { key: `b.arr_${b.tag}` }));
    expect(created.status).toBe(201);
    bKpi = { id: created.body.data.id, key: `b.arr_${b.tag}` };
  }, 120_000);

  it('builds a KPI tree by API (company KPI, linked child, formula, targets, owner) and takes values', async () => {
    const arrKey = `company.new_arr_${a.tag}`;
    const company = await create(
      a.defs.secret,
      money(a.rootUnitId, {
        name: 'New ARR',
        key: arrKey,
        timeAggregation: 'sum',
        rollup: 'sum',
        isNorthStar: true,
        defaultTarget: '1000',
      }),
    );
    expect(company.status).toBe(201);
    expect(company.body.data).toMatchObject({
      key: arrKey,
      rollup: 'sum',
      isNorthStar: true,
      defaultTarget: '1000',
      version: expect.any(Number),
    });
    const salesKey = `sales.new_arr_${a.tag}`;
    const child = await create(
      a.defs.secret,
      money(a.deptId, { name: 'New ARR', key: salesKey, parentId: arrKey, timeAggregation: 'sum' }),
    );
    expect(child.status).toBe(201);
    expect(child.body.data.parentId).toBe(company.body.data.id);

    // The README's worked example: average deal size = new ARR / deals, both of the department.
    const dealsKey = `sales.deals_${a.tag}`;
    const deals = await create(a.defs.secret, {
      ...money(a.deptId, { name: 'Deals won', key: dealsKey, timeAggregation: 'sum' }),
      measureUnit: 'count',
      currency: null,
    });
    expect(deals.status).toBe(201);
    const formula = await create(
      a.defs.secret,
      money(a.deptId, {
        name: 'Average deal size',
        key: `sales.avg_deal_${a.tag}`,
        rollup: 'formula',
        formula: `${salesKey} / ${dealsKey}`,
        timeAggregation: 'average',
      }),
    );
    expect(formula.status).toBe(201);
    expect(formula.body.data).toMatchObject({
      rollup: 'formula',
      formula: `${salesKey} / ${dealsKey}`,
    });

    const next = periodStart(addDays(month, 40), 'month', a.org.fyStartMonth);
    const targets = await setTargets(a.defs.secret, salesKey, {
      targets: [
        { periodStart: month, target: '400.50' },
        { periodStart: next, target: null },
      ],
    });
    expect(targets).toMatchObject({ status: 200, body: { data: { saved: 2 } } });
    expect(await targetsOf(a.org.id, child.body.data.id)).toEqual([
      { periodStart: month, target: expect.stringMatching(/^400\.50*$/) },
    ]);

    const member = await addTestMember(a.org.id, { role: 'member', homeUnitId: a.deptId });
    const owned = await patch(a.defs.secret, salesKey, {
      version: child.body.data.version,
      ownerUserId: member.userId,
    });
    expect(owned.status).toBe(200);
    expect(owned.body.data).toMatchObject({
      ownerUserId: member.userId,
      version: child.body.data.version + 1,
    });

    // A write:definitions key also records values (scopes include one another).
    const pushed = await call(postCheckins, '/checkins', {
      secret: a.defs.secret,
      method: 'POST',
      body: {
        items: [
          { kpi: salesKey, observedOn: today, value: '250' },
          { kpi: dealsKey, observedOn: today, value: '5' },
        ],
      },
    }).then(json);
    expect(pushed.status).toBe(201);
    expect(Object.values(await valuesOf(a.org.id, company.body.data.id))).toContain('250');
    expect(Object.values(await valuesOf(a.org.id, formula.body.data.id))).toContain('50');

    const read = await call(getKpiRoute, `/kpis/${salesKey}`, {
      secret: a.read.secret,
      params: { kpi: salesKey },
    }).then(json);
    expect(read.body.data).toMatchObject({
      owner: { id: member.userId },
      parentId: company.body.data.id,
      version: owned.body.data.version,
    });

    // Every write is audited with the key's name; the forms' writes carry none.
    const db = await getOwnerDb();
    const records = await db
      .select({ action: auditLog.action, key: auditLog.actorApiKey, actor: auditLog.actorUserId })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.orgId, a.org.id),
          sql`${auditLog.subjectKpiId} in (${company.body.data.id}, ${child.body.data.id})`,
        ),
      );
    const actions = records.map((r) => r.action);
    for (const action of [
      'kpi.create',
      'kpi.set_north_star',
      'kpi.assign_owner',
      'checkin.create',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(actions.some((x) => x.startsWith('target'))).toBe(true);
    for (const r of records) {
      expect(r.key, r.action).toBe(a.defs.name);
      expect(r.actor).toBe(a.owner.userId);
    }
    // The history shows who through which key.
    const history = await listHistory(await contextFor(a.owner, a.org.slug), {
      kpi: child.body.data.id,
    });
    const assigned = history.entries.find((e) => e.action === 'kpi.assign_owner')!;
    expect(actorLabel(assigned.actor)).toMatch(new RegExp(`\\(API key “${a.defs.name}”\\)$`));
    const formRecord = await as(a.owner, async () =>
      must(await createKpiAction(a.org.slug, kpiInput(a.rootUnitId, { name: 'By form' }))),
    );
    const [byForm] = await db
      .select({ key: auditLog.actorApiKey })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, a.org.id), eq(auditLog.entityId, formRecord.id)));
    expect(byForm).toEqual({ key: null });
    await expectNoDrift(a.org.id);
  });

  it('asks for the write:definitions scope: no key 401, read and write keys 403, nothing written', async () => {
    const before = (await kpisOf(a.org.id)).length;
    const routes: (() => Promise<Answer>)[] = [];
    for (const secret of [undefined, 'kpik_nonsense', a.read.secret, a.write.secret]) {
      const s = secret as string;
      routes.push(
        () => create(s, money(a.rootUnitId)),
        () => patch(s, bKpi.id, { version: 1, name: 'x' }),
        () => archive(s, bKpi.id, { version: 1 }),
        () => setTargets(s, bKpi.id, { targets: [{ periodStart: month, target: '1' }] }),
      );
    }
    const answers = await Promise.all(routes.map((r) => r()));
    answers.forEach((answer, i) => {
      const expected = i < 8 ? 401 : 403;
      expect(answer.status, `request ${i}`).toBe(expected);
      if (expected === 403) expect(answer.body.error.message).toContain('write:definitions scope');
    });
    expect((await kpisOf(a.org.id)).length).toBe(before);
  });

  it('refuses what the KPI form refuses, with its field messages, and writes nothing', async () => {
    const before = (await kpisOf(a.org.id)).length;
    const bad = await create(a.defs.secret, {
      ...money(a.rootUnitId, { currency: undefined, decimals: 9 }),
      name: '',
      color: 'red',
    });
    expect(bad.status).toBe(422);
    const byPath = Object.fromEntries(
      bad.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]),
    );
    expect(byPath).toMatchObject({
      name: 'Enter a name',
      decimals: 'Choose 0 to 6 decimals',
      _form: expect.stringContaining('color'),
    });
    const formula = await create(
      a.defs.secret,
      money(a.rootUnitId, { rollup: 'formula', formula: `no.such_${a.tag} + 1` }),
    );
    expect(formula.status).toBe(422);
    expect(formula.body.error.details.map((d: { path: string }) => d.path)).toContain('formula');
    const notJson = await call(createKpiRoute, '/kpis', {
      secret: a.defs.secret,
      method: 'POST',
      body: '{"name":',
    }).then(json);
    expect(notJson.status).toBe(422);
    const target = await setTargets(a.defs.secret, bKpi.id, {
      targets: [{ periodStart: '2026-01-15', target: '1' }],
    });
    expect(target.status).toBe(404);
    expect((await kpisOf(a.org.id)).length).toBe(before);
  });

  it('gives two concurrent creates with one Idempotency-Key one KPI; another body with it is 409', async () => {
    const key = `create-${randomUUID()}`;
    const body = money(a.rootUnitId, { name: 'Twin', key: `twin_${a.tag}` });
    const before = (await kpisOf(a.org.id)).length;
    const twins = await Promise.all(
      Array.from({ length: 5 }, () => create(a.defs.secret, body, { 'idempotency-key': key })),
    );
    expect(twins.map((t) => t.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(twins.map((t) => t.body.data.id)).size).toBe(1);
    expect(twins.filter((t) => t.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect((await kpisOf(a.org.id)).length).toBe(before + 1);
    const other = await create(
      a.defs.secret,
      { ...body, name: 'Other' },
      { 'idempotency-key': key },
    );
    expect(other.status).toBe(409);
    const badKey = await create(a.defs.secret, body, { 'idempotency-key': 'no spaces allowed' });
    expect(badKey.status).toBe(422);
    expect((await kpisOf(a.org.id)).length).toBe(before + 1);
  });

  it('refuses a stale version with 409 and the current version; of two concurrent edits one wins', async () => {
    const made = await create(a.defs.secret, money(a.rootUnitId, { name: 'Versioned' }));
    const { id, version } = made.body.data;
    const first = await patch(a.defs.secret, id, { version, name: 'Versioned 2' });
    expect(first.status).toBe(200);
    const stale = await patch(a.defs.secret, id, { version, name: 'Versioned 3' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'CONFLICT', currentVersion: version + 1 });
    const staleArchive = await archive(a.defs.secret, id, { version });
    expect(staleArchive.body.error).toMatchObject({
      code: 'CONFLICT',
      currentVersion: version + 1,
    });

    const race = await Promise.all(
      ['Left', 'Right'].map((name) => patch(a.defs.secret, id, { version: version + 1, name })),
    );
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = race.find((r) => r.status === 200)!;
    const [row] = await (
      await getOwnerDb()
    )
      .select({ name: kpis.name, version: kpis.version })
      .from(kpis)
      .where(eq(kpis.id, id));
    expect(row).toEqual({ name: winner.body.data.name, version: version + 2 });
    expect(race.find((r) => r.status === 409)!.body.error.currentVersion).toBe(version + 2);

    const archived = await archive(a.defs.secret, id, { version: version + 2 });
    expect(archived.status).toBe(200);
    expect(archived.body.data.archivedOn).toBe(today);
    const afterArchive = await patch(a.defs.secret, id, { version: version + 3, name: 'Late' });
    expect(afterArchive.status).toBe(422);
    expect(afterArchive.body.error.message).toBe(
      'This KPI is archived: it can no longer be changed.',
    );
  });

  it("answers another org's KPI, unit or parent exactly like a missing one (404)", async () => {
    const before = await targetsOf(b.org.id, bKpi.id);
    const refs = [bKpi.id, bKpi.key, randomUUID(), `no.such_${a.tag}`];
    const answers = (
      await Promise.all(
        refs.flatMap((ref) => [
          patch(a.defs.secret, ref, { version: 1, name: 'Stolen' }),
          archive(a.defs.secret, ref, { version: 1 }),
          setTargets(a.defs.secret, ref, { targets: [{ periodStart: month, target: '9' }] }),
          create(a.defs.secret, money(a.rootUnitId, { parentId: ref })),
        ]),
      )
    ).concat([await create(a.defs.secret, money(b.rootUnitId))]);
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found.' } });
    }
    expect(await targetsOf(b.org.id, bKpi.id)).toEqual(before);
    const [row] = await (
      await getOwnerDb()
    )
      .select({ name: kpis.name, archivedOn: kpis.archivedOn })
      .from(kpis)
      .where(eq(kpis.id, bKpi.id));
    expect(row).toEqual({ name: 'ARR', archivedOn: null });
  });

  it("respects the org's KPI limits with the form's message; an admin key may confirm", async () => {
    const limited = await buildOrg({ perUnit: 1, perPerson: 5 });
    expect((await create(limited.defs.secret, money(limited.rootUnitId))).status).toBe(201);
    const form = await as(limited.owner, async () =>
      refused(
        await createKpiAction(limited.org.slug, kpiInput(limited.rootUnitId, { name: 'Form' })),
      ),
    );
    const over = await create(limited.defs.secret, money(limited.rootUnitId, { name: 'Over' }));
    expect(over.status).toBe(422);
    expect(over.body.error.message).toBe(form.message);
    expect(over.body.error.details).toEqual([
      { path: 'confirmOverLimit', message: form.fieldErrors!.confirmOverLimit![0] },
    ]);
    expect((await kpisOf(limited.org.id)).length).toBe(1);
    const confirmed = await create(
      limited.defs.secret,
      money(limited.rootUnitId, { name: 'Over', confirmOverLimit: true }),
    );
    expect(confirmed.status).toBe(201);
    expect((await kpisOf(limited.org.id)).length).toBe(2);
  });
});
