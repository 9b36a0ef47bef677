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

const jsonbOrNull = (value: unknown) =>
  value === undefined || value === null ? null : JSON.stringify(value);

/** The statement appending one audit record (for a pipelined transaction; see appendAudit). */
export function auditInsertSql(entry: AuditEntry): SQL {
  return sql`insert into audit_log (org_id, actor_user_id, action, entity_type, entity_id, before, after)
    values (${entry.orgId}::uuid, ${entry.actorUserId}::uuid, ${entry.action}, ${entry.entityType},
            ${entry.entityId}, ${jsonbOrNull(entry.before)}::jsonb, ${jsonbOrNull(entry.after)}::jsonb)`;
}

/** Appends one audit record inside the caller's tenant transaction (so it commits with the change). */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.execute(auditInsertSql(entry));
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
