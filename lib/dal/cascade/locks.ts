import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { formulaReachCte } from './formulas';

/*
 * The cascade's locks. Every writer of an organization's unit tree, KPI cascade and check-ins
 * takes one of them first; tenant-scoped by the org id they are given, no authorization here.
 */

/**
 * Serializes every writer of one organization's unit tree, KPI cascade and check-ins until the
 * end of the caller's transaction (`pg_advisory_xact_lock` keyed on the org id). Take it before
 * reading anything a write depends on, so reads made after it see every earlier writer's commit.
 */
export async function lockOrgCascade(tx: Tx, orgId: string): Promise<void> {
  await tx.execute(lockOrgCascadeSql(orgId));
}

/** The statement of lockOrgCascade (for a pipelined transaction). */
export function lockOrgCascadeSql(orgId: string): SQL {
  return sql`select pg_advisory_xact_lock(hashtextextended(${orgId}::text, 42))`;
}

/**
 * The locks of a writer that only adds a value under one KPI tree (a single check-in), as two
 * statements to send in this order: the org cascade lock in shared mode, so every other writer
 * (which takes it exclusively) still waits for it and it for them, then an exclusive lock on the
 * root of the KPI's tree, which serializes it with the writers of the same tree only. Check-ins
 * under different north stars then run side by side: the rollup of one tree never reads or
 * writes another's rows. The tree cannot change while the shared lock is held, so the root found
 * here stays the root; statements sent after them see every commit of earlier writers of the
 * tree. A KPI that does not exist locks no tree (the caller's checks then refuse it).
 *
 * Formula KPIs read across trees: the check-in also locks the root of every tree holding a KPI
 * its value can reach through parent links and formula references (formulaReachCte), in one
 * order (by id, so two such writers never deadlock). Two check-ins on drivers of one formula in
 * different trees therefore serialize on the formula's tree, and the second one's recompute of
 * the formula reads the first one's committed value: both show in it. Formula definitions and
 * links change only under the exclusive org lock, so the reach found here stays true.
 */
export function kpiTreeLockSql(orgId: string, kpiId: string): [SQL, SQL] {
  return [
    sql`select pg_advisory_xact_lock_shared(hashtextextended(${orgId}::text, 42))`,
    // Two int4 keys: a lock space apart from the org lock's one int8 key.
    sql`with recursive ${formulaReachCte(orgId, sql`array[${kpiId}::uuid]`)}
        select pg_advisory_xact_lock(hashtext(${orgId}::text), hashtext(t.id::text))
          from (select distinct id from reach where parent_id is null order by id) t`,
  ];
}
