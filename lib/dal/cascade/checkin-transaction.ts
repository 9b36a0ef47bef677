import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { withOrgPipelinedTx, type Pipeline } from '@/db/pipeline';
import { scopeNeedsUnitTree, type AuthzScope } from '@/lib/authz/can';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { PeriodValue } from '@/lib/domain/cascade-compute';
import { planRecompute, walkRecompute, type PeriodValueRow } from '@/lib/domain/recompute';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { RecordCheckinInput } from '@/lib/validation/checkins';
import { auditInsertsSql, type AuditEntry } from '../audit';
import {
  assertManual,
  assertMayRecord,
  assertNotFuture,
  type CheckinDto,
  type CheckinSource,
} from '../checkins/rules';
import { assertInRange, assertUsualOrConfirmed } from '../checkins/value-checks';
import {
  checkinRollupReadSql,
  parseCheckinRollupRead,
  type CheckinRollupRead,
} from './checkin-rollup';
import { assertKpiVisible } from './kpi-rows';
import { kpiTreeLockSql, lockOrgCascadeSql } from './locks';
import { formulaPassWrites } from './formulas';
import { continueThroughFormulas } from './recompute';
import { periodValueWriteCtes } from './period-value-sql';
import { unitParentsSql } from './support';
import { checkinRecordedEvent, webhookEventsInsertSql } from '../webhooks/outbox';

/*
 * The pipelined transaction of new check-ins (one, or a group of one org): BEGIN, the org
 * setting, the locks and every read go out together; the checks, the rollup walk and the pass of
 * the formulas the check-ins reach run in memory; then one statement writing the check-ins, the
 * changed period values (the chains' and the formulas') and the audit records goes out with
 * COMMIT. Two round trips; more only when a changed formula has a parent or a formula reading it
 * (continueThroughFormulas). The group-commit queue in ../record-checkin decides what goes
 * together.
 */

/** A check-in to record, with where it came from (the form by default). */
export type RecordCheckinRequest = RecordCheckinInput & { source?: CheckinSource };

/** What became of one check-in of a group: stored, or refused with its own error. */
export type Outcome = { dto: CheckinDto } | { error: unknown };

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
  const tree = items.some((i) => scopeNeedsUnitTree(i.ctx.actor))
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
  recent: readonly string[],
  unitParentOf: Map<string, string | null> | undefined,
): CheckinDto {
  const kpi = read.kpis.get(input.kpiId.toLowerCase()); // ids come back in canonical form
  if (!kpi) throw notFoundError();
  const scope: AuthzScope =
    unitParentOf && scopeNeedsUnitTree(ctx.actor) ? { actor: ctx.actor, unitParentOf } : ctx;
  assertKpiVisible(scope, kpi);
  assertMayRecord(scope, kpi);
  assertManual(kpi);
  assertNotFuture(input.observedOn, ctx.org.timeZone);
  const value = normalizeDecimal(input.value);
  assertInRange(kpi, value, ctx.org.locale);
  assertUsualOrConfirmed(kpi, value, recent, input.confirmUnusual, ctx.org.locale);
  return {
    id: randomUUID(),
    kpiId: kpi.id,
    observedOn: input.observedOn,
    value,
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
 * itself fails. Tenant: ctx.org (every item's ctx is of the same org). Permission: each item is
 * checked with its own actor, `checkins.write` on its KPI (a KPI it cannot see is NOT_FOUND),
 * leads against the unit tree as this transaction reads it.
 */
export async function recordTogether(
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
    const read = parseCheckinRollupRead((await sent)[0], items.length);
    const outcomes: Outcome[] = [];
    const accepted: CheckinDto[] = [];
    for (const [index, item] of items.entries()) {
      try {
        const recent = read.recent[index] ?? [];
        const dto = acceptCheckin(item.ctx, item.input, read, recent, unitParentOf);
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
    // The formulas reading the chains, recomputed from their inputs as the walk leaves them
    // (formulas.ts; only the periods from the earliest changed one on can change: `since`).
    const since = [
      ...[...walked.upserts, ...walked.deletes].map((r) => r.periodStart),
      ...accepted.map((c) => c.observedOn),
    ].sort()[0]!;
    const formulas =
      read.formulas.closure.reached.length > 0
        ? formulaPassWrites(
            read.formulas.closure,
            withWalk(read.formulas.inputValues, walked),
            read.formulas.stored,
            fyStartMonth,
            since,
          )
        : null;
    const audits: AuditEntry[] = accepted.map((after) => ({
      orgId,
      actorUserId: after.authorUserId,
      action: 'checkin.create',
      entityType: 'checkin',
      entityId: after.id,
      after,
    }));
    // One statement (data-modifying CTEs all run, each row touched once: the walk never writes
    // a formula KPI, the formula pass nothing else), sent with COMMIT; it also records the changed
    // values in the alerts outbox (periodValueWriteCtes) and the check-ins in the webhook outbox
    // (only where an endpoint subscribes).
    const upserts = [...walked.upserts, ...(formulas?.upserts ?? [])];
    const deletes = [...walked.deletes, ...(formulas?.deletes ?? [])];
    void p.query(sql`with new_checkins as (${insertCheckinsSql(orgId, accepted)}),
        ${periodValueWriteCtes(orgId, upserts, deletes)},
        audited as (${auditInsertsSql(audits)}),
        webhook_out as (${webhookEventsInsertSql(orgId, accepted.map(checkinRecordedEvent))})
      select 1`);
    if (formulas) {
      // A changed formula with a parent or a formula reading it: the chains above it and the
      // formulas after it, in this transaction, under the locks of every tree they reach
      // (kpiTreeLockSql), then commit.
      await continueThroughFormulas({ pipeline: p }, orgId, fyStartMonth, formulas.result, since);
    }
    p.commit();
    return outcomes;
  });
}

/** Stored values with the walk's upserts and deletes applied (a copy: the read stays as read). */
function withWalk(
  values: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>>,
  walked: {
    upserts: readonly PeriodValueRow[];
    deletes: readonly { kpiId: string; periodStart: string }[];
  },
): Map<string, Map<string, PeriodValue>> {
  const out = new Map([...values].map(([id, byStart]) => [id, new Map(byStart)] as const));
  for (const { kpiId, periodStart, ...value } of walked.upserts) {
    let own = out.get(kpiId);
    if (!own) out.set(kpiId, (own = new Map()));
    own.set(periodStart, value);
  }
  for (const { kpiId, periodStart } of walked.deletes) out.get(kpiId)?.delete(periodStart);
  return out;
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
