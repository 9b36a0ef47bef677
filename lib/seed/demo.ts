import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, withOrgTx, withSlugOrgTx, type Tx } from '@/db/client';
import { kpiPeriodValues, memberships, organizations, users } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/authz/permissions';
import { todayInTimeZone } from '@/lib/domain/dates';
import { periodStart } from '@/lib/domain/periods';
import {
  DEFAULT_THRESHOLDS,
  evaluatePeriod,
  type Status,
  type Thresholds,
} from '@/lib/domain/progress';
import { DEMO_ORG, DEMO_PASSWORD, DEMO_PEOPLE } from './demo-data';
import { buildDemoPlan } from './demo-plan';
import { assertValidSeedPlan, type SeedPlan } from './plan';
import { createTimer, writeSeedPlan, type PhaseTimings, type SeedCounts } from './write';

/** Advisory lock key serializing demo seeding across processes (instances starting together). */
const DEMO_SEED_LOCK_KEY = 7_270_736_902;

/** Status counts of every KPI in its current period (org thresholds), computed from stored values. */
export async function currentStatusCounts(
  executor: Tx | Awaited<ReturnType<typeof getDb>>,
  plan: Pick<SeedPlan, 'kpis' | 'targets' | 'today' | 'org'>,
  thresholds: Thresholds,
): Promise<{ counts: Record<Status, number>; byKey: Map<string, Status> }> {
  const stored = await executor
    .select({
      kpiId: kpiPeriodValues.kpiId,
      start: kpiPeriodValues.periodStart,
      value: kpiPeriodValues.value,
    })
    .from(kpiPeriodValues)
    .where(eq(kpiPeriodValues.orgId, plan.org.id));
  const values = new Map(stored.map((r) => [`${r.kpiId}|${r.start}`, r.value]));
  const overrides = new Map(plan.targets.map((t) => [`${t.kpiId}|${t.periodStart}`, t.target]));
  const counts: Record<Status, number> = {
    on_track: 0,
    at_risk: 0,
    off_track: 0,
    in_progress: 0,
    no_data: 0,
  };
  const byKey = new Map<string, Status>();
  for (const kpi of plan.kpis) {
    const start = periodStart(plan.today, kpi.cadence, plan.org.fyStartMonth);
    const { status } = evaluatePeriod({
      actual: values.get(`${kpi.id}|${start}`) ?? null,
      target: overrides.get(`${kpi.id}|${start}`) ?? kpi.defaultTarget,
      baseline: kpi.baseline,
      direction: kpi.direction,
      timeAggregation: kpi.timeAggregation,
      periodStart: start,
      cadence: kpi.cadence,
      today: plan.today,
      thresholds,
    });
    counts[status] += 1;
    byKey.set(kpi.key ?? kpi.id, status);
  }
  return { counts, byKey };
}

/** What `ensureDemoOrganization` did. */
export type EnsureDemoResult =
  | {
      status: 'created';
      orgId: string;
      slug: string;
      counts: SeedCounts;
      statuses: Record<Status, number>;
      timings: PhaseTimings;
    }
  | { status: 'exists'; orgId: string; slug: string }
  | { status: 'skipped'; reason: 'other_organizations_exist' };

async function findDemoOrgId(
  executor: Tx | Awaited<ReturnType<typeof getDb>>,
): Promise<string | null> {
  const [row] = await executor
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.slug, DEMO_ORG.slug))
    .limit(1);
  return row?.id ?? null;
}

async function anyOrganizationExists(
  executor: Tx | Awaited<ReturnType<typeof getDb>>,
): Promise<boolean> {
  const [row] = await executor.select({ id: organizations.id }).from(organizations).limit(1);
  return row !== undefined;
}

/**
 * Creates the Northwind Cloud demo organization (slug `northwind-cloud`) unless it exists:
 * idempotent, and safe when several processes start together (an advisory lock serializes them
 * and the slug is re-checked under it). Everything is written in one transaction, so a failure
 * leaves nothing behind. With `onlyIfNoOrganizations` it does nothing when the database already
 * holds any organization (first start of an empty database only). Does not look at demo mode:
 * callers decide with `isDemoModeEnabled()`. `now` fixes the clock (tests); the data covers the
 * 36 months up to the org-local today (America/New_York).
 */
export async function ensureDemoOrganization(
  options: { now?: Date; onlyIfNoOrganizations?: boolean } = {},
): Promise<EnsureDemoResult> {
  const db = await getDb();
  const found = await findDemoOrgId(db);
  if (found) return { status: 'exists', orgId: found, slug: DEMO_ORG.slug };
  if (options.onlyIfNoOrganizations && (await anyOrganizationExists(db))) {
    return { status: 'skipped', reason: 'other_organizations_exist' };
  }
  const timer = createTimer();
  const passwordHash = await timer.phase('hash password', () => hashPassword(DEMO_PASSWORD));
  const orgId = randomUUID();
  return withOrgTx(orgId, async (tx): Promise<EnsureDemoResult> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_SEED_LOCK_KEY})`);
    const raced = await findDemoOrgId(tx);
    if (raced) return { status: 'exists', orgId: raced, slug: DEMO_ORG.slug };
    if (options.onlyIfNoOrganizations && (await anyOrganizationExists(tx))) {
      return { status: 'skipped', reason: 'other_organizations_exist' };
    }
    const now = options.now ?? new Date();
    const plan = await timer.phase('generate', () =>
      buildDemoPlan({ orgId, today: todayInTimeZone(DEMO_ORG.timeZone, now), now }),
    );
    await timer.phase('validate', () => assertValidSeedPlan(plan));
    const counts = await writeSeedPlan(tx, plan, passwordHash, timer);
    // The demo promises KPIs at risk and off track now: refuse (and roll back) a seed that lost them.
    const { counts: statuses } = await currentStatusCounts(tx, plan, DEFAULT_THRESHOLDS);
    if (statuses.at_risk === 0 || statuses.off_track === 0) {
      throw new Error(`Demo seed lost its at-risk/off-track KPIs: ${JSON.stringify(statuses)}`);
    }
    return {
      status: 'created',
      orgId,
      slug: DEMO_ORG.slug,
      counts,
      statuses,
      timings: timer.timings,
    };
  });
}

/** Values of DEMO_MODE that switch demo mode on or off; anything else counts as off. */
const ON = new Set(['1', 'true', 'yes', 'on']);
const OFF = new Set(['0', 'false', 'no', 'off']);

/**
 * Whether demo mode is on: the demo organization is seeded on first start and its accounts are
 * offered on the sign-in page. `DEMO_MODE=1` (or true/yes/on) turns it on and `DEMO_MODE=0` (or
 * false/no/off) off. Unset, it is on for the embedded database (no DATABASE_URL) and off with a
 * DATABASE_URL. With NODE_ENV=production it is off unless DEMO_MODE is set on explicitly: a
 * production server never publishes known passwords by accident.
 */
export function isDemoModeEnabled(
  source: Record<string, string | undefined> = process.env,
): boolean {
  const raw = source.DEMO_MODE?.trim().toLowerCase() ?? '';
  if (ON.has(raw)) return true;
  if (OFF.has(raw) || raw !== '') return false;
  if (source.NODE_ENV === 'production') return false;
  return !source.DATABASE_URL;
}

/** A demo account as the sign-in page lists it. */
export type DemoAccount = {
  email: string;
  password: string;
  name: string;
  /** Persona shown to the visitor: Owner, Admin, Department head, Team lead, Member. */
  label: string;
  /** Membership role in the demo organization. */
  role: Role;
  description: string;
};

const PERSONAS = DEMO_PEOPLE.filter((p) => p.persona !== undefined);

/**
 * The demo personas with the shared demo password, in persona order, for the sign-in page; empty
 * unless demo mode is on and the demo organization exists. A persona whose account was removed
 * from the organization is left out. One indexed query.
 */
export async function getDemoAccounts(): Promise<DemoAccount[]> {
  if (!isDemoModeEnabled()) return [];
  const rows = await withSlugOrgTx(DEMO_ORG.slug, (db) =>
    db
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(organizations.slug, DEMO_ORG.slug),
          inArray(
            users.email,
            PERSONAS.map((p) => p.email),
          ),
        ),
      ),
  );
  const present = new Set(rows.map((r) => r.email));
  return PERSONAS.filter((p) => present.has(p.email)).map((p) => ({
    email: p.email,
    password: DEMO_PASSWORD,
    name: p.name,
    label: p.persona?.label ?? p.title,
    role: p.role,
    description: p.persona?.description ?? p.title,
  }));
}
