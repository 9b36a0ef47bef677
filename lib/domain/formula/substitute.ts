import type { FormulaNode } from './ast';
import { parseFormula } from './parser';
import { formulaReferences } from './references';

/*
 * The explanation "This number = <expression>" with each input's value put in its place: the
 * formula text cut into plain text and the places where a KPI is read (a key, or a whole
 * `prev(key, n)` call), so a page can render each read as a link with its value. Pure.
 */

/** A piece of the formula text: plain text, or one read of a KPI (`periodsBack` 0: a key). */
export type FormulaSegment =
  { kind: 'text'; text: string } | { kind: 'read'; text: string; key: string; periodsBack: number };

/** Cuts a formula's text into plain text and reads, in text order; null when it does not parse. */
export function formulaSegments(text: string): FormulaSegment[] | null {
  let node: FormulaNode;
  try {
    node = parseFormula(text);
  } catch {
    return null;
  }
  const reads = formulaReferences(node).map((r) => ({
    ...r.readSpan,
    key: r.key,
    periodsBack: r.periodsBack,
  }));
  reads.sort((a, b) => a.start - b.start);
  const out: FormulaSegment[] = [];
  let at = 0;
  for (const r of reads) {
    if (r.start > at) out.push({ kind: 'text', text: text.slice(at, r.start) });
    out.push({
      kind: 'read',
      text: text.slice(r.start, r.end),
      key: r.key,
      periodsBack: r.periodsBack,
    });
    at = r.end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/** The text under a formula error: the formula with a caret under position `start`. */
export function caretLine(start: number): string {
  return `${' '.repeat(Math.max(0, start))}^`;
}

/** The position at the end of a formula problem message ("... at 17"), or null. */
export function problemPosition(message: string): number | null {
  const m = / at (\d+)$/.exec(message);
  return m ? Number(m[1]) : null;
}
