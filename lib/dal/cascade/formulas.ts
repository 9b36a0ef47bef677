import { sql, type SQL } from 'drizzle-orm';
import type { CascadeKpi, PeriodValue } from '@/lib/domain/cascade-compute';
import { samePeriodValue } from '@/lib/domain/cascade-compute';
import { evaluateFormulaKpis, type FormulaDef } from '@/lib/domain/formula/cascade';
import type { MissingPolicy } from '@/lib/domain/formula/catalogue';
import { parseFormula } from '@/lib/domain/formula/parser';
import { periodStart } from '@/lib/domain/periods';
import type { PeriodValueRow } from '@/lib/domain/recompute';
import { loadStoredPeriodValues } from './load-values';
import { cascadeKpiFromRow, type CascadeKpiRow } from './load-kpis';
import { writePeriodValues } from './period-value-sql';
import { runRows, type Runner } from './runner';
import { arrayLiteral } from './sql-arrays';

/*
 * The formula pass of the cascade engine: after a write changed some KPIs' values, every formula
 * KPI that reads them (through formula references and parent links, repeatedly) is recomputed
 * in the same transaction, all its periods, from its inputs' stored values (formulas read by
 * formulas evaluated on the fly), with the same pure `evaluateFormulaKpis` as db:verify. Its
 * changed values then go up its parent chain (lib/dal/cascade/recompute.ts alternates the two
 * until nothing changes). Formula references are found in SQL through `kpis.formula_inputs`
 * (the keys a formula reads, kept with its text). Tenant-scoped by the org id given; no
 * authorization; callers hold the cascade locks (see locks.ts: a check-in locks the trees of
 * every formula it reaches).
 */

/**
 * `reach(id, parent_id, key, rollup, via_edge)`: the KPIs with the given ids (`via_edge` false)
 * and every KPI whose value can depend on them (`via_edge` true): parents (upwards) and formulas
 * reading them by key, repeated to a fixed point (each KPI at most twice: `union` ends loops
 * through `prev`). CTE bodies for `with recursive` (`reach` and the `reach_formulas` it reads).
 *
 * The formulas reading a key are found among the org's formula KPIs read once
 * (`reach_formulas`): under row-level security the GIN index on `formula_inputs` cannot serve
 * `@>` (not a leakproof operator), so probing it per reached KPI scanned every KPI of the org
 * each time (most of the time of a check-in reaching a formula).
 */
export function formulaReachCte(orgId: string, ids: SQL): SQL {
  return sql`reach_formulas as materialized (
      select id, parent_id, key, rollup, formula_inputs from kpis
       where org_id = ${orgId}::uuid and rollup = 'formula'
         and formula is not null -- the same KPIs (a check constraint), through kpis_formula_idx
    ),
    reach as (
      select k.id, k.parent_id, k.key, k.rollup, false as via_edge
        from kpis k where k.org_id = ${orgId}::uuid and k.id = any(${ids})
      union
      select n.id, n.parent_id, n.key, n.rollup, true
        from reach r
        cross join lateral (
          select p.id, p.parent_id, p.key, p.rollup from kpis p
           where p.org_id = ${orgId}::uuid and p.id = r.parent_id
          union all
          select f.id, f.parent_id, f.key, f.rollup from reach_formulas f
           where r.key is not null and r.key = any(f.formula_inputs)
        ) n
    )`;
}

/**
 * `need(id, rollup, formula_inputs)`: the KPIs whose ids `seed` selects and every KPI a formula
 * among them reads by key, repeated (formulas reading formulas). A CTE body for `with recursive`.
 */
export function formulaInputsCte(orgId: string, seed: SQL): SQL {
  // The seed's KPIs are probed by id (`offset 0`): as a semi-join the planner scanned and hashed
  // every KPI of the org, not knowing how few ids the seed holds.
  return sql`need as (
        select k.id, k.rollup, k.formula_inputs from (${seed}) s(id)
          cross join lateral (
            select id, rollup, formula_inputs from kpis
             where org_id = ${orgId}::uuid and id = s.id offset 0
          ) k
        union
        select i.id, i.rollup, i.formula_inputs from need n
          cross join lateral (
            select id, rollup, formula_inputs from kpis
             where org_id = ${orgId}::uuid and key = any(n.formula_inputs)
          ) i
         where n.rollup = 'formula'
      )`;
}

export type DefRow = CascadeKpiRow & {
  key: string | null;
  formula: string | null;
  missing_policy: MissingPolicy;
  baseline: string | null;
};

/** A KPI of a formula closure: a row of `closure` (see formulaClosureCtes). */
export type ClosureRow = DefRow & { reached: boolean; feeds_on: boolean };

/**
 * CTE bodies for `with recursive` (after formulaReachCte's, which they include) ending in
 * `closure`: the active formula KPIs reached from `ids` (`reached` true; the formulas among `ids`
 * themselves only with `includeStart`; an archived formula is no longer computed: its stored
 * values stay as the history it had) and every KPI they read, directly or through formulas they
 * read, as DefRow columns, each with `feeds_on` (see FormulaClosure). Names its CTEs
 * `reach_formulas`, `reach`, `reached`, `need` and `closure`.
 */
export function formulaClosureCtes(orgId: string, ids: SQL, includeStart: boolean): SQL {
  // Every KPI the recursive CTEs name is probed by id (`offset 0`): the planner cannot see how
  // few rows they hold and would scan and hash the org's KPIs (two such scans of every KPI
  // under row-level security, in `reached` and `need`, were most of this statement's time).
  return sql`${formulaReachCte(orgId, ids)},
      reached as (
        select distinct r.id from reach r
         cross join lateral (
           select 1 from kpis a
            where a.org_id = ${orgId}::uuid and a.id = r.id and a.archived_on is null offset 0
         ) a
         where r.rollup = 'formula' and (r.via_edge or ${includeStart}::boolean)
      ),
      ${formulaInputsCte(orgId, sql`select id from reached`)},
      closure as materialized (
        select k.*, n.id in (select id from reached) as reached,
               -- a parent, or another formula reading it: its changes go further (see below)
               (k.parent_id is not null or exists (
                  select 1 from reach_formulas f
                   where k.key is not null and k.key = any(f.formula_inputs) and f.id <> k.id
                )) as feeds_on
          from (select distinct id from need) n
          cross join lateral (
            select id, key, parent_id, cadence, time_aggregation, rollup, weight::text as weight,
                   archived_on::text as archived_on, formula, missing_policy,
                   baseline::text as baseline
              from kpis where org_id = ${orgId}::uuid and id = n.id offset 0
          ) k
      )`;
}

/** A formula closure: the formulas to recompute and everything they read. */
export type FormulaClosure = {
  /** The formula KPIs to recompute. */
  reached: string[];
  /** Those and every KPI they read (formulas read by them evaluated on the fly). */
  kpis: DefRow[];
  /** Reached formulas with a parent or another formula reading them: changes go further. */
  feedsOn: Set<string>;
};

/** The closure from its rows (`closure` of formulaClosureCtes; booleans as the driver gives). */
export function formulaClosureOf(rows: readonly ClosureRow[]): FormulaClosure {
  const flag = (v: unknown) => v === true || String(v) === 't';
  const reached = rows.filter((r) => flag(r.reached));
  return {
    reached: reached.map((r) => r.id),
    kpis: [...rows],
    feedsOn: new Set(reached.filter((r) => flag(r.feeds_on)).map((r) => r.id)),
  };
}

/** The formula closure reached from `ids` (see formulaClosureCtes), in one statement. */
async function loadFormulaClosure(
  run: Runner,
  orgId: string,
  ids: readonly string[],
  includeStart: boolean,
): Promise<FormulaClosure> {
  const rows = await runRows<ClosureRow>(
    run,
    sql`with recursive ${formulaClosureCtes(orgId, sql`${arrayLiteral(ids)}::uuid[]`, includeStart)}
      select * from closure`,
  );
  return formulaClosureOf(rows);
}

/**
 * The KPIs of a closure whose stored values a formula pass reads (all their periods): those with
 * a key that are not formulas (formulas read by formulas are evaluated on the fly), and the
 * formulas, parsed.
 */
export function closureInputs(closure: FormulaClosure): {
  formulas: { def: FormulaDef; kpi: CascadeKpi }[];
  inputRows: DefRow[];
} {
  const formulas: { def: FormulaDef; kpi: CascadeKpi }[] = [];
  const inputRows: DefRow[] = [];
  for (const r of closure.kpis) {
    const def = r.rollup === 'formula' ? formulaDefOf(r) : null;
    if (def) formulas.push({ def, kpi: cascadeKpiFromRow(r) });
    else if (r.key !== null) inputRows.push(r);
  }
  return { formulas, inputRows };
}

/**
 * The earliest period start whose stored formula values a pass from `since` compares: the start
 * of the (fiscal) year holding `since`, which covers every cadence.
 */
export function formulaStoredFrom(since: string, fyStartMonth: number): string {
  return periodStart(since, 'year', fyStartMonth);
}

/** The parsed definition of a formula KPI (its stored text was checked when saved). */
export function formulaDefOf(r: {
  id: string;
  key: string | null;
  formula: string | null;
  missing_policy: MissingPolicy;
  baseline: string | null;
}): FormulaDef | null {
  if (r.formula === null) return null;
  return {
    id: r.id,
    key: r.key,
    formula: parseFormula(r.formula),
    missingPolicy: r.missing_policy,
    baseline: r.baseline === null ? null : String(r.baseline),
  };
}

/** What a formula pass changed: formula KPI -> period starts, and whether anything reads them. */
export type FormulaPassResult = {
  changed: Map<string, string[]>;
  /**
   * False when no changed formula has a parent or another formula reading it: nothing can
   * depend on what changed, so the caller's rollup walk and next round are not needed.
   */
  feedsOn: boolean;
};

/**
 * Recomputes each formula KPI reached from `ids` (with `includeStart`, also the formulas among
 * `ids`: their definitions changed) and writes what changed. `since`: the earliest date whose
 * values changed (null: any); then only the periods ending after it are recomputed and compared
 * (a formula period reads nothing after its own end, so earlier ones cannot have changed; the
 * evaluation still reads every period of the inputs, so `prev` chains stay exact). Returns the
 * changed (formula KPI -> period starts), for the rollup of their parents.
 */
export async function recomputeReachedFormulas(
  run: Runner,
  orgId: string,
  fyStartMonth: number,
  ids: readonly string[],
  includeStart: boolean,
  since: string | null = null,
): Promise<FormulaPassResult> {
  if (ids.length === 0) return { changed: new Map(), feedsOn: false };
  const closure = await loadFormulaClosure(run, orgId, ids, includeStart);
  if (closure.reached.length === 0) return { changed: new Map(), feedsOn: false };
  const { inputRows } = closureInputs(closure);
  // The stored values compared: from the earliest period start that can hold `since`; the
  // computed ones are limited to the periods ending after `since` (formulaPassWrites).
  const storedFrom = since === null ? undefined : formulaStoredFrom(since, fyStartMonth);
  const [inputValues, storedAll] = await Promise.all([
    loadStoredPeriodValues(run, orgId, { kpiIds: inputRows.map((r) => r.id) }),
    loadStoredPeriodValues(run, orgId, {
      kpiIds: closure.reached,
      ...(storedFrom === undefined ? {} : { from: storedFrom }),
    }),
  ]);
  const pass = formulaPassWrites(closure, inputValues, storedAll, fyStartMonth, since);
  if (pass.upserts.length > 0 || pass.deletes.length > 0) {
    await writePeriodValues(run, orgId, pass.upserts, pass.deletes);
  }
  return pass.result;
}

/**
 * The rows a formula pass writes (pure): each reached formula evaluated from its inputs' stored
 * values (`inputValues`: every period of the closure's input KPIs, as they stand after the
 * write's other changes), compared with its stored values (`storedAll`: from at least
 * formulaStoredFrom(since) on). `since`: the earliest date whose values changed (null: any);
 * then only the periods ending after it are recomputed and compared.
 */
export function formulaPassWrites(
  closure: FormulaClosure,
  inputValues: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>>,
  storedAll: ReadonlyMap<string, ReadonlyMap<string, PeriodValue>>,
  fyStartMonth: number,
  since: string | null,
): {
  upserts: PeriodValueRow[];
  deletes: { kpiId: string; periodStart: string }[];
  result: FormulaPassResult;
} {
  const { formulas, inputRows } = closureInputs(closure);
  const computed = evaluateFormulaKpis(
    formulas,
    inputRows.map((r) => ({
      key: r.key as string,
      kpi: cascadeKpiFromRow(r),
      values: inputValues.get(r.id) ?? new Map<string, PeriodValue>(),
    })),
    fyStartMonth,
    since ?? undefined,
  );
  const cadenceOf = new Map(formulas.map((f) => [f.def.id, f.kpi.cadence]));
  // Stored periods before the recomputed ones are not compared (they cannot have changed).
  const stored = new Map<string, ReadonlyMap<string, PeriodValue>>();
  for (const [id, values] of storedAll) {
    const cadence = cadenceOf.get(id);
    const from = since === null || !cadence ? null : periodStart(since, cadence, fyStartMonth);
    stored.set(id, from === null ? values : new Map([...values].filter(([s]) => s >= from)));
  }
  const changed = new Map<string, string[]>();
  const upserts: PeriodValueRow[] = [];
  const deletes: { kpiId: string; periodStart: string }[] = [];
  const mark = (kpiId: string, start: string): void => {
    changed.set(kpiId, [...(changed.get(kpiId) ?? []), start]);
  };
  for (const id of closure.reached) {
    const want = computed.get(id) ?? new Map<string, PeriodValue>();
    const have = stored.get(id) ?? new Map<string, PeriodValue>();
    for (const [start, v] of want) {
      if (samePeriodValue(have.get(start) ?? null, v)) continue;
      upserts.push({ kpiId: id, periodStart: start, ...v });
      mark(id, start);
    }
    for (const start of have.keys()) {
      if (want.has(start)) continue;
      deletes.push({ kpiId: id, periodStart: start });
      mark(id, start);
    }
  }
  return {
    upserts,
    deletes,
    result: { changed, feedsOn: [...changed.keys()].some((id) => closure.feedsOn.has(id)) },
  };
}

/**
 * What a from-scratch recompute needs besides the cascade KPIs: every KPI's key and the parsed
 * definitions of the formula KPIs of one org (archived ones too: computeAllWithFormulas keeps
 * their stored values instead of computing them).
 */
export async function loadFormulaCatalogue(
  run: Runner,
  orgId: string,
): Promise<{ formulas: FormulaDef[]; keys: Map<string, string> }> {
  const rows = await runRows<{
    id: string;
    key: string | null;
    formula: string | null;
    missing_policy: MissingPolicy;
    baseline: string | null;
  }>(
    run,
    sql`select id, key, formula, missing_policy, baseline::text as baseline from kpis
         where org_id = ${orgId}::uuid and (key is not null or formula is not null)`,
  );
  const keys = new Map<string, string>();
  const formulas: FormulaDef[] = [];
  for (const r of rows) {
    if (r.key !== null) keys.set(r.id, r.key);
    const def = formulaDefOf(r);
    if (def) formulas.push(def);
  }
  return { formulas, keys };
}
