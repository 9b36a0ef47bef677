import { isCadenceNoLongerThan, type Cadence } from '@/lib/domain/periods';
import type { FormulaNode, Span } from './ast';
import { byKey, kpiLabel, type CatalogueKpi } from './catalogue';
import { dependencyGraph, describeCycle, findCycleThrough } from './dependency-graph';
import { formulaReferences } from './references';
import { closestKey } from './suggest';
import { inferUnit, kpiUnit, resultUnitProblem } from './units';

/** What is wrong with a formula, where: `message` ends with " at <start>" like a ParseError. */
export type FormulaProblem = {
  code: 'unknown_key' | 'archived_input' | 'cadence' | 'unit' | 'cycle' | 'no_inputs';
  detail: string;
  message: string;
  start: number;
  end: number;
};

const CADENCE_NAME: Record<Cadence, string> = {
  month: 'monthly',
  quarter: 'quarterly',
  year: 'yearly',
};

function problem(code: FormulaProblem['code'], detail: string, span: Span): FormulaProblem {
  return { code, detail, message: `${detail} at ${span.start}`, start: span.start, end: span.end };
}

/**
 * Checks a parsed formula for the KPI `kpi` (its new definition: cadence, measure; `id` may be
 * new) against the organization's catalogue (every KPI, archived ones flagged): unknown keys
 * (with a "did you mean"), archived inputs, inputs with a longer cadence than the formula's,
 * unit mismatches (see units.ts), no other KPI read in its own period (it would never have a value), and a cycle through parent links and formula references
 * (named: "company.arr -> x -> company.arr"). Pure; an empty list means the formula may be saved.
 * Problems come in text order.
 */
export function checkFormula(
  kpi: Omit<CatalogueKpi, 'rollup' | 'formula'>,
  formula: FormulaNode,
  catalogue: readonly CatalogueKpi[],
): FormulaProblem[] {
  const self: CatalogueKpi = { ...kpi, rollup: 'formula', formula };
  const kpis = [...catalogue.filter((k) => k.id !== kpi.id), self];
  const keyed = byKey(kpis);
  const problems: FormulaProblem[] = [];
  const refs = formulaReferences(formula);

  for (const ref of refs) {
    const input = keyed.get(ref.key);
    if (!input) {
      problems.push(problem('unknown_key', unknownKeyDetail(ref.key, keyed), ref.span));
    } else if (input.archived) {
      problems.push(problem('archived_input', `'${ref.key}' is archived`, ref.span));
    } else if (!isCadenceNoLongerThan(input.cadence, kpi.cadence)) {
      problems.push(
        problem(
          'cadence',
          `'${ref.key}' is ${CADENCE_NAME[input.cadence]}, longer than this KPI's ${CADENCE_NAME[kpi.cadence]} cadence`,
          ref.span,
        ),
      );
    }
  }

  if (!refs.some((r) => r.key !== kpi.key && r.periodsBack === 0)) {
    // A formula has a value only where an input read in the period itself has one
    // (formula-graph.ts): one reading only prev() would never have a value.
    problems.push(
      problem(
        'no_inputs',
        'A formula needs at least one other KPI read in its own period (not only through prev)',
        formula.span,
      ),
    );
  }

  // Units are only judged when every key is known: an unknown key's unit is a guess, and
  // "the formula gives USD" while typing `a / b_typo` would hide the real problem.
  if (!problems.some((p) => p.code === 'unknown_key')) {
    const { unit, problems: unitProblems } = inferUnit(formula, (key) => {
      const input = keyed.get(key);
      return input ? kpiUnit(input) : null;
    });
    for (const p of unitProblems) problems.push(problem('unit', p.message, p.span));
    const resultProblem = resultUnitProblem(unit, kpi);
    if (resultProblem) problems.push(problem('unit', resultProblem, formula.span));
  }

  const cycle = findCycleThrough(dependencyGraph(kpis), self.id);
  if (cycle) {
    const next = cycle[1];
    const via = refs.find((r) => r.periodsBack === 0 && keyed.get(r.key)?.id === next);
    problems.push(
      problem('cycle', `Cycle: ${describeCycle(cycle, kpis)}`, via?.span ?? formula.span),
    );
  }
  return problems.sort((a, b) => a.start - b.start);
}

function unknownKeyDetail(key: string, keyed: ReadonlyMap<string, CatalogueKpi>): string {
  const parts = splitIntoKeys(key.split('-'), keyed);
  if (parts && parts.length > 1) {
    return `Unknown KPI '${key}'; to subtract, put spaces around '-': ${parts.join(' - ')}`;
  }
  const near = closestKey(key, keyed.keys());
  return near ? `Unknown KPI '${key}'; did you mean '${near}'?` : `Unknown KPI '${key}'`;
}

/** `a-b-c` read as known keys joined by '-' (`a-b`, `c`), or null when it cannot be. */
function splitIntoKeys(
  pieces: readonly string[],
  keyed: ReadonlyMap<string, unknown>,
): string[] | null {
  if (pieces.length === 0) return [];
  for (let n = pieces.length; n >= 1; n -= 1) {
    const head = pieces.slice(0, n).join('-');
    if (!keyed.has(head)) continue;
    const rest = splitIntoKeys(pieces.slice(n), keyed);
    if (rest) return [head, ...rest];
  }
  return null;
}

/**
 * The active formula KPIs that read `kpi` (by key, in any period): archiving `kpi` is refused
 * while this is not empty, and the list is shown ("used by company.arr, ...").
 */
export function formulasUsing(
  kpi: Pick<CatalogueKpi, 'id' | 'key'>,
  catalogue: readonly CatalogueKpi[],
): CatalogueKpi[] {
  if (kpi.key === null) return [];
  return catalogue.filter(
    (k) =>
      k.id !== kpi.id &&
      !k.archived &&
      k.rollup === 'formula' &&
      k.formula !== null &&
      formulaReferences(k.formula).some((r) => r.key === kpi.key),
  );
}

/** Names for a list of KPIs in a message: `company.arr, "Gross margin"`. */
export function labelList(kpis: readonly Pick<CatalogueKpi, 'key' | 'name'>[]): string {
  return kpis.map(kpiLabel).join(', ');
}
