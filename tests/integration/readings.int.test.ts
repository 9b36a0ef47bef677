/**
 * Every reading is kept (issue 25, DESIGN.md "Values"): the check-in screens' save records a new
 * reading dated as the screen says; only a level's reading of that same date is corrected in
 * place (versioned, audited with before and after); a reading of another date never is.
 */
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, checkins } from '@/db/schema';
import { saveCheckinsAction } from '@/lib/actions/checkins';
import { createKpiAction } from '@/lib/actions/kpis';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { enclosingPeriodStarts } from '@/lib/domain/periods';
import { createTestOrg } from './factories';
import {
  as,
  expectNoDrift,
  kpiInput,
  must,
  refused,
  snapshotOrg,
  valuesOf,
} from './cascade-helpers';

/** An org with a level (pipeline, `last`) and a flow (new deals, `sum`), both entered by hand. */
async function readingsOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const kpi = (input: Record<string, unknown>) =>
    as(owner, async () => must(await createKpiAction(org.slug, kpiInput(rootUnitId, input))));
  const pipeline = await kpi({ name: 'Pipeline', timeAggregation: 'last' });
  const deals = await kpi({ name: 'New deals', timeAggregation: 'sum' });
  const today = todayInTimeZone(org.timeZone);
  const save = (items: Parameters<typeof saveCheckinsAction>[1]['items']) =>
    as(owner, () => saveCheckinsAction(org.slug, { items }));
  return { org, owner, pipeline, deals, today, yesterday: addDays(today, -1), save };
}

/** A KPI's stored readings, oldest first, values normalized. */
async function readingsOf(orgId: string, kpiId: string) {
  const db = await getOwnerDb();
  const rows = await db
    .select({
      id: checkins.id,
      observedOn: checkins.observedOn,
      value: checkins.value,
      version: checkins.version,
    })
    .from(checkins)
    .where(and(eq(checkins.orgId, orgId), eq(checkins.kpiId, kpiId)))
    .orderBy(asc(checkins.observedOn), asc(checkins.createdAt));
  return rows.map((r) => ({ ...r, value: normalizeDecimal(r.value) }));
}

async function auditOf(orgId: string, checkinId: string) {
  const db = await getOwnerDb();
  return db
    .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.entityId, checkinId)))
    .orderBy(asc(auditLog.id));
}

describe('the one-screen check-in keeps every reading', () => {
  it('two readings of one KPI on two dates are both kept; the later one counts', async () => {
    const t = await readingsOrg();
    // The screen of yesterday, then today's screen with a new value: the 806,405 -> 814,469.
    must(
      await t.save([
        { kind: 'record', kpiId: t.pipeline.id, observedOn: t.yesterday, value: '806405' },
      ]),
    );
    must(
      await t.save([
        { kind: 'record', kpiId: t.pipeline.id, observedOn: t.today, value: '814469' },
      ]),
    );
    const readings = await readingsOf(t.org.id, t.pipeline.id);
    expect(readings.map((r) => [r.observedOn, r.value])).toEqual([
      [t.yesterday, '806405'],
      [t.today, '814469'],
    ]);
    const month = enclosingPeriodStarts(t.today, t.org.fyStartMonth).month;
    expect((await valuesOf(t.org.id, t.pipeline.id))[month]).toBe('814469');
    await expectNoDrift(t.org.id);
  });

  it('a same-date save corrects that reading in place, audited with before and after', async () => {
    const t = await readingsOrg();
    must(
      await t.save([
        { kind: 'record', kpiId: t.pipeline.id, observedOn: t.yesterday, value: '806405' },
      ]),
    );
    must(
      await t.save([
        { kind: 'record', kpiId: t.pipeline.id, observedOn: t.today, value: '814469' },
      ]),
    );
    const [older, todays] = await readingsOf(t.org.id, t.pipeline.id);
    must(
      await t.save([
        {
          kind: 'update',
          checkinId: todays!.id,
          version: todays!.version,
          observedOn: t.today,
          value: '815000',
        },
      ]),
    );
    const after = await readingsOf(t.org.id, t.pipeline.id);
    expect(after).toEqual([older, { ...todays, value: '815000', version: todays!.version + 1 }]);
    const audit = await auditOf(t.org.id, todays!.id);
    expect(audit.map((a) => a.action)).toEqual(['checkin.create', 'checkin.update']);
    expect(audit[1]!.before).toMatchObject({ observedOn: t.today, value: '814469' });
    expect(audit[1]!.after).toMatchObject({ observedOn: t.today, value: '815000' });
    const month = enclosingPeriodStarts(t.today, t.org.fyStartMonth).month;
    expect((await valuesOf(t.org.id, t.pipeline.id))[month]).toBe('815000');
    await expectNoDrift(t.org.id);
  });

  it('a stale same-date correction is a CONFLICT and changes nothing', async () => {
    const t = await readingsOrg();
    must(await t.save([{ kind: 'record', kpiId: t.pipeline.id, observedOn: t.today, value: '5' }]));
    const [reading] = await readingsOf(t.org.id, t.pipeline.id);
    const correct = (value: string) =>
      t.save([
        {
          kind: 'update',
          checkinId: reading!.id,
          version: reading!.version,
          observedOn: t.today,
          value,
        },
      ]);
    must(await correct('6')); // another tab corrects first
    const before = await snapshotOrg(t.org.id);
    const error = refused(await correct('8'));
    expect(error.code).toBe('CONFLICT');
    expect(error.fieldErrors).toEqual({
      'items.0.value': ['Someone else changed this in the meantime. Reload and try again.'],
    });
    expect(await snapshotOrg(t.org.id)).toEqual(before);
  });

  it('never corrects a reading of another date, nor moves it', async () => {
    const t = await readingsOrg();
    must(
      await t.save([{ kind: 'record', kpiId: t.pipeline.id, observedOn: t.yesterday, value: '7' }]),
    );
    const [older] = await readingsOf(t.org.id, t.pipeline.id);
    const before = await snapshotOrg(t.org.id);
    const error = refused(
      await t.save([
        {
          kind: 'update',
          checkinId: older!.id,
          version: older!.version,
          observedOn: t.today,
          value: '9',
        },
      ]),
    );
    expect(error.code).toBe('VALIDATION');
    expect(error.fieldErrors?.['items.0.value']?.[0]).toContain("KPI's history");
    expect(await snapshotOrg(t.org.id)).toEqual(before);
  });

  it('a second new reading of a level on one date is a CONFLICT, with nothing written', async () => {
    const t = await readingsOrg();
    must(await t.save([{ kind: 'record', kpiId: t.pipeline.id, observedOn: t.today, value: '5' }]));
    const before = await snapshotOrg(t.org.id);
    // Another screen that did not see it: refused, so it cannot silently stack a second reading.
    const error = refused(
      await t.save([
        { kind: 'record', kpiId: t.deals.id, observedOn: t.today, value: '1' },
        { kind: 'record', kpiId: t.pipeline.id, observedOn: t.today, value: '6' },
      ]),
    );
    expect(error.code).toBe('CONFLICT');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['items.1.value']);
    expect(await snapshotOrg(t.org.id)).toEqual(before);
    // Twice in one save is refused the same way.
    const twice = refused(
      await t.save([
        { kind: 'record', kpiId: t.pipeline.id, observedOn: t.yesterday, value: '1' },
        { kind: 'record', kpiId: t.pipeline.id, observedOn: t.yesterday, value: '2' },
      ]),
    );
    expect(Object.keys(twice.fieldErrors ?? {})).toEqual(['items.1.value']);
    expect(await snapshotOrg(t.org.id)).toEqual(before);
  });

  it('a flow adds every entry, on the same date too', async () => {
    const t = await readingsOrg();
    must(await t.save([{ kind: 'record', kpiId: t.deals.id, observedOn: t.today, value: '3' }]));
    must(await t.save([{ kind: 'record', kpiId: t.deals.id, observedOn: t.today, value: '2' }]));
    expect((await readingsOf(t.org.id, t.deals.id)).map((r) => r.value)).toEqual(['3', '2']);
    const month = enclosingPeriodStarts(t.today, t.org.fyStartMonth).month;
    expect((await valuesOf(t.org.id, t.deals.id))[month]).toBe('5');
    await expectNoDrift(t.org.id);
  });
});
