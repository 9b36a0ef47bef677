import { parseDecimalInput, type ParseResult } from '@/lib/domain/decimal';

/* The targets grid's input rules, pure: numbers as people paste them, and pasted blocks. */

const GROUPED_COMMA = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
const GROUPED_SPACE = /^-?\d{1,3}([ \u00a0\u202f']\d{3})+(\.\d+)?$/;

/**
 * Parses a number typed or pasted into the grid: plain decimals (`1250.5`) and the same with
 * thousands separators (`1,250.5`, `1 250.5`, `1'250.5`); the point is the decimal mark. Empty
 * input is `null` (no override). Errors read as the rest of the app's.
 */
export function parseGridNumber(raw: string): ParseResult | { ok: true; value: null } {
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  const plain =
    GROUPED_COMMA.test(text) || GROUPED_SPACE.test(text)
      ? text.replace(/[,\s\u00a0\u202f']/g, '')
      : text;
  return parseDecimalInput(plain);
}

/**
 * Splits a block copied from a spreadsheet (cells by tabs, rows by newlines; a trailing newline
 * is ignored) into rows of cell texts.
 */
export function parsePastedBlock(text: string): string[][] {
  const rows = text.replace(/\r\n?/g, '\n').split('\n');
  if (rows.length > 1 && rows[rows.length - 1] === '') rows.pop();
  return rows.map((r) => r.split('\t'));
}
