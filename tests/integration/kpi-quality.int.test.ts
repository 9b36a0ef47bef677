/**
 * KPI quality on a real database: the per-unit and per-person limits (admins confirm, leads are
 * refused, a refusal writes nothing), the limit settings, organization templates behind the
 * tenant wall, the dashboards' health flags and the SMART check of listed KPIs.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';
import { kpis, organizations } from '@/db/schema';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import * as kpiActions from '@/lib/actions/kpis';
import * as qualityActions from '@/lib/actions/kpi-quality';
import * as unitActions from '@/lib/actions/units';
import { getKpiHealth } from '@/lib/dal/kpi-quality/health';
import { getKpiLoad } from '@/lib/dal/kpi-quality/limits';
import { listSmartChecks } from '@/lib/dal/kpi-quality/smart';
import { listKpiTemplates } from '@/lib/dal/kpi-quality/templates';
import { listKpis } from '@/lib/dal/kpis/list';
import { resolveOrgContext, type OrgContext } from '@/lib/server/org-context';
import { as, countKpi, must } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

type Fixture = {
  slug: string;
  orgId: string;
  rootId: string;
  salesId: string;
  owner: SessionClaims;
  admin: SessionClaims;
  lead: SessionClaims;
  member: SessionClaims;
};

async function buildOrg(limits = { perUnit: 2, perPerson: 2 }): Promise<Fixture> {
  const { org, owner, rootUnitId } = await createTestOrg({ kpiLimits: limits });
  const sales = must(
    await runWithSession(owner, () =>
      unitActions.createUnitAction(org.slug, {
        parentId: rootUnitId,
        kind: 'department',
        name: 'Sales',
      }),
    ),
  );
  const admin = await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId });
  const lead = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: sales.id,
    name: 'Lena Lead',
  });
  const member = await addTestMember(org.id, {
    role: 'member',
    homeUnitId: sales.id,
    name: 'Max Member',
  });
  must(
    await runWithSession(owner, () =>
      unitActions.setUnitLeadAction(org.slug, { unitId: sales.id, leadUserId: lead.userId }),
    ),
  );
  return {
    slug: org.slug,
    orgId: org.id,
    rootId: rootUnitId,
    salesId: sales.id,
    owner,
    admin,
    lead,
    member,
  };
}

function withCtx<T>(f: Fixture, claims: SessionClaims, fn: (ctx: OrgContext) => Promise<T>) {
  return runWithSession(claims, async () => fn(await resolveOrgContext(f.slug)));
}

/** Every row the org owns in the tables a create could touch. */
async function digest(orgId: string): Promise<string> {
  const db = await getOwnerDb();
  const [row] = await execRows<{ d: string }>(
    db,
    sql`select (select count(*) from kpis where org_id = ${orgId}::uuid) || ':' ||
               (select count(*) from audit_log where org_id = ${orgId}::uuid) || ':' ||
               (select count(*) from kpi_period_values where org_id = ${orgId}::uuid) as d`,
  );
  return row!.d;
}

describe('KPI limits', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await buildOrg();
    for (const name of ['Deals', 'Calls']) {
      must(
        await as(f.owner, () =>
          kpiActions.createKpiAction(f.slug, { ...countKpi, name, unitId: f.salesId }),
        ),
      );
    }
  });

  it('warns an admin past the per-unit limit, writes nothing, and creates once confirmed', async () => {
    const before = await digest(f.orgId);
    const warned = await as(f.admin, () =>
      kpiActions.createKpiAction(f.slug, { ...countKpi, name: 'Meetings', unitId: f.salesId }),
    );
    expect(warned.ok).toBe(false);
    if (warned.ok) return;
    expect(warned.error.code).toBe('VALIDATION');
    expect(warned.error.message).toMatch(/Sales already has 2 active KPIs/);
    expect(warned.error.fieldErrors?.confirmOverLimit?.[0]).toMatch(/limit is 2 per unit/);
    expect(await digest(f.orgId)).toBe(before);

    const created = must(
      await as(f.admin, () =>
        kpiActions.createKpiAction(f.slug, {
          ...countKpi,
          name: 'Meetings',
          unitId: f.salesId,
          confirmOverLimit: true,
        }),
      ),
    );
    expect(created.name).toBe('Meetings');
  });

  it('refuses a lead past the limit, even with a confirmation, and writes nothing', async () => {
    const before = await digest(f.orgId);
    for (const confirmOverLimit of [false, true]) {
      const refused = await as(f.lead, () =>
        kpiActions.createKpiAction(f.slug, {
          ...countKpi,
          name: 'Lead KPI',
          unitId: f.salesId,
          confirmOverLimit,
        }),
      );
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.error.code).toBe('VALIDATION');
      expect(refused.error.message).toMatch(/ask an admin/);
      expect(refused.error.fieldErrors?.unitId?.[0]).toMatch(/Sales already has 3 active KPIs/);
      expect(refused.error.fieldErrors?.confirmOverLimit).toBeUndefined();
    }
    expect(await digest(f.orgId)).toBe(before);
  });

  it('archived and individual KPIs leave the unit count; the owner limit counts every active KPI', async () => {
    const g = await buildOrg({ perUnit: 1, perPerson: 2 });
    const first = must(
      await as(g.owner, () =>
        kpiActions.createKpiAction(g.slug, { ...countKpi, name: 'One', unitId: g.salesId }),
      ),
    );
    // An individual KPI in the full unit is fine: it counts toward its owner only.
    must(
      await as(g.lead, () =>
        kpiActions.createKpiAction(g.slug, {
          ...countKpi,
          name: 'Max: calls',
          unitId: g.salesId,
          isIndividual: true,
          ownerUserId: g.member.userId,
        }),
      ),
    );
    must(
      await as(g.lead, () =>
        kpiActions.createKpiAction(g.slug, {
          ...countKpi,
          name: 'Max: demos',
          unitId: g.salesId,
          isIndividual: true,
          ownerUserId: g.member.userId,
        }),
      ),
    );
    const third = await as(g.lead, () =>
      kpiActions.createKpiAction(g.slug, {
        ...countKpi,
        name: 'Max: emails',
        unitId: g.salesId,
        isIndividual: true,
        ownerUserId: g.member.userId,
      }),
    );
    expect(third.ok).toBe(false);
    if (!third.ok) {
      expect(third.error.fieldErrors?.ownerUserId?.[0]).toMatch(
        /Max Member already owns 2 active KPIs; your organization's limit is 2 per person/,
      );
    }
    // The lead is refused in the full unit; archiving the KPI there makes room.
    const full = await as(g.lead, () =>
      kpiActions.createKpiAction(g.slug, { ...countKpi, name: 'Two', unitId: g.salesId }),
    );
    expect(full.ok).toBe(false);
    must(
      await as(g.owner, () =>
        kpiActions.archiveKpiAction(g.slug, { kpiId: first.id, version: first.version }),
      ),
    );
    must(
      await as(g.lead, () =>
        kpiActions.createKpiAction(g.slug, { ...countKpi, name: 'Two', unitId: g.salesId }),
      ),
    );
    const load = await withCtx(g, g.lead, (ctx) => getKpiLoad(ctx));
    expect(load).toMatchObject({ limits: { perUnit: 1, perPerson: 2 }, mayExceed: false });
    expect(load.byUnit[g.salesId]).toBe(1);
    expect(load.byPerson[g.member.userId]).toBe(2);
  });

  it('admins change the limits; leads and members may not; bad values are refused', async () => {
    const g = await buildOrg();
    const input = { maxKpisPerUnit: 9, maxKpisPerPerson: 4 };
    for (const who of [g.lead, g.member]) {
      const denied = await as(who, () => qualityActions.updateKpiLimitsAction(g.slug, input));
      expect(denied.ok ? 'ok' : denied.error.code).toBe('FORBIDDEN');
    }
    for (const bad of [
      { maxKpisPerUnit: 0, maxKpisPerPerson: 4 },
      { maxKpisPerUnit: 1001, maxKpisPerPerson: 4 },
      { maxKpisPerUnit: 2.5, maxKpisPerPerson: 4 },
      { maxKpisPerUnit: 7, maxKpisPerPerson: 5, extra: 1 },
    ]) {
      const refused = await as(g.admin, () =>
        qualityActions.updateKpiLimitsAction(g.slug, bad as never),
      );
      expect(refused.ok ? 'ok' : refused.error.code).toBe('VALIDATION');
    }
    expect(
      must(await as(g.admin, () => qualityActions.updateKpiLimitsAction(g.slug, input))),
    ).toEqual({ perUnit: 9, perPerson: 4 });
    const db = await getOwnerDb();
    const [row] = await db
      .select({ u: organizations.maxKpisPerUnit, p: organizations.maxKpisPerPerson })
      .from(organizations)
      .where(eq(organizations.id, g.orgId));
    expect(row).toEqual({ u: 9, p: 4 });
    const ctx = await withCtx(g, g.member, async (c) => c);
    expect(ctx.org).toMatchObject({ maxKpisPerUnit: 9, maxKpisPerPerson: 4 });
  });

  it('a new organization starts at 7 per unit and 5 per person', async () => {
    const db = await getOwnerDb();
    const defaults = await execRows<{ column_name: string; column_default: string }>(
      db,
      sql`select column_name, column_default from information_schema.columns
          where table_name = 'organizations' and column_name in ('max_kpis_per_unit', 'max_kpis_per_person')
          order by column_name`,
    );
    expect(defaults.map((d) => [d.column_name, d.column_default])).toEqual([
      ['max_kpis_per_person', '5'],
      ['max_kpis_per_unit', '7'],
    ]);
  });
});

describe('KPI templates', () => {
  let a: Fixture;
  let b: Fixture;
  let aKpiId: string;
  let bKpiId: string;
  beforeAll(async () => {
    a = await buildOrg({ perUnit: 50, perPerson: 50 });
    b = await buildOrg({ perUnit: 50, perPerson: 50 });
    aKpiId = must(
      await as(a.owner, () =>
        kpiActions.createKpiAction(a.slug, {
          ...countKpi,
          name: 'Qualified demos',
          description: 'Demos the prospect attended, counted by sales.',
          unitId: a.salesId,
          category: 'functional',
          indicator: 'leading',
        }),
      ),
    ).id;
    bKpiId = must(
      await as(b.owner, () =>
        kpiActions.createKpiAction(b.slug, {
          ...countKpi,
          name: 'B secret KPI',
          unitId: b.salesId,
        }),
      ),
    ).id;
  });

  it('saves a KPI definition as a template only its own organization lists', async () => {
    const saved = must(
      await as(a.lead, () =>
        qualityActions.saveKpiTemplateAction(a.slug, { kpiId: aKpiId, department: 'sales' }),
      ),
    );
    expect(saved).toMatchObject({
      source: 'org',
      department: 'sales',
      name: 'Qualified demos',
      description: 'Demos the prospect attended, counted by sales.',
      measureUnit: 'count',
      direction: 'increase',
      cadence: 'month',
      timeAggregation: 'sum',
      category: 'functional',
      indicator: 'leading',
    });
    const mine = await withCtx(a, a.member, (ctx) => listKpiTemplates(ctx));
    expect(mine.map((t) => t.id)).toContain(saved.id);
    const theirs = await withCtx(b, b.owner, (ctx) => listKpiTemplates(ctx));
    expect(theirs.map((t) => t.id)).not.toContain(saved.id);

    const duplicate = await as(a.owner, () =>
      qualityActions.saveKpiTemplateAction(a.slug, {
        kpiId: aKpiId,
        department: 'marketing',
        name: 'QUALIFIED demos',
      }),
    );
    expect(duplicate.ok ? 'ok' : duplicate.error.fieldErrors?.name).toEqual([
      'Choose another name for the template',
    ]);
  });

  it("another org's KPI or template id looks exactly like a missing one, and nothing is written", async () => {
    const before = [await digest(a.orgId), await digest(b.orgId)];
    const foreignKpi = await as(a.owner, () =>
      qualityActions.saveKpiTemplateAction(a.slug, { kpiId: bKpiId, department: 'sales' }),
    );
    const randomKpi = await as(a.owner, () =>
      qualityActions.saveKpiTemplateAction(a.slug, { kpiId: randomUUID(), department: 'sales' }),
    );
    expect(foreignKpi).toEqual(randomKpi);
    expect(foreignKpi.ok ? 'ok' : foreignKpi.error.code).toBe('NOT_FOUND');

    const bTemplate = must(
      await as(b.owner, () =>
        qualityActions.saveKpiTemplateAction(b.slug, { kpiId: bKpiId, department: 'finance' }),
      ),
    );
    const mid = [await digest(a.orgId), await digest(b.orgId)];
    expect(mid[0]).toBe(before[0]);
    const foreignTemplate = await as(a.owner, () =>
      qualityActions.deleteKpiTemplateAction(a.slug, { templateId: bTemplate.id }),
    );
    const randomTemplate = await as(a.owner, () =>
      qualityActions.deleteKpiTemplateAction(a.slug, { templateId: randomUUID() }),
    );
    expect(foreignTemplate).toEqual(randomTemplate);
    expect(foreignTemplate.ok ? 'ok' : foreignTemplate.error.code).toBe('NOT_FOUND');
    expect([await digest(a.orgId), await digest(b.orgId)]).toEqual(mid);
    const still = await withCtx(b, b.owner, (ctx) => listKpiTemplates(ctx));
    expect(still.map((t) => t.id)).toContain(bTemplate.id);
    // The org's own admin may delete it.
    must(
      await as(b.admin, () =>
        qualityActions.deleteKpiTemplateAction(b.slug, { templateId: bTemplate.id }),
      ),
    );
    const gone = await withCtx(b, b.owner, (ctx) => listKpiTemplates(ctx));
    expect(gone.map((t) => t.id)).not.toContain(bTemplate.id);
  });

  it('members may not save templates; leads only from KPIs they may edit; only admins delete', async () => {
    const company = must(
      await as(a.owner, () =>
        kpiActions.createKpiAction(a.slug, { ...countKpi, name: 'Company KPI', unitId: a.rootId }),
      ),
    );
    const member = await as(a.member, () =>
      qualityActions.saveKpiTemplateAction(a.slug, {
        kpiId: aKpiId,
        department: 'sales',
        name: 'X',
      }),
    );
    expect(member.ok ? 'ok' : member.error.code).toBe('FORBIDDEN');
    const outside = await as(a.lead, () =>
      qualityActions.saveKpiTemplateAction(a.slug, { kpiId: company.id, department: 'executive' }),
    );
    expect(outside.ok ? 'ok' : outside.error.code).toBe('FORBIDDEN');
    const [template] = await withCtx(a, a.owner, (ctx) => listKpiTemplates(ctx));
    const leadDelete = await as(a.lead, () =>
      qualityActions.deleteKpiTemplateAction(a.slug, { templateId: template!.id }),
    );
    expect(leadDelete.ok ? 'ok' : leadDelete.error.code).toBe('FORBIDDEN');
  });
});

describe('KPI health and the SMART check of a list', () => {
  it('flags units and people over the limit and KPIs quiet for three periods, per scope', async () => {
    const f = await buildOrg({ perUnit: 1, perPerson: 1 });
    const quiet = must(
      await as(f.owner, () =>
        kpiActions.createKpiAction(f.slug, {
          ...countKpi,
          name: 'Quiet KPI',
          unitId: f.salesId,
          ownerUserId: f.member.userId,
        }),
      ),
    );
    must(
      await as(f.owner, () =>
        kpiActions.createKpiAction(f.slug, {
          ...countKpi,
          name: 'Second in Sales',
          unitId: f.salesId,
          ownerUserId: f.member.userId,
          confirmOverLimit: true,
        }),
      ),
    );
    const fresh = await withCtx(f, f.admin, (ctx) => getKpiHealth(ctx));
    expect(fresh?.retireCandidates).toEqual([]); // created today: not quiet yet
    const db = await getOwnerDb();
    await db
      .update(kpis)
      .set({ createdAt: sql`now() - interval '8 months'` })
      .where(and(eq(kpis.orgId, f.orgId), eq(kpis.id, quiet.id)));

    const health = await withCtx(f, f.admin, (ctx) => getKpiHealth(ctx));
    expect(health).toMatchObject({
      limits: { perUnit: 1, perPerson: 1 },
      unitsOverLimit: [{ unitId: f.salesId, unitName: 'Sales', count: 2 }],
      peopleOverLimit: [{ userId: f.member.userId, name: 'Max Member', count: 2 }],
      retireCandidates: [{ id: quiet.id, name: 'Quiet KPI', lastValueLabel: null }],
    });
    const lead = await withCtx(f, f.lead, (ctx) => getKpiHealth(ctx));
    expect(lead?.unitsOverLimit.map((u) => u.unitName)).toEqual(['Sales']);
    expect(await withCtx(f, f.member, (ctx) => getKpiHealth(ctx))).toBeNull();

    const smart = await withCtx(f, f.admin, async (ctx) =>
      listSmartChecks(ctx, await listKpis(ctx)),
    );
    expect(smart[quiet.id]?.missing).toEqual(['specific', 'measurable', 'relevant', 'time_bound']);
  });
});
