/**
 * One save, one transaction: the KPI form (fields, owner, parent link, north star, per-period
 * targets) and the check-in screen's "save all" are each one action. Every test makes a late
 * part of a save fail and then finds nothing of the save written: not the KPI row, not a target,
 * not a check-in, not a period value, not an audit record (the audit of a refusal aside).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';
import { auditLog, kpiTargets } from '@/db/schema';
import type { SessionClaims } from '@/lib/auth/session';
import { recordCheckinAction, saveCheckinsAction } from '@/lib/actions/checkins';
import { createKpiAction, linkKpiAction, saveKpiFormAction } from '@/lib/actions/kpis';
import { createUnitAction } from '@/lib/actions/units';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { enclosingPeriodStarts, nextPeriodStart } from '@/lib/domain/periods';
import { addTestMember, createTestOrg, makeLead } from './factories';
import {
  as,
  expectNoDrift,
  kpiInput,
  kpiVersion,
  must,
  refused,
  snapshotOrg,
  valuesOf,
} from './cascade-helpers';

/**
 * Everything a save could write in one org: the cascade snapshot plus the target rows and the
 * audit rows, the audit of refusals (`authz.denied`) aside.
 */
async function stateOf(orgId: string) {
  const { audit: _countWithDenials, ...snapshot } = await snapshotOrg(orgId);
  const db = await getOwnerDb();
  return {
    ...snapshot,
    targets: await db
      .select()
      .from(kpiTargets)
      .where(eq(kpiTargets.orgId, orgId))
      .orderBy(asc(kpiTargets.kpiId), asc(kpiTargets.periodStart)),
    audit: await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, orgId), ne(auditLog.action, 'authz.denied')))
      .orderBy(asc(auditLog.id)),
  };
}

async function auditActions(orgId: string, since: number): Promise<string[]> {
  const rows = (await stateOf(orgId)).audit.slice(since);
  return rows.map((r) => r.action).sort();
}

/**
 * Sales (led by `lead`) with a team EMEA under it, and Ops outside it. KPIs: `company` (root,
 * sum) <- `sales` (Sales, sum) <- `child` (EMEA, manual, owned by `rep`), and `other` (root, sum)
 * as a second possible parent; `grandchild` (EMEA, manual) rolls up into `child`'s sibling chain
 * only through `child`, so linking `child` under it would be a cycle.
 */
async function cascadeOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const act = <T>(fn: () => Promise<T>) => as(owner, fn);
  const unit = (parentId: string, kind: 'department' | 'team', name: string) =>
    act(async () => must(await createUnitAction(org.slug, { parentId, kind, name })));
  const salesUnit = await unit(rootUnitId, 'department', 'Sales');
  const emea = await unit(salesUnit.id, 'team', 'EMEA');
  const ops = await unit(rootUnitId, 'department', 'Ops');
  const lead = await addTestMember(org.id, { role: 'member', homeUnitId: salesUnit.id });
  await makeLead(org.id, salesUnit.id, lead.userId);
  const rep = await addTestMember(org.id, { role: 'member', homeUnitId: emea.id });
  const opsPerson = await addTestMember(org.id, { role: 'member', homeUnitId: ops.id });
  const kpi = (input: Record<string, unknown>) =>
    act(async () => must(await createKpiAction(org.slug, kpiInput(rootUnitId, input))));
  const company = await kpi({ name: 'Company deals', rollup: 'sum' });
  const other = await kpi({ name: 'Other deals', rollup: 'sum' });
  const sales = await kpi({
    name: 'Sales deals',
    unitId: salesUnit.id,
    rollup: 'sum',
    parentId: company.id,
  });
  const child = await kpi({
    name: 'EMEA deals',
    unitId: emea.id,
    rollup: 'sum',
    parentId: sales.id,
    ownerUserId: rep.userId,
  });
  const grandchild = await kpi({
    name: 'EMEA inbound',
    unitId: emea.id,
    rollup: 'manual',
    parentId: child.id,
    ownerUserId: rep.userId,
  });
  const outbound = await kpi({
    name: 'EMEA outbound',
    unitId: emea.id,
    rollup: 'manual',
    parentId: child.id,
    ownerUserId: rep.userId,
  });
  const today = todayInTimeZone(org.timeZone);
  const month = enclosingPeriodStarts(today, org.fyStartMonth).month;
  return {
    org,
    owner,
    lead,
    rep,
    opsPerson,
    emea,
    kpis: { company, other, sales, child, grandchild, outbound },
    today,
    month,
    nextMonth: nextPeriodStart(month, 'month'),
  };
}

type Org = Awaited<ReturnType<typeof cascadeOrg>>;

/** The edit form's save of `child` as `who`, at its current version. */
async function saveChild(t: Org, who: SessionClaims, parts: Record<string, unknown>) {
  const version = await kpiVersion(t.kpis.child.id);
  return as(who, () =>
    saveKpiFormAction(t.org.slug, { mode: 'edit', kpiId: t.kpis.child.id, version, ...parts }),
  );
}

/** "Save all" as the rep. */
function saveAll(t: Org, items: Parameters<typeof saveCheckinsAction>[1]['items']) {
  return as(t.rep, () => saveCheckinsAction(t.org.slug, { items }));
}

/** A reading of today on `outbound`, recorded alone beforehand. */
function recordReading(t: Org) {
  return as(t.rep, async () =>
    must(
      await recordCheckinAction(t.org.slug, {
        kpiId: t.kpis.outbound.id,
        observedOn: t.today,
        value: '4',
      }),
    ),
  );
}

describe('the KPI form saves in one transaction', () => {
  it('writes every part of a good save, each with its own audit record', async () => {
    const t = await cascadeOrg();
    const before = (await stateOf(t.org.id)).audit.length;
    const saved = must(
      await saveChild(t, t.owner, {
        name: 'EMEA new deals',
        defaultTarget: '12',
        ownerUserId: t.lead.userId,
        parentId: t.kpis.other.id,
        targets: [
          { periodStart: t.month, target: '15' },
          { periodStart: t.nextMonth, target: '18.5' },
        ],
      }),
    );
    expect(saved).toMatchObject({
      name: 'EMEA new deals',
      defaultTarget: '12',
      ownerUserId: t.lead.userId,
      parentId: t.kpis.other.id,
    });
    const after = await stateOf(t.org.id);
    expect(
      after.targets
        .filter((r) => r.kpiId === t.kpis.child.id)
        .map((r) => [r.periodStart, Number(r.target)]),
    ).toEqual([
      [t.month, 15],
      [t.nextMonth, 18.5],
    ]);
    expect(await auditActions(t.org.id, before)).toEqual([
      'kpi.assign_owner',
      'kpi.link',
      'kpi.update',
      'target.set',
      'target.set',
    ]);
    // Clearing a target in the same form removes the override.
    await as(t.owner, async () =>
      must(
        await saveKpiFormAction(t.org.slug, {
          mode: 'edit',
          kpiId: t.kpis.child.id,
          version: saved.version,
          targets: [{ periodStart: t.month, target: null }],
        }),
      ),
    );
    const cleared = await stateOf(t.org.id);
    expect(
      cleared.targets.filter((r) => r.kpiId === t.kpis.child.id).map((r) => r.periodStart),
    ).toEqual([t.nextMonth]);
  });

  it('an owner outside the lead’s subtree refuses the whole save: fields stay as they were', async () => {
    const t = await cascadeOrg();
    const before = await stateOf(t.org.id);
    const error = refused(
      await saveChild(t, t.lead, {
        name: 'Renamed by the lead',
        defaultTarget: '99',
        ownerUserId: t.opsPerson.userId,
        targets: [{ periodStart: t.month, target: '40' }],
      }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['ownerUserId']);
    expect(await stateOf(t.org.id)).toEqual(before);
    // The refusal itself is audited, as for the owner action alone.
    const db = await getOwnerDb();
    const denied = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, t.org.id), eq(auditLog.action, 'authz.denied')));
    expect(denied).toHaveLength(1);
  });

  it('a parent that would close a loop refuses the whole save: the new owner is not kept', async () => {
    const t = await cascadeOrg();
    const before = await stateOf(t.org.id);
    const error = refused(
      await saveChild(t, t.owner, {
        name: 'Renamed',
        ownerUserId: t.lead.userId,
        parentId: t.kpis.grandchild.id,
        targets: [{ periodStart: t.month, target: '40' }],
      }),
    );
    expect(error.code).toBe('VALIDATION');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['parentId']);
    expect(await stateOf(t.org.id)).toEqual(before);
  });

  it('a target row the server refuses is named by its index, and nothing is written', async () => {
    const t = await cascadeOrg();
    const before = await stateOf(t.org.id);
    const error = refused(
      await saveChild(t, t.owner, {
        name: 'Renamed',
        targets: [
          { periodStart: t.month, target: '40' },
          { periodStart: addDays(t.month, 3), target: '41' },
        ],
      }),
    );
    expect(error.code).toBe('VALIDATION');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['targets.1.periodStart']);
    expect(await stateOf(t.org.id)).toEqual(before);
  });

  it('a database failure on the last target insert rolls back fields, owner, link and targets', async () => {
    const t = await cascadeOrg();
    const db = await getOwnerDb();
    const fn = `one_save_refuse_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await db.execute(
      sql.raw(`create function ${fn}() returns trigger language plpgsql as $$
        begin
          if new.kpi_id = '${t.kpis.child.id}' and new.period_start = '${t.nextMonth}' then
            raise exception 'refused by the one-save test';
          end if;
          return new;
        end $$`),
    );
    await db.execute(
      sql.raw(
        `create trigger ${fn} before insert on kpi_targets for each row execute function ${fn}()`,
      ),
    );
    try {
      const before = await stateOf(t.org.id);
      const error = refused(
        await saveChild(t, t.owner, {
          name: 'Renamed',
          cadence: 'month',
          weight: '2',
          ownerUserId: t.lead.userId,
          parentId: t.kpis.other.id,
          targets: [
            { periodStart: t.month, target: '40' },
            { periodStart: t.nextMonth, target: '41' },
          ],
        }),
      );
      expect(error.code).toBe('INTERNAL');
      expect(await stateOf(t.org.id)).toEqual(before);
    } finally {
      await db.execute(sql.raw(`drop trigger ${fn} on kpi_targets`));
      await db.execute(sql.raw(`drop function ${fn}()`));
    }
    await expectNoDrift(t.org.id);
  });

  it('a stale version is a CONFLICT for the whole save, with nothing written', async () => {
    const t = await cascadeOrg();
    const seen = await kpiVersion(t.kpis.child.id);
    // Someone else saves first.
    await as(t.owner, async () =>
      must(
        await linkKpiAction(t.org.slug, {
          kpiId: t.kpis.child.id,
          parentId: t.kpis.other.id,
          version: seen,
        }),
      ),
    );
    const before = await stateOf(t.org.id);
    const error = await as(t.owner, async () =>
      refused(
        await saveKpiFormAction(t.org.slug, {
          mode: 'edit',
          kpiId: t.kpis.child.id,
          version: seen,
          ownerUserId: t.lead.userId,
          targets: [{ periodStart: t.month, target: '40' }],
        }),
      ),
    );
    expect(error.code).toBe('CONFLICT');
    expect(await stateOf(t.org.id)).toEqual(before);
  });

  it('creates a north star with the KPI, or neither', async () => {
    const t = await cascadeOrg();
    const rootUnitId = t.kpis.company.unitId;
    const star = await as(t.owner, async () =>
      must(
        await saveKpiFormAction(t.org.slug, {
          mode: 'create',
          ...kpiInput(rootUnitId, { name: 'New north star', rollup: 'sum' }),
          isNorthStar: true,
        }),
      ),
    );
    expect(star.isNorthStar).toBe(true);
    // North stars live in the company unit: asked for one in a team, nothing is created.
    const before = await stateOf(t.org.id);
    const error = await as(t.owner, async () =>
      refused(
        await saveKpiFormAction(t.org.slug, {
          mode: 'create',
          ...kpiInput(t.emea.id, { name: 'Team star' }),
          isNorthStar: true,
        }),
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['isNorthStar']);
    expect(await stateOf(t.org.id)).toEqual(before);
  });
});

describe('“save all” on the check-in screen is one transaction', () => {
  it('one bad row among several writes nothing and names that row', async () => {
    const t = await cascadeOrg();
    const before = await stateOf(t.org.id);
    const error = refused(
      await saveAll(t, [
        { kind: 'record', kpiId: t.kpis.grandchild.id, observedOn: t.today, value: '5' },
        // A computed KPI takes no values of its own.
        { kind: 'record', kpiId: t.kpis.child.id, observedOn: t.today, value: '3' },
        { kind: 'record', kpiId: t.kpis.outbound.id, observedOn: t.today, value: '7' },
      ]),
    );
    expect(error.code).toBe('VALIDATION');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['items.1.kpiId']);
    expect(await stateOf(t.org.id)).toEqual(before);
  });

  it('a stale reading among new values writes nothing, the edit not either', async () => {
    const t = await cascadeOrg();
    const reading = await recordReading(t);
    const before = await stateOf(t.org.id);
    const error = refused(
      await saveAll(t, [
        { kind: 'record', kpiId: t.kpis.grandchild.id, observedOn: t.today, value: '5' },
        {
          kind: 'update',
          checkinId: reading.id,
          version: reading.version + 1,
          observedOn: t.today,
          value: '6',
        },
        // A date after today is refused too, on its own row.
        {
          kind: 'record',
          kpiId: t.kpis.grandchild.id,
          observedOn: addDays(t.today, 3),
          value: '1',
        },
      ]),
    );
    // The gravest row decides the code: a stale reading is a CONFLICT, as when saved alone.
    expect(error.code).toBe('CONFLICT');
    expect(error.fieldErrors).toEqual({
      'items.1.value': ['Someone else changed this in the meantime. Reload and try again.'],
      'items.2.observedOn': [expect.stringContaining('Choose a date on or before today')],
    });
    expect(await stateOf(t.org.id)).toEqual(before);
  });

  it('a good batch writes every row and rolls up', async () => {
    const t = await cascadeOrg();
    const reading = await recordReading(t);
    const auditBefore = (await stateOf(t.org.id)).audit.length;
    const saved = must(
      await saveAll(t, [
        { kind: 'record', kpiId: t.kpis.grandchild.id, observedOn: t.today, value: '5' },
        {
          kind: 'update',
          checkinId: reading.id,
          version: reading.version,
          observedOn: t.today,
          value: '6.5',
        },
      ]),
    );
    expect(saved).toEqual({ count: 2 });
    expect((await valuesOf(t.org.id, t.kpis.grandchild.id))[t.month]).toBe('5');
    expect((await valuesOf(t.org.id, t.kpis.outbound.id))[t.month]).toBe('6.5');
    for (const kpi of [t.kpis.child, t.kpis.sales, t.kpis.company]) {
      expect((await valuesOf(t.org.id, kpi.id))[t.month]).toBe('11.5');
    }
    expect(await auditActions(t.org.id, auditBefore)).toEqual(['checkin.create', 'checkin.update']);
    const [row] = await execRows<{ n: number }>(
      await getOwnerDb(),
      sql`select count(*)::int as n from checkins where org_id = ${t.org.id}`,
    );
    expect(row?.n).toBe(2);
    await expectNoDrift(t.org.id);
  });
});
