import { describe, expect, it } from 'vitest';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { createKpiAction, previewFormulaAction, saveKpiFormAction } from '@/lib/actions/kpis';
import type { SessionClaims } from '@/lib/auth/session';
import { addMonths, todayInTimeZone } from '@/lib/domain/dates';
import { periodStart } from '@/lib/domain/periods';
import { addTestMember, createTestOrg } from './factories';
import { as, kpiInput, must, refused, snapshotOrg, valuesOf } from './cascade-helpers';

/*
 * The KPI form's live formula preview on a real database: it computes the last three periods
 * with the engine's own evaluation (the stored values of a saved formula, exactly), reports
 * why a period has no value, answers a bad draft with the problem and its position, knows only
 * the organization's own keys, is authorized like the form's save, and writes nothing.
 */

const month = (back: number) => addMonths(periodStart(todayInTimeZone('UTC'), 'month', 1), -back);

async function create(
  owner: SessionClaims,
  slug: string,
  unitId: string,
  over: Record<string, unknown>,
) {
  return as(owner, async () => must(await createKpiAction(slug, kpiInput(unitId, over))));
}

async function checkin(owner: SessionClaims, slug: string, kpiId: string, on: string, v: string) {
  return as(owner, async () =>
    must(await recordCheckinAction(slug, { kpiId, observedOn: on, value: v })),
  );
}

function draft(unitId: string, formula: string, over: object = {}) {
  return {
    unitId,
    formula,
    cadence: 'month' as const,
    timeAggregation: 'sum' as const,
    missingPolicy: 'strict' as const,
    measureUnit: 'percent' as const,
    decimals: 1,
    ...over,
  };
}

describe('formula preview', () => {
  it('matches the stored engine values of a saved formula, and gives reasons', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const s = org.slug;
    const mqls = await create(owner, s, rootUnitId, { key: 'marketing.mqls' });
    const sqls = await create(owner, s, rootUnitId, { key: 'marketing.sqls' });
    // Two months back: 30 / 120; one month back: 0 MQLs (division by zero); this month: SQLs only.
    await checkin(owner, s, mqls.id, month(2), '100');
    await checkin(owner, s, mqls.id, `${month(2).slice(0, 8)}15`, '20');
    await checkin(owner, s, sqls.id, month(2), '30');
    await checkin(owner, s, mqls.id, month(1), '0');
    await checkin(owner, s, sqls.id, month(1), '4');
    await checkin(owner, s, sqls.id, month(0), '7');
    const formula = 'marketing.sqls / marketing.mqls * 100';
    const conv = await create(owner, s, rootUnitId, {
      key: 'marketing.mql_to_sql',
      rollup: 'formula',
      formula,
      measureUnit: 'percent',
      decimals: 1,
    });
    const stored = await valuesOf(org.id, conv.id);
    expect(stored).toEqual({ [month(2)]: '25' });

    const before = await snapshotOrg(org.id);
    const preview = await as(owner, async () =>
      must(await previewFormulaAction(s, draft(rootUnitId, formula, { kpiId: conv.id }))),
    );
    if (!preview.ok) throw new Error(preview.problem.message);
    expect(preview.rows.map((r) => r.start)).toEqual([month(2), month(1), month(0)]);
    expect(preview.rows.map((r) => [r.value, r.display, r.reason])).toEqual([
      [stored[month(2)], '25.0%', null],
      [null, null, 'division by zero'],
      [null, null, '1 of 2 inputs'],
    ]);
    // Under `zero`, this month's missing MQLs count as 0: a division by zero too.
    const zero = await as(owner, async () =>
      must(
        await previewFormulaAction(
          s,
          draft(rootUnitId, 'marketing.sqls + marketing.mqls', {
            missingPolicy: 'zero',
            measureUnit: 'count',
            decimals: 0,
          }),
        ),
      ),
    );
    expect(zero.ok && zero.rows.map((r) => r.display)).toEqual(['150', '4', '7']);
    // Read-only: nothing written.
    expect(await snapshotOrg(org.id)).toEqual(before);
  });

  it('a self prev() stock previews as stored, from its opening balance', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const s = org.slug;
    const usd = { measureUnit: 'currency', currency: 'USD' };
    const newArr = await create(owner, s, rootUnitId, { ...usd, key: 'sales.new_arr' });
    await checkin(owner, s, newArr.id, month(2), '100');
    await checkin(owner, s, newArr.id, month(1), '50');
    await checkin(owner, s, newArr.id, month(0), '25');
    const formula = 'prev(company.arr) + sales.new_arr';
    const arr = await create(owner, s, rootUnitId, {
      ...usd,
      key: 'company.arr',
      timeAggregation: 'last',
      rollup: 'formula',
      formula,
      baseline: '1000',
    });
    const stored = await valuesOf(org.id, arr.id);
    const preview = await as(owner, async () =>
      must(
        await previewFormulaAction(
          s,
          draft(rootUnitId, formula, {
            kpiId: arr.id,
            key: 'company.arr',
            timeAggregation: 'last',
            measureUnit: 'currency',
            currency: 'USD',
            decimals: 0,
            baseline: '1000',
          }),
        ),
      ),
    );
    expect(preview.ok && preview.rows.map((r) => r.value)).toEqual([
      stored[month(2)],
      stored[month(1)],
      stored[month(0)],
    ]);
    expect(stored[month(0)]).toBe('1175');
  });

  it('answers a bad draft with the problem and its position; other orgs keys are unknown', async () => {
    const a = await createTestOrg();
    const b = await createTestOrg();
    await create(a.owner, a.org.slug, a.rootUnitId, { key: 'marketing.mqls' });
    await create(b.owner, b.org.slug, b.rootUnitId, { key: 'finance.secret' });

    const preview = (formula: string) =>
      as(a.owner, async () =>
        must(await previewFormulaAction(a.org.slug, draft(a.rootUnitId, formula))),
      );
    const typo = await preview('100 * marketing.mqlz');
    expect(typo).toEqual({
      ok: false,
      problem: {
        message: "Unknown KPI 'marketing.mqlz'; did you mean 'marketing.mqls'? at 6",
        start: 6,
        end: 20,
      },
    });
    const parse = await preview('marketing.mqls +');
    expect(parse.ok).toBe(false);
    expect(!parse.ok && parse.problem.start).toBe(16);
    // Another organization's key looks like no key at all.
    const foreign = await preview('marketing.mqls + finance.secret');
    expect(foreign).toMatchObject({
      ok: false,
      problem: { message: "Unknown KPI 'finance.secret' at 17", start: 17 },
    });
    // Another organization's unit: not found, like a missing one.
    const err = await as(a.owner, async () =>
      refused(await previewFormulaAction(a.org.slug, draft(b.rootUnitId, 'marketing.mqls'))),
    );
    expect(err.code).toBe('NOT_FOUND');
  });

  it('the form refuses a bad formula on save with its position, writing nothing', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    await create(owner, org.slug, rootUnitId, { key: 'sales.new_arr' });
    const before = await snapshotOrg(org.id);
    const err = await as(owner, async () =>
      refused(
        await saveKpiFormAction(org.slug, {
          mode: 'create',
          ...kpiInput(rootUnitId, { rollup: 'formula', formula: '2 * sales.new_ar' }),
        }),
      ),
    );
    expect(err.code).toBe('VALIDATION');
    expect(err.fieldErrors?.formula).toEqual([
      "Unknown KPI 'sales.new_ar'; did you mean 'sales.new_arr'? at 4",
    ]);
    expect(await snapshotOrg(org.id)).toEqual(before);
  });

  it('is authorized like the save: a member may not preview', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const member = await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId });
    const err = await as(member, async () =>
      refused(await previewFormulaAction(org.slug, draft(rootUnitId, '1 + 1'))),
    );
    expect(err.code).toBe('FORBIDDEN');
  });
});
