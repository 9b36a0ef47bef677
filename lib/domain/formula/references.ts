import { parseFormula } from './parser';
import type { FormulaNode, Span } from './ast';

/**
 * One use of a KPI in a formula: `periodsBack` 0 for a plain key, n for `prev(key, n)`; `span`
 * is the key's place in the text, `readSpan` the whole read (the key, or the whole `prev` call).
 */
export type FormulaReference = { key: string; periodsBack: number; span: Span; readSpan: Span };

/** Every use of a KPI in the formula, in text order (repeats included). */
export function formulaReferences(node: FormulaNode): FormulaReference[] {
  const out: FormulaReference[] = [];
  const walk = (n: FormulaNode): void => {
    switch (n.type) {
      case 'number':
        return;
      case 'key':
        out.push({ key: n.key, periodsBack: 0, span: n.span, readSpan: n.span });
        return;
      case 'prev':
        out.push({ key: n.key, periodsBack: n.offset, span: n.keySpan, readSpan: n.span });
        return;
      case 'neg':
        walk(n.operand);
        return;
      case 'binary':
        walk(n.left);
        walk(n.right);
        return;
      case 'call':
        n.args.forEach(walk);
        return;
    }
  };
  walk(node);
  return out;
}

/**
 * What a formula reads: `inputs` are the keys used in the formula's own period, `prevInputs` the
 * keys read through `prev` (an earlier period), `all` both; each sorted, without repeats.
 */
export type FormulaInputs = { inputs: string[]; prevInputs: string[]; all: string[] };

/** The keys a formula reads, split by whether they are read in its own period or an earlier one. */
export function formulaInputs(node: FormulaNode): FormulaInputs {
  const refs = formulaReferences(node);
  const sorted = (keys: Iterable<string>): string[] => [...new Set(keys)].sort();
  return {
    inputs: sorted(refs.filter((r) => r.periodsBack === 0).map((r) => r.key)),
    prevInputs: sorted(refs.filter((r) => r.periodsBack > 0).map((r) => r.key)),
    all: sorted(refs.map((r) => r.key)),
  };
}

/** The distinct (key, periodsBack) pairs a formula reads: its inputs for coverage counting. */
export function distinctReads(node: FormulaNode): { key: string; periodsBack: number }[] {
  const seen = new Map<string, { key: string; periodsBack: number }>();
  for (const r of formulaReferences(node)) {
    seen.set(`${r.periodsBack}:${r.key}`, { key: r.key, periodsBack: r.periodsBack });
  }
  return [...seen.values()];
}

/**
 * The keys a stored formula text reads (any period), sorted: what `kpis.formula_inputs` keeps
 * next to the text, so the cascade finds a KPI's formula readers in SQL. [] for no formula.
 */
export function formulaInputKeys(text: string | null): string[] {
  return text === null ? [] : formulaInputs(parseFormula(text)).all;
}
