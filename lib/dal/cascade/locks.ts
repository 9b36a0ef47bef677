import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';

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
 */
export function kpiTreeLockSql(orgId: string, kpiId: string): [SQL, SQL] {
  return [
    sql`select pg_advisory_xact_lock_shared(hashtextextended(${orgId}::text, 42))`,
    // Two int4 keys: a lock space apart from the org lock's one int8 key.
    sql`with recursive up as (
          select k.id, k.parent_id, 0 as depth from kpis k
           where k.org_id = ${orgId}::uuid and k.id = ${kpiId}::uuid
          union all
          select k.id, k.parent_id, up.depth + 1 from kpis k
            join up on k.org_id = ${orgId}::uuid and k.id = up.parent_id
           where up.depth < 64
        )
        select pg_advisory_xact_lock(hashtext(${orgId}::text), hashtext(up.id::text))
          from up where up.parent_id is null`,
  ];
}
