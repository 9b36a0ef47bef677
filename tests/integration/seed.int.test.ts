import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import {
  checkins,
  kpiPeriodValues,
  kpis,
  kpiTargets,
  memberships,
  organizations,
  units,
  users,
} from '@/db/schema';
import { ensureDemoOrganization, getDemoAccounts, isDemoModeEnabled } from '@/lib/seed/demo';
import { DEMO_ORG, DEMO_PASSWORD } from '@/lib/seed/demo-data';
import { buildDemoPlan } from '@/lib/seed/demo-plan';
import { validateSeedPlan } from '@/lib/seed/plan';
import { createSyntheticOrganization } from '@/lib/seed/synthetic';
import { verifyPassword } from '@/lib/auth/password';
import { describeDrift, verifyOrganization } from '@/lib/dal/verify';
import { computeAllPeriodValues } from '@/lib/domain/cascade-compute';
import { todayInTimeZone } from '@/lib/domain/dates';
import { periodStart } from '@/lib/domain/periods';
import {
  DEFAULT_THRESHOLDS,
  evaluatePeriod,
  parseMinElapsed,
  type Status,
} from '@/lib/domain/progress';
import { checkKpiLink } from '@/lib/domain/tree';

/** A fixed clock, so the seeded history and "the current period" are the same on every run. */
const NOW = new Date('2026-10-14T15:00:00Z');

type Db = Awaited<ReturnType<typeof getOwnerDb>>;

async function orgBySlug(db: Db, slug: string) {
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, slug));
  if (!org) throw new Error(`no org ${slug}`);
  return org;
}

async function orgCounts(db: Db, orgId: string) {
  const n = async (
    table:
      | typeof units
      | typeof kpis
      | typeof checkins
      | typeof kpiTargets
      | typeof kpiPeriodValues
      | typeof memberships,
  ) => {
    const [row] = await db.select({ n: count() }).from(table).where(eq(table.orgId, orgId));
    return row?.n ?? 0;
  };
  const [demoUsers] = await db
    .select({ n: count() })
    .from(users)
    .where(sql`${users.email} like '%@northwind.demo'`);
  const [orgs] = await db
    .select({ n: count() })
    .from(organizations)
    .where(eq(organizations.slug, DEMO_ORG.slug));
  return {
    orgs: orgs?.n,
    users: demoUsers?.n,
    memberships: await n(memberships),
    units: await n(units),
    kpis: await n(kpis),
    targets: await n(kpiTargets),
    checkins: await n(checkins),
    periodValues: await n(kpiPeriodValues),
  };
}

/** Every cascade link of an org checked by the domain rules, as "child -> parent: problem". */
async function linkProblems(db: Db, orgId: string): Promise<string[]> {
  const unitRows = await db
    .select({ id: units.id, parentId: units.parentId })
    .from(units)
    .where(eq(units.orgId, orgId));
  const kpiRows = await db.select().from(kpis).where(eq(kpis.orgId, orgId));
  const unitParentOf = new Map(unitRows.map((u) => [u.id, u.parentId]));
  const kpiParentOf = new Map(kpiRows.map((k) => [k.id, k.parentId]));
  const byId = new Map(kpiRows.map((k) => [k.id, k]));
  const problems: string[] = [];
  for (const child of kpiRows) {
    if (child.parentId === null) continue;
    const parent = byId.get(child.parentId);
    if (!parent) {
      problems.push(`${child.key}: missing parent`);
      continue;
    }
    for (const p of checkKpiLink({ child, parent, unitParentOf, kpiParentOf })) {
      problems.push(`${child.key} -> ${parent.key}: ${p.code}`);
    }
  }
  return problems;
}

/** Status of every KPI of an org in its current period, from stored values and targets. */
async function currentStatuses(db: Db, orgId: string, now: Date): Promise<Map<string, Status>> {
  const org = (await db.select().from(organizations).where(eq(organizations.id, orgId)))[0];
  if (!org) throw new Error('org vanished');
  const today = todayInTimeZone(org.timeZone, now);
  const [kpiRows, valueRows, targetRows] = await Promise.all([
    db.select().from(kpis).where(eq(kpis.orgId, orgId)),
    db.select().from(kpiPeriodValues).where(eq(kpiPeriodValues.orgId, orgId)),
    db.select().from(kpiTargets).where(eq(kpiTargets.orgId, orgId)),
  ]);
  const values = new Map(valueRows.map((v) => [`${v.kpiId}|${v.periodStart}`, v.value]));
  const targets = new Map(targetRows.map((t) => [`${t.kpiId}|${t.periodStart}`, t.target]));
  const statuses = new Map<string, Status>();
  for (const kpi of kpiRows) {
    const start = periodStart(today, kpi.cadence, org.fyStartMonth);
    const evaluation = evaluatePeriod({
      actual: values.get(`${kpi.id}|${start}`) ?? null,
      target: targets.get(`${kpi.id}|${start}`) ?? kpi.defaultTarget,
      baseline: kpi.baseline,
      direction: kpi.direction,
      timeAggregation: kpi.timeAggregation,
      periodStart: start,
      cadence: kpi.cadence,
      today,
      thresholds: {
        green: Number(org.greenThreshold),
        amber: Number(org.amberThreshold),
        minElapsed: parseMinElapsed(org.gradingMinElapsed),
      },
    });
    statuses.set(kpi.key ?? kpi.id, evaluation.status);
  }
  return statuses;
}

describe('demo organization', () => {
  const savedDemoMode = process.env.DEMO_MODE;
  afterEach(() => {
    if (savedDemoMode === undefined) delete process.env.DEMO_MODE;
    else process.env.DEMO_MODE = savedDemoMode;
  });

  beforeAll(async () => {
    // A reused test database may hold a demo seeded on another day: start from none.
    const db = await getOwnerDb();
    await db.delete(organizations).where(eq(organizations.slug, DEMO_ORG.slug));
  });

  afterAll(async () => {
    // This suite seeds with a fixed clock: leave no stale demo behind for the e2e run, which
    // seeds the demo for today.
    const db = await getOwnerDb();
    await db.delete(organizations).where(eq(organizations.slug, DEMO_ORG.slug));
  });

  it('is created once: a second run changes nothing', async () => {
    const first = await ensureDemoOrganization({ now: NOW });
    expect(first.status).toBe('created');
    const db = await getOwnerDb();
    const org = await orgBySlug(db, DEMO_ORG.slug);
    const before = await orgCounts(db, org.id);
    expect(before).toMatchObject({ orgs: 1, users: 34, memberships: 34, units: 19 });
    expect(before.kpis).toBeGreaterThanOrEqual(80);
    expect(before.checkins).toBeGreaterThan(1500);
    expect(before.targets).toBeGreaterThan(0);
    expect(before.periodValues).toBeGreaterThan(1000);

    const second = await ensureDemoOrganization({ now: NOW });
    expect(second).toEqual({ status: 'exists', orgId: org.id, slug: DEMO_ORG.slug });
    expect(await orgCounts(db, org.id)).toEqual(before);
    // First start of a non-empty database: nothing to do either.
    expect((await ensureDemoOrganization({ onlyIfNoOrganizations: true })).status).toBe('exists');
  });

  it('has the personas with their roles, leads and KPIs, all signing in with the demo password', async () => {
    await ensureDemoOrganization({ now: NOW });
    const db = await getOwnerDb();
    const org = await orgBySlug(db, DEMO_ORG.slug);
    process.env.DEMO_MODE = '1';
    const accounts = await getDemoAccounts();
    expect(accounts.map((a) => [a.label, a.email, a.role])).toEqual([
      ['Owner', 'owner@northwind.demo', 'owner'],
      ['Admin', 'admin@northwind.demo', 'admin'],
      ['Department head', 'sales.head@northwind.demo', 'member'],
      ['Team lead', 'team.lead@northwind.demo', 'member'],
      ['Member', 'member@northwind.demo', 'member'],
    ]);
    expect(new Set(accounts.map((a) => a.password))).toEqual(new Set([DEMO_PASSWORD]));

    const people = await db
      .select({
        email: users.email,
        id: users.id,
        hash: users.passwordHash,
        role: memberships.role,
      })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, org.id)))
      .where(
        inArray(
          users.email,
          accounts.map((a) => a.email),
        ),
      );
    const idOf = new Map(people.map((p) => [p.email, p.id]));
    for (const p of people) expect(await verifyPassword(DEMO_PASSWORD, p.hash)).toBe(true);

    const led = await db
      .select({ name: units.name, kind: units.kind, lead: units.leadUserId })
      .from(units)
      .where(eq(units.orgId, org.id));
    const leadOf = (name: string) => led.find((u) => u.name === name)?.lead;
    expect(leadOf('Northwind Cloud')).toBe(idOf.get('owner@northwind.demo'));
    expect(leadOf('Sales')).toBe(idOf.get('sales.head@northwind.demo'));
    expect(leadOf('Enterprise Sales')).toBe(idOf.get('team.lead@northwind.demo'));
    expect(led.filter((u) => u.lead === idOf.get('member@northwind.demo'))).toEqual([]);
    expect(led.every((u) => u.lead !== null)).toBe(true);

    const memberKpis = await db
      .select({ key: kpis.key, isIndividual: kpis.isIndividual })
      .from(kpis)
      .where(
        and(eq(kpis.orgId, org.id), eq(kpis.ownerUserId, idOf.get('member@northwind.demo') ?? '')),
      );
    expect(memberKpis.length).toBeGreaterThanOrEqual(2);
    expect(memberKpis.every((k) => k.isIndividual)).toBe(true);

    const [northStar] = await db
      .select({
        key: kpis.key,
        measureUnit: kpis.measureUnit,
        currency: kpis.currency,
        agg: kpis.timeAggregation,
      })
      .from(kpis)
      .where(and(eq(kpis.orgId, org.id), eq(kpis.isNorthStar, true)));
    expect(northStar).toEqual({
      key: 'company.arr',
      measureUnit: 'currency',
      currency: 'USD',
      agg: 'last',
    });

    process.env.DEMO_MODE = '0';
    expect(await getDemoAccounts()).toEqual([]);
  });

  it('has only valid cascade links, every rollup method, and several levels', async () => {
    await ensureDemoOrganization({ now: NOW });
    const db = await getOwnerDb();
    const org = await orgBySlug(db, DEMO_ORG.slug);
    expect(await linkProblems(db, org.id)).toEqual([]);
    const rows = await db.select().from(kpis).where(eq(kpis.orgId, org.id));
    expect(new Set(rows.map((k) => k.rollup))).toEqual(
      new Set(['manual', 'sum', 'average', 'weighted_average', 'min', 'max', 'formula']),
    );
    const byId = new Map(rows.map((k) => [k.id, k]));
    const depth = (id: string | null): number =>
      id === null ? 0 : 1 + depth(byId.get(id)?.parentId ?? null);
    expect(Math.max(...rows.map((k) => depth(k.id)))).toBeGreaterThanOrEqual(4);
    // A monthly KPI feeds a quarterly parent somewhere.
    expect(
      rows.some(
        (k) => k.cadence === 'month' && k.parentId && byId.get(k.parentId)?.cadence === 'quarter',
      ),
    ).toBe(true);
    expect(rows.filter((k) => k.isIndividual).every((k) => k.ownerUserId !== null)).toBe(true);
  });

  it('has KPIs at risk and off track in the current period', async () => {
    await ensureDemoOrganization({ now: NOW });
    const db = await getOwnerDb();
    const org = await orgBySlug(db, DEMO_ORG.slug);
    const statuses = [...(await currentStatuses(db, org.id, NOW)).values()];
    expect(statuses).toContain('at_risk');
    expect(statuses).toContain('off_track');
    // Mostly healthy: the demo shows a company on the whole on track.
    expect(statuses.filter((s) => s === 'on_track').length).toBeGreaterThan(statuses.length / 2);
    expect(statuses).not.toContain('no_data');
  });

  it('stores exactly the from-scratch recomputation of every period value', async () => {
    await ensureDemoOrganization({ now: NOW });
    const db = await getOwnerDb();
    const org = await orgBySlug(db, DEMO_ORG.slug);
    const report = await verifyOrganization(org);
    expect(report.drifts.map(describeDrift)).toEqual([]);
    expect(report.valuesChecked).toBeGreaterThan(1000);
  });

  it('generates the same values for the same day, and KPIs at risk and off track on any day', () => {
    const days = [
      '2026-01-01',
      '2026-02-28',
      '2026-03-31',
      '2026-05-09',
      '2026-07-15',
      '2026-09-30',
      '2026-12-01',
    ];
    const plan = (day: string) =>
      buildDemoPlan({ orgId: crypto.randomUUID(), today: day, now: new Date(`${day}T23:00:00Z`) });
    const shape = (p: ReturnType<typeof plan>) =>
      p.checkins
        .map((c) => `${p.kpis.find((k) => k.id === c.kpiId)?.key}|${c.observedOn}|${c.value}`)
        .sort();
    expect(shape(plan('2026-05-09'))).toEqual(shape(plan('2026-05-09')));
    for (const day of days) {
      const p = plan(day);
      expect(validateSeedPlan(p)).toEqual([]);
      const values = computeAllPeriodValues(
        p.kpis.map((k) => ({ ...k, archivedOn: null })),
        p.checkins.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
        p.org.fyStartMonth,
      );
      const overrides = new Map(p.targets.map((t) => [`${t.kpiId}|${t.periodStart}`, t.target]));
      const statuses = p.kpis.map((k) => {
        const start = periodStart(day, k.cadence, p.org.fyStartMonth);
        return evaluatePeriod({
          actual: values.get(k.id)?.get(start)?.value ?? null,
          target: overrides.get(`${k.id}|${start}`) ?? k.defaultTarget,
          baseline: k.baseline,
          direction: k.direction,
          timeAggregation: k.timeAggregation,
          periodStart: start,
          cadence: k.cadence,
          today: day,
          thresholds: DEFAULT_THRESHOLDS,
        }).status;
      });
      expect(statuses, day).toContain('at_risk');
      expect(statuses, day).toContain('off_track');
      expect(
        p.checkins.every(
          (c) => c.observedOn <= day && c.createdAt.getTime() <= Date.parse(`${day}T23:00:00Z`),
        ),
      ).toBe(true);
    }
  });
});

describe('demo mode', () => {
  it.each([
    [{}, true],
    [{ DATABASE_URL: 'postgres://x' }, false],
    [{ DATABASE_URL: 'postgres://x', DEMO_MODE: '1' }, true],
    [{ DEMO_MODE: '0' }, false],
    [{ DEMO_MODE: 'false' }, false],
    [{ DEMO_MODE: 'maybe' }, false],
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'production', DEMO_MODE: '1' }, true],
    [{ NODE_ENV: 'production', DEMO_MODE: 'true', DATABASE_URL: 'postgres://x' }, true],
    [{ NODE_ENV: 'development', DEMO_MODE: '' }, true],
  ] as const)('%j -> %s', (env, expected) => {
    expect(isDemoModeEnabled(env)).toBe(expected);
  });
});

describe('synthetic organization', () => {
  it('builds a valid depth-6 cascade that verifies clean', async () => {
    const result = await createSyntheticOrganization({
      kpis: 300,
      people: 60,
      months: 6,
      depth: 6,
      seed: 1,
      now: NOW,
    });
    expect(result.slug).toMatch(/^synthetic-[0-9a-f]{8}$/);
    expect(result.depth).toBe(6);
    expect(result.counts).toMatchObject({ memberships: 60, users: 60 });
    expect(result.signIns.map((s) => s.label)).toEqual([
      'Owner',
      'Admin',
      'Department lead',
      'Team lead',
      'Member',
    ]);

    const db = await getOwnerDb();
    expect(await linkProblems(db, result.orgId)).toEqual([]);
    const rows = await db.select().from(kpis).where(eq(kpis.orgId, result.orgId));
    expect(new Set(rows.map((k) => k.rollup))).toEqual(
      new Set(['manual', 'sum', 'average', 'weighted_average', 'min', 'max', 'formula']),
    );
    // The cascade's 300 KPIs, then the formula KPIs over department KPIs: a north star stock
    // reading its own prev() from an opening balance, and ratios.
    const formulas = rows.filter((k) => k.rollup === 'formula');
    expect(rows.length - formulas.length).toBe(300);
    expect(result.counts.kpis).toBe(rows.length);
    const northStar = formulas.find((k) => k.key === 'syn.north_star');
    expect(northStar).toMatchObject({ isNorthStar: true, missingPolicy: 'zero' });
    expect(northStar?.formula).toMatch(/^prev\(syn\.north_star\) \+ /);
    expect(northStar?.baseline).not.toBeNull();
    expect(formulas.filter((k) => k.key?.startsWith('syn.ratio.')).length).toBeGreaterThan(0);
    expect(rows.filter((k) => k.isNorthStar).length).toBeLessThanOrEqual(3);
    const [checkinCount] = await db
      .select({ n: count() })
      .from(checkins)
      .where(eq(checkins.orgId, result.orgId));
    expect(checkinCount?.n).toBe(result.counts.checkins);
    // Roughly one check-in per manual KPI per month.
    expect(result.counts.checkins).toBe(rows.filter((k) => k.rollup === 'manual').length * 6);

    const org = await orgBySlug(db, result.slug);
    const report = await verifyOrganization(org);
    expect(report.drifts.map(describeDrift)).toEqual([]);
    expect(report.valuesChecked).toBe(result.counts.periodValues);

    const member = result.signIns.find((s) => s.label === 'Member');
    const [memberRow] = await db
      .select({ id: users.id, hash: users.passwordHash })
      .from(users)
      .where(eq(users.email, member?.email ?? ''));
    const owned = rows.filter((k) => k.isIndividual && k.ownerUserId === memberRow?.id);
    expect(owned.length).toBeGreaterThan(0);
    expect(await verifyPassword(result.password, memberRow?.hash ?? '')).toBe(true);
  });
});
