import { and, asc, desc, eq, gte, lte } from 'drizzle-orm';
import { withOrgTx, type Tx } from '@/db/client';
import { checkins, kpiSqlPulls, sqlPullRuns } from '@/db/schema';
import { todayInTimeZone } from '@/lib/domain/dates';
import {
  checkPullQuery,
  parsePulledRows,
  planPulledRow,
  PREVIEW_ROWS,
  type PulledRow,
} from '@/lib/domain/sql-pull';
import { AppError, notFoundError, validationError } from '@/lib/errors';
import { runSqlPullQuery, SqlSourceError } from '@/lib/integrations/sql-source';
import type { OrgContext } from '@/lib/server/org-context';
import type { PreviewKpiSqlPullInput } from '@/lib/validation/sql-sources';
import { lockOrgCascade } from '../cascade/locks';
import type { KpiForWrite } from '../cascade/kpi-rows';
import {
  batchItemMessage,
  findCheckinsBatchProblems,
  insertCheckinsBatch,
} from '../checkins/batch';
import { updateCheckin } from '../checkins/edit';
import { assertPullable, loadKpiForPull } from './pulls';
import { getSqlSourceUrl } from './sources';

/*
 * Running a KPI's query on its source: the preview (nothing written) and the pull. The query
 * runs on the source between our transactions (an external effect never happens inside one);
 * its rows are then written in ONE tenant transaction under the org cascade lock, through the
 * check-in writes every other path uses (new readings: insertCheckinsBatch with source `sql`;
 * a changed value of a date the KPI has: updateCheckin's same-date correction), with the normal
 * recompute. Any refused row fails the whole pull: nothing is written and the failure is logged.
 */

/** What a preview shows. */
export type SqlPullPreview = {
  rowCount: number;
  /** The first rows, as parsed. */
  rows: PulledRow[];
  /** Why the pull would fail (empty when it would not). */
  problems: string[];
};

/** What a pull did. */
export type SqlPullOutcome = {
  status: 'ok' | 'failed';
  rowsRead: number;
  rowsWritten: number;
  error: string | null;
};

/** A failed pull's reason, fit for the log and the KPI page. */
class PullFailure extends Error {
  constructor(
    message: string,
    readonly rowsRead = 0,
  ) {
    super(message);
  }
}

/** The query's rows, parsed; a PullFailure on a source error or any refused row. */
async function fetchRows(ctx: OrgContext, sourceId: string, query: string) {
  const checked = checkPullQuery(query);
  if (!checked.ok) throw new PullFailure(checked.error);
  let url;
  try {
    url = await getSqlSourceUrl(ctx.org.id, sourceId);
  } catch (error) {
    // A URL sealed under another key: the pull fails, saying so (a missing source is NOT_FOUND).
    if (error instanceof AppError && error.code === 'VALIDATION')
      throw new PullFailure(error.message);
    throw error;
  }
  let result;
  try {
    result = await runSqlPullQuery(url, checked.query);
  } catch (error) {
    if (error instanceof SqlSourceError) throw new PullFailure(error.message);
    throw error;
  }
  const parsed = parsePulledRows(
    result.columnCount,
    result.rows,
    todayInTimeZone(ctx.org.timeZone),
  );
  const problems = parsed.error
    ? [parsed.error]
    : parsed.problems.map((p) => `Row ${p.row}: ${p.message}`);
  return { parsed, problems, rowsRead: result.rows.length };
}

/**
 * Runs a draft query on a source for a KPI and shows its first rows and every reason the pull
 * would fail (parse errors, duplicate dates, values the KPI refuses); writes nothing. Tenant:
 * ctx.org. Permission: `kpis.write` on the KPI. Another org's KPI or source is NOT_FOUND.
 */
export async function previewKpiSqlPull(
  ctx: OrgContext,
  input: PreviewKpiSqlPullInput,
): Promise<SqlPullPreview> {
  const kpi = await withOrgTx(ctx.org.id, async (tx) => {
    const { kpi: found } = await loadKpiForPull(ctx, tx, input.kpiId);
    assertPullable(found);
    return found;
  });
  let fetched;
  try {
    fetched = await fetchRows(ctx, input.sourceId, input.query);
  } catch (error) {
    if (error instanceof PullFailure) {
      throw validationError(error.message, { query: [error.message] });
    }
    throw error;
  }
  const { parsed, problems } = fetched;
  if (problems.length === 0 && parsed.rows.length > 0) {
    // What the KPI itself would refuse (its valid range), read only.
    await withOrgTx(ctx.org.id, async (tx) => {
      const found = await findCheckinsBatchProblems(ctx, tx, toItems(kpi, parsed.rows), {
        prefix: 'rows',
      });
      problems.push(...describeBatchProblems(parsed.rows, found.fieldErrors));
    });
  }
  return { rowCount: fetched.rowsRead, rows: parsed.rows.slice(0, PREVIEW_ROWS), problems };
}

function toItems(kpi: Pick<KpiForWrite, 'id'>, rows: readonly PulledRow[]) {
  return rows.map((r) => ({
    kpiId: kpi.id,
    observedOn: r.observedOn,
    value: r.value,
    note: '',
    source: 'sql' as const,
  }));
}

/** `rows.<i>.<field>` errors as "2026-01-05: <message>" lines (the first 20). */
function describeBatchProblems(
  rows: readonly PulledRow[],
  fieldErrors: Record<string, string[]>,
): string[] {
  return Object.entries(fieldErrors)
    .slice(0, 20)
    .map(([key, messages]) => {
      const row = rows[Number(key.split('.')[1])];
      return `${row ? `${row.observedOn}: ` : ''}${messages[0] ?? 'refused'}`;
    });
}

/**
 * Writes pulled rows as the KPI's readings in the caller's transaction, upserted by (KPI, date)
 * (`planPulledRow`): an unchanged value is skipped, a changed one corrected in place, a new date
 * recorded. Returns how many readings it wrote; throws PullFailure on a refused row.
 * Holds the org cascade lock.
 */
async function writePulledRows(
  ctx: OrgContext,
  tx: Tx,
  kpi: KpiForWrite,
  rows: readonly PulledRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  const dates = rows.map((r) => r.observedOn).sort();
  const existing = await tx
    .select({
      id: checkins.id,
      observedOn: checkins.observedOn,
      value: checkins.value,
      version: checkins.version,
      source: checkins.source,
    })
    .from(checkins)
    .where(
      and(
        eq(checkins.orgId, orgId),
        eq(checkins.kpiId, kpi.id),
        gte(checkins.observedOn, dates[0]!),
        lte(checkins.observedOn, dates[dates.length - 1]!),
      ),
    )
    .orderBy(desc(checkins.createdAt), desc(checkins.id));
  const byDate = new Map<string, typeof existing>();
  for (const reading of existing) {
    const list = byDate.get(reading.observedOn) ?? [];
    list.push(reading);
    byDate.set(reading.observedOn, list);
  }
  const records: PulledRow[] = [];
  let corrected = 0;
  for (const row of rows) {
    const plan = planPulledRow(kpi.timeAggregation, row, byDate.get(row.observedOn) ?? []);
    if (plan.kind === 'unchanged') continue;
    if (plan.kind === 'record') {
      records.push(row);
      continue;
    }
    try {
      await updateCheckin(
        ctx,
        tx,
        {
          checkinId: plan.reading.id,
          version: plan.reading.version,
          value: row.value,
          confirmUnusual: true,
        },
        { correctionOn: row.observedOn },
      );
    } catch (error) {
      throw new PullFailure(`${row.observedOn}: ${batchItemMessage(error)}`, rows.length);
    }
    corrected += 1;
  }
  const items = toItems(kpi, records);
  const found = await findCheckinsBatchProblems(ctx, tx, items, { prefix: 'rows' });
  const problems = describeBatchProblems(records, found.fieldErrors);
  if (problems.length > 0) throw new PullFailure(problems.join('; '), rows.length);
  const written = await insertCheckinsBatch(ctx, tx, items);
  return corrected + written.count;
}

/**
 * Pulls a KPI's values now: runs its query on its source and writes the rows in one
 * transaction, or nothing at all when anything fails; either way one line goes to the pull log
 * (a failure in a transaction of its own, after the rollback). Returns what happened. NOT_FOUND
 * when the KPI has no pull, or is another organization's. Tenant: ctx.org. Permission:
 * `kpis.write` on the KPI (a scheduled pull runs as the organization's owner).
 */
export async function runKpiSqlPull(
  ctx: OrgContext,
  kpiId: string,
  trigger: 'schedule' | 'manual',
): Promise<SqlPullOutcome> {
  const orgId = ctx.org.id;
  const startedAt = new Date();
  const pull = await withOrgTx(orgId, async (tx) => {
    await loadKpiForPull(ctx, tx, kpiId);
    const [row] = await tx
      .select({ sourceId: kpiSqlPulls.sourceId, query: kpiSqlPulls.query })
      .from(kpiSqlPulls)
      .where(and(eq(kpiSqlPulls.orgId, orgId), eq(kpiSqlPulls.kpiId, kpiId)));
    return row;
  });
  if (!pull) throw notFoundError();
  const log = (tx: Tx, outcome: SqlPullOutcome) =>
    tx.insert(sqlPullRuns).values({
      orgId,
      sourceId: pull.sourceId,
      kpiId,
      trigger,
      startedAt,
      status: outcome.status,
      rowsRead: outcome.rowsRead,
      rowsWritten: outcome.rowsWritten,
      error: outcome.error,
    });
  let rowsRead = 0;
  try {
    const fetched = await fetchRows(ctx, pull.sourceId, pull.query);
    rowsRead = fetched.rowsRead;
    if (fetched.problems.length > 0) throw new PullFailure(fetched.problems.join('; '), rowsRead);
    return await withOrgTx(orgId, async (tx) => {
      const { kpi } = await loadKpiForPull(ctx, tx, kpiId);
      try {
        assertPullable(kpi);
      } catch (error) {
        throw new PullFailure((error as AppError).message, rowsRead);
      }
      const rowsWritten = await writePulledRows(ctx, tx, kpi, fetched.parsed.rows);
      const outcome = { status: 'ok' as const, rowsRead, rowsWritten, error: null };
      await log(tx, outcome);
      return outcome;
    });
  } catch (error) {
    if (!(error instanceof PullFailure)) throw error;
    const outcome = {
      status: 'failed' as const,
      rowsRead: error.rowsRead || rowsRead,
      rowsWritten: 0,
      error: error.message.slice(0, 2000),
    };
    await withOrgTx(orgId, (tx) => log(tx, outcome));
    return outcome;
  }
}

/**
 * The pulls due at `now` in one organization, claimed: each gets its next run time in the same
 * transaction (rows locked, SKIP LOCKED), so two workers never run one pull twice. Tenant: orgId.
 */
export async function claimDueSqlPulls(
  orgId: string,
  now: Date,
  nextAt: (schedule: string) => Date,
): Promise<string[]> {
  return withOrgTx(orgId, async (tx) => {
    const due = await tx
      .select({ id: kpiSqlPulls.id, kpiId: kpiSqlPulls.kpiId, schedule: kpiSqlPulls.schedule })
      .from(kpiSqlPulls)
      .where(and(eq(kpiSqlPulls.orgId, orgId), lte(kpiSqlPulls.nextRunAt, now)))
      .orderBy(asc(kpiSqlPulls.nextRunAt))
      .for('update', { skipLocked: true });
    for (const pull of due) {
      await tx
        .update(kpiSqlPulls)
        .set({ nextRunAt: nextAt(pull.schedule) })
        .where(and(eq(kpiSqlPulls.orgId, orgId), eq(kpiSqlPulls.id, pull.id)));
    }
    return due.map((p) => p.kpiId);
  });
}
