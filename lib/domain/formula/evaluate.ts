import type { BinaryOp, FormulaNode } from './ast';
import type { MissingPolicy } from './catalogue';
import { Dec40, toDec40, type Dec40Value } from './decimal40';
import { distinctReads } from './references';

/*
 * Evaluating a formula for one period, in exact decimals (Dec40: 40 significant digits, half
 * even; only division can round). A missing input is a "missing" value that flows up the tree:
 * - coalesce() is the one place that looks at it: its value is its first argument that is not
 *   missing (so `coalesce(churn, 0)` says what a missing churn means, under either policy).
 * - Anywhere else, under `strict` a missing operand or argument makes the result missing (the
 *   formula has no value; coverage says "2 of 3 inputs"); under `zero` it counts as 0.
 * - Division by a present zero (under `zero`, a missing divisor too) gives no value with the
 *   reason "division by zero", never Infinity or NaN; nothing hides it, coalesce included.
 * - When the formula reads inputs and none of them has a value, the result is "no data" (so a
 *   `zero` formula does not invent values for periods nobody reported on).
 * Coverage counts the distinct (key, periods back) reads: "2 of 3 inputs".
 */

/** An input's value: `periodsBack` 0 is the formula's period, n is n of its periods earlier. */
export type FormulaEnv = (key: string, periodsBack: number) => string | Dec40Value | null;

/** Why a formula has no value for a period. */
export type NoValueReason = 'missing inputs' | 'division by zero' | 'no data';

/**
 * The value of a formula for one period, or why there is none, with its input coverage:
 * `missing` names the reads without a value (`key`, or `prev(key)` / `prev(key, n)`).
 */
export type FormulaOutcome =
  | { value: Dec40Value; reason: null; reported: number; expected: number; missing: string[] }
  | { value: null; reason: NoValueReason; reported: number; expected: number; missing: string[] };

/** How a read is named where coverage lists the missing ones: `key`, `prev(key)`, `prev(key, 2)`. */
export function readLabel(key: string, periodsBack: number): string {
  if (periodsBack === 0) return key;
  return periodsBack === 1 ? `prev(${key})` : `prev(${key}, ${periodsBack})`;
}

const MISSING = Symbol('missing');
const DIV_ZERO = Symbol('division by zero');
type Val = Dec40Value | typeof MISSING | typeof DIV_ZERO;

/** Evaluates `formula` with inputs from `env` under the missing-input `policy` (see above). */
export function evaluateFormula(
  formula: FormulaNode,
  env: FormulaEnv,
  policy: MissingPolicy,
): FormulaOutcome {
  const reads = new Map<string, Dec40Value | null>();
  const missing: string[] = [];
  for (const r of distinctReads(formula)) {
    const v = env(r.key, r.periodsBack);
    reads.set(`${r.periodsBack}:${r.key}`, v === null ? null : toDec40(v));
    if (v === null) missing.push(readLabel(r.key, r.periodsBack));
  }
  const expected = reads.size;
  const reported = expected - missing.length;
  const coverage = { reported, expected, missing };
  if (expected > 0 && reported === 0) return { value: null, reason: 'no data', ...coverage };

  const read = (key: string, back: number): Val => reads.get(`${back}:${key}`) ?? MISSING;
  const result = evaluateNode(formula, read, policy);
  if (result === MISSING) return { value: null, reason: 'missing inputs', ...coverage };
  if (result === DIV_ZERO) return { value: null, reason: 'division by zero', ...coverage };
  return { value: result, reason: null, ...coverage };
}

function evaluateNode(
  node: FormulaNode,
  read: (key: string, back: number) => Val,
  policy: MissingPolicy,
): Val {
  const walk = (n: FormulaNode): Val => evaluateNode(n, read, policy);
  switch (node.type) {
    case 'number':
      return new Dec40(node.value);
    case 'key':
      return read(node.key, 0);
    case 'prev':
      return read(node.key, node.offset);
    case 'neg': {
      const v = operand(walk(node.operand), policy);
      return typeof v === 'symbol' ? v : v.neg();
    }
    case 'binary':
      return binary(node.op, operand(walk(node.left), policy), operand(walk(node.right), policy));
    case 'call': {
      const args = node.args.map(walk);
      if (args.includes(DIV_ZERO)) return DIV_ZERO;
      if (node.fn === 'coalesce') return args.find((a) => a !== MISSING) ?? MISSING;
      const values: Dec40Value[] = [];
      for (const a of args) {
        const v = operand(a, policy);
        if (typeof v === 'symbol') return v;
        values.push(v);
      }
      if (node.fn === 'abs') return values[0]?.abs() ?? MISSING;
      return node.fn === 'min' ? Dec40.min(...values) : Dec40.max(...values);
    }
  }
}

/** A value as an operator or function other than coalesce uses it: missing is 0 under `zero`. */
function operand(v: Val, policy: MissingPolicy): Val {
  return v === MISSING && policy === 'zero' ? new Dec40(0) : v;
}

function binary(op: BinaryOp, l: Val, r: Val): Val {
  if (l === DIV_ZERO || r === DIV_ZERO) return DIV_ZERO;
  if (op === '/' && r !== MISSING && r.isZero()) return DIV_ZERO;
  if (l === MISSING || r === MISSING) return MISSING;
  switch (op) {
    case '+':
      return l.plus(r);
    case '-':
      return l.minus(r);
    case '*':
      return l.times(r);
    case '/':
      return l.div(r);
  }
}

/** "2 of 3 inputs" for a formula outcome. */
export function coverageLabel(outcome: Pick<FormulaOutcome, 'reported' | 'expected'>): string {
  return `${outcome.reported} of ${outcome.expected} input${outcome.expected === 1 ? '' : 's'}`;
}
