import { inArray, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import {
  auditLog,
  checkins,
  kpis,
  kpiTargets,
  memberships,
  organizations,
  units,
  users,
} from '@/db/schema';
import { isOwnerRole } from '@/lib/authz/roles';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import { materializeOrgPeriodValues } from '@/lib/dal/cascade/rebuild';
import { formulaInputKeys } from '@/lib/domain/formula/references';
import { insertInChunks, insertUnnest } from '@/db/bulk-insert';
import type { SeedCheckin, SeedPlan } from './plan';

/** Row counts written by `writeSeedPlan`. */
export type SeedCounts = {
  users: number;
  reusedUsers: number;
  memberships: number;
  units: number;
  kpis: number;
  targets: number;
  checkins: number;
  periodValues: number;
};

/** Milliseconds per phase, in order. */
export type PhaseTimings = [phase: string, ms: number][];

/** Records how long each awaited phase takes. */
export function createTimer(): {
  phase<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  timings: PhaseTimings;
} {
  const timings: PhaseTimings = [];
  return {
    timings,
    async phase(name, fn) {
      const started = performance.now();
      try {
        return await fn();
      } finally {
        timings.push([name, Math.round(performance.now() - started)]);
      }
    },
  };
}

function depthOrder<T extends { id: string; parentId: string | null }>(rows: readonly T[]): T[] {
  const parentOf = new Map(rows.map((r) => [r.id, r.parentId]));
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    let d = 0;
    for (
      let p = parentOf.get(id) ?? null;
      p !== null && d <= rows.length;
      p = parentOf.get(p) ?? null
    )
      d += 1;
    depth.set(id, d);
    return d;
  };
  // Parents first, so each chunk's composite foreign keys find rows already written.
  return [...rows].sort((a, b) => depthOf(a.id) - depthOf(b.id));
}

/**
 * Writes a validated plan inside the caller's transaction (which has `app.org_id` set to the
 * plan's org): organization, users (an existing account with the same email is reused, its
 * password untouched), units, memberships, unit leads, KPIs, targets and check-ins in multi-row
 * chunks; then, under the org's cascade lock, every period value from scratch (the same computation
 * `db:verify` compares against) and one audit record (`materializeOrgPeriodValues`: the same computation as `rebuildOrgPeriodValues`, written
 * in bulk). Every new user gets `passwordHash` (hashed once by the caller: scrypt is deliberately
 * slow, and thousands of identical demo passwords need no separate salts).
 */
export async function writeSeedPlan(
  tx: Tx,
  plan: SeedPlan,
  passwordHash: string,
  timer: ReturnType<typeof createTimer>,
): Promise<SeedCounts> {
  const orgId = plan.org.id;
  await timer.phase('organization', () => tx.insert(organizations).values(plan.org));

  const { userIdOf, reused } = await timer.phase('users', async () => {
    const existing = new Map<string, string>();
    const emails = plan.users.map((u) => u.email);
    for (let i = 0; i < emails.length; i += 5000) {
      const rows = await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.email, emails.slice(i, i + 5000)));
      for (const row of rows) existing.set(row.email, row.id);
    }
    const fresh = plan.users.filter((u) => !existing.has(u.email));
    await insertInChunks(
      tx,
      users,
      fresh.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        passwordHash,
        // Seeded people have no mailbox to prove: they count as verified (no banner).
        emailVerifiedAt: sql`now()`,
        lastOrgId: orgId,
      })),
    );
    const map = new Map(plan.users.map((u) => [u.id, existing.get(u.email) ?? u.id]));
    return { userIdOf: (id: string) => map.get(id) ?? id, reused: existing.size };
  });
  const userOrNull = (id: string | null) => (id === null ? null : userIdOf(id));

  await timer.phase('units', () =>
    insertInChunks(
      tx,
      units,
      depthOrder(plan.units).map((u) => ({
        id: u.id,
        orgId,
        parentId: u.parentId,
        kind: u.kind,
        name: u.name,
        sortOrder: u.sortOrder,
      })),
    ),
  );
  await timer.phase('memberships', async () => {
    await insertInChunks(
      tx,
      memberships,
      plan.memberships.map((m) => ({
        orgId,
        userId: userIdOf(m.userId),
        role: m.role,
        homeUnitId: m.homeUnitId,
      })),
    );
    // Leads reference memberships, which reference units: set them once both exist.
    const leads = plan.units.filter((u) => u.leadUserId !== null);
    for (let i = 0; i < leads.length; i += 2000) {
      const values = sql.join(
        leads
          .slice(i, i + 2000)
          .map((u) => sql`(${u.id}::uuid, ${userOrNull(u.leadUserId)}::uuid)`),
        sql`, `,
      );
      await tx.execute(sql`update ${units} set lead_user_id = v.lead
        from (values ${values}) as v(id, lead)
        where ${units.orgId} = ${orgId}::uuid and ${units.id} = v.id`);
    }
  });

  // Fresh statistics for the tables the next rows reference. The foreign-key checks of an insert
  // run as plans cached for the session; planned while these tables looked empty (a new database,
  // or an earlier seed in the same session) they scan instead of using the key index, and a large
  // seed turns quadratic (measured on PGlite: check-ins 10 s -> 500 s after a demo seed in the
  // same process). ANALYZE counts this transaction's own rows and invalidates those plans.
  await timer.phase('analyze', () => tx.execute(sql`analyze users, units, memberships`));
  await timer.phase('kpis', () =>
    insertInChunks(
      tx,
      kpis,
      depthOrder(plan.kpis).map((k) => ({
        ...k,
        orgId,
        ownerUserId: userOrNull(k.ownerUserId),
        formulaInputs: formulaInputKeys(k.formula ?? null),
      })),
    ),
  );
  await timer.phase('targets', () =>
    insertInChunks(
      tx,
      kpiTargets,
      plan.targets.map((t) => ({ orgId, ...t })),
    ),
  );
  // Fresh statistics for the KPIs the check-ins and period values reference (see above).
  await timer.phase('analyze kpis', () => tx.execute(sql`analyze kpis`));

  // Check-ins are the bulk of a large seed: one array parameter per column instead of one
  // parameter per cell (see insertUnnest).
  await timer.phase('checkins', () =>
    insertUnnest<SeedCheckin>(
      tx,
      checkins,
      [
        { name: checkins.id.name, type: 'uuid', value: (c) => c.id },
        { name: checkins.orgId.name, type: 'uuid', value: () => orgId },
        { name: checkins.kpiId.name, type: 'uuid', value: (c) => c.kpiId },
        { name: checkins.observedOn.name, type: 'date', value: (c) => c.observedOn },
        { name: checkins.value.name, type: 'numeric', value: (c) => c.value },
        { name: checkins.note.name, type: 'text', value: (c) => c.note },
        {
          name: checkins.authorUserId.name,
          type: 'uuid',
          value: (c) => userOrNull(c.authorUserId),
        },
        { name: checkins.source.name, type: 'checkin_source', value: (c) => c.source },
        {
          name: checkins.createdAt.name,
          type: 'timestamptz',
          value: (c) => c.createdAt.toISOString(),
        },
        {
          name: checkins.updatedAt.name,
          type: 'timestamptz',
          value: (c) => c.createdAt.toISOString(),
        },
      ],
      plan.checkins,
    ),
  );

  const periodValues = await timer.phase('materialize', async () => {
    await lockOrgCascade(tx, orgId);
    return materializeOrgPeriodValues(tx, orgId, plan.org.fyStartMonth);
  });

  const owner = plan.memberships.find((m) => isOwnerRole(m.role));
  await tx.insert(auditLog).values({
    orgId,
    actorUserId: owner ? userIdOf(owner.userId) : null,
    action: 'org.create',
    entityType: 'organization',
    entityId: orgId,
    after: { name: plan.org.name, slug: plan.org.slug, seeded: true },
  });

  return {
    users: plan.users.length - reused,
    reusedUsers: reused,
    memberships: plan.memberships.length,
    units: plan.units.length,
    kpis: plan.kpis.length,
    targets: plan.targets.length,
    checkins: plan.checkins.length,
    periodValues,
  };
}
