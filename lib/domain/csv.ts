import { stringify } from 'csv-stringify/sync';

/**
 * CSV output that spreadsheets open safely: cells starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return get a leading apostrophe so they show as text and never run as formulas
 * (plain numbers such as `-12.5` stay numbers); quoting follows RFC 4180.
 */

function formulaSafe(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (/^-?\d+(\.\d+)?$/.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One cell, formula-safe and quoted where CSV needs it. */
export function csvCell(value: string | number | null | undefined): string {
  return toCsv([[value]]).replace(/\r\n$/, '');
}

/** Rows as CSV text (CRLF line ends), every cell formula-safe. */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return stringify(
    rows.map((row) => row.map(formulaSafe)),
    { record_delimiter: '\r\n', quoted_match: /[\r\n]/ },
  );
}
