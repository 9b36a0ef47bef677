import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { kpiTargets } from '@/db/schema';
import type { PeriodValue } from '@/lib/domain/cascade-compute';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { evaluateFormulaOutcomes, graphKey, VALUE_SCALE } from '@/lib/domain/formula/cascade';
import { impliedTargets, type TargetSource } from '@/lib/domain/formula/implied-target';
import type { FormulaGap, PeriodInputs } from '@/lib/domain/kpi-summary';
import { periodStart, type Cadence } from '@/lib/domain/periods';
import { formulaDefOf, formulaInputsCte, type DefRow } from '@/lib/dal/cascade/formulas';
import { cascadeKpiFromRow } from '@/lib/dal/cascade/load-kpis';
import { loadStoredPeriodValues } from '@/lib/dal/cascade/load-values';
import { runRows } from '@/lib/dal/cascade/runner';
import { arrayLiteral, inUuids } from '@/lib/dal/cascade/sql-arrays';

/*
 * What readers show of a formula KPI's period beyond its stored value, computed on read with the
 * pure evaluator (nothing is stored, so the check-in path does not grow and db:verify has nothing
 * more to compare):
 * - the coverage of a period without a value (a `strict` formula missing inputs, a division by
 *   zero): "2 of 3 inputs", naming the missing ones, from `evaluateFormulaOutcomes` over the
 *   stored values of its inputs, exactly as the engine evaluated it;
 * - the implied target of a period without its own target (lib/domain/formula/implied-target.ts).
 * Only formula KPIs with such a period among those asked for cost anything: one query for their
 * input closure, one for its stored values, one for its target overrides. Tenant-scoped by the
 * org id given; no authorization (callers decide what the actor may see).
 */

/** A KPI as the reader knows it (what decides whether it needs formula facts). */
export type FormulaViewKpi = {
  id: string;
  rollup: string;
  cadence: Cadence;
  defaultTarget: string | null;
  archivedOn: string | null;
};

type ClosureRow = DefRow & { default_target: string | null };

/**
 * The coverage of valueless periods and the implied targets of target-less periods of the
 * active formula KPIs among `kpis`, for the `starts` of their cadence, keyed `kpiId|start`.
 * `base` holds the stored values and target overrides already loaded for them.
 */
export async function loadFormulaPeriodFacts(
  db: Executor,
  orgId: string,
  fyStartMonth: number,
  kpis: readonly FormulaViewKpi[],
  starts: readonly string[],
  base: Pick<PeriodInputs, 'values' | 'targets'>,
): Promise<Required<Pick<PeriodInputs, 'formulaGaps' | 'impliedTargets'>>> {
  const facts = { formulaGaps: new Map<string, FormulaGap>(), impliedTargets: new Map() };
  const work = new Map<string, { gaps: string[]; targets: string[] }>();
  for (const kpi of kpis) {
    if (kpi.rollup !== 'formula' || kpi.archivedOn !== null) continue;
    const own = starts.filter((s) => periodStart(s, kpi.cadence, fyStartMonth) === s);
    const gaps = own.filter((s) => !base.values.has(`${kpi.id}|${s}`));
    const targets =
      kpi.defaultTarget === null ? own.filter((s) => !base.targets.has(`${kpi.id}|${s}`)) : [];
    if (gaps.length > 0 || targets.length > 0) work.set(kpi.id, { gaps, targets });
  }
  if (work.size === 0) return facts;

  const closure = await runRows<ClosureRow>(
    db,
    sql`with recursive ${formulaInputsCte(orgId, sql`select unnest(${arrayLiteral([...work.keys()])}::uuid[])`)}
      select k.id, k.key, k.parent_id, k.cadence, k.time_aggregation, k.rollup,
             k.weight::text as weight, k.archived_on::text as archived_on, k.formula,
             k.missing_policy, k.baseline::text as baseline,
             k.default_target::text as default_target
        from kpis k
       where k.org_id = ${orgId}::uuid and k.id in (select id from need)`,
  );
  const ids = closure.map((r) => r.id);
  const [values, overrides] = await Promise.all([
    loadStoredPeriodValues(db, orgId, { kpiIds: ids }),
    db
      .select({ kpiId: kpiTargets.kpiId, start: kpiTargets.periodStart, target: kpiTargets.target })
      .from(kpiTargets)
      .where(and(eq(kpiTargets.orgId, orgId), inUuids(kpiTargets.kpiId, ids))),
  ]);
  const targetOf = new Map(
    overrides.map((t) => [`${t.kpiId}|${t.start}`, normalizeDecimal(t.target)]),
  );

  const defs = closure.flatMap((r) => {
    const def = r.rollup === 'formula' ? formulaDefOf(r) : null;
    return def ? [{ row: r, def }] : [];
  });
  const outcomes = evaluateFormulaOutcomes(
    defs.map(({ row, def }) => ({ def, kpi: cascadeKpiFromRow(row) })),
    closure.flatMap((r) =>
      r.rollup !== 'formula' && r.key !== null
        ? [
            {
              key: r.key,
              kpi: cascadeKpiFromRow(r),
              values: values.get(r.id) ?? new Map<string, PeriodValue>(),
            },
          ]
        : [],
    ),
    fyStartMonth,
  );

  const sources = new Map<string, TargetSource>();
  const keyOf = new Map<string, string>();
  for (const r of closure) {
    const def = defs.find((d) => d.row.id === r.id)?.def ?? null;
    const key = def ? graphKey(def) : r.key;
    if (key === null) continue;
    keyOf.set(r.id, key);
    const defaultTarget = r.default_target === null ? null : normalizeDecimal(r.default_target);
    sources.set(key, {
      key,
      cadence: r.cadence,
      timeAggregation: r.time_aggregation,
      ownTarget: (s) => targetOf.get(`${r.id}|${s}`) ?? defaultTarget,
      values: new Map(
        [...(values.get(r.id) ?? new Map<string, PeriodValue>())].map(([s, v]) => [s, v.value]),
      ),
      formula: def
        ? { node: def.formula, missingPolicy: def.missingPolicy, baseline: def.baseline }
        : null,
    });
  }
  const implied = impliedTargets(sources, VALUE_SCALE);

  for (const [id, need] of work) {
    for (const start of need.gaps) {
      const outcome = outcomes.get(id)?.get(start);
      if (!outcome || outcome.value !== null || outcome.reason === 'no data') continue;
      facts.formulaGaps.set(`${id}|${start}`, {
        reported: outcome.reported,
        expected: outcome.expected,
        missing: outcome.missing,
        reason: outcome.reason,
      });
    }
    const key = keyOf.get(id);
    if (key === undefined) continue;
    for (const start of need.targets) {
      const target = implied.implied(key, start);
      if (target !== null) facts.impliedTargets.set(`${id}|${start}`, target);
    }
  }
  return facts;
}
