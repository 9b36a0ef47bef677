import type { FormulaNode, Span } from './ast';
import type { CatalogueKpi } from './catalogue';

/*
 * The unit algebra of formulas (small on purpose, and sound for what it refuses):
 * - A unit is a product of base dimensions with integer exponents. The bases are each currency
 *   code (EUR, USD, ...), `duration` and `percent`. Counts and ratios are plain numbers (no
 *   dimension): a count of customers and a count of deals cannot be told apart anyway.
 * - A literal is "free": it takes the unit of whatever it is added to or compared with.
 * - `+`, `-`, `min`, `max`, `coalesce` need the same dimensions on every non-free operand, so
 *   EUR + USD, EUR + percent, percent + count and duration + count are refused; the result has
 *   that unit. Unary minus, `abs` and `prev` keep the unit.
 * - `*` adds exponents and `/` subtracts them (EUR / count = EUR per count, EUR / EUR = plain),
 *   so derived units such as CAC (spend / customers) or LTV:CAC (EUR / EUR) come out right.
 *   A percent is a scale, not a quantity: scaled by a literal it stays a percent (`2 * churn`),
 *   but times or over anything else it drops out (revenue * margin% is revenue, in EUR;
 *   sqls / mqls * 100 is a plain number).
 * - The result is compared with the KPI's own measure only for currencies, the one dimension a
 *   KPI states fully: a EUR KPI accepts EUR (to the power 1, possibly per count or duration) or
 *   a plain number, any other KPI accepts no currency at all. Periods are not a dimension (a flow is per its period), so runway = cash / burn is
 *   plain and fits a `duration` KPI; percent scale (0-100) is the formula's job (`a / b * 100`).
 */

/** A unit: base dimension -> exponent (never 0), or free (a literal). */
export type FormulaUnit = { free: true } | { free: false; dims: ReadonlyMap<string, number> };

/** A unit problem with the span of the operator or call at fault. */
export type UnitProblem = { message: string; span: Span };

const PLAIN: FormulaUnit = { free: false, dims: new Map() };
const FREE: FormulaUnit = { free: true };
const isCurrencyDim = (d: string): boolean => /^[A-Z]{3}$/.test(d);

/** The unit of a KPI's values as a formula input. */
export function kpiUnit(kpi: Pick<CatalogueKpi, 'measureUnit' | 'currency'>): FormulaUnit {
  switch (kpi.measureUnit) {
    case 'currency':
      return { free: false, dims: new Map([[kpi.currency ?? '¤', 1]]) };
    case 'percent':
      return { free: false, dims: new Map([['percent', 1]]) };
    case 'duration':
      return { free: false, dims: new Map([['duration', 1]]) };
    case 'count':
    case 'ratio':
      return PLAIN;
  }
}

/** Human name of a unit: `EUR`, `percent`, `EUR/duration`, `EUR²`, `a plain number`. */
export function unitLabel(unit: FormulaUnit): string {
  if (unit.free || unit.dims.size === 0) return 'a plain number';
  const part = ([d, e]: [string, number]): string => {
    const n = Math.abs(e);
    return n === 1 ? d : n === 2 ? `${d}²` : n === 3 ? `${d}³` : `${d}^${n}`;
  };
  const entries = [...unit.dims].sort(([a], [b]) => (a < b ? -1 : 1));
  const num = entries.filter(([, e]) => e > 0).map(part);
  const den = entries.filter(([, e]) => e < 0).map(part);
  return `${num.length ? num.join('·') : '1'}${den.length ? `/${den.join('·')}` : ''}`;
}

function sameUnit(a: FormulaUnit, b: FormulaUnit): boolean {
  if (a.free || b.free) return true;
  if (a.dims.size !== b.dims.size) return false;
  for (const [d, e] of a.dims) if (b.dims.get(d) !== e) return false;
  return true;
}

function combine(a: FormulaUnit, b: FormulaUnit, sign: 1 | -1): FormulaUnit {
  if (a.free && b.free) return FREE;
  const scaled = a.free || b.free; // a literal scales: percent survives
  const dims = new Map(a.free ? [] : a.dims);
  if (!scaled) dims.delete('percent');
  if (!b.free) {
    for (const [d, e] of b.dims) {
      if (d === 'percent' && !scaled) continue;
      const next = (dims.get(d) ?? 0) + sign * e;
      if (next === 0) dims.delete(d);
      else dims.set(d, next);
    }
  }
  return { free: false, dims };
}

/**
 * The unit of a formula and the unit problems inside it. `unitOf` gives an input's unit (null
 * for an unknown key, which is reported elsewhere and treated as free here).
 */
export function inferUnit(
  node: FormulaNode,
  unitOf: (key: string) => FormulaUnit | null,
): { unit: FormulaUnit; problems: UnitProblem[] } {
  const problems: UnitProblem[] = [];
  const same = (units: FormulaUnit[], what: string, span: Span): FormulaUnit => {
    let first: FormulaUnit = FREE;
    for (const u of units) {
      if (first.free) first = u;
      else if (!sameUnit(first, u)) {
        problems.push({ message: `${what} mixes ${unitLabel(first)} and ${unitLabel(u)}`, span });
        return first;
      }
    }
    return first;
  };
  const walk = (n: FormulaNode): FormulaUnit => {
    switch (n.type) {
      case 'number':
        return FREE;
      case 'key':
      case 'prev':
        return unitOf(n.key) ?? FREE;
      case 'neg':
        return walk(n.operand);
      case 'binary': {
        const l = walk(n.left);
        const r = walk(n.right);
        if (n.op === '*') return combine(l, r, 1);
        if (n.op === '/') return combine(l, r, -1);
        return same([l, r], `'${n.op}'`, n.opSpan);
      }
      case 'call': {
        const args = n.args.map(walk);
        return n.fn === 'abs' ? (args[0] ?? FREE) : same(args, `${n.fn}()`, n.span);
      }
    }
  };
  const unit = walk(node);
  return { unit, problems };
}

/**
 * Whether a formula's unit fits the KPI's declared measure (currencies only, see above): null
 * when it does, else the message.
 */
export function resultUnitProblem(
  unit: FormulaUnit,
  kpi: Pick<CatalogueKpi, 'measureUnit' | 'currency'>,
): string | null {
  if (unit.free) return null;
  const currencies = [...unit.dims].filter(([d]) => isCurrencyDim(d) || d === '¤');
  if (currencies.length === 0) return null;
  if (
    kpi.measureUnit === 'currency' &&
    currencies.length === 1 &&
    currencies[0]?.[0] === kpi.currency &&
    currencies[0]?.[1] === 1
  ) {
    return null;
  }
  const declared =
    kpi.measureUnit === 'currency' ? (kpi.currency ?? 'a currency') : kpi.measureUnit;
  const given = unitLabel({ free: false, dims: new Map(currencies) });
  return `The formula gives ${given}, but this KPI is measured in ${declared}`;
}
