/**
 * The KPI limits on every path that adds a KPI to a unit's or a person's count, on a real
 * database: moving a KPI to another unit (alone and through the KPI form), a new owner (alone
 * and through the form). Admins are warned and may confirm; leads are refused even when they
 * confirm; a refusal writes nothing; the message is create's, with its own verb. Re-parenting
 * keeps a KPI's unit and owner, so it changes no count and is never refused by a limit.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionClaims } from '@/lib/auth/session';
import * as kpiActions from '@/lib/actions/kpis';
import * as unitActions from '@/lib/actions/units';
import { as, kpiVersion, must, refused, snapshotOrg } from './cascade-helpers';
import { addTestMember, createTestKpi, createTestOrg } from './factories';

type Fixture = {
  slug: string;
  orgId: string;
  owner: SessionClaims;
  admin: SessionClaims;
  lead: SessionClaims;
  max: SessionClaims;
  salesId: string;
  teamId: string;
  engId: string;
  /** In Sales (full at a limit of one), owned by Max (full at one). */
  salesKpi: string;
  engKpi: string;
  teamKpi: string;
};

/** Limits of one per unit and one per person; Sales and Max are at their limit. */
async function buildOrg(): Promise<Fixture> {
  const { org, owner, rootUnitId } = await createTestOrg({
    kpiLimits: { perUnit: 1, perPerson: 1 },
  });
  const unit = async (parentId: string, kind: 'department' | 'team', name: string) =>
    must(await as(owner, () => unitActions.createUnitAction(org.slug, { parentId, kind, name })))
      .id;
  const salesId = await unit(rootUnitId, 'department', 'Sales');
  const teamId = await unit(salesId, 'team', 'Sales team');
  const engId = await unit(rootUnitId, 'department', 'Engineering');
  const admin = await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId });
  const lead = await addTestMember(org.id, { role: 'member', homeUnitId: salesId });
  const max = await addTestMember(org.id, { role: 'member', homeUnitId: teamId, name: 'Max Rep' });
  must(
    await as(owner, () =>
      unitActions.setUnitLeadAction(org.slug, { unitId: salesId, leadUserId: lead.userId }),
    ),
  );
  const salesKpi = await createTestKpi(owner, org.slug, salesId, {
    name: 'Sales bookings',
    ownerUserId: max.userId,
  });
  const engKpi = await createTestKpi(owner, org.slug, engId, { name: 'Deploys' });
  const teamKpi = await createTestKpi(owner, org.slug, teamId, { name: 'Team calls' });
  return {
    slug: org.slug,
    orgId: org.id,
    owner,
    admin,
    lead,
    max,
    salesId,
    teamId,
    engId,
    salesKpi: salesKpi.id,
    engKpi: engKpi.id,
    teamKpi: teamKpi.id,
  };
}

describe('KPI limits beyond create', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await buildOrg();
  });

  it('a move into a full unit: admins are warned and may confirm', async () => {
    const before = await snapshotOrg(f.orgId);
    const move = async (confirmOverLimit?: boolean) =>
      as(f.admin, async () =>
        kpiActions.updateKpiAction(f.slug, {
          kpiId: f.engKpi,
          version: await kpiVersion(f.engKpi),
          unitId: f.salesId,
          ...(confirmOverLimit ? { confirmOverLimit } : {}),
        }),
      );
    const warned = refused(await move());
    expect(warned.code).toBe('VALIDATION');
    expect(warned.message).toBe(
      "Sales already has 1 active KPI; your organization's limit is 1 per unit. Too many KPIs dilute focus: archive one, or confirm to move it anyway.",
    );
    expect(warned.fieldErrors?.confirmOverLimit?.[0]).toMatch(/limit is 1 per unit/);
    expect(await snapshotOrg(f.orgId)).toEqual(before);
    expect(must(await move(true)).unitId).toBe(f.salesId);
  });

  it('a move into a full unit: leads are refused, even confirming, alone or through the form', async () => {
    const before = await snapshotOrg(f.orgId);
    for (const confirmOverLimit of [false, true]) {
      const alone = refused(
        await as(f.lead, async () =>
          kpiActions.updateKpiAction(f.slug, {
            kpiId: f.teamKpi,
            version: await kpiVersion(f.teamKpi),
            unitId: f.salesId,
            confirmOverLimit,
          }),
        ),
      );
      expect(alone.code).toBe('VALIDATION');
      expect(alone.message).toBe(
        "Sales already has 1 active KPI; your organization's limit is 1 per unit. Archive a KPI first, or ask an admin to move this one.",
      );
      expect(alone.fieldErrors?.unitId?.[0]).toMatch(/Sales already has 1 active KPI/);
      const form = refused(
        await as(f.lead, async () =>
          kpiActions.saveKpiFormAction(f.slug, {
            mode: 'edit',
            kpiId: f.teamKpi,
            version: await kpiVersion(f.teamKpi),
            unitId: f.salesId,
            confirmOverLimit,
          }),
        ),
      );
      expect(form.fieldErrors?.unitId?.[0]).toMatch(/Sales already has 1 active KPI/);
    }
    expect(await snapshotOrg(f.orgId)).toEqual(before);
  });

  it('a new owner at their limit: admins confirm, leads are refused, alone or through the form', async () => {
    const before = await snapshotOrg(f.orgId);
    const warned = refused(
      await as(f.admin, () =>
        kpiActions.assignKpiOwnerAction(f.slug, { kpiId: f.teamKpi, ownerUserId: f.max.userId }),
      ),
    );
    expect(warned.message).toBe(
      "Max Rep already owns 1 active KPI; your organization's limit is 1 per person. Too many KPIs dilute focus: archive one, or confirm to assign it anyway.",
    );
    for (const confirmOverLimit of [false, true]) {
      const alone = refused(
        await as(f.lead, () =>
          kpiActions.assignKpiOwnerAction(f.slug, {
            kpiId: f.teamKpi,
            ownerUserId: f.max.userId,
            confirmOverLimit,
          }),
        ),
      );
      expect(alone.message).toMatch(/ask an admin to assign this one/);
      expect(alone.fieldErrors?.ownerUserId?.[0]).toMatch(/Max Rep already owns 1 active KPI/);
      const form = refused(
        await as(f.lead, async () =>
          kpiActions.saveKpiFormAction(f.slug, {
            mode: 'edit',
            kpiId: f.teamKpi,
            version: await kpiVersion(f.teamKpi),
            ownerUserId: f.max.userId,
            confirmOverLimit,
          }),
        ),
      );
      expect(form.fieldErrors?.ownerUserId?.[0]).toMatch(/Max Rep already owns 1 active KPI/);
    }
    expect(await snapshotOrg(f.orgId)).toEqual(before);
    const assigned = must(
      await as(f.admin, async () =>
        kpiActions.saveKpiFormAction(f.slug, {
          mode: 'edit',
          kpiId: f.teamKpi,
          version: await kpiVersion(f.teamKpi),
          ownerUserId: f.max.userId,
          confirmOverLimit: true,
        }),
      ),
    );
    expect(assigned.ownerUserId).toBe(f.max.userId);
  });

  it('moves and owners within the limits pass; the KPI does not count against its own unit', async () => {
    // Sales's own KPI edited in place (same unit, same owner): no limit applies.
    must(
      await as(f.lead, async () =>
        kpiActions.updateKpiAction(f.slug, {
          kpiId: f.salesKpi,
          version: await kpiVersion(f.salesKpi),
          name: 'Sales bookings (net)',
        }),
      ),
    );
    // An admin confirms a move into the full team; then Engineering is empty and takes one.
    must(
      await as(f.admin, async () =>
        kpiActions.updateKpiAction(f.slug, {
          kpiId: f.engKpi,
          version: await kpiVersion(f.engKpi),
          unitId: f.teamId,
          confirmOverLimit: true,
        }),
      ),
    );
    must(
      await as(f.owner, async () =>
        kpiActions.updateKpiAction(f.slug, {
          kpiId: f.teamKpi,
          version: await kpiVersion(f.teamKpi),
          unitId: f.engId,
        }),
      ),
    );
    // Clearing an owner never breaches anything.
    must(
      await as(f.lead, () =>
        kpiActions.assignKpiOwnerAction(f.slug, { kpiId: f.salesKpi, ownerUserId: null }),
      ),
    );
  });

  it('re-parenting keeps unit and owner: no count moves, so no limit refuses it', async () => {
    must(
      await as(f.lead, async () =>
        kpiActions.linkKpiAction(f.slug, {
          kpiId: f.teamKpi,
          parentId: f.salesKpi,
          version: await kpiVersion(f.teamKpi),
        }),
      ),
    );
  });
});
