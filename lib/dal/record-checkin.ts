import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { withOrgPipelinedTx, type Pipeline } from '@/db/client';
import { scopeNeedsUnitTree, type AuthzScope } from '@/lib/authz/can';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { planRecompute, walkRecompute } from '@/lib/domain/recompute';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { RecordCheckinInput } from '@/lib/validation/checkins';
import { auditInsertsSql, type AuditEntry } from './audit';
import { kpiTreeLockSql, lockOrgCascadeSql } from './cascade/locks';
import { deletePeriodValuesSql, upsertPeriodValuesSql } from './cascade/period-value-sql';
import {
  checkinRollupReadSql,
  parseCheckinRollupRead,
  type CheckinRollupRead,
} from './cascade/checkin-rollup';
import { assertKpiVisible } from './cascade/kpi-rows';
import { unitParentsSql } from './cascade/support';
import {
  assertManual,
  assertMayRecord,
  assertNotFuture,
  type CheckinDto,
  type CheckinSource,
} from './checkins';

/*
 * New check-ins, the hottest write of the product. Each runs in a pipelined transaction of two
 * round trips: BEGIN, the org setting, the locks and every read (checkinRollupReadSql) go out
 * together; the checks and the rollup walk (planRecompute / walkRecompute, as for every other
 * write) run in memory with the new check-in added; then one statement writing the check-in,
 * the changed period values and the audit record goes out with COMMIT.
 *
 * Group commit: while an organization's check-in transaction is in flight, the check-ins that
 * arrive for it in this process wait and then go together in one transaction (one lock, one
 * walk, one write, one commit for all of them), each checked with its own actor and answered on
 * its own: a refused one fails alone. A lone check-in goes at once, so nothing waits when the
 * app is quiet. If a shared transaction fails in the database, each of its check-ins is retried
 * alone, so no request fails because of another's. Check-ins of one group share the
 * transaction's timestamp: two of them on the same KPI and day were concurrent requests, whose
 * order was never defined (the check-in id breaks the tie, as in every computation).
 */

export type RecordCheckinRequest = RecordCheckinInput & { source?: CheckinSource };

type Queued = {
  ctx: OrgContext;
  input: RecordCheckinRequest;
  resolve: (dto: CheckinDto) => void;
  reject: (error: unknown) => void;
};

/** Most check-ins one shared transaction takes (the rest wait for the next). */
const MAX_GROUP = 64;

/** Per organization (and fiscal-year setting, which the walk depends on): waiting check-ins. */
const queues = new Map<string, { pending: Queued[]; running: boolean }>();

/**
 * Records one value of a manual KPI and recomputes that period of the KPI and its ancestors, in
 * a tenant transaction of its own (shared with concurrent check-ins of the org, see above). The
 * date may not be after today in the org's time zone. Tenant: ctx.org. Permission:
 * `checkins.write` with target { unitId, ownerUserId } of the KPI (an individual KPI the actor
 * cannot see is NOT_FOUND). A lone check-in holds the org cascade lock shared and its KPI tree's
 * exclusively; a group holds the org cascade lock exclusively.
 */
export function recordCheckin(ctx: OrgContext, input: RecordCheckinRequest): Promise<CheckinDto> {
  const key = `${ctx.org.id}|${ctx.org.fyStartMonth}`;
  let queue = queues.get(key);
  if (!queue) queues.set(key, (queue = { pending: [], running: false }));
  const q = queue;
  return new Promise<CheckinDto>((resolve, reject) => {
    q.pending.push({ ctx, input, resolve, reject });
    if (!q.running) void drain(key, q);
  });
}

async function drain(key: string, q: { pending: Queued[]; running: boolean }): Promise<void> {
  q.running = true;
  try {
    while (q.pending.length > 0) await recordGroup(q.pending.splice(0, MAX_GROUP));
  } finally {
    q.running = false;
    if (q.pending.length === 0) queues.delete(key);
  }
}

/**
 * Records a group in one transaction and answers each of its check-ins. When that transaction
 * fails in the database, a group of several retries each one alone (side by side, each under its
 * own tree lock), so none fails for another; a lone check-in gets the error.
 */
async function recordGroup(group: Queued[]): Promise<void> {
  let outcomes: Outcome[];
  try {
    outcomes = await recordTogether(group[0]!.ctx, group);
  } catch (error) {
    if (group.length === 1) outcomes = [{ error }];
    else {
      await Promise.all(group.map((item) => recordGroup([item])));
      return;
    }
  }
  group.forEach((item, i) => {
    const outcome = outcomes[i] ?? { error: new Error('check-in gave no outcome') };
    if ('dto' in outcome) item.resolve(outcome.dto);
    else item.reject(outcome.error);
  });
}

type Outcome = { dto: CheckinDto } | { error: unknown };

/** The scope a lead is checked with: the unit tree as this transaction reads it. */
function needsUnitTree(ctx: OrgContext): boolean {
  return scopeNeedsUnitTree(ctx.actor);
}

/** Sends the locks and the read of these check-ins (one org). */
function sendReads(
  p: Pipeline,
  orgId: string,
  fyStartMonth: number,
  items: readonly { ctx: OrgContext; input: RecordCheckinRequest }[],
) {
  if (items.length === 1) {
    for (const lock of kpiTreeLockSql(orgId, items[0]!.input.kpiId)) void p.query(lock);
  } else {
    void p.query(lockOrgCascadeSql(orgId));
  }
  const tree = items.some((i) => needsUnitTree(i.ctx))
    ? p.query<{ id: string; parent_id: string | null }>(unitParentsSql(orgId))
    : undefined;
  const read = p.query(
    checkinRollupReadSql(
      orgId,
      items.map((i) => ({ kpiId: i.input.kpiId, observedOn: i.input.observedOn })),
      fyStartMonth,
    ),
  );
  return { tree, read };
}

/** Checks one check-in against its read and returns it as it will be stored. */
function acceptCheckin(
  ctx: OrgContext,
  input: RecordCheckinRequest,
  read: CheckinRollupRead,
  unitParentOf: Map<string, string | null> | undefined,
): CheckinDto {
  const kpi = read.kpis.get(input.kpiId.toLowerCase()); // ids come back in canonical form
  if (!kpi) throw notFoundError();
  const scope: AuthzScope =
    unitParentOf && needsUnitTree(ctx) ? { actor: ctx.actor, unitParentOf } : ctx;
  assertKpiVisible(scope, kpi);
  assertMayRecord(scope, kpi);
  assertManual(kpi);
  assertNotFuture(input.observedOn, ctx.org.timeZone);
  return {
    id: randomUUID(),
    kpiId: kpi.id,
    observedOn: input.observedOn,
    value: normalizeDecimal(input.value),
    note: input.note ?? '',
    source: input.source ?? 'manual',
    authorUserId: ctx.actor.userId,
    version: 1,
    // now(): the transaction's timestamp, which `created_at` defaults to.
    createdAt: new Date(read.now).toISOString(),
  };
}

/**
 * Records check-ins of one org in one pipelined transaction and returns each one's outcome (in
 * order): the stored check-in, or the error that refused it. Throws only when the transaction
 * itself fails.
 */
async function recordTogether(
  ctx: OrgContext,
  items: readonly { ctx: OrgContext; input: RecordCheckinRequest }[],
): Promise<Outcome[]> {
  const orgId = ctx.org.id;
  const { fyStartMonth } = ctx.org;
  return withOrgPipelinedTx(orgId, async (p) => {
    const { tree, read: sent } = sendReads(p, orgId, fyStartMonth, items);
    const unitParentOf = tree
      ? new Map((await tree).map((r) => [r.id, r.parent_id] as const))
      : undefined;
    const read = parseCheckinRollupRead((await sent)[0]);
    const outcomes: Outcome[] = [];
    const accepted: CheckinDto[] = [];
    for (const item of items) {
      try {
        const dto = acceptCheckin(item.ctx, item.input, read, unitParentOf);
        accepted.push(dto);
        outcomes.push({ dto });
      } catch (error) {
        outcomes.push({ error });
      }
    }
    if (accepted.length === 0) return outcomes; // nothing to write: commits an empty transaction

    const sources = new Map<string, string[]>();
    for (const c of accepted) sources.set(c.kpiId, [...(sources.get(c.kpiId) ?? []), c.observedOn]);
    const plan = planRecompute(read.chain, read.children, fyStartMonth, sources);
    const newCheckins = accepted.map((c) => ({ ...c, createdAt: read.now }));
    const walked = plan
      ? walkRecompute(plan, [...read.checkins, ...newCheckins], read.stored)
      : { upserts: [], deletes: [] };
    const audits: AuditEntry[] = accepted.map((after) => ({
      orgId,
      actorUserId: after.authorUserId,
      action: 'checkin.create',
      entityType: 'checkin',
      entityId: after.id,
      after,
    }));
    // One statement (data-modifying CTEs all run, each row touched once), sent with COMMIT.
    void p.query(sql`with new_checkins as (${insertCheckinsSql(orgId, accepted)}),
        changed as (${upsertPeriodValuesSql(orgId, walked.upserts)}),
        gone as (${deletePeriodValuesSql(orgId, walked.deletes)}),
        audited as (${auditInsertsSql(audits)})
      select 1`);
    p.commit();
    return outcomes;
  });
}

/** New check-ins (any number, any note text) as one insert; `created_at` defaults to now(). */
function insertCheckinsSql(orgId: string, rows: readonly CheckinDto[]): SQL {
  const records = rows.map((c) => ({
    id: c.id,
    kpi_id: c.kpiId,
    observed_on: c.observedOn,
    value: c.value,
    note: c.note,
    source: c.source,
    author_user_id: c.authorUserId,
  }));
  return sql`insert into checkins (id, org_id, kpi_id, observed_on, value, note, source, author_user_id)
    select r.id, ${orgId}::uuid, r.kpi_id, r.observed_on, r.value, r.note, r.source::checkin_source,
           r.author_user_id
      from json_to_recordset(${JSON.stringify(records)}::json)
        as r(id uuid, kpi_id uuid, observed_on date, value numeric, note text, source text,
             author_user_id uuid)`;
}
