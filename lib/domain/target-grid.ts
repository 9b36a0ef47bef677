import { parseDecimalInput, type ParseResult } from '@/lib/domain/decimal';
import { localeSeparators, parseLocaleDecimal } from '@/lib/domain/locale-number';

/* The targets grid's input rules, pure: numbers as people paste them, and pasted blocks. */

const GROUPED_SPACE = /^-?\d{1,3}([ \u00a0\u202f']\d{3})+(\.\d+)?$/;

/**
 * Parses a number typed or pasted into the grid the way the organization's `locale` writes it
 * (`1.250,5` in de-DE, `1,250.5` in en-US; lib/domain/locale-number.ts), or plain (`1250.5`, as
 * a machine writes it). Where the point is the decimal mark, spreadsheets' `1 250.5` and
 * `1'250.5` are read too. Empty input is `null` (no override). Errors name the expected form.
 */
export function parseGridNumber(
  raw: string,
  locale: string,
): ParseResult | { ok: true; value: null } {
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  const read = parseLocaleDecimal(text, locale, { allowPlain: true });
  if (read.ok || localeSeparators(locale).decimal !== '.' || !GROUPED_SPACE.test(text)) return read;
  return parseDecimalInput(text.replace(/[\s\u00a0\u202f']/g, ''));
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
