/**
 * Organization settings on a real database: a fiscal-year change previewed (nothing written) and
 * applied (quarterly and yearly values regrouped in one transaction, stranded targets removed,
 * `db:verify`'s check clean, audited before/after), a time-zone change (no stored value moves),
 * name and locale, status thresholds re-grading statuses, who may change them, and bad input
 * refused with the database unchanged.
 */
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, kpiTargets, organizations } from '@/db/schema';
import type { SessionClaims } from '@/lib/auth/session';
import * as kpiActions from '@/lib/actions/kpis';
import * as settingsActions from '@/lib/actions/org-settings';
import * as unitActions from '@/lib/actions/units';
import { listKpis } from '@/lib/dal/kpis/list';
import { verifyAllOrganizations } from '@/lib/dal/verify';
import {
  as,
  contextFor,
  expectNoDrift,
  kpiInput,
  must,
  refused,
  snapshotOrg,
  valuesOf,
} from './cascade-helpers';
import { addTestMember, createTestKpi, createTestOrg, recordTestCheckin } from './factories';

type Fixture = {
  slug: string;
  orgId: string;
  name: string;
  owner: SessionClaims;
  admin: SessionClaims;
  lead: SessionClaims;
  member: SessionClaims;
  quarterly: string;
  monthly: string;
  yearly: string;
};

/**
 * An org (fiscal year from January) with a quarterly sum parent over a monthly child reporting
 * 1..12 through 2025, a yearly KPI with two readings, and a target override on the second quarter.
 */
async function buildOrg(): Promise<Fixture> {
  const { org, owner, rootUnitId } = await createTestOrg({ fyStartMonth: 1 });
  const sales = must(
    await as(owner, () =>
      unitActions.createUnitAction(org.slug, {
        parentId: rootUnitId,
        kind: 'department',
        name: 'Sales',
      }),
    ),
  );
  const admin = await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId });
  const lead = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id });
  must(
    await as(owner, () =>
      unitActions.setUnitLeadAction(org.slug, { unitId: sales.id, leadUserId: lead.userId }),
    ),
  );
  const member = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id });
  const quarterly = await createTestKpi(owner, org.slug, rootUnitId, {
    name: 'Bookings (quarter)',
    cadence: 'quarter',
    rollup: 'sum',
  });
  const monthly = await createTestKpi(owner, org.slug, sales.id, {
    name: 'Bookings (month)',
    parentId: quarterly.id,
  });
  const yearly = await createTestKpi(owner, org.slug, rootUnitId, {
    name: 'Hires (year)',
    cadence: 'year',
  });
  for (let m = 1; m <= 12; m += 1) {
    const day = `2025-${String(m).padStart(2, '0')}-10`;
    await recordTestCheckin(owner, org.slug, monthly.id, day, String(m));
  }
  await recordTestCheckin(owner, org.slug, yearly.id, '2025-03-10', '5');
  await recordTestCheckin(owner, org.slug, yearly.id, '2025-09-10', '7');
  must(
    await as(owner, () =>
      kpiActions.setTargetAction(org.slug, {
        kpiId: quarterly.id,
        periodStart: '2025-04-01',
        target: '20',
      }),
    ),
  );
  return {
    slug: org.slug,
    orgId: org.id,
    name: org.name,
    owner,
    admin,
    lead,
    member,
    quarterly: quarterly.id,
    monthly: monthly.id,
    yearly: yearly.id,
  };
}

const general = (f: Fixture, over: Record<string, unknown> = {}) => ({
  name: f.name,
  timeZone: 'UTC',
  fyStartMonth: 1,
  locale: 'en-US' as const,
  ...over,
});

async function auditOf(orgId: string, action: string) {
  const db = await getOwnerDb();
  return db
    .select({ before: auditLog.before, after: auditLog.after, actor: auditLog.actorUserId })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, action)))
    .orderBy(asc(auditLog.id));
}

async function orgRow(orgId: string) {
  const db = await getOwnerDb();
  const [row] = await db.select().from(organizations).where(eq(organizations.id, orgId));
  return row!;
}

describe('fiscal year change', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await buildOrg();
  });

  it('previews what it will recompute and writes nothing', async () => {
    const before = await snapshotOrg(f.orgId);
    const plan = must(
      await as(f.owner, () =>
        settingsActions.previewOrgGeneralSettingsAction(f.slug, general(f, { fyStartMonth: 2 })),
      ),
    );
    expect(plan.fiscalYear).toEqual({ from: 1, to: 2 });
    expect(plan.recompute).toEqual({
      quarter: { kpis: 1, periods: 4 },
      year: { kpis: 1, periods: 1 },
    });
    expect(plan.strandedTargets).toBe(1);
    expect(plan.summary.join(' ')).toContain(
      '4 quarterly periods and 1 yearly period of 2 KPIs will be recomputed',
    );
    expect(plan.summary.join(' ')).toContain('1 per-period target');
    expect(await snapshotOrg(f.orgId)).toEqual(before);
    expect((await orgRow(f.orgId)).fyStartMonth).toBe(1);
  });

  it('regroups quarters and years in one transaction, removes stranded targets, verify clean', async () => {
    const monthlyBefore = await valuesOf(f.orgId, f.monthly);
    const result = must(
      await as(f.admin, () =>
        settingsActions.updateOrgGeneralSettingsAction(f.slug, general(f, { fyStartMonth: 2 })),
      ),
    );
    expect(result.periodValues).toBeGreaterThan(0);
    expect((await orgRow(f.orgId)).fyStartMonth).toBe(2);
    // Quarters now start in February, May, August and November.
    expect(await valuesOf(f.orgId, f.quarterly)).toEqual({
      '2024-11-01': '1',
      '2025-02-01': '9',
      '2025-05-01': '18',
      '2025-08-01': '27',
      '2025-11-01': '23',
    });
    expect(await valuesOf(f.orgId, f.yearly)).toEqual({ '2025-02-01': '12' });
    expect(await valuesOf(f.orgId, f.monthly)).toEqual(monthlyBefore);
    // The override on 2025-04-01 no longer starts a quarter: removed, and audited.
    const db = await getOwnerDb();
    const targets = await db
      .select()
      .from(kpiTargets)
      .where(and(eq(kpiTargets.orgId, f.orgId), eq(kpiTargets.kpiId, f.quarterly)));
    expect(targets).toEqual([]);
    const removed = await auditOf(f.orgId, 'settings.fiscal_year_targets_removed');
    expect(removed).toHaveLength(1);
    expect(JSON.stringify(removed[0]!.before)).toContain('2025-04-01');
    const changed = await auditOf(f.orgId, 'settings.organization');
    expect(changed.at(-1)).toMatchObject({
      actor: f.admin.userId,
      before: { fyStartMonth: 1 },
      after: { fyStartMonth: 2 },
    });
    // db:verify's own check: every stored value equals its recomputation from scratch.
    const report = await verifyAllOrganizations({ orgIds: [f.orgId] });
    expect(report.errors).toEqual([]);
    expect(report.drifts).toEqual([]);
    expect(report.valuesChecked).toBeGreaterThan(0);
  });

  it('a shift by whole quarters keeps the quarters and moves only the years', async () => {
    const quarters = await valuesOf(f.orgId, f.quarterly);
    const plan = must(
      await as(f.owner, () =>
        settingsActions.previewOrgGeneralSettingsAction(f.slug, general(f, { fyStartMonth: 5 })),
      ),
    );
    expect(plan.recompute.quarter).toEqual({ kpis: 0, periods: 0 });
    expect(plan.summary.join(' ')).toContain('Quarters stay as they are');
    must(
      await as(f.owner, () =>
        settingsActions.updateOrgGeneralSettingsAction(f.slug, general(f, { fyStartMonth: 5 })),
      ),
    );
    expect(await valuesOf(f.orgId, f.quarterly)).toEqual(quarters);
    expect(await valuesOf(f.orgId, f.yearly)).toEqual({ '2024-05-01': '5', '2025-05-01': '7' });
    await expectNoDrift(f.orgId);
  });

  it('check-ins after the change land in the new periods', async () => {
    await recordTestCheckin(f.owner, f.slug, f.monthly, '2026-01-15', '13');
    expect((await valuesOf(f.orgId, f.quarterly))['2025-11-01']).toBe('36');
    await expectNoDrift(f.orgId);
  });
});

describe('time zone, name and locale', () => {
  it('a time zone change moves no stored value, is previewed and audited', async () => {
    const f = await buildOrg();
    const before = await snapshotOrg(f.orgId);
    const plan = must(
      await as(f.owner, () =>
        settingsActions.previewOrgGeneralSettingsAction(
          f.slug,
          general(f, { timeZone: 'Pacific/Auckland' }),
        ),
      ),
    );
    expect(plan.fiscalYear).toBeNull();
    expect(plan.timeZone).toEqual({ from: 'UTC', to: 'Pacific/Auckland' });
    expect(plan.summary.join(' ')).toMatch(/follow Pacific\/Auckland.*stay as they are/);
    const result = must(
      await as(f.owner, () =>
        settingsActions.updateOrgGeneralSettingsAction(
          f.slug,
          general(f, { timeZone: 'Pacific/Auckland', name: 'Renamed Org', locale: 'de-DE' }),
        ),
      ),
    );
    expect(result.periodValues).toBeNull();
    const after = await snapshotOrg(f.orgId);
    expect(after.values).toEqual(before.values);
    const row = await orgRow(f.orgId);
    expect(row).toMatchObject({
      timeZone: 'Pacific/Auckland',
      name: 'Renamed Org',
      locale: 'de-DE',
    });
    const ctx = await contextFor(f.owner, f.slug);
    expect(ctx.org.timeZone).toBe('Pacific/Auckland');
    expect((await auditOf(f.orgId, 'settings.organization')).at(-1)).toMatchObject({
      before: { timeZone: 'UTC', name: f.name, locale: 'en-US' },
      after: { timeZone: 'Pacific/Auckland', name: 'Renamed Org', locale: 'de-DE' },
    });
    await expectNoDrift(f.orgId);
  });

  it('refuses an unknown time zone, locale, month or empty name with nothing written', async () => {
    const f = await buildOrg();
    const before = await snapshotOrg(f.orgId);
    const auditBefore = (await auditOf(f.orgId, 'settings.organization')).length;
    const bad: [Record<string, unknown>, string][] = [
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ timeZone: 'europe/berlin' }, 'timeZone'],
      [{ locale: 'es-ES' }, 'locale'],
      [{ fyStartMonth: 13 }, 'fyStartMonth'],
      [{ fyStartMonth: 0 }, 'fyStartMonth'],
      [{ name: '  ' }, 'name'],
    ];
    for (const [over, field] of bad) {
      const error = refused(
        await as(f.owner, () =>
          settingsActions.updateOrgGeneralSettingsAction(f.slug, general(f, over) as never),
        ),
      );
      expect(error.code).toBe('VALIDATION');
      expect(error.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    }
    expect(await snapshotOrg(f.orgId)).toEqual(before);
    expect(await auditOf(f.orgId, 'settings.organization')).toHaveLength(auditBefore);
    expect((await orgRow(f.orgId)).timeZone).toBe('UTC');
  });

  it('leads and members may neither preview nor change the settings', async () => {
    const f = await buildOrg();
    for (const who of [f.lead, f.member]) {
      for (const action of [
        settingsActions.previewOrgGeneralSettingsAction,
        settingsActions.updateOrgGeneralSettingsAction,
      ]) {
        const error = refused(await as(who, () => action(f.slug, general(f, { fyStartMonth: 4 }))));
        expect(error.code).toBe('FORBIDDEN');
      }
      const error = refused(
        await as(who, () =>
          settingsActions.updateStatusThresholdsAction(f.slug, {
            onTrackPercent: 90,
            atRiskPercent: 70,
            gradeAfterPercent: 33,
          }),
        ),
      );
      expect(error.code).toBe('FORBIDDEN');
    }
    expect((await orgRow(f.orgId)).fyStartMonth).toBe(1);
  });
});

describe('status thresholds', () => {
  it('re-grade every status on the next read; audited; bad pairs refused', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const kpi = must(
      await as(owner, () =>
        kpiActions.createKpiAction(
          org.slug,
          kpiInput(rootUnitId, {
            name: 'Uptime level',
            timeAggregation: 'last',
            defaultTarget: '100',
          }),
        ),
      ),
    );
    await recordTestCheckin(owner, org.slug, kpi.id, '2025-10-10', '90');
    const statusNow = async () => {
      const ctx = await contextFor(owner, org.slug);
      const list = await listKpis(ctx, { asOf: '2025-10-20' });
      return list.find((k) => k.id === kpi.id)?.current.status;
    };
    expect(await statusNow()).toBe('at_risk'); // 90% against 100% / 85%

    const saved = must(
      await as(owner, () =>
        settingsActions.updateStatusThresholdsAction(org.slug, {
          onTrackPercent: 90,
          atRiskPercent: 70,
          gradeAfterPercent: 33,
        }),
      ),
    );
    expect(saved).toEqual({ onTrackPercent: 90, atRiskPercent: 70, gradeAfterPercent: 33 });
    // An unchanged whole percentage keeps the stored share: the default third stays exact.
    expect(Number((await orgRow(org.id)).gradingMinElapsed)).toBe(0.3333);
    expect(await statusNow()).toBe('on_track');
    must(
      await as(owner, () =>
        settingsActions.updateStatusThresholdsAction(org.slug, {
          onTrackPercent: 120,
          atRiskPercent: 95,
          gradeAfterPercent: 50,
        }),
      ),
    );
    expect(await statusNow()).toBe('off_track');
    const row = await orgRow(org.id);
    expect([row.greenThreshold, row.amberThreshold, row.gradingMinElapsed].map(Number)).toEqual([
      1.2, 0.95, 0.5,
    ]);
    expect((await auditOf(org.id, 'settings.status_thresholds')).at(-1)).toMatchObject({
      before: { green: '0.9000', amber: '0.7000', gradeAfter: '0.3333' },
      after: { green: '1.2000', amber: '0.9500', gradeAfter: '0.5000' },
    });

    for (const bad of [
      { onTrackPercent: 80, atRiskPercent: 80, gradeAfterPercent: 33 },
      { onTrackPercent: 80, atRiskPercent: 90, gradeAfterPercent: 33 },
      { onTrackPercent: 0, atRiskPercent: 0, gradeAfterPercent: 33 },
      { onTrackPercent: 201, atRiskPercent: 50, gradeAfterPercent: 33 },
      { onTrackPercent: 90.5, atRiskPercent: 50, gradeAfterPercent: 33 },
      { onTrackPercent: 120, atRiskPercent: 95, gradeAfterPercent: 100 },
      { onTrackPercent: 120, atRiskPercent: 95, gradeAfterPercent: -1 },
    ]) {
      const error = refused(
        await as(owner, () => settingsActions.updateStatusThresholdsAction(org.slug, bad)),
      );
      expect(error.code).toBe('VALIDATION');
    }
    const unchanged = await orgRow(org.id);
    expect(
      [unchanged.greenThreshold, unchanged.amberThreshold, unchanged.gradingMinElapsed].map(Number),
    ).toEqual([1.2, 0.95, 0.5]);
  });
});
