import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpiPeriodValues } from '@/db/schema';
import { allPeriodSources, planRecompute, walkRecompute } from '@/lib/domain/recompute';
import { loadCascadeKpis, loadChainsWithChildren, loadChildKpis } from './load-kpis';
import {
  loadCheckinDates,
  loadCheckinsInRanges,
  loadStoredInRanges,
  loadStoredPeriodValues,
} from './load-values';
import { recomputeReachedFormulas, type FormulaPassResult } from './formulas';
import { writePeriodValues } from './period-value-sql';
import type { Runner } from './runner';
import { inUuids } from './sql-arrays';

/*
 * The incremental cascade engine: keeps `kpi_period_values` equal to the from-scratch
 * computation of `lib/domain/cascade-compute.ts` and `lib/domain/formula/cascade.ts` after every
 * write, inside the writer's transaction: the rollup walk up the changed KPIs' chains, then the
 * formula KPIs that read anything that changed (./formulas.ts), then their chains, and so on
 * until nothing changes. Callers hold `lockOrgCascade` first (a check-in: the locks of
 * `kpiTreeLockSql`). Every function here is tenant-scoped by the
 * `orgId` it is given and performs no authorization: the calling DAL function has done that.
 */

/**
 * Recomputes the given KPIs for the given periods and then every ancestor for the enclosing
 * periods, deepest level first, writing `kpi_period_values` (upsert where there is a value,
 * delete where there is none). Period starts are normalized to each KPI's cadence, so any date
 * inside a period (or a period start of an earlier cadence) names it. The sources' periods are
 * always passed up; above them a period is passed up only when its value appeared, changed or
 * disappeared (a child's counts never change its parent).
 *
 * A manual KPI is recomputed only as a source: children never change its value, so the walk
 * stops there. Round trips, whatever the depth: one query for the chains and the children of
 * computing KPIs on them, one for the sources' check-ins and one for stored values (pipelined;
 * each KPI limited to the periods the walk can reach on it), then one upsert and at most one
 * delete. Caller holds `lockOrgCascade`.
 */
export async function recomputeMany(
  tx: Runner,
  orgId: string,
  fyStartMonth: number,
  sources: ReadonlyMap<string, Iterable<string>>,
): Promise<void> {
  if (sources.size === 0) return;
  const changed = await walkChains(tx, orgId, fyStartMonth, sources);
  await recomputeThroughFormulas(tx, orgId, fyStartMonth, [...sources.keys(), ...changed]);
}

/** The rollup walk of recomputeMany (no formulas); returns the KPIs whose values it changed. */
async function walkChains(
  tx: Runner,
  orgId: string,
  fyStartMonth: number,
  sources: ReadonlyMap<string, Iterable<string>>,
): Promise<string[]> {
  const { chain, children } = await loadChainsWithChildren(tx, orgId, [...sources.keys()]);
  const plan = planRecompute(chain, children, fyStartMonth, sources);
  if (!plan) return [];
  const [chainCheckins, stored] = await Promise.all([
    loadCheckinsInRanges(tx, orgId, plan.checkinRanges),
    loadStoredInRanges(tx, orgId, plan.storedRanges),
  ]);
  const { upserts, deletes } = walkRecompute(plan, chainCheckins, stored);
  await writePeriodValues(tx, orgId, upserts, deletes);
  return [...new Set([...upserts, ...deletes].map((r) => r.kpiId))];
}

/** Most rounds of formulas feeding rollups feeding formulas in one write (a loop otherwise). */
const MAX_FORMULA_ROUNDS = 1000;

/**
 * After the values of the KPIs `ids` changed (or their definitions did): recomputes every formula
 * KPI that reads them through references and parent links, then the chains above the formulas
 * whose values changed, and again the formulas reading those, until nothing changes (or nothing
 * has a parent or a reader among what changed). One query when no formula is reached. `since`:
 * the earliest date whose values changed (null: any, for definition changes); formula periods
 * ending before it are not recomputed. Caller holds the cascade locks.
 */
export async function recomputeThroughFormulas(
  run: Runner,
  orgId: string,
  fyStartMonth: number,
  ids: readonly string[],
  since: string | null = null,
): Promise<void> {
  const first = await recomputeReachedFormulas(
    run,
    orgId,
    fyStartMonth,
    [...new Set(ids)],
    true,
    since,
  );
  await continueThroughFormulas(run, orgId, fyStartMonth, first, since);
}

/**
 * After a formula pass (`pass`, already written): walks the chains above the formulas it changed,
 * recomputes the formulas reading what changed, and so on until nothing changes (or nothing has
 * a parent or a reader among what changed). Nothing when the pass changed nothing that feeds on.
 * The second half of recomputeThroughFormulas, for a write that ran the first pass itself (a
 * check-in, in its own statements). Caller holds the cascade locks.
 */
export async function continueThroughFormulas(
  run: Runner,
  orgId: string,
  fyStartMonth: number,
  pass: FormulaPassResult,
  since: string | null,
): Promise<void> {
  let last = pass;
  for (let round = 1; round < MAX_FORMULA_ROUNDS; round += 1) {
    if (last.changed.size === 0 || !last.feedsOn) return;
    const above = await walkChains(run, orgId, fyStartMonth, last.changed);
    // From the second round on, the formulas just recomputed are starts, not to redo unless
    // something reached them again (a formula reading prev() of its own parent, say).
    const next = [...new Set([...last.changed.keys(), ...above])];
    last = await recomputeReachedFormulas(run, orgId, fyStartMonth, next, false, since);
  }
  if (last.changed.size === 0 || !last.feedsOn) return;
  throw new Error('Formula recompute did not settle (a loop of formulas and rollups)');
}

/**
 * Recomputes one KPI for the given periods (any date inside a period names it) and walks up its
 * ancestors, in the caller's transaction. Caller holds `lockOrgCascade`.
 */
export async function recomputeFrom(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
  kpiId: string,
  periodStarts: Iterable<string>,
): Promise<void> {
  await recomputeMany(tx, orgId, fyStartMonth, new Map([[kpiId, periodStarts]]));
}

/**
 * Recomputes every period of the given KPIs (those stored now plus those their check-ins or
 * children give them under their current rollup and cadence) and their ancestors. Used after
 * link, unlink, archive, rollup-method, weight, aggregation or cadence changes. With
 * `resetStored` the KPIs' stored rows are deleted first (needed when the cadence changed, so no
 * row of the old cadence survives). Caller holds `lockOrgCascade`.
 */
export async function recomputeAllPeriods(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
  kpiIds: readonly (string | null | undefined)[],
  options: { resetStored?: boolean } = {},
): Promise<void> {
  const ids = [...new Set(kpiIds.filter((id): id is string => typeof id === 'string'))];
  if (ids.length === 0) return;
  const targets = await loadCascadeKpis(tx, orgId, ids);
  if (targets.length === 0) return;
  const targetIds = targets.map((k) => k.id);
  const children = await loadChildKpis(tx, orgId, targetIds);
  const [stored, storedChildren, own] = await Promise.all([
    loadStoredPeriodValues(tx, orgId, { kpiIds: targetIds }),
    loadStoredPeriodValues(tx, orgId, { kpiIds: children.map((c) => c.id) }),
    loadCheckinDates(tx, orgId, targetIds),
  ]);
  const sources = allPeriodSources(targets, children, stored, storedChildren, own, fyStartMonth);
  if (options.resetStored) {
    await tx
      .delete(kpiPeriodValues)
      .where(and(eq(kpiPeriodValues.orgId, orgId), inUuids(kpiPeriodValues.kpiId, targetIds)));
  }
  await recomputeMany(tx, orgId, fyStartMonth, sources);
}
