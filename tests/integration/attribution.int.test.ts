/**
 * Variance attribution on a real database (issue 24, item 2): the DAL and
 * `GET /api/v1/kpis/{kpi}/attribution` split an ARR north star's gap (a formula over new ARR, a
 * sum of two teams, expansion and churn) into its drivers' contributions and new ARR's into its
 * children's, adding up exactly; the route refuses a bad period (422), another org's KPI (404)
 * and a call without a key (401), and the OpenAPI document describes it. The projection of the
 * open period is consistent up the tree (a sum parent projects its children's sum), and reads
 * its manual flows' check-ins for their intra-period shape.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as getAttribution } from '@/app/api/v1/kpis/[kpi]/attribution/route';
import { GET as getOpenApi } from '@/app/api/v1/openapi.json/route';
import { createApiKeyAction } from '@/lib/actions/api-keys';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { createKpiAction } from '@/lib/actions/kpis';
import { getKpiAttribution } from '@/lib/dal/kpis/attribution';
import { listLeadPairs } from '@/lib/dal/kpis/leading-indicators';
import { loadKpiClosure } from '@/lib/dal/kpis/kpi-closure';
import { getKpiProjection } from '@/lib/dal/kpis/projection';
import { withOrgRead } from '@/db/client';
import { todayInTimeZone } from '@/lib/domain/dates';
import { projectKpi } from '@/lib/domain/forecast/projection';
import { orgThresholds } from '@/lib/domain/kpi-summary';
import { periodEndExclusive, periodStart } from '@/lib/domain/periods';
import { toDec } from '@/lib/domain/decimal';
import { sumContributions } from '@/lib/domain/attribution/tree';
import { AppError } from '@/lib/errors';
import { as, contextFor, expectNoDrift, kpiInput, must } from './cascade-helpers';
import { createTestOrg } from './factories';

async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const s = org.slug;
  const create = (over: Record<string, unknown>) =>
    as(owner, async () => must(await createKpiAction(s, kpiInput(rootUnitId, over))));
  const checkin = (kpiId: string, value: string) =>
    as(owner, async () =>
      must(await recordCheckinAction(s, { kpiId, observedOn: '2025-01-20', value })),
    );
  const newArr = await create({
    name: 'New ARR',
    key: 'sales.new_arr',
    rollup: 'sum',
    defaultTarget: '150000',
  });
  const enterprise = await create({
    name: 'Enterprise',
    key: 'sales.enterprise',
    parentId: newArr.id,
    defaultTarget: '100000',
  });
  const midMarket = await create({
    name: 'Mid-market',
    parentId: newArr.id,
    defaultTarget: '50000',
  });
  const expansion = await create({
    name: 'Expansion',
    key: 'cs.expansion',
    defaultTarget: '10000',
  });
  const churn = await create({ name: 'Churn', key: 'cs.churn', defaultTarget: '10000' });
  await checkin(enterprise.id, '30000');
  await checkin(midMarket.id, '30000');
  await checkin(expansion.id, '20000');
  await checkin(churn.id, '50000');
  const arr = await create({
    name: 'ARR',
    key: 'company.arr',
    timeAggregation: 'last',
    rollup: 'formula',
    formula: 'prev(company.arr) + sales.new_arr + cs.expansion - cs.churn',
    missingPolicy: 'zero',
    baseline: '1000000',
    defaultTarget: '1150000',
  });
  const key = await as(owner, async () =>
    must(await createApiKeyAction(s, { name: 'read key', scope: 'read' })),
  );
  return { org, owner, arr, newArr, enterprise, midMarket, secret: key.secret };
}

async function call(path: string, params: Record<string, string>, secret?: string) {
  const response = await getAttribution(
    new Request(`http://localhost/api/v1${path}`, {
      headers: secret ? { authorization: `Bearer ${secret}` } : {},
    }),
    { params: Promise.resolve(params as never) },
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
  return { status: response.status, body: (await response.json()) as any };
}

describe('variance attribution', () => {
  let a: Awaited<ReturnType<typeof buildOrg>>;
  let b: Awaited<ReturnType<typeof buildOrg>>;
  beforeAll(async () => {
    a = await buildOrg();
    b = await buildOrg();
  });

  it('splits the north star gap down to the teams, exactly (DAL)', async () => {
    await expectNoDrift(a.org.id);
    const ctx = await contextFor(a.owner, a.org.slug);
    const { attribution, period } = await getKpiAttribution(ctx, a.arr.id, '2025-01-01');
    expect(period).toEqual({ start: '2025-01-01', label: 'Jan 2025' });
    expect(attribution).toMatchObject({
      actual: '1030000',
      target: '1150000',
      gap: '-120000',
      method: 'shapley',
      reason: null,
    });
    const byKey = Object.fromEntries(
      attribution.lines.map((l) => [l.read ?? l.key, l.contribution]),
    );
    expect(byKey).toEqual({
      'prev(company.arr)': '0',
      'sales.new_arr': '-90000',
      'cs.expansion': '10000',
      'cs.churn': '-40000',
    });
    expect(sumContributions(attribution.lines).toFixed()).toBe('-120000');
    const newArr = attribution.lines.find((l) => l.key === 'sales.new_arr');
    expect(newArr?.parts.map((p) => [p.name, p.contribution])).toEqual([
      ['Enterprise', '-70000'],
      ['Mid-market', '-20000'],
    ]);
  });

  it("refuses a date that does not start a period, and another org's KPI (DAL)", async () => {
    const ctx = await contextFor(a.owner, a.org.slug);
    await expect(getKpiAttribution(ctx, a.arr.id, '2025-01-15')).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    const foreign = await getKpiAttribution(ctx, b.arr.id, '2025-01-01').catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(AppError);
    expect((foreign as AppError).code).toBe('NOT_FOUND');
  });

  it('answers GET /api/v1/kpis/{kpi}/attribution with each direct contribution by id and key', async () => {
    const ok = await call(
      '/kpis/sales.new_arr/attribution?period=2025-01-01',
      { kpi: 'sales.new_arr' },
      a.secret,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({
      kpi: { id: a.newArr.id, key: 'sales.new_arr', name: 'New ARR' },
      period: { start: '2025-01-01', label: 'Jan 2025' },
      actual: '60000',
      target: '150000',
      gap: '-90000',
      method: 'rollup',
      reason: null,
    });
    expect(ok.body.data.contributions).toEqual([
      {
        kind: 'child',
        id: a.enterprise.id,
        key: 'sales.enterprise',
        name: 'Enterprise',
        read: null,
        actual: '30000',
        target: '100000',
        contribution: '-70000',
        missing: false,
      },
      {
        kind: 'child',
        id: a.midMarket.id,
        key: null,
        name: 'Mid-market',
        read: null,
        actual: '30000',
        target: '50000',
        contribution: '-20000',
        missing: false,
      },
    ]);
  });

  it("refuses a bad period (422), another org's KPI (404) and no key (401)", async () => {
    const mid = await call(
      `/kpis/${a.arr.id}/attribution?period=2025-01-15`,
      { kpi: a.arr.id },
      a.secret,
    );
    expect(mid.status).toBe(422);
    expect(mid.body.error.details).toEqual([expect.objectContaining({ path: 'period' })]);
    const garbage = await call(
      `/kpis/${a.arr.id}/attribution?period=soon`,
      { kpi: a.arr.id },
      a.secret,
    );
    expect(garbage.status).toBe(422);
    const none = await call(`/kpis/${a.arr.id}/attribution`, { kpi: a.arr.id }, a.secret);
    expect(none.status).toBe(422);
    const foreign = await call(
      `/kpis/${b.arr.id}/attribution?period=2025-01-01`,
      { kpi: b.arr.id },
      a.secret,
    );
    const missing = await call(
      '/kpis/00000000-0000-4000-8000-000000000000/attribution?period=2025-01-01',
      { kpi: '00000000-0000-4000-8000-000000000000' },
      a.secret,
    );
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    const anonymous = await call(`/kpis/${a.arr.id}/attribution?period=2025-01-01`, {
      kpi: a.arr.id,
    });
    expect(anonymous.status).toBe(401);
  });

  it('projects the open period consistently up the tree (DAL)', async () => {
    const ctx = await contextFor(a.owner, a.org.slug);
    const [parent, ent, mid] = await Promise.all(
      [a.newArr.id, a.enterprise.id, a.midMarket.id].map((id) => getKpiProjection(ctx, id)),
    );
    expect(parent?.projection.method).toBe('rollup');
    expect(ent?.projection.value).not.toBeNull();
    expect(
      toDec(parent?.projection.value as string).eq(
        toDec(ent?.projection.value as string).plus(toDec(mid?.projection.value as string)),
      ),
    ).toBe(true);
    expect(parent?.projection.target).toBe('150000');
    const foreign = await getKpiProjection(ctx, b.newArr.id).catch((e: unknown) => e);
    expect((foreign as AppError).code).toBe('NOT_FOUND');
  });

  it('gives projections the check-ins of manual flows, for their intra-period shape (DAL)', async () => {
    const ctx = await contextFor(a.owner, a.org.slug);
    const closure = (readings: boolean) =>
      withOrgRead(a.org.id, (db) =>
        loadKpiClosure(db, ctx, a.newArr.id, '2025-02-01', readings ? { readings: true } : {}),
      );
    const withReadings = (await closure(true)).catalogue;
    const byId = new Map(withReadings.map((k) => [k.id, k]));
    // the teams are manual flows: their check-ins, dated; new ARR is computed: none
    expect(byId.get(a.enterprise.id)?.checkins).toEqual([
      { observedOn: '2025-01-20', value: '30000' },
    ]);
    expect(byId.get(a.midMarket.id)?.checkins).toHaveLength(1);
    expect(byId.get(a.newArr.id)?.checkins).toBeUndefined();
    // attribution reads no check-ins
    const without = (await closure(false)).catalogue;
    expect(without.every((k) => k.checkins === undefined)).toBe(true);
    // the page's projection is the pure projection over the closure with its check-ins
    const today = todayInTimeZone(ctx.org.timeZone);
    const start = periodStart(today, 'month', ctx.org.fyStartMonth);
    const { catalogue } = await withOrgRead(a.org.id, (db) =>
      loadKpiClosure(db, ctx, a.enterprise.id, periodEndExclusive(start, 'month'), {
        readings: true,
      }),
    );
    const page = await getKpiProjection(ctx, a.enterprise.id);
    expect(page.projection).toEqual(
      projectKpi(catalogue, a.enterprise.id, start, today, orgThresholds(ctx.org)),
    );
  });

  it('measures whether a leading child leads its parent, from both pages (DAL)', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const create = (over: Record<string, unknown>) =>
      as(owner, async () => must(await createKpiAction(org.slug, kpiInput(rootUnitId, over))));
    const bookings = await create({ name: 'Bookings', rollup: 'sum' });
    const pipeline = await create({
      name: 'Pipeline',
      parentId: bookings.id,
      indicator: 'leading',
    });
    const other = await create({ name: 'Other', parentId: bookings.id });
    const pipelineValues = [10, 14, 11, 19, 15, 22, 18, 25, 21, 30, 24, 28];
    for (const [i, v] of pipelineValues.entries()) {
      const day = `2024-${String(i + 1).padStart(2, '0')}-10`;
      await as(owner, async () => {
        must(
          await recordCheckinAction(org.slug, {
            kpiId: pipeline.id,
            observedOn: day,
            value: String(v),
          }),
        );
        must(
          await recordCheckinAction(org.slug, { kpiId: other.id, observedOn: day, value: '100' }),
        );
      });
    }
    const ctx = await contextFor(owner, org.slug);
    const fromParent = await listLeadPairs(ctx, bookings.id);
    expect(fromParent).toHaveLength(1);
    expect(fromParent[0]).toMatchObject({
      leading: { id: pipeline.id, name: 'Pipeline' },
      lagging: { id: bookings.id, name: 'Bookings' },
      verdict: { kind: 'leads', lag: 0, n: 11 },
    });
    expect((await listLeadPairs(ctx, pipeline.id)).map((p) => p.lagging.id)).toEqual([bookings.id]);
    expect(await listLeadPairs(ctx, other.id)).toEqual([]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await getOpenApi()).json();
    const op = doc.paths['/kpis/{kpi}/attribution'].get;
    expect(op.operationId).toBe('getKpiAttribution');
    expect(op.tags).toEqual(['KPIs']);
    const period = op.parameters.find((p: { name: string }) => p.name === 'period');
    expect(period).toMatchObject({ in: 'query', required: true });
    expect(period.schema.format).toBe('date');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '404', '422']));
  });
});
