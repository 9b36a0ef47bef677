/**
 * Formula KPIs through the REST API on a real database: the KPI list and one KPI carry the
 * formula, its missing policy and its inputs (null / [] for other rollups); the values endpoint
 * returns the computed period values with their input coverage (a quarterly ratio of monthly
 * totals, a strict period missing an input, a division by zero); the OpenAPI document describes
 * the fields. Route handlers are called as Next calls them.
 */
import { describe, expect, it } from 'vitest';
import { GET as getKpi } from '@/app/api/v1/kpis/[kpi]/route';
import { GET as getValues } from '@/app/api/v1/kpis/[kpi]/values/route';
import { GET as listKpisRoute } from '@/app/api/v1/kpis/route';
import { GET as getOpenApi } from '@/app/api/v1/openapi.json/route';
import { createApiKeyAction } from '@/lib/actions/api-keys';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { createKpiAction } from '@/lib/actions/kpis';
import { as, expectNoDrift, kpiInput, must, valuesOf } from './cascade-helpers';
import { createTestOrg } from './factories';

async function get(
  handler: (request: Request, segment: { params: Promise<never> }) => Promise<Response>,
  path: string,
  secret: string,
  params: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
): Promise<{ status: number; body: any }> {
  const response = await handler(
    new Request(`http://localhost/api/v1${path}`, {
      headers: { authorization: `Bearer ${secret}` },
    }),
    { params: Promise.resolve(params as never) },
  );
  return { status: response.status, body: await response.json() };
}

describe('REST API v1: formula KPIs', () => {
  it('lists the formula, its policy and inputs, and returns computed periods with coverage', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const s = org.slug;
    const create = (over: Record<string, unknown>) =>
      as(owner, async () => must(await createKpiAction(s, kpiInput(rootUnitId, over))));
    const checkin = (kpiId: string, observedOn: string, value: string) =>
      as(owner, async () => must(await recordCheckinAction(s, { kpiId, observedOn, value })));

    const mqls = await create({ name: 'MQLs', key: 'marketing.mqls' });
    const sqls = await create({ name: 'SQLs', key: 'marketing.sqls' });
    // Q1: 80 SQLs of 400 MQLs = 0.2 (the average of the monthly ratios 0.1 and 0.233... is not).
    // Q2: MQLs but no SQLs (strict: no value). Q3: 0 MQLs (division by zero: no value).
    await checkin(mqls.id, '2025-01-15', '100');
    await checkin(sqls.id, '2025-01-20', '10');
    await checkin(mqls.id, '2025-02-10', '300');
    await checkin(sqls.id, '2025-02-12', '70');
    await checkin(mqls.id, '2025-04-03', '50');
    await checkin(mqls.id, '2025-07-03', '0');
    await checkin(sqls.id, '2025-07-04', '5');
    const rate = await create({
      name: 'MQL to SQL',
      key: 'marketing.mql_to_sql',
      measureUnit: 'ratio',
      cadence: 'quarter',
      timeAggregation: 'last',
      rollup: 'formula',
      formula: 'marketing.sqls/marketing.mqls',
      defaultTarget: '0.25',
    });
    expect(await valuesOf(org.id, rate.id)).toEqual({ '2025-01-01': '0.2' });
    await expectNoDrift(org.id);

    const key = await as(owner, async () =>
      must(await createApiKeyAction(s, { name: 'read key', scope: 'read' })),
    );
    const secret = key.secret;

    const list = await get(listKpisRoute, '/kpis', secret);
    expect(list.status).toBe(200);
    const byKey = new Map(list.body.data.map((k: { key: string }) => [k.key, k] as const)) as Map<
      string,
      Record<string, unknown>
    >;
    expect(byKey.get('marketing.mql_to_sql')).toMatchObject({
      id: rate.id,
      rollup: 'formula',
      formula: 'marketing.sqls / marketing.mqls',
      missingPolicy: 'strict',
      inputs: ['marketing.mqls', 'marketing.sqls'],
      cadence: 'quarter',
    });
    expect(byKey.get('marketing.mqls')).toMatchObject({
      rollup: 'manual',
      formula: null,
      missingPolicy: null,
      inputs: [],
    });

    const one = await get(getKpi, '/kpis/marketing.mql_to_sql', secret, {
      kpi: 'marketing.mql_to_sql',
    });
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual(byKey.get('marketing.mql_to_sql'));

    const values = await get(
      getValues,
      `/kpis/${rate.id}/values?from=2025-01-01&to=2025-09-30`,
      secret,
      { kpi: rate.id },
    );
    expect(values.status).toBe(200);
    expect(values.body.data.kpi).toMatchObject({
      rollup: 'formula',
      inputs: ['marketing.mqls', 'marketing.sqls'],
    });
    expect(
      values.body.data.periods.map(
        (p: {
          start: string;
          value: string | null;
          childrenReported: number;
          childrenExpected: number;
          missingInputs: string[];
          noValueReason: string | null;
        }) => ({
          start: p.start,
          value: p.value,
          reported: p.childrenReported,
          expected: p.childrenExpected,
          missing: p.missingInputs,
          reason: p.noValueReason,
        }),
      ),
    ).toEqual([
      { start: '2025-01-01', value: '0.2', reported: 2, expected: 2, missing: [], reason: null },
      // Q2: the strict formula stores nothing, the API still says why: 1 of 2, SQLs missing.
      {
        start: '2025-04-01',
        value: null,
        reported: 1,
        expected: 2,
        missing: ['marketing.sqls'],
        reason: 'missing inputs',
      },
      {
        start: '2025-07-01',
        value: null,
        reported: 2,
        expected: 2,
        missing: [],
        reason: 'division by zero',
      },
    ]);
    expect(values.body.data.periods[0]).toMatchObject({
      target: '0.25',
      targetImplied: false,
      progress: 0.8,
    });
    expect(values.body.data.periods[0].status).not.toBe('no_data');
    expect(values.body.data.periods[1].status).toBe('no_data');

    // A zero-policy formula values the missing SQLs of Q2 as 0, with its coverage 1 of 2.
    const zero = await create({
      name: 'MQL to SQL (zero)',
      key: 'marketing.mql_to_sql_zero',
      measureUnit: 'ratio',
      cadence: 'quarter',
      timeAggregation: 'last',
      rollup: 'formula',
      formula: 'marketing.sqls / marketing.mqls',
      missingPolicy: 'zero',
    });
    const zeroValues = await get(
      getValues,
      `/kpis/marketing.mql_to_sql_zero/values?from=2025-04-01&to=2025-06-30`,
      secret,
      { kpi: 'marketing.mql_to_sql_zero' },
    );
    expect(zeroValues.body.data.kpi).toMatchObject({ id: zero.id, missingPolicy: 'zero' });
    expect(zeroValues.body.data.periods).toEqual([
      expect.objectContaining({
        start: '2025-04-01',
        value: '0',
        childrenReported: 1,
        childrenExpected: 2,
      }),
    ]);
    await expectNoDrift(org.id);
  });

  it('grades a formula without its own target against the target its inputs imply', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const s = org.slug;
    const create = (over: Record<string, unknown>) =>
      as(owner, async () => must(await createKpiAction(s, kpiInput(rootUnitId, over))));
    const checkin = (kpiId: string, observedOn: string, value: string) =>
      as(owner, async () => must(await recordCheckinAction(s, { kpiId, observedOn, value })));
    const newArr = await create({ name: 'New', key: 'sales.new_arr', defaultTarget: '100' });
    const churn = await create({ name: 'Churn', key: 'cs.churned_arr', defaultTarget: '20' });
    const arr = await create({
      name: 'ARR',
      key: 'company.arr',
      timeAggregation: 'last',
      rollup: 'formula',
      formula: 'prev(company.arr) + sales.new_arr - cs.churned_arr',
      missingPolicy: 'zero',
      baseline: '1000',
    });
    // January: 1000 + 90 - 10 = 1080 against 1000 + 100 - 20 = 1080 implied (on track).
    // February: 1080 + 50 = 1130 against January's actual 1080 + 100 - 20 = 1160 (below).
    await checkin(newArr.id, '2025-01-10', '90');
    await checkin(churn.id, '2025-01-12', '10');
    await checkin(newArr.id, '2025-02-10', '50');
    await expectNoDrift(org.id);
    const key = await as(owner, async () =>
      must(await createApiKeyAction(s, { name: 'read key', scope: 'read' })),
    );
    const values = await get(
      getValues,
      `/kpis/company.arr/values?from=2025-01-01&to=2025-02-28`,
      key.secret,
      { kpi: 'company.arr' },
    );
    expect(values.status).toBe(200);
    expect(values.body.data.kpi.id).toBe(arr.id);
    const [jan, feb] = values.body.data.periods;
    expect(jan).toMatchObject({ value: '1080', target: '1080', targetImplied: true });
    expect(jan.status).toBe('on_track');
    expect(feb).toMatchObject({ value: '1130', target: '1160', targetImplied: true });
    expect(feb.progress).toBeCloseTo(1130 / 1160, 10);
    // Status is baseline-aware for a level: (1130 - 1000) / (1160 - 1000) < 0.85.
    expect(feb.status).toBe('off_track');
    // An input without a target: the zero policy counts it as 0 (a strict one would imply none).
    const plain = await get(
      getValues,
      `/kpis/sales.new_arr/values?from=2025-01-01&to=2025-01-31`,
      key.secret,
      {
        kpi: 'sales.new_arr',
      },
    );
    expect(plain.body.data.periods[0]).toMatchObject({ target: '100', targetImplied: false });
  });

  it('describes the formula fields in the OpenAPI document, with an example', async () => {
    const response = await getOpenApi();
    const doc = await response.json();
    const kpi = doc.components.schemas.Kpi;
    expect(kpi.properties.rollup.enum).toContain('formula');
    expect(kpi.required).toEqual(expect.arrayContaining(['formula', 'missingPolicy', 'inputs']));
    expect(kpi.properties.formula.description).toContain('null for every other rollup');
    expect(kpi.properties.missingPolicy.anyOf).toContainEqual({
      type: 'string',
      enum: ['strict', 'zero'],
    });
    expect(kpi.properties.inputs.type).toBe('array');
    expect(kpi.example).toMatchObject({
      rollup: 'formula',
      missingPolicy: 'zero',
      inputs: ['company.arr', 'cs.churned_arr', 'cs.expansion_arr', 'sales.new_arr'],
    });
    const period = doc.components.schemas.Period;
    expect(period.properties.childrenExpected.description).toContain('formula');
    expect(period.required).toEqual(
      expect.arrayContaining(['targetImplied', 'missingInputs', 'noValueReason']),
    );
    expect(period.properties.targetImplied.description).toContain('implied');
    expect(period.properties.missingInputs.type).toBe('array');
    expect(doc.paths['/kpis/{kpi}/values'].get.description).toContain('missingInputs');
  });
});
