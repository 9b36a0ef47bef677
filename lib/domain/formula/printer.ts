import type { BareNode, FormulaNode } from './ast';

/*
 * The canonical text of a formula: single spaces around binary operators, `, ` between
 * arguments, parentheses only where the tree needs them, `prev(k)` for an offset of 1 and
 * numbers in plain notation. parseFormula(printFormula(t)) has the same tree as t.
 */

type Printable = FormulaNode | BareNode;

function precedence(node: Printable): number {
  if (node.type === 'binary') return node.op === '+' || node.op === '-' ? 1 : 2;
  if (node.type === 'neg') return 3;
  return 4;
}

/** Prints a formula tree (with or without spans) as canonical text. */
export function printFormula(node: Printable): string {
  switch (node.type) {
    case 'number':
      return node.value;
    case 'key':
      return node.key;
    case 'prev':
      return node.offset === 1 ? `prev(${node.key})` : `prev(${node.key}, ${node.offset})`;
    case 'neg': {
      const inner = printFormula(node.operand);
      return precedence(node.operand) <= 3 ? `-(${inner})` : `-${inner}`;
    }
    case 'binary': {
      const p = precedence(node);
      const left = printFormula(node.left);
      const right = printFormula(node.right);
      const l = precedence(node.left) < p ? `(${left})` : left;
      const r = precedence(node.right) <= p ? `(${right})` : right;
      return `${l} ${node.op} ${r}`;
    }
    case 'call':
      return `${node.fn}(${node.args.map(printFormula).join(', ')})`;
  }
}
