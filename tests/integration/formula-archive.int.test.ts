/**
 * Archiving and formula KPIs on a real database: archiving an input of active formulas can
 * replace it in them (rewritten, checked, recomputed and audited in the archive's transaction;
 * a replacement that would make a cycle is refused and changes nothing), and an archived formula
 * KPI is no longer computed (its values stay as they were; db:verify agrees).
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, kpis } from '@/db/schema';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { archiveKpiAction, createKpiAction } from '@/lib/actions/kpis';
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
import { createTestOrg } from './factories';

async function setup() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const s = org.slug;
  const create = (over: Record<string, unknown>) =>
    as(owner, async () => must(await createKpiAction(s, kpiInput(rootUnitId, over))));
  const checkin = (kpiId: string, observedOn: string, value: string) =>
    as(owner, async () => must(await recordCheckinAction(s, { kpiId, observedOn, value })));
  const archive = async (kpiId: string, replacementKpiId?: string) =>
    as(owner, async () =>
      archiveKpiAction(s, {
        kpiId,
        version: await kpiVersion(kpiId),
        ...(replacementKpiId ? { replacementKpiId } : {}),
      }),
    );
  const newArr = await create({ name: 'New ARR', key: 'sales.new_arr' });
  const bookings = await create({ name: 'Bookings', key: 'sales.bookings' });
  const churn = await create({ name: 'Churn', key: 'cs.churned_arr' });
  const arr = await create({
    name: 'ARR',
    key: 'company.arr',
    timeAggregation: 'last',
    rollup: 'formula',
    formula: 'prev(company.arr) + sales.new_arr - cs.churned_arr',
    missingPolicy: 'zero',
    baseline: '1000',
  });
  const net = await create({
    name: 'Net new',
    key: 'company.net_new',
    rollup: 'formula',
    formula: 'sales.new_arr - cs.churned_arr',
  });
  await checkin(newArr.id, '2025-01-10', '100');
  await checkin(churn.id, '2025-01-12', '10');
  await checkin(bookings.id, '2025-01-15', '300');
  await checkin(newArr.id, '2025-02-10', '50');
  await checkin(bookings.id, '2025-02-15', '70');
  return { org, owner, create, checkin, archive, newArr, bookings, churn, arr, net };
}

async function formulaOf(kpiId: string): Promise<string | null> {
  const db = await getOwnerDb();
  const [row] = await db.select({ formula: kpis.formula }).from(kpis).where(eq(kpis.id, kpiId));
  return row?.formula ?? null;
}

describe('archiving a KPI that formulas read', () => {
  it('is refused with the formulas named and a replacement offered', async () => {
    const w = await setup();
    const error = refused(await w.archive(w.newArr.id));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('company.arr');
    expect(error.message).toContain('company.net_new');
    expect(error.fieldErrors?.replacementKpiId?.[0]).toContain('Used by formulas');
  });

  it('replaces it in every formula, recomputes them and audits each, in one transaction', async () => {
    const w = await setup();
    expect(await valuesOf(w.org.id, w.arr.id)).toEqual({
      '2025-01-01': '1090',
      '2025-02-01': '1140',
    });
    must(await w.archive(w.newArr.id, w.bookings.id));
    expect(await formulaOf(w.arr.id)).toBe('prev(company.arr) + sales.bookings - cs.churned_arr');
    expect(await formulaOf(w.net.id)).toBe('sales.bookings - cs.churned_arr');
    // Recomputed from bookings: 1000 + 300 - 10, then + 70.
    expect(await valuesOf(w.org.id, w.arr.id)).toEqual({
      '2025-01-01': '1290',
      '2025-02-01': '1360',
    });
    expect(await valuesOf(w.org.id, w.net.id)).toEqual({ '2025-01-01': '290' });
    const db = await getOwnerDb();
    const [archived] = await db
      .select({ archivedOn: kpis.archivedOn })
      .from(kpis)
      .where(eq(kpis.id, w.newArr.id));
    expect(archived?.archivedOn).not.toBeNull();
    const audits = await db
      .select({ entityId: auditLog.entityId, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, w.org.id), eq(auditLog.action, 'kpi.formula_input_replace')));
    expect(audits).toHaveLength(2);
    expect(audits.find((a) => a.entityId === w.arr.id)).toMatchObject({
      before: { formula: 'prev(company.arr) + sales.new_arr - cs.churned_arr' },
      after: {
        formula: 'prev(company.arr) + sales.bookings - cs.churned_arr',
        replaced: 'sales.new_arr',
        by: 'sales.bookings',
      },
    });
    await expectNoDrift(w.org.id);
  });

  it('refuses a replacement that would make a cycle, and changes nothing', async () => {
    const w = await setup();
    const before = await snapshotOrg(w.org.id);
    // Replacing churn by Net new, which reads churn: Net new would read itself.
    const error = refused(await w.archive(w.churn.id, w.net.id));
    expect(error.code).toBe('VALIDATION');
    expect(error.fieldErrors?.replacementKpiId?.[0]).toMatch(/cycle|itself|Net new/i);
    expect(await snapshotOrg(w.org.id)).toEqual(before);
    expect(await formulaOf(w.net.id)).toBe('sales.new_arr - cs.churned_arr');
    await expectNoDrift(w.org.id);
  });
});

describe('an archived formula KPI', () => {
  it('is no longer computed: its values stay as they were, and db:verify agrees', async () => {
    const w = await setup();
    must(await w.archive(w.net.id));
    const kept = await valuesOf(w.org.id, w.net.id);
    expect(kept).toEqual({ '2025-01-01': '90' });
    // New data on its inputs: the active formula moves, the archived one does not.
    await w.checkin(w.churn.id, '2025-02-11', '5');
    await w.checkin(w.newArr.id, '2025-01-20', '40');
    expect(await valuesOf(w.org.id, w.net.id)).toEqual(kept);
    expect(await valuesOf(w.org.id, w.arr.id)).toEqual({
      '2025-01-01': '1130',
      '2025-02-01': '1175',
    });
    await expectNoDrift(w.org.id);
    // Its inputs are free to go now that no active formula reads them through it.
    must(await w.archive(w.churn.id, w.bookings.id));
    expect(await valuesOf(w.org.id, w.net.id)).toEqual(kept);
    await expectNoDrift(w.org.id);
  });
});
