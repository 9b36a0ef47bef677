import { and, desc, eq, sql } from 'drizzle-orm';
import { withOrgRead, withOrgTx, type Tx } from '@/db/client';
import { kpis, kpiSqlPulls, sqlPullRuns, sqlSources } from '@/db/schema';
import { assertCan, type AuthzScope } from '@/lib/authz/can';
import type { PullSchedule } from '@/lib/domain/sql-pull';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { KpiSqlPullInput, SaveKpiSqlPullInput } from '@/lib/validation/sql-sources';
import { appendAudit } from '../audit';
import { getKpiForWrite, type KpiForWrite } from '../cascade/kpi-rows';
import { authzScopeInTx } from '../cascade/support';
import { assertManual } from '../checkins/rules';

/*
 * A KPI's pull from a SQL source: its settings (source, query, schedule) and its log. Who may
 * set it up: whoever may edit the KPI's definition (`kpis.write` on the KPI, like the KPI form);
 * a KPI whose values are recorded by hand (rollup `manual`) and not archived only.
 */

/** A KPI's pull as its page shows it, with its last run. */
export type KpiSqlPullDto = {
  id: string;
  sourceId: string;
  query: string;
  schedule: PullSchedule;
  nextRunAt: string;
  /** Its next run time has passed: the scheduler runs it within minutes. */
  due: boolean;
  lastRun: SqlPullRunDto | null;
};

/** One line of the pull log. */
export type SqlPullRunDto = {
  id: string;
  kpiId: string;
  kpiName: string;
  sourceId: string;
  status: 'ok' | 'failed';
  rowsRead: number;
  rowsWritten: number;
  error: string | null;
  trigger: 'schedule' | 'manual';
  finishedAt: string;
};

/**
 * The KPI of a pull, checked for the actor: another organization's KPI, a missing one and one
 * they may not see are NOT_FOUND alike; one they may not edit is FORBIDDEN.
 */
export async function loadKpiForPull(
  ctx: OrgContext,
  tx: Tx,
  kpiId: string,
): Promise<{ kpi: KpiForWrite; scope: AuthzScope }> {
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, ctx.org.id, kpiId);
  assertCan(scope, 'kpis.write', kpi);
  return { kpi, scope };
}

/** Refuses a KPI a pull cannot write to: archived, or computed (formula, children). */
export function assertPullable(kpi: KpiForWrite): void {
  if (kpi.archivedOn) {
    throw validationError('This KPI is archived: its values can no longer change.');
  }
  assertManual(kpi);
}

const runColumns = {
  id: sqlPullRuns.id,
  kpiId: sqlPullRuns.kpiId,
  kpiName: kpis.name,
  sourceId: sqlPullRuns.sourceId,
  status: sqlPullRuns.status,
  rowsRead: sqlPullRuns.rowsRead,
  rowsWritten: sqlPullRuns.rowsWritten,
  error: sqlPullRuns.error,
  trigger: sqlPullRuns.trigger,
  finishedAt: sqlPullRuns.finishedAt,
};

type RunRow = { [K in keyof typeof runColumns]: unknown } & { finishedAt: Date };

function toRunDto(row: RunRow): SqlPullRunDto {
  return {
    ...(row as unknown as Omit<SqlPullRunDto, 'finishedAt'>),
    finishedAt: row.finishedAt.toISOString(),
  };
}

/**
 * A KPI's pull with its last run, or null. Tenant: ctx.org. Permission: `kpis.write` on the KPI.
 */
export async function getKpiSqlPull(ctx: OrgContext, kpiId: string): Promise<KpiSqlPullDto | null> {
  return withOrgTx(ctx.org.id, async (tx) => {
    await loadKpiForPull(ctx, tx, kpiId);
    const [pull] = await tx
      .select({
        id: kpiSqlPulls.id,
        sourceId: kpiSqlPulls.sourceId,
        query: kpiSqlPulls.query,
        schedule: kpiSqlPulls.schedule,
        nextRunAt: kpiSqlPulls.nextRunAt,
        due: sql<boolean>`${kpiSqlPulls.nextRunAt} <= now()`,
      })
      .from(kpiSqlPulls)
      .where(and(eq(kpiSqlPulls.orgId, ctx.org.id), eq(kpiSqlPulls.kpiId, kpiId)));
    if (!pull) return null;
    const [last] = await tx
      .select(runColumns)
      .from(sqlPullRuns)
      .innerJoin(kpis, and(eq(kpis.orgId, sqlPullRuns.orgId), eq(kpis.id, sqlPullRuns.kpiId)))
      .where(and(eq(sqlPullRuns.orgId, ctx.org.id), eq(sqlPullRuns.kpiId, kpiId)))
      .orderBy(desc(sqlPullRuns.finishedAt), desc(sqlPullRuns.id))
      .limit(1);
    return {
      ...pull,
      schedule: pull.schedule as PullSchedule,
      nextRunAt: pull.nextRunAt.toISOString(),
      lastRun: last ? toRunDto(last) : null,
    };
  });
}

/**
 * Creates or replaces a KPI's pull (due at once: the scheduler pulls it within minutes). The
 * source must be the organization's (else NOT_FOUND). Audited. Tenant: ctx.org. Permission:
 * `kpis.write` on the KPI.
 */
export async function saveKpiSqlPull(
  ctx: OrgContext,
  tx: Tx,
  input: SaveKpiSqlPullInput,
): Promise<{ id: string }> {
  const orgId = ctx.org.id;
  const { kpi } = await loadKpiForPull(ctx, tx, input.kpiId);
  assertPullable(kpi);
  const [source] = await tx
    .select({ id: sqlSources.id })
    .from(sqlSources)
    .where(and(eq(sqlSources.orgId, orgId), eq(sqlSources.id, input.sourceId)));
  if (!source) throw notFoundError();
  const values = {
    sourceId: input.sourceId,
    query: input.query,
    schedule: input.schedule,
    nextRunAt: sql`now()`,
    updatedByUserId: ctx.actor.userId,
    updatedAt: sql`now()`,
  };
  const [row] = await tx
    .insert(kpiSqlPulls)
    .values({ orgId, kpiId: kpi.id, ...values })
    .onConflictDoUpdate({ target: [kpiSqlPulls.orgId, kpiSqlPulls.kpiId], set: values })
    .returning({ id: kpiSqlPulls.id });
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'kpi.sql_pull_save',
    entityType: 'kpi',
    entityId: kpi.id,
    after: { sourceId: input.sourceId, query: input.query, schedule: input.schedule },
  });
  return { id: row!.id };
}

/**
 * Stops a KPI's pull (its log and the values it pulled stay). NOT_FOUND when it has none.
 * Audited. Tenant: ctx.org. Permission: `kpis.write` on the KPI.
 */
export async function deleteKpiSqlPull(
  ctx: OrgContext,
  tx: Tx,
  input: KpiSqlPullInput,
): Promise<{ kpiId: string }> {
  const { kpi } = await loadKpiForPull(ctx, tx, input.kpiId);
  const [row] = await tx
    .delete(kpiSqlPulls)
    .where(and(eq(kpiSqlPulls.orgId, ctx.org.id), eq(kpiSqlPulls.kpiId, kpi.id)))
    .returning({ query: kpiSqlPulls.query, sourceId: kpiSqlPulls.sourceId });
  if (!row) throw notFoundError();
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'kpi.sql_pull_delete',
    entityType: 'kpi',
    entityId: kpi.id,
    before: row,
  });
  return { kpiId: kpi.id };
}

/**
 * The pull log of the organization's sources, newest first (at most `limit`). Tenant: ctx.org.
 * Permission: `settings.manage`.
 */
export async function listSqlPullLog(ctx: OrgContext, limit = 100): Promise<SqlPullRunDto[]> {
  assertCan(ctx, 'settings.manage');
  const rows = await withOrgRead(ctx.org.id, (db) =>
    db
      .select(runColumns)
      .from(sqlPullRuns)
      .innerJoin(kpis, and(eq(kpis.orgId, sqlPullRuns.orgId), eq(kpis.id, sqlPullRuns.kpiId)))
      .where(eq(sqlPullRuns.orgId, ctx.org.id))
      .orderBy(desc(sqlPullRuns.finishedAt), desc(sqlPullRuns.id))
      .limit(limit),
  );
  return rows.map(toRunDto);
}
