import { describe, expect, it } from 'vitest';
import {
  deleteCheckinAction,
  saveCheckinsAction,
  updateCheckinAction,
} from '@/lib/actions/checkins';
import {
  archiveKpiAction,
  createKpiAction,
  linkKpiAction,
  updateKpiAction,
} from '@/lib/actions/kpis';
import { recordTogether } from '@/lib/dal/cascade/checkin-transaction';
import { createTestKpi, createTestOrg, recordTestCheckin } from './factories';
import {
  as,
  contextFor,
  expectNoDrift,
  kpiInput,
  kpiVersion,
  must,
  periodRow,
  refused,
  snapshotOrg,
  valuesOf,
} from './cascade-helpers';
import { realPostgres } from './real-postgres';

/*
 * Formula KPIs in the cascade on a real database: computed in the write's transaction from their
 * drivers (a north star stock with its opening balance, a quarterly ratio of monthly totals),
 * recomputed through prev() when a driver's check-in is edited or deleted, consistent with
 * db:verify after every step, and refused definitions and archives leave nothing behind.
 */

const usd = { measureUnit: 'currency' as const, currency: 'USD' };

/** A new organization with KPIs made and check-ins recorded by its owner at its root unit. */
async function ownedOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const s = org.slug;
  return {
    org,
    owner,
    rootUnitId,
    s,
    kpi: (over: Record<string, unknown> = {}) => createTestKpi(owner, s, rootUnitId, over),
    checkin: (kpiId: string, observedOn: string, value: string) =>
      recordTestCheckin(owner, s, kpiId, observedOn, value),
  };
}

describe('formula KPIs in the cascade', () => {
  it('a north star stock from its drivers: baseline, edits and deletes through prev()', async () => {
    const { org, owner, s, kpi, checkin } = await ownedOrg();
    const drivers = {
      newArr: await kpi({ ...usd, key: 'sales.new_arr' }),
      expansion: await kpi({ ...usd, key: 'cs.expansion_arr' }),
      churn: await kpi({ ...usd, key: 'cs.churned_arr' }),
    };
    const janNew = await checkin(drivers.newArr.id, '2025-01-10', '100');
    const expansionJan = await checkin(drivers.expansion.id, '2025-01-20', '20');
    await checkin(drivers.churn.id, '2025-01-31', '10');
    const febNew = await checkin(drivers.newArr.id, '2025-02-14', '50');
    await checkin(drivers.churn.id, '2025-03-03', '5');

    // Created after its drivers' data: its values are computed at once.
    const arr = await kpi({
      ...usd,
      key: 'company.arr',
      name: 'ARR',
      timeAggregation: 'last',
      rollup: 'formula',
      formula: 'prev(company.arr)+sales.new_arr + cs.expansion_arr - cs.churned_arr',
      missingPolicy: 'zero',
      baseline: '1000',
    });
    expect(arr.formula).toBe(
      'prev(company.arr) + sales.new_arr + cs.expansion_arr - cs.churned_arr',
    );
    expect(await valuesOf(org.id, arr.id)).toEqual({
      '2025-01-01': '1110',
      '2025-02-01': '1160',
      '2025-03-01': '1155',
    });
    expect(await periodRow(org.id, arr.id, '2025-02-01')).toMatchObject({
      childrenReported: 2,
      childrenExpected: 4,
    });
    await expectNoDrift(org.id);

    // A rollup over the formula, and a formula over that rollup.
    const group = await kpi({
      ...usd,
      key: 'group.arr',
      timeAggregation: 'last',
      rollup: 'sum',
    });
    must(
      await as(owner, () =>
        linkKpiAction(s, { kpiId: arr.id, parentId: group.id, version: arr.version }),
      ),
    );
    const change = await kpi({
      ...usd,
      key: 'group.arr_change',
      timeAggregation: 'last',
      rollup: 'formula',
      formula: 'group.arr - prev(group.arr)',
    });
    expect(await valuesOf(org.id, group.id)).toEqual({
      '2025-01-01': '1110',
      '2025-02-01': '1160',
      '2025-03-01': '1155',
    });
    // January has no earlier group value: strict, so no value there.
    expect(await valuesOf(org.id, change.id)).toEqual({ '2025-02-01': '50', '2025-03-01': '-5' });
    await expectNoDrift(org.id);

    // Editing January's new ARR moves every later month through prev().
    must(
      await as(owner, () =>
        updateCheckinAction(s, { checkinId: janNew.id, version: janNew.version, value: '200' }),
      ),
    );
    expect(await valuesOf(org.id, arr.id)).toEqual({
      '2025-01-01': '1210',
      '2025-02-01': '1260',
      '2025-03-01': '1255',
    });
    expect(await valuesOf(org.id, group.id)).toMatchObject({ '2025-03-01': '1255' });
    await expectNoDrift(org.id);

    must(
      await as(owner, () =>
        updateCheckinAction(s, {
          checkinId: expansionJan.id,
          version: expansionJan.version,
          value: '40',
        }),
      ),
    );
    expect(await valuesOf(org.id, arr.id)).toEqual({
      '2025-01-01': '1230',
      '2025-02-01': '1280',
      '2025-03-01': '1275',
    });
    await expectNoDrift(org.id);

    // Deleting February's only driver: no value in February (nobody reported), and March
    // carries January's stock through it (a zero-policy flow that is missing counts as 0).
    must(
      await as(owner, () =>
        deleteCheckinAction(s, { checkinId: febNew.id, version: febNew.version }),
      ),
    );
    expect(await valuesOf(org.id, arr.id)).toEqual({
      '2025-01-01': '1230',
      '2025-03-01': '1225',
    });
    expect(await valuesOf(org.id, group.id)).toEqual({
      '2025-01-01': '1230',
      '2025-03-01': '1225',
    });
    expect(await valuesOf(org.id, change.id)).toEqual({});
    await expectNoDrift(org.id);

    // A new opening balance recomputes every period.
    must(
      await as(owner, async () =>
        updateKpiAction(s, { kpiId: arr.id, version: await kpiVersion(arr.id), baseline: '0' }),
      ),
    );
    expect(await valuesOf(org.id, arr.id)).toEqual({
      '2025-01-01': '230',
      '2025-03-01': '225',
    });
    await expectNoDrift(org.id);

    // A new check-in in an earlier month (the check-in path recomputes only the periods from
    // its month on): February gets a value again, March moves through prev(), January stays;
    // the rollup above and the formula over it follow in the same transaction.
    await checkin(drivers.expansion.id, '2025-02-05', '7');
    expect(await valuesOf(org.id, arr.id)).toEqual({
      '2025-01-01': '230',
      '2025-02-01': '237',
      '2025-03-01': '232',
    });
    expect(await valuesOf(org.id, group.id)).toEqual({
      '2025-01-01': '230',
      '2025-02-01': '237',
      '2025-03-01': '232',
    });
    expect(await valuesOf(org.id, change.id)).toEqual({ '2025-02-01': '7', '2025-03-01': '-5' });
    await expectNoDrift(org.id);

    // Archiving a driver a formula reads is refused, naming the formula; nothing changes.
    const before = await snapshotOrg(org.id);
    const error = refused(
      await as(owner, async () =>
        archiveKpiAction(s, {
          kpiId: drivers.churn.id,
          version: await kpiVersion(drivers.churn.id),
        }),
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('company.arr');
    expect(await snapshotOrg(org.id)).toEqual(before);
  });

  it('a quarterly ratio of monthly totals; division by zero stores no value', async () => {
    const { org, kpi, checkin } = await ownedOrg();
    const mqls = await kpi({ key: 'marketing.mqls' });
    const sqls = await kpi({ key: 'marketing.sqls' });
    const rate = await kpi({
      key: 'marketing.mql_to_sql',
      measureUnit: 'ratio',
      cadence: 'quarter',
      timeAggregation: 'average',
      rollup: 'formula',
      formula: 'marketing.sqls / marketing.mqls',
    });
    const data: [string, string, string][] = [
      ['2025-01-15', '100', '10'],
      ['2025-02-15', '50', '20'],
      ['2025-03-15', '50', '0'],
      ['2025-04-15', '0', '0'],
    ];
    for (const [date, m, q] of data) {
      await checkin(mqls.id, date, m);
      await checkin(sqls.id, date, q);
    }
    // 30 / 200, never the average of the monthly ratios (0.1667).
    expect(await valuesOf(org.id, rate.id)).toEqual({ '2025-01-01': '0.15' });
    expect(await periodRow(org.id, rate.id, '2025-01-01')).toMatchObject({
      childrenReported: 2,
      childrenExpected: 2,
    });
    await expectNoDrift(org.id);

    // A reading that ends the division by zero gives the quarter its value.
    await checkin(mqls.id, '2025-05-15', '40');
    await checkin(sqls.id, '2025-05-20', '4');
    expect(await valuesOf(org.id, rate.id)).toEqual({
      '2025-01-01': '0.15',
      '2025-04-01': '0.1',
    });
    await expectNoDrift(org.id);
  });

  it('a group of check-ins in one transaction feeds a formula through the rollup it reads', async () => {
    const { org, owner, s, kpi } = await ownedOrg();
    // The formula reads a sum whose children are checked in: the check-in transaction evaluates
    // it with the values its own rollup walk just computed (none stored before the first one).
    const total = await kpi({ key: 'grp.total', rollup: 'sum' });
    const [a, b] = [await kpi({ parentId: total.id }), await kpi({ parentId: total.id })];
    const other = await kpi({ key: 'grp.other' });
    const doubled = await kpi({
      key: 'grp.doubled',
      rollup: 'formula',
      formula: '2 * grp.total - grp.other',
      missingPolicy: 'zero',
    });
    const ctx = await contextFor(owner, s);
    const record = (kpiId: string, observedOn: string, value: string) => ({
      ctx,
      input: { kpiId, observedOn, value },
    });
    const outcomes = await recordTogether(ctx, [
      record(a!.id, '2025-01-10', '3'),
      record(b!.id, '2025-01-20', '4'),
      record(a!.id, '2025-02-10', '5'),
      record(a!.id, '2999-01-01', '1'), // refused (a future date): fails alone
      record(other.id, '2025-02-11', '1'),
    ]);
    expect(outcomes.map((o) => 'dto' in o)).toEqual([true, true, true, false, true]);
    expect(await valuesOf(org.id, total.id)).toEqual({ '2025-01-01': '7', '2025-02-01': '5' });
    expect(await valuesOf(org.id, doubled.id)).toEqual({ '2025-01-01': '14', '2025-02-01': '9' });
    await expectNoDrift(org.id);

    // A later group changing January only: February's formula value stays as it was.
    await recordTogether(ctx, [
      record(b!.id, '2025-01-21', '10'),
      record(a!.id, '2025-01-11', '1'),
    ]);
    expect(await valuesOf(org.id, total.id)).toEqual({ '2025-01-01': '18', '2025-02-01': '5' });
    expect(await valuesOf(org.id, doubled.id)).toEqual({ '2025-01-01': '36', '2025-02-01': '9' });
    await expectNoDrift(org.id);
  });

  it('save-all, a new formula, a re-link and a change of rollup all recompute formulas', async () => {
    const { org, owner, s, kpi, checkin } = await ownedOrg();
    const revenue = await kpi({ ...usd, key: 'fin.revenue' });
    const cogs = await kpi({ ...usd, key: 'fin.cogs' });
    const margin = await kpi({
      key: 'fin.gross_margin',
      measureUnit: 'ratio',
      timeAggregation: 'average',
      rollup: 'formula',
      formula: '(fin.revenue - fin.cogs) / fin.revenue',
    });
    // One save of several rows (one transaction): the formula sees all of them.
    must(
      await as(owner, () =>
        saveCheckinsAction(s, {
          items: [
            { kind: 'record', kpiId: revenue.id, observedOn: '2025-04-10', value: '200' },
            { kind: 'record', kpiId: cogs.id, observedOn: '2025-04-11', value: '50' },
            { kind: 'record', kpiId: revenue.id, observedOn: '2025-05-10', value: '100' },
          ],
        }),
      ),
    );
    // May: cogs missing under strict, so no value.
    expect(await valuesOf(org.id, margin.id)).toEqual({ '2025-04-01': '0.75' });
    await expectNoDrift(org.id);

    // A new formula text, then a missing-input policy: recomputed in the same save.
    must(
      await as(owner, async () =>
        updateKpiAction(s, {
          kpiId: margin.id,
          version: await kpiVersion(margin.id),
          formula: '1 - fin.cogs / fin.revenue',
          missingPolicy: 'zero',
        }),
      ),
    );
    expect(await valuesOf(org.id, margin.id)).toEqual({ '2025-04-01': '0.75', '2025-05-01': '1' });
    await expectNoDrift(org.id);

    // Re-link: revenue under a sum parent that the formula does not read; then the formula reads
    // the parent, whose value follows its children.
    const total = await kpi({
      ...usd,
      key: 'fin.total',
      rollup: 'sum',
    });
    must(
      await as(owner, async () =>
        linkKpiAction(s, {
          kpiId: revenue.id,
          parentId: total.id,
          version: await kpiVersion(revenue.id),
        }),
      ),
    );
    must(
      await as(owner, async () =>
        updateKpiAction(s, {
          kpiId: margin.id,
          version: await kpiVersion(margin.id),
          formula: '1 - fin.cogs / fin.total',
        }),
      ),
    );
    await checkin(revenue.id, '2025-04-20', '300');
    expect(await valuesOf(org.id, margin.id)).toEqual({ '2025-04-01': '0.9', '2025-05-01': '1' });
    await expectNoDrift(org.id);

    // A formula linked under a KPI it reads in the same period is a cycle: refused, named.
    const memo = await kpi({
      key: 'fin.memo',
      measureUnit: 'ratio',
    });
    const echo = await kpi({
      key: 'fin.echo',
      measureUnit: 'ratio',
      rollup: 'formula',
      formula: 'fin.memo * 2',
    });
    const cycle = refused(
      await as(owner, () =>
        linkKpiAction(s, { kpiId: echo.id, parentId: memo.id, version: echo.version }),
      ),
    );
    expect(cycle.code).toBe('VALIDATION');
    expect(cycle.message).toBe('Its formula would break: Cycle: fin.echo -> fin.memo -> fin.echo.');

    // Back to a plain manual KPI: the computed values go.
    must(
      await as(owner, async () =>
        updateKpiAction(s, {
          kpiId: margin.id,
          version: await kpiVersion(margin.id),
          rollup: 'manual',
        }),
      ),
    );
    expect(await valuesOf(org.id, margin.id)).toEqual({});
    await expectNoDrift(org.id);
  });

  it('refuses a formula that does not check, with the position, and writes nothing', async () => {
    const { org, owner, rootUnitId, s, kpi } = await ownedOrg();
    await kpi({ key: 'sales.new_arr', ...usd });
    const before = await snapshotOrg(org.id);
    const unknown = refused(
      await as(owner, () =>
        createKpiAction(
          s,
          kpiInput(rootUnitId, {
            ...usd,
            key: 'company.arr',
            rollup: 'formula',
            formula: 'prev(company.arr) + sales.new_ar',
          }),
        ),
      ),
    );
    expect(unknown.code).toBe('VALIDATION');
    expect(unknown.fieldErrors?.formula?.[0]).toBe(
      "Unknown KPI 'sales.new_ar'; did you mean 'sales.new_arr'? at 20",
    );
    const syntax = refused(
      await as(owner, () =>
        createKpiAction(
          s,
          kpiInput(rootUnitId, { ...usd, rollup: 'formula', formula: 'sales.new_arr +' }),
        ),
      ),
    );
    expect(syntax.fieldErrors?.formula?.[0]).toMatch(/ at \d+$/);
    const missing = refused(
      await as(owner, () =>
        createKpiAction(s, kpiInput(rootUnitId, { ...usd, rollup: 'formula' })),
      ),
    );
    expect(missing.fieldErrors?.formula).toEqual(['Enter a formula at 0']);
    expect(await snapshotOrg(org.id)).toEqual(before);
  });
});

describe.runIf(realPostgres)('formula KPIs under concurrent writers (real Postgres)', () => {
  it('concurrent check-ins on two drivers of one formula in other trees both show in it', async () => {
    const { org, owner, s, kpi } = await ownedOrg();
    // Three trees: each driver is a root of its own, the formula a third.
    const a = await kpi({ key: 'drv.a' });
    const b = await kpi({ key: 'drv.b' });
    const total = await kpi({
      key: 'drv.total',
      rollup: 'formula',
      formula: 'drv.a + drv.b',
      missingPolicy: 'zero',
    });
    const [ctxA, ctxB] = await Promise.all([contextFor(owner, s), contextFor(owner, s)]);
    let sum = 0;
    for (let round = 1; round <= 8; round += 1) {
      const va = String(round * 10 + 1);
      const vb = String(round * 100 + 7);
      // recordTogether directly: two pipelined transactions on two connections at once (the
      // in-process group commit would otherwise queue the second behind the first).
      const [oa, ob] = await Promise.all([
        recordTogether(ctxA, [
          { ctx: ctxA, input: { kpiId: a.id, observedOn: `2025-06-${10 + round}`, value: va } },
        ]),
        recordTogether(ctxB, [
          { ctx: ctxB, input: { kpiId: b.id, observedOn: `2025-06-${10 + round}`, value: vb } },
        ]),
      ]);
      for (const o of [...oa, ...ob]) expect(o).toHaveProperty('dto');
      sum += Number(va) + Number(vb);
      expect((await periodRow(org.id, total.id, '2025-06-01'))?.value, `round ${round}`).toBe(
        String(sum),
      );
    }
    await expectNoDrift(org.id);
  });
});
