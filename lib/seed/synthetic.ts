import { randomBytes, randomUUID } from 'node:crypto';
import { withOrgTx } from '@/db/client';
import { hashPassword } from '@/lib/auth/password';
import { assertValidSeedPlan } from './plan';
import { buildSyntheticPlan, type SyntheticOptions, type SyntheticSignIn } from './synthetic-plan';
import { createTimer, writeSeedPlan, type PhaseTimings, type SeedCounts } from './write';

/**
 * A large synthetic organization for scale tests and benchmarks: a company -> department -> team
 * unit tree, thousands of people, and a KPI cascade of the requested depth mixing every rollup
 * method and measure unit, with one check-in per manual KPI per month. Structure and values come
 * from a seeded PRNG (same options, same organization); ids, slug and emails are unique per run.
 */

export const SYNTHETIC_DEFAULTS = {
  kpis: 10_000,
  people: 2_000,
  months: 36,
  depth: 6,
  seed: 1,
} as const;

/** The password of every synthetic account (printed by the CLI). */
export const SYNTHETIC_PASSWORD = 'synthetic-seed-2026';

export type SyntheticResult = {
  orgId: string;
  slug: string;
  depth: number;
  counts: SeedCounts;
  timings: PhaseTimings;
  password: string;
  signIns: SyntheticSignIn[];
};

/**
 * Generates and writes one synthetic organization (slug `synthetic-<random>`) in one transaction:
 * validate the plan, bulk insert, materialize every period value from scratch. Every account
 * shares `SYNTHETIC_PASSWORD`, hashed once.
 */
export async function createSyntheticOrganization(
  options: SyntheticOptions,
): Promise<SyntheticResult> {
  if (options.depth > 12) throw new Error('--depth must be at most 12');
  if (options.people < 4)
    throw new Error('--people must be at least 4 (owner, admin, a lead, a member)');
  if (options.kpis < options.depth) throw new Error('--kpis must be at least --depth');
  if (options.months > 120) throw new Error('--months must be at most 120');
  const timer = createTimer();
  const orgId = randomUUID();
  const slug = `synthetic-${randomBytes(4).toString('hex')}`;
  const passwordHash = await timer.phase('hash password', () => hashPassword(SYNTHETIC_PASSWORD));
  const { plan, signIns, depth } = await timer.phase('generate', () =>
    buildSyntheticPlan({ ...options, orgId, slug }),
  );
  await timer.phase('validate', () => assertValidSeedPlan(plan));
  const counts = await withOrgTx(orgId, (tx) => writeSeedPlan(tx, plan, passwordHash, timer));
  return {
    orgId,
    slug,
    depth,
    counts,
    timings: timer.timings,
    password: SYNTHETIC_PASSWORD,
    signIns,
  };
}
