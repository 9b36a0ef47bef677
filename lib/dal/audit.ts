import { sql, type SQL } from 'drizzle-orm';
import { withOrgTx, type Tx } from '@/db/client';

export type AuditEntry = {
  orgId: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

/** The statement appending audit records (any number; for a pipelined transaction too). */
export function auditInsertsSql(entries: readonly AuditEntry[]): SQL {
  const records = entries.map((e) => ({
    org_id: e.orgId,
    actor_user_id: e.actorUserId,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
  }));
  return sql`insert into audit_log (org_id, actor_user_id, action, entity_type, entity_id, before, after)
    select r.org_id, r.actor_user_id, r.action, r.entity_type, r.entity_id, r.before, r.after
      from json_to_recordset(${JSON.stringify(records)}::json)
        as r(org_id uuid, actor_user_id uuid, action text, entity_type text, entity_id text,
             before jsonb, after jsonb)`;
}

/** Appends one audit record inside the caller's tenant transaction (so it commits with the change). */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.execute(auditInsertsSql([entry]));
}

/**
 * Records a refused attempt (FORBIDDEN) in its own small transaction: the action's transaction
 * was rolled back with the refusal. Never throws (a failed record is logged, the refusal stands).
 */
export async function appendDenied(entry: {
  orgId: string;
  actorUserId: string | null;
  /** What was attempted: the permission of a server action, or `api:<method> <path>`. */
  attempted: string;
  requestId?: string;
  reason: string;
}): Promise<void> {
  try {
    await withOrgTx(entry.orgId, (tx) =>
      appendAudit(tx, {
        orgId: entry.orgId,
        actorUserId: entry.actorUserId,
        action: 'authz.denied',
        entityType: 'attempt',
        entityId: entry.attempted,
        after: { reason: entry.reason, requestId: entry.requestId ?? null },
      }),
    );
  } catch (error) {
    console.error('could not record a denied attempt', entry.requestId, error);
  }
}
