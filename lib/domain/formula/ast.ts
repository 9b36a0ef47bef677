/**
 * The syntax tree of a formula KPI's expression (DESIGN section 2, "Formula KPIs"). Every node
 * keeps the character span it was parsed from (`start` inclusive, `end` exclusive, in UTF-16
 * code units of the source text) so checks can point at the offending part in the form.
 */

/** A half-open range of character positions in the formula text. */
export type Span = { start: number; end: number };

/** The binary operators, by precedence: `+ -` below `* /`. */
export type BinaryOp = '+' | '-' | '*' | '/';

/** The functions a formula may call besides `prev` (which takes a key, not an expression). */
export type FunctionName = 'min' | 'max' | 'abs' | 'coalesce';

/** All names that are functions when followed by `(`; anything else followed by `(` is refused. */
export const FUNCTION_NAMES = ['prev', 'min', 'max', 'abs', 'coalesce'] as const;

/** A decimal literal; `value` is its canonical plain text (`1.5`, never `1.50` or `01.5`). */
export type NumberNode = { type: 'number'; value: string; span: Span };

/** A KPI of the same organization, named by its key, in the formula's own period. */
export type KeyNode = { type: 'key'; key: string; span: Span };

/** `prev(key, offset)`: that KPI's value `offset` periods (of the formula's cadence) earlier. */
export type PrevNode = { type: 'prev'; key: string; offset: number; keySpan: Span; span: Span };

/** Unary minus. */
export type NegNode = { type: 'neg'; operand: FormulaNode; span: Span };

/** `left op right`; `opSpan` is the operator itself (unit errors point at it). */
export type BinaryNode = {
  type: 'binary';
  op: BinaryOp;
  left: FormulaNode;
  right: FormulaNode;
  opSpan: Span;
  span: Span;
};

/** `min(...)`, `max(...)`, `coalesce(...)` (two or more arguments) or `abs(x)`. */
export type CallNode = { type: 'call'; fn: FunctionName; args: FormulaNode[]; span: Span };

/** Any node of a formula. */
export type FormulaNode = NumberNode | KeyNode | PrevNode | NegNode | BinaryNode | CallNode;

/** Longest formula text accepted, in characters. */
export const MAX_FORMULA_LENGTH = 1000;

/** Deepest nesting of parentheses, calls and unary minus accepted. */
export const MAX_FORMULA_DEPTH = 32;

/** Most digits a decimal literal may have. */
export const MAX_LITERAL_DIGITS = 30;

/** Largest `n` in `prev(key, n)` (five years of months). */
export const MAX_PREV_OFFSET = 60;

/** A node without spans, for comparing trees parsed from different texts. */
export type BareNode =
  | { type: 'number'; value: string }
  | { type: 'key'; key: string }
  | { type: 'prev'; key: string; offset: number }
  | { type: 'neg'; operand: BareNode }
  | { type: 'binary'; op: BinaryOp; left: BareNode; right: BareNode }
  | { type: 'call'; fn: FunctionName; args: BareNode[] };

/** The tree without its spans: two formulas mean the same when these are deeply equal. */
export function withoutSpans(node: FormulaNode): BareNode {
  switch (node.type) {
    case 'number':
      return { type: 'number', value: node.value };
    case 'key':
      return { type: 'key', key: node.key };
    case 'prev':
      return { type: 'prev', key: node.key, offset: node.offset };
    case 'neg':
      return { type: 'neg', operand: withoutSpans(node.operand) };
    case 'binary':
      return {
        type: 'binary',
        op: node.op,
        left: withoutSpans(node.left),
        right: withoutSpans(node.right),
      };
    case 'call':
      return { type: 'call', fn: node.fn, args: node.args.map(withoutSpans) };
  }
}

/**
 * The tree with every use of KPI `from` (plain and through `prev`) reading `to` instead, without
 * spans (print it with printFormula). What replacing an archived input in a formula does.
 */
export function renameKey(node: FormulaNode | BareNode, from: string, to: string): BareNode {
  const walk = (n: FormulaNode | BareNode): BareNode => renameKey(n, from, to);
  switch (node.type) {
    case 'number':
      return { type: 'number', value: node.value };
    case 'key':
      return { type: 'key', key: node.key === from ? to : node.key };
    case 'prev':
      return { type: 'prev', key: node.key === from ? to : node.key, offset: node.offset };
    case 'neg':
      return { type: 'neg', operand: walk(node.operand) };
    case 'binary':
      return { type: 'binary', op: node.op, left: walk(node.left), right: walk(node.right) };
    case 'call':
      return { type: 'call', fn: node.fn, args: node.args.map(walk) };
  }
}
