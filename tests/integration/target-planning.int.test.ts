/**
 * Target planning against the real database: a year phased into months adds up exactly to the
 * annual target (decimals), the children's targets reconciled with a `sum` parent's, the split
 * down writes exactly the confirmed amounts and refuses children outside the actor's scope, the
 * grid's save is all or nothing, and another org's KPI looks missing.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, kpiTargets } from '@/db/schema';
import { saveTargetsAction, splitTargetDownAction } from '@/lib/actions/targets';
import { createUnitAction } from '@/lib/actions/units';
import { getTargetGrid } from '@/lib/dal/kpis/target-grid';
import { getTargetPlanning } from '@/lib/dal/kpis/target-planning';
import { todayInTimeZone } from '@/lib/domain/dates';
import { sumDec } from '@/lib/domain/decimal';
import { nextPeriodStart, periodStart, subPeriodStarts } from '@/lib/domain/periods';
import { distributeExactly, phaseTarget } from '@/lib/domain/target-phasing';
import { addTestMember, createTestKpi, createTestOrg, makeLead } from './factories';
import { as, contextFor, must, refused } from './cascade-helpers';

async function planningOrg() {
  const { org, owner, rootUnitId } = await createTestOrg({ fyStartMonth: 4 });
  const unit = (parentId: string, kind: 'department' | 'team', name: string) =>
    as(owner, async () => must(await createUnitAction(org.slug, { parentId, kind, name })));
  const salesUnit = await unit(rootUnitId, 'department', 'Sales');
  const emea = await unit(salesUnit.id, 'team', 'EMEA');
  const ops = await unit(rootUnitId, 'department', 'Ops');
  const lead = await addTestMember(org.id, { role: 'member', homeUnitId: salesUnit.id });
  await makeLead(org.id, salesUnit.id, lead.userId);
  const kpi = (unitId: string, over: Record<string, unknown>) =>
    createTestKpi(owner, org.slug, unitId, { decimals: 2, ...over });
  const revenue = await kpi(rootUnitId, { name: 'Revenue', rollup: 'sum' });
  const sales = await kpi(salesUnit.id, {
    name: 'Sales revenue',
    rollup: 'sum',
    parentId: revenue.id,
  });
  const opsRevenue = await kpi(ops.id, { name: 'Ops revenue', parentId: revenue.id });
  const emeaRevenue = await kpi(emea.id, { name: 'EMEA revenue', parentId: sales.id });
  const apacRevenue = await kpi(salesUnit.id, { name: 'APAC revenue', parentId: sales.id });
  const today = todayInTimeZone(org.timeZone);
  const yearStart = periodStart(today, 'year', org.fyStartMonth);
  return {
    org,
    owner,
    lead,
    kpis: { revenue, sales, opsRevenue, emeaRevenue, apacRevenue },
    today,
    months: subPeriodStarts(yearStart, 'year', 'month'),
  };
}

async function targetsOf(orgId: string, kpiId: string) {
  const db = await getOwnerDb();
  const rows = await db
    .select({ periodStart: kpiTargets.periodStart, target: kpiTargets.target })
    .from(kpiTargets)
    .where(and(eq(kpiTargets.orgId, orgId), eq(kpiTargets.kpiId, kpiId)))
    .orderBy(asc(kpiTargets.periodStart));
  return rows.map((r) => ({ periodStart: r.periodStart, target: sumDec([r.target]).toFixed() }));
}

async function allTargets(orgId: string) {
  const db = await getOwnerDb();
  return db
    .select()
    .from(kpiTargets)
    .where(eq(kpiTargets.orgId, orgId))
    .orderBy(asc(kpiTargets.kpiId), asc(kpiTargets.periodStart));
}

describe('phasing a year', () => {
  it('saves twelve monthly targets that add up exactly to the annual target, audited', async () => {
    const t = await planningOrg();
    const phased = phaseTarget({
      amount: '100000.01',
      periodCount: t.months.length,
      aggregation: 'sum',
      decimals: 2,
      phasing: { method: 'growth', stepPercent: '3' },
    });
    if (!phased.ok) throw new Error(phased.error);
    const saved = await as(t.owner, () =>
      saveTargetsAction(t.org.slug, {
        targets: t.months.map((m, i) => ({
          kpiId: t.kpis.revenue.id,
          periodStart: m,
          target: phased.values[i] as string,
        })),
      }),
    );
    expect(must(saved)).toEqual({ saved: 12 });
    const stored = await targetsOf(t.org.id, t.kpis.revenue.id);
    expect(stored.map((s) => s.periodStart)).toEqual(t.months);
    expect(sumDec(stored.map((s) => s.target)).toFixed()).toBe('100000.01');
    expect(stored.map((s) => s.target)).toEqual(phased.values.map((v) => sumDec([v]).toFixed()));
    const db = await getOwnerDb();
    const audits = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, t.org.id), eq(auditLog.action, 'target.set')));
    expect(audits).toHaveLength(12);
  });
});

describe('reconciliation of a sum parent', () => {
  it('reports per period what the children plan and the gap', async () => {
    const t = await planningOrg();
    const [m1, m2] = t.months as [string, string];
    const cell = (kpiId: string, periodStart: string, target: string) => ({
      kpiId,
      periodStart,
      target,
    });
    must(
      await as(t.owner, () =>
        saveTargetsAction(t.org.slug, {
          targets: [
            cell(t.kpis.revenue.id, m1, '100000'),
            cell(t.kpis.sales.id, m1, '50000'),
            cell(t.kpis.opsRevenue.id, m1, '46000'),
            cell(t.kpis.revenue.id, m2, '1000'),
            cell(t.kpis.sales.id, m2, '600.5'),
            cell(t.kpis.opsRevenue.id, m2, '399.5'),
          ],
        }),
      ),
    );
    const ctx = await contextFor(t.owner, t.org.slug);
    const plan = await getTargetPlanning(ctx, t.kpis.revenue, t.today);
    expect(plan.children.map((c) => c.name).sort()).toEqual(['Ops revenue', 'Sales revenue']);
    expect(plan.reconciliation?.[0]).toEqual({
      childrenTotal: '96000',
      gap: '4000',
      state: 'short',
      missing: 0,
    });
    expect(plan.reconciliation?.[1]?.state).toBe('matches');
    expect(plan.reconciliation?.[2]?.state).toBe('no_target');
    // A manual parent gets no reconciliation.
    const manual = await getTargetPlanning(ctx, t.kpis.opsRevenue, t.today);
    expect(manual.reconciliation).toBeNull();
  });
});

describe('split down', () => {
  it('writes exactly the confirmed amounts as the children’s targets', async () => {
    const t = await planningOrg();
    const [m1, m2] = t.months as [string, string];
    must(
      await as(t.lead, () =>
        saveTargetsAction(t.org.slug, {
          targets: [
            { kpiId: t.kpis.sales.id, periodStart: m1, target: '1000' },
            { kpiId: t.kpis.sales.id, periodStart: m2, target: '500.01' },
          ],
        }),
      ),
    );
    const parts1 = distributeExactly('1000', ['2', '1'], 2) as string[];
    expect(parts1).toEqual(['666.67', '333.33']);
    // The lead confirms the proposal for m1 and edits m2 by hand.
    const confirmed = [
      { kpiId: t.kpis.emeaRevenue.id, periodStart: m1, target: parts1[0] as string },
      { kpiId: t.kpis.apacRevenue.id, periodStart: m1, target: parts1[1] as string },
      { kpiId: t.kpis.emeaRevenue.id, periodStart: m2, target: '300' },
      { kpiId: t.kpis.apacRevenue.id, periodStart: m2, target: '200.01' },
    ];
    expect(
      must(
        await as(t.lead, () =>
          splitTargetDownAction(t.org.slug, { parentId: t.kpis.sales.id, targets: confirmed }),
        ),
      ),
    ).toEqual({ saved: 4 });
    expect(await targetsOf(t.org.id, t.kpis.emeaRevenue.id)).toEqual([
      { periodStart: m1, target: '666.67' },
      { periodStart: m2, target: '300' },
    ]);
    expect(await targetsOf(t.org.id, t.kpis.apacRevenue.id)).toEqual([
      { periodStart: m1, target: '333.33' },
      { periodStart: m2, target: '200.01' },
    ]);
    const ctx = await contextFor(t.lead, t.org.slug);
    const plan = await getTargetPlanning(ctx, t.kpis.sales, t.today);
    expect(plan.reconciliation?.slice(0, 2).map((r) => r.state)).toEqual(['matches', 'matches']);
  });

  it('refuses children outside the actor’s scope by name, and KPIs not linked under the parent, writing nothing', async () => {
    const t = await planningOrg();
    const [m1] = t.months as [string];
    const before = await allTargets(t.org.id);
    const outside = refused(
      await as(t.lead, () =>
        splitTargetDownAction(t.org.slug, {
          parentId: t.kpis.revenue.id,
          targets: [
            { kpiId: t.kpis.sales.id, periodStart: m1, target: '60' },
            { kpiId: t.kpis.opsRevenue.id, periodStart: m1, target: '40' },
          ],
        }),
      ),
    );
    expect(outside.code).toBe('FORBIDDEN');
    expect(outside.message).toContain('“Ops revenue”');
    expect(outside.message).toContain('Nothing was saved');
    const stranger = refused(
      await as(t.owner, () =>
        splitTargetDownAction(t.org.slug, {
          parentId: t.kpis.sales.id,
          targets: [
            { kpiId: t.kpis.emeaRevenue.id, periodStart: m1, target: '60' },
            { kpiId: t.kpis.opsRevenue.id, periodStart: m1, target: '40' },
          ],
        }),
      ),
    );
    expect(stranger.code).toBe('VALIDATION');
    expect(stranger.message).toContain('“Ops revenue” is not linked under “Sales revenue”');
    expect(await allTargets(t.org.id)).toEqual(before);
  });
});

describe('the grid’s one save', () => {
  it('writes nothing when one cell is refused, and names the cell', async () => {
    const t = await planningOrg();
    const [m1, m2] = t.months as [string, string];
    const before = await allTargets(t.org.id);
    const badDay = refused(
      await as(t.lead, () =>
        saveTargetsAction(t.org.slug, {
          targets: [
            { kpiId: t.kpis.sales.id, periodStart: m1, target: '10' },
            { kpiId: t.kpis.emeaRevenue.id, periodStart: m1, target: '5' },
            { kpiId: t.kpis.apacRevenue.id, periodStart: `${m2.slice(0, 8)}15`, target: '5' },
          ],
        }),
      ),
    );
    expect(badDay.code).toBe('VALIDATION');
    expect(Object.keys(badDay.fieldErrors ?? {})).toEqual(['targets.2.periodStart']);
    const badNumber = refused(
      await as(t.lead, () =>
        saveTargetsAction(t.org.slug, {
          targets: [
            { kpiId: t.kpis.sales.id, periodStart: m1, target: '10' },
            { kpiId: t.kpis.emeaRevenue.id, periodStart: m1, target: '1,0' },
          ],
        }),
      ),
    );
    expect(badNumber.code).toBe('VALIDATION');
    expect(Object.keys(badNumber.fieldErrors ?? {})).toEqual(['targets.1.target']);
    const outsideLead = refused(
      await as(t.lead, () =>
        saveTargetsAction(t.org.slug, {
          targets: [
            { kpiId: t.kpis.sales.id, periodStart: m1, target: '10' },
            { kpiId: t.kpis.revenue.id, periodStart: m1, target: '10' },
          ],
        }),
      ),
    );
    expect(outsideLead.code).toBe('FORBIDDEN');
    expect(await allTargets(t.org.id)).toEqual(before);
  });

  it('saves set and cleared cells together', async () => {
    const t = await planningOrg();
    const [m1, m2] = t.months as [string, string];
    must(
      await as(t.lead, () =>
        saveTargetsAction(t.org.slug, {
          targets: [
            { kpiId: t.kpis.sales.id, periodStart: m1, target: '12000' },
            { kpiId: t.kpis.sales.id, periodStart: m2, target: '13000' },
          ],
        }),
      ),
    );
    must(
      await as(t.lead, () =>
        saveTargetsAction(t.org.slug, {
          targets: [
            { kpiId: t.kpis.sales.id, periodStart: m1, target: null },
            {
              kpiId: t.kpis.emeaRevenue.id,
              periodStart: nextPeriodStart(m1, 'month'),
              target: '7',
            },
          ],
        }),
      ),
    );
    expect(await targetsOf(t.org.id, t.kpis.sales.id)).toEqual([
      { periodStart: m2, target: '13000' },
    ]);
    expect(await targetsOf(t.org.id, t.kpis.emeaRevenue.id)).toEqual([
      { periodStart: m2, target: '7' },
    ]);
  });

  it('lists the lead’s subtree, parents first (siblings by name), by the fiscal year’s months', async () => {
    const t = await planningOrg();
    const ctx = await contextFor(t.lead, t.org.slug);
    const grid = await getTargetGrid(ctx, 'month', t.today);
    expect(grid.periods.map((p) => p.start)).toEqual(t.months);
    expect(grid.rows.map((r) => [r.name, r.depth])).toEqual([
      ['Sales revenue', 0],
      ['APAC revenue', 1],
      ['EMEA revenue', 1],
    ]);
    expect(grid.paging).toEqual({ total: 3, page: 1, pages: 1, first: 0 });
  });

  it('gives one page of the rows, their targets as the whole grid has them', async () => {
    const t = await planningOrg();
    const ctx = await contextFor(t.lead, t.org.slug);
    const [m1] = t.months as [string];
    must(
      await as(t.lead, () =>
        saveTargetsAction(t.org.slug, {
          targets: [{ kpiId: t.kpis.emeaRevenue.id, periodStart: m1, target: '42' }],
        }),
      ),
    );
    const whole = await getTargetGrid(ctx, 'month', t.today);
    const second = await getTargetGrid(ctx, 'month', t.today, { page: 2, size: 2 });
    expect(second.paging).toEqual({ total: 3, page: 2, pages: 2, first: 2 });
    expect(second.rows).toEqual([whole.rows[2]]);
    expect(second.rows[0]).toMatchObject({ name: 'EMEA revenue', depth: 1 });
    expect(second.rows[0]!.cells[0]).toBe('42');
    // a page past the last is the last
    expect((await getTargetGrid(ctx, 'month', t.today, { page: 9, size: 2 })).paging.page).toBe(2);
  });
});

describe('tenancy', () => {
  it('another org’s KPI looks exactly like a missing one', async () => {
    const t = await planningOrg();
    const other = await planningOrg();
    const [m1] = t.months as [string];
    const before = await allTargets(other.org.id);
    const theirs = refused(
      await as(t.owner, () =>
        saveTargetsAction(t.org.slug, {
          targets: [{ kpiId: other.kpis.revenue.id, periodStart: m1, target: '1' }],
        }),
      ),
    );
    const missing = refused(
      await as(t.owner, () =>
        saveTargetsAction(t.org.slug, {
          targets: [{ kpiId: randomUUID(), periodStart: m1, target: '1' }],
        }),
      ),
    );
    expect(theirs.code).toBe('NOT_FOUND');
    expect({ ...theirs, requestId: undefined }).toEqual({ ...missing, requestId: undefined });
    const split = refused(
      await as(t.owner, () =>
        splitTargetDownAction(t.org.slug, {
          parentId: other.kpis.sales.id,
          targets: [{ kpiId: other.kpis.emeaRevenue.id, periodStart: m1, target: '1' }],
        }),
      ),
    );
    expect(split.code).toBe('NOT_FOUND');
    expect(await allTargets(other.org.id)).toEqual(before);
  });
});
