import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb, withOrgTx } from '@/db/client';
import { auditLog, kpiPeriodValues, kpiTargets } from '@/db/schema';
import {
  deleteCheckinAction,
  recordCheckinAction,
  updateCheckinAction,
} from '@/lib/actions/checkins';
import {
  archiveKpiAction,
  assignKpiOwnerAction,
  clearTargetAction,
  createKpiAction,
  linkKpiAction,
  setNorthStarAction,
  setTargetAction,
  unlinkKpiAction,
  updateKpiAction,
} from '@/lib/actions/kpis';
import {
  archiveUnitAction,
  createUnitAction,
  moveUnitAction,
  renameUnitAction,
  setUnitLeadAction,
} from '@/lib/actions/units';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import { rebuildOrgPeriodValues } from '@/lib/dal/cascade/rebuild';
import { recomputeFrom } from '@/lib/dal/cascade/recompute';
import { todayInTimeZone } from '@/lib/domain/dates';
import { verifyAllOrganizations } from '@/lib/dal/verify';
import {
  addTestMember,
  createTestKpi,
  createTestOrg,
  makeLead,
  recordTestCheckin,
} from './factories';
import {
  as,
  expectNoDrift,
  kpiInput,
  kpiVersion,
  must,
  periodRow,
  refused,
  snapshotOrg,
  valuesOf,
} from './cascade-helpers';

async function orgWithTree() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const sales = await as(owner, async () =>
    must(
      await createUnitAction(org.slug, { parentId: rootUnitId, kind: 'department', name: 'Sales' }),
    ),
  );
  const emea = await as(owner, async () =>
    must(await createUnitAction(org.slug, { parentId: sales.id, kind: 'team', name: 'EMEA' })),
  );
  const ops = await as(owner, async () =>
    must(
      await createUnitAction(org.slug, { parentId: rootUnitId, kind: 'department', name: 'Ops' }),
    ),
  );
  return { org, owner, rootUnitId, sales, emea, ops };
}

describe('the cascade through the real actions', () => {
  it('rolls check-ins up a monthly -> quarterly -> yearly chain, exactly and with counts', async () => {
    const { org, owner, rootUnitId, sales, emea } = await orgWithTree();
    const act = <T>(fn: () => Promise<T>) => as(owner, fn);
    const revenue = await createTestKpi(owner, org.slug, rootUnitId, {
      name: 'Revenue',
      cadence: 'year',
      rollup: 'sum',
      measureUnit: 'currency',
      currency: 'EUR',
    });
    const salesRev = await createTestKpi(owner, org.slug, sales.id, {
      name: 'Sales revenue',
      cadence: 'quarter',
      rollup: 'sum',
      measureUnit: 'currency',
      currency: 'EUR',
      parentId: revenue.id,
    });
    const [a, b, c] = await act(async () =>
      Promise.all(
        ['A', 'B', 'C'].map(async (n) =>
          must(
            await createKpiAction(
              org.slug,
              kpiInput(emea.id, {
                name: `Rep ${n}`,
                measureUnit: 'currency',
                currency: 'EUR',
                parentId: salesRev.id,
              }),
            ),
          ),
        ),
      ),
    );
    expect(a && b && c).toBeTruthy();
    const record = (kpiId: string, observedOn: string, value: string) =>
      recordTestCheckin(owner, org.slug, kpiId, observedOn, value);
    await record(a!.id, '2025-01-10', '100.25');
    await record(a!.id, '2025-02-10', '0.75');
    const bCheckin = await record(b!.id, '2025-03-31', '1000');
    await record(c!.id, '2025-04-01', '5');

    expect(await valuesOf(org.id, a!.id)).toEqual({ '2025-01-01': '100.25', '2025-02-01': '0.75' });
    expect(await periodRow(org.id, salesRev.id, '2025-01-01')).toMatchObject({
      value: '1101',
      sampleCount: 2,
      childrenReported: 2,
      childrenExpected: 3,
    });
    expect(await valuesOf(org.id, salesRev.id)).toEqual({
      '2025-01-01': '1101',
      '2025-04-01': '5',
    });
    expect(await valuesOf(org.id, revenue.id)).toEqual({ '2025-01-01': '1106' });
    expect(await periodRow(org.id, revenue.id, '2025-01-01')).toMatchObject({
      childrenReported: 1,
      childrenExpected: 1,
    });

    // edit moves the value to another quarter; delete removes it; both roll up
    must(
      await act(() =>
        updateCheckinAction(org.slug, {
          checkinId: bCheckin.id,
          version: bCheckin.version,
          observedOn: '2025-07-15',
          value: '999.5',
        }),
      ),
    );
    expect(await valuesOf(org.id, salesRev.id)).toEqual({
      '2025-01-01': '101',
      '2025-04-01': '5',
      '2025-07-01': '999.5',
    });
    const stale = await act(() =>
      updateCheckinAction(org.slug, {
        checkinId: bCheckin.id,
        version: bCheckin.version,
        value: '1',
      }),
    );
    expect(refused(stale).code).toBe('CONFLICT');
    must(
      await act(() =>
        deleteCheckinAction(org.slug, { checkinId: bCheckin.id, version: bCheckin.version + 1 }),
      ),
    );
    expect(await valuesOf(org.id, salesRev.id)).toEqual({ '2025-01-01': '101', '2025-04-01': '5' });
    expect(await valuesOf(org.id, revenue.id)).toEqual({ '2025-01-01': '106' });

    // method change: max of the children's quarterly contributions
    must(
      await act(async () =>
        updateKpiAction(org.slug, {
          kpiId: salesRev.id,
          version: await kpiVersion(salesRev.id),
          rollup: 'max',
        }),
      ),
    );
    expect(await valuesOf(org.id, salesRev.id)).toEqual({ '2025-01-01': '101', '2025-04-01': '5' });
    must(
      await act(async () =>
        updateKpiAction(org.slug, {
          kpiId: salesRev.id,
          version: await kpiVersion(salesRev.id),
          rollup: 'average',
        }),
      ),
    );
    expect(await periodRow(org.id, salesRev.id, '2025-01-01')).toMatchObject({
      value: '101',
      childrenReported: 1,
      childrenExpected: 3,
    });
    // back to manual: its own (absent) check-ins decide, so no value at all
    must(
      await act(async () =>
        updateKpiAction(org.slug, {
          kpiId: salesRev.id,
          version: await kpiVersion(salesRev.id),
          rollup: 'manual',
        }),
      ),
    );
    expect(await valuesOf(org.id, salesRev.id)).toEqual({});
    expect(await valuesOf(org.id, revenue.id)).toEqual({});
    must(
      await act(async () =>
        updateKpiAction(org.slug, {
          kpiId: salesRev.id,
          version: await kpiVersion(salesRev.id),
          rollup: 'sum',
        }),
      ),
    );
    expect(await valuesOf(org.id, revenue.id)).toEqual({ '2025-01-01': '106' });

    // unlink and relink
    must(
      await act(async () =>
        unlinkKpiAction(org.slug, { kpiId: c!.id, version: await kpiVersion(c!.id) }),
      ),
    );
    expect(await valuesOf(org.id, salesRev.id)).toEqual({ '2025-01-01': '101' });
    expect(await periodRow(org.id, salesRev.id, '2025-01-01')).toMatchObject({
      childrenExpected: 2,
    });
    must(
      await act(async () =>
        linkKpiAction(org.slug, {
          kpiId: c!.id,
          parentId: salesRev.id,
          version: await kpiVersion(c!.id),
        }),
      ),
    );
    expect(await valuesOf(org.id, salesRev.id)).toEqual({ '2025-01-01': '101', '2025-04-01': '5' });

    // cadence change of the middle KPI: every stored row follows the new cadence
    must(
      await act(async () =>
        updateKpiAction(org.slug, {
          kpiId: salesRev.id,
          version: await kpiVersion(salesRev.id),
          cadence: 'month',
        }),
      ),
    );
    expect(await valuesOf(org.id, salesRev.id)).toEqual({
      '2025-01-01': '100.25',
      '2025-02-01': '0.75',
      '2025-04-01': '5',
    });
    expect(await valuesOf(org.id, revenue.id)).toEqual({ '2025-01-01': '106' });
    await expectNoDrift(org.id);
  });

  it('combines shorter-cadence children by their own time aggregation and weights', async () => {
    const { org, owner, rootUnitId } = await createTestOrg({ fyStartMonth: 4 });
    const act = <T>(fn: () => Promise<T>) => as(owner, fn);
    const nps = await createTestKpi(owner, org.slug, rootUnitId, {
      cadence: 'quarter',
      timeAggregation: 'average',
      rollup: 'weighted_average',
    });
    const big = await createTestKpi(owner, org.slug, rootUnitId, {
      timeAggregation: 'last',
      weight: '3',
      parentId: nps.id,
    });
    const small = await createTestKpi(owner, org.slug, rootUnitId, {
      timeAggregation: 'average',
      weight: '1',
      parentId: nps.id,
    });
    const rec = (kpiId: string, observedOn: string, value: string) =>
      recordTestCheckin(owner, org.slug, kpiId, observedOn, value);
    await rec(big.id, '2025-04-03', '10');
    await rec(big.id, '2025-05-20', '40'); // last month of the quarter with a value wins
    await rec(small.id, '2025-04-03', '1');
    await rec(small.id, '2025-06-03', '2');
    // fiscal Q1 starts in April: big contributes 40 (last), small (1 + 2) / 2 = 1.5
    expect(await periodRow(org.id, nps.id, '2025-04-01')).toMatchObject({
      value: '30.375',
      childrenReported: 2,
      childrenExpected: 2,
    });
    must(
      await act(async () =>
        updateKpiAction(org.slug, {
          kpiId: big.id,
          version: await kpiVersion(big.id),
          weight: '1',
        }),
      ),
    );
    expect((await periodRow(org.id, nps.id, '2025-04-01'))?.value).toBe('20.75');
    await expectNoDrift(org.id);
  });

  it('keeps an archived child in the periods before its archiving date only', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const act = <T>(fn: () => Promise<T>) => as(owner, fn);
    const today = todayInTimeZone(org.timeZone);
    const thisMonth = `${today.slice(0, 7)}-01`;
    const parent = await createTestKpi(owner, org.slug, rootUnitId, { rollup: 'sum' });
    const kept = await createTestKpi(owner, org.slug, rootUnitId, { parentId: parent.id });
    const gone = await createTestKpi(owner, org.slug, rootUnitId, { parentId: parent.id });
    await act(async () =>
      must(
        await recordCheckinAction(org.slug, {
          kpiId: gone.id,
          observedOn: '2025-01-15',
          value: '7',
        }),
      ),
    );
    await act(async () =>
      must(await recordCheckinAction(org.slug, { kpiId: gone.id, observedOn: today, value: '8' })),
    );
    await act(async () =>
      must(await recordCheckinAction(org.slug, { kpiId: kept.id, observedOn: today, value: '1' })),
    );
    expect((await periodRow(org.id, parent.id, thisMonth))?.value).toBe('9');
    const archived = must(
      await act(async () =>
        archiveKpiAction(org.slug, { kpiId: gone.id, version: await kpiVersion(gone.id) }),
      ),
    );
    expect(archived.archivedOn).toBe(today);
    // history before the archiving date stays; this month counts it unless it started today
    expect((await periodRow(org.id, parent.id, '2025-01-01'))?.value).toBe('7');
    const expectedNow = thisMonth < today ? '9' : '1';
    expect((await periodRow(org.id, parent.id, thisMonth))?.value).toBe(expectedNow);
    const again = await act(() =>
      recordCheckinAction(org.slug, { kpiId: gone.id, observedOn: today, value: '1' }),
    );
    expect(refused(again).message).toMatch(/archived/);
    await expectNoDrift(org.id);
  });

  it('refuses a check-in on a computing KPI with a clear message', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const parent = await createTestKpi(owner, org.slug, rootUnitId, { rollup: 'sum' });
    const before = await snapshotOrg(org.id);
    const error = refused(
      await as(owner, () =>
        recordCheckinAction(org.slug, { kpiId: parent.id, observedOn: '2025-01-01', value: '1' }),
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/Values of this KPI come from its children/);
    expect(await snapshotOrg(org.id)).toEqual(before);
  });

  it('writes audit records with before and after in the same transaction', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const act = <T>(fn: () => Promise<T>) => as(owner, fn);
    const k = await createTestKpi(owner, org.slug, rootUnitId, { name: 'Audited' });
    must(
      await act(() =>
        updateKpiAction(org.slug, { kpiId: k.id, version: k.version, name: 'Audited 2' }),
      ),
    );
    const ci = must(
      await act(() =>
        recordCheckinAction(org.slug, {
          kpiId: k.id,
          observedOn: '2025-03-03',
          value: '4.5',
          note: 'hi',
        }),
      ),
    );
    must(
      await act(() => updateCheckinAction(org.slug, { checkinId: ci.id, version: 1, value: '5' })),
    );
    must(await act(() => deleteCheckinAction(org.slug, { checkinId: ci.id, version: 2 })));
    must(
      await act(() =>
        setTargetAction(org.slug, { kpiId: k.id, periodStart: '2025-03-01', target: '10' }),
      ),
    );
    must(await act(() => clearTargetAction(org.slug, { kpiId: k.id, periodStart: '2025-03-01' })));
    const db = await getOwnerDb();
    const rows = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.orgId, org.id))
      .orderBy(asc(auditLog.id));
    expect(rows.map((r) => r.action)).toEqual([
      'org.create',
      'kpi.create',
      'kpi.update',
      'checkin.create',
      'checkin.update',
      'checkin.delete',
      'target.set',
      'target.clear',
    ]);
    const byAction = new Map(rows.map((r) => [r.action, r]));
    expect(byAction.get('kpi.update')).toMatchObject({
      actorUserId: owner.userId,
      entityId: k.id,
      before: { name: 'Audited', version: 1 },
      after: { name: 'Audited 2', version: 2 },
    });
    expect(byAction.get('checkin.update')).toMatchObject({
      before: { value: '4.5', version: 1 },
      after: { value: '5', version: 2 },
    });
    expect(byAction.get('checkin.delete')).toMatchObject({
      before: { value: '5', note: 'hi' },
      after: null,
    });
    expect(byAction.get('target.set')).toMatchObject({ before: null, after: { target: '10' } });
  });

  it('sets targets only on period starts of the KPI cadence', async () => {
    const { org, owner, rootUnitId } = await createTestOrg({ fyStartMonth: 7 });
    const q = await createTestKpi(owner, org.slug, rootUnitId, { cadence: 'quarter' });
    must(
      await as(owner, () =>
        setTargetAction(org.slug, { kpiId: q.id, periodStart: '2025-10-01', target: '12.5' }),
      ),
    );
    const bad = refused(
      await as(owner, () =>
        setTargetAction(org.slug, { kpiId: q.id, periodStart: '2025-11-01', target: '1' }),
      ),
    );
    expect(bad.code).toBe('VALIDATION');
    expect(bad.fieldErrors?.periodStart?.[0]).toMatch(/2025-10-01/);
    const db = await getOwnerDb();
    const rows = await db.select().from(kpiTargets).where(eq(kpiTargets.kpiId, q.id));
    expect(rows.map((r) => [r.periodStart, r.target])).toEqual([['2025-10-01', '12.500000']]);
    // a cadence change drops overrides that no longer start a period
    must(
      await as(owner, async () =>
        updateKpiAction(org.slug, {
          kpiId: q.id,
          version: await kpiVersion(q.id),
          cadence: 'year',
        }),
      ),
    );
    expect(await db.select().from(kpiTargets).where(eq(kpiTargets.kpiId, q.id))).toEqual([]);
  });

  it('north stars are company-level KPIs only', async () => {
    const { org, owner, rootUnitId, sales } = await orgWithTree();
    const top = await createTestKpi(owner, org.slug, rootUnitId);
    const dept = await createTestKpi(owner, org.slug, sales.id);
    expect(
      must(
        await as(owner, () => setNorthStarAction(org.slug, { kpiId: top.id, isNorthStar: true })),
      ).isNorthStar,
    ).toBe(true);
    expect(
      refused(
        await as(owner, () => setNorthStarAction(org.slug, { kpiId: dept.id, isNorthStar: true })),
      ).message,
    ).toMatch(/company-level/);
    const move = refused(
      await as(owner, async () =>
        updateKpiAction(org.slug, {
          kpiId: top.id,
          version: await kpiVersion(top.id),
          unitId: sales.id,
        }),
      ),
    );
    expect(move.message).toMatch(/north star/);
  });
});

describe('units', () => {
  it('creates, renames, moves and archives with the tree rules', async () => {
    const { org, owner, rootUnitId, sales, emea, ops } = await orgWithTree();
    const act = <T>(fn: () => Promise<T>) => as(owner, fn);
    expect(
      refused(
        await act(() =>
          createUnitAction(org.slug, { parentId: emea.id, kind: 'team', name: 'Sub' }),
        ),
      ).message,
    ).toMatch(/A team goes under a department or the company/);
    expect(
      refused(
        await act(() =>
          createUnitAction(org.slug, { parentId: sales.id, kind: 'department', name: 'D' }),
        ),
      ).code,
    ).toBe('VALIDATION');
    expect(
      must(await act(() => renameUnitAction(org.slug, { unitId: emea.id, name: 'EMEA North' })))
        .name,
    ).toBe('EMEA North');
    expect(
      refused(await act(() => moveUnitAction(org.slug, { unitId: rootUnitId, parentId: sales.id })))
        .message,
    ).toMatch(/cannot move/);
    expect(
      refused(await act(() => moveUnitAction(org.slug, { unitId: sales.id, parentId: emea.id })))
        .code,
    ).toBe('VALIDATION');
    const moved = must(
      await act(() => moveUnitAction(org.slug, { unitId: emea.id, parentId: ops.id })),
    );
    expect(moved.parentId).toBe(ops.id);

    // a move that would strand a KPI link is refused
    const salesKpi = await createTestKpi(owner, org.slug, sales.id);
    const team = must(
      await act(() =>
        createUnitAction(org.slug, { parentId: sales.id, kind: 'team', name: 'APAC' }),
      ),
    );
    await createTestKpi(owner, org.slug, team.id, { name: 'Linked', parentId: salesKpi.id });
    expect(
      refused(await act(() => moveUnitAction(org.slug, { unitId: team.id, parentId: ops.id })))
        .message,
    ).toMatch(/1 KPI link .*"Linked"/);

    // archive refusals name the reasons
    const member = await addTestMember(org.id, { role: 'member', homeUnitId: ops.id });
    const blocked = refused(await act(() => archiveUnitAction(org.slug, { unitId: ops.id })));
    expect(blocked.message).toMatch(/1 active unit below it/);
    expect(blocked.message).toMatch(/1 person has it as home unit/);
    expect(
      refused(await act(() => archiveUnitAction(org.slug, { unitId: sales.id }))).message,
    ).toMatch(/1 active KPI/);
    expect(
      refused(await act(() => archiveUnitAction(org.slug, { unitId: rootUnitId }))).message,
    ).toMatch(/company unit cannot be archived/);
    expect(must(await act(() => archiveUnitAction(org.slug, { unitId: emea.id }))).archived).toBe(
      true,
    );
    expect(
      refused(await act(async () => createKpiAction(org.slug, kpiInput(emea.id)))).message,
    ).toMatch(/archived/);

    // leads must be members; members cannot manage units at all
    expect(
      must(
        await act(() => setUnitLeadAction(org.slug, { unitId: ops.id, leadUserId: member.userId })),
      ).leadUserId,
    ).toBe(member.userId);
    const other = await createTestOrg();
    expect(
      refused(
        await act(() =>
          setUnitLeadAction(org.slug, { unitId: ops.id, leadUserId: other.owner.userId }),
        ),
      ).fieldErrors?.leadUserId,
    ).toBeDefined();
    expect(
      refused(await as(member, () => renameUnitAction(org.slug, { unitId: ops.id, name: 'x' })))
        .code,
    ).toBe('FORBIDDEN');
    // another org's unit id is NOT_FOUND
    expect(
      refused(await act(() => renameUnitAction(org.slug, { unitId: other.rootUnitId, name: 'x' })))
        .code,
    ).toBe('NOT_FOUND');
  });
});

describe('who may do what', () => {
  it('members record on KPIs they own; leads act in their subtree; others are refused', async () => {
    const { org, owner, rootUnitId, sales, emea, ops } = await orgWithTree();
    const member = await addTestMember(org.id, { role: 'member', homeUnitId: emea.id });
    const lead = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id });
    const outsider = await addTestMember(org.id, { role: 'member', homeUnitId: ops.id });
    await makeLead(org.id, sales.id, lead.userId);
    const act = <T>(fn: () => Promise<T>) => as(owner, fn);
    const company = await createTestKpi(owner, org.slug, rootUnitId, { rollup: 'sum' });
    const mine = await createTestKpi(owner, org.slug, emea.id, { ownerUserId: member.userId });
    const opsKpi = await createTestKpi(owner, org.slug, ops.id);
    const personal = await createTestKpi(owner, org.slug, emea.id, {
      ownerUserId: member.userId,
      isIndividual: true,
    });

    // member: own KPI yes, others no, never KPI edits
    must(
      await as(member, () =>
        recordCheckinAction(org.slug, { kpiId: mine.id, observedOn: '2025-05-05', value: '1' }),
      ),
    );
    expect(
      refused(
        await as(member, () =>
          recordCheckinAction(org.slug, { kpiId: opsKpi.id, observedOn: '2025-05-05', value: '1' }),
        ),
      ).code,
    ).toBe('FORBIDDEN');
    expect(refused(await as(member, () => createKpiAction(org.slug, kpiInput(emea.id)))).code).toBe(
      'FORBIDDEN',
    );
    // someone else's individual KPI is invisible: NOT_FOUND, like a missing id
    expect(
      refused(
        await as(outsider, () =>
          recordCheckinAction(org.slug, {
            kpiId: personal.id,
            observedOn: '2025-05-05',
            value: '1',
          }),
        ),
      ).code,
    ).toBe('NOT_FOUND');

    // lead of Sales: manages KPIs in Sales/EMEA, links up to the company KPI, never edits it
    const leadKpi = await createTestKpi(lead, org.slug, sales.id);
    must(
      await as(lead, () =>
        recordCheckinAction(org.slug, { kpiId: mine.id, observedOn: '2025-05-06', value: '2' }),
      ),
    );
    must(
      await as(lead, () =>
        recordCheckinAction(org.slug, { kpiId: personal.id, observedOn: '2025-05-06', value: '2' }),
      ),
    );
    must(
      await as(lead, async () =>
        linkKpiAction(org.slug, {
          kpiId: leadKpi.id,
          parentId: company.id,
          version: await kpiVersion(leadKpi.id),
        }),
      ),
    );
    expect(
      refused(
        await as(lead, async () =>
          updateKpiAction(org.slug, {
            kpiId: company.id,
            version: await kpiVersion(company.id),
            name: 'Mine now',
          }),
        ),
      ).code,
    ).toBe('FORBIDDEN');
    expect(refused(await as(lead, () => createKpiAction(org.slug, kpiInput(ops.id)))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      refused(
        await as(lead, () =>
          recordCheckinAction(org.slug, { kpiId: opsKpi.id, observedOn: '2025-05-05', value: '1' }),
        ),
      ).code,
    ).toBe('FORBIDDEN');
    // owner assignment: leads only to people whose home unit is in their subtree
    must(
      await as(lead, () =>
        assignKpiOwnerAction(org.slug, { kpiId: leadKpi.id, ownerUserId: member.userId }),
      ),
    );
    expect(
      refused(
        await as(lead, () =>
          assignKpiOwnerAction(org.slug, { kpiId: leadKpi.id, ownerUserId: outsider.userId }),
        ),
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      refused(
        await act(() => assignKpiOwnerAction(org.slug, { kpiId: personal.id, ownerUserId: null })),
      ).message,
    ).toMatch(/needs an owner/);
    await expectNoDrift(org.id);
  });
});

describe('the engine itself', () => {
  it('recomputeFrom is idempotent and verify catches a tampered value', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const parent = await createTestKpi(owner, org.slug, rootUnitId, {
      rollup: 'sum',
      cadence: 'quarter',
    });
    const child = await createTestKpi(owner, org.slug, rootUnitId, { parentId: parent.id });
    await as(owner, async () =>
      must(
        await recordCheckinAction(org.slug, {
          kpiId: child.id,
          observedOn: '2025-02-02',
          value: '3',
        }),
      ),
    );
    const checked = await expectNoDrift(org.id);
    expect(checked).toBe(2);
    await withOrgTx(org.id, async (tx) => {
      await lockOrgCascade(tx, org.id);
      await recomputeFrom(tx, org.id, org.fyStartMonth, child.id, ['2025-02-17', '2025-03-01']);
    });
    await expectNoDrift(org.id);
    const db = await getOwnerDb();
    await db
      .update(kpiPeriodValues)
      .set({ value: '4' })
      .where(and(eq(kpiPeriodValues.orgId, org.id), eq(kpiPeriodValues.kpiId, parent.id)));
    const report = await verifyAllOrganizations({ orgIds: [org.id] });
    expect(report.drifts).toMatchObject([
      {
        kpiId: parent.id,
        periodStart: '2025-01-01',
        kind: 'value',
        expected: { value: '3' },
        stored: { value: '4' },
      },
    ]);
    await db
      .delete(kpiPeriodValues)
      .where(and(eq(kpiPeriodValues.orgId, org.id), eq(kpiPeriodValues.kpiId, child.id)));
    const report2 = await verifyAllOrganizations({ orgIds: [org.id] });
    expect(report2.drifts.map((d) => d.kind).sort()).toEqual(['missing', 'value']);
    // repair from scratch, so the shared test database verifies clean after the suites
    const rebuilt = await withOrgTx(org.id, async (tx) => {
      await lockOrgCascade(tx, org.id);
      return rebuildOrgPeriodValues(tx, org.id, org.fyStartMonth);
    });
    expect(rebuilt).toBe(2);
    await expectNoDrift(org.id);
  });
});
