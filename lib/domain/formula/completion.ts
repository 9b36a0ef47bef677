import { FUNCTION_NAMES } from './ast';

/*
 * Key completion in the formula field: which word the caret is in, which KPI keys and functions
 * match it, and the text after picking one. Pure, so the combobox stays a thin view.
 */

/** A KPI the formula may name. */
export type CompletionKpi = { key: string; name: string };

/** One suggestion: a KPI key (with its name) or a function (inserted with its parenthesis). */
export type CompletionOption =
  { kind: 'key'; key: string; name: string } | { kind: 'function'; key: string; name: string };

/** The word being typed: `text.slice(start, end)` is the part of a name around the caret. */
export type CompletionWord = { prefix: string; start: number; end: number };

const FUNCTION_HINTS: Record<(typeof FUNCTION_NAMES)[number], string> = {
  prev: 'prev(key) or prev(key, n): the value n periods earlier',
  min: 'min(a, b, ...): the smallest',
  max: 'max(a, b, ...): the largest',
  abs: 'abs(x): without its sign',
  coalesce: 'coalesce(x, y, ...): the first that has a value',
};

const isNameChar = (c: string | undefined): boolean => c !== undefined && /[a-zA-Z0-9_.-]/.test(c);

/**
 * The name (key or function) the caret at `caret` is in or just after, or null when the caret
 * is not at a name (after an operator, a space or a digit-led number).
 */
export function completionWord(text: string, caret: number): CompletionWord | null {
  let start = Math.max(0, Math.min(caret, text.length));
  const at = start;
  while (start > 0 && isNameChar(text[start - 1])) start -= 1;
  let end = at;
  while (end < text.length && isNameChar(text[end])) end += 1;
  const prefix = text.slice(start, at);
  if (prefix === '' || !/^[a-zA-Z]/.test(prefix)) return null;
  return { prefix, start, end };
}

/**
 * The suggestions for `prefix`, best first, at most `limit`: keys that start with it, then
 * functions that start with it, then keys whose later segment (after `.`, `_` or `-`) or name
 * contains it. Case-insensitive; an exact full key alone is not suggested again.
 */
export function completionOptions(
  prefix: string,
  kpis: readonly CompletionKpi[],
  limit = 8,
): CompletionOption[] {
  const p = prefix.toLowerCase();
  if (p === '') return [];
  const byKey = [...kpis].sort((a, b) => a.key.localeCompare(b.key));
  const keyStart = byKey.filter((k) => k.key.startsWith(p));
  const fns = FUNCTION_NAMES.filter((f) => f.startsWith(p)).map((f): CompletionOption => ({
    kind: 'function',
    key: f,
    name: FUNCTION_HINTS[f],
  }));
  const keyInside = byKey.filter(
    (k) =>
      !k.key.startsWith(p) &&
      (k.key.split(/[._-]/).some((part) => part.startsWith(p)) || k.name.toLowerCase().includes(p)),
  );
  const options: CompletionOption[] = [
    ...keyStart.map((k): CompletionOption => ({ kind: 'key', key: k.key, name: k.name })),
    ...fns,
    ...keyInside.map((k): CompletionOption => ({ kind: 'key', key: k.key, name: k.name })),
  ];
  if (options.length === 1 && options[0]?.key === p && options[0].kind === 'key') return [];
  return options.slice(0, limit);
}

/**
 * The text after replacing `word` with the option (a function gets its `(`), and the caret
 * position after it.
 */
export function applyCompletion(
  text: string,
  word: Pick<CompletionWord, 'start' | 'end'>,
  option: CompletionOption,
): { text: string; caret: number } {
  const insert = option.kind === 'function' ? `${option.key}(` : option.key;
  const after = text.slice(word.end);
  const skipParen = option.kind === 'function' && after.startsWith('(');
  const next = text.slice(0, word.start) + insert + (skipParen ? after.slice(1) : after);
  return { text: next, caret: word.start + insert.length };
}
