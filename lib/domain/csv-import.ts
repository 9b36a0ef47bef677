import { parse } from 'csv-parse/sync';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from './import-limits';

/** The columns of a check-in import; `kpi` takes a KPI key or id (`kpi_key` and `kpi_id` are accepted too). */
export const IMPORT_COLUMNS = ['kpi', 'observed_on', 'value', 'note'] as const;

const KPI_ALIASES = new Set(['kpi', 'kpi_key', 'kpi_id', 'key']);

/** One data row of an import file, as text, with its 1-based line number in the file. */
export type CsvCheckinRow = {
  line: number;
  kpi: string;
  observedOn: string;
  value: string;
  note: string;
};

export type CsvParseResult =
  { ok: true; rows: CsvCheckinRow[]; delimiter: ',' | ';' } | { ok: false; error: string };

/** The separator a header line uses: `;` when it has more semicolons than commas (spreadsheets in many locales). */
function detectDelimiter(text: string): ',' | ';' {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string) => header.split(ch).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/**
 * Parses a check-in import: a header row naming `kpi`, `observed_on`, `value` and optionally
 * `note` (any order, any case; a UTF-8 BOM and `;` separators are fine), then one row per
 * check-in. With `;` separators a decimal comma (`12,5`) reads as a decimal point. Refuses the
 * whole file with one clear message when its shape is wrong; row contents are checked later.
 */
export function parseCheckinCsv(text: string): CsvParseResult {
  if (text.length > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      error: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into smaller files.`,
    };
  }
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { ok: false, error: 'The file is empty.' };
  const delimiter = detectDelimiter(body);
  let records: string[][];
  try {
    records = parse(body, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    const reason =
      error instanceof Error ? error.message.replace(/^Invalid \w+ /, '') : 'unreadable';
    return { ok: false, error: `The file is not valid CSV: ${reason}` };
  }
  const [header, ...data] = records;
  const names = (header ?? []).map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
  const index = {
    kpi: names.findIndex((n) => KPI_ALIASES.has(n)),
    observedOn: names.findIndex((n) => n === 'observed_on' || n === 'date'),
    value: names.indexOf('value'),
    note: names.indexOf('note'),
  };
  const missing = [
    index.kpi < 0 ? 'kpi' : null,
    index.observedOn < 0 ? 'observed_on' : null,
    index.value < 0 ? 'value' : null,
  ].filter((c) => c !== null);
  if (missing.length > 0) {
    return {
      ok: false,
      error: `The header row must name the columns kpi, observed_on and value (note is optional); missing: ${missing.join(', ')}. Found: ${(header ?? []).join(', ') || 'nothing'}.`,
    };
  }
  if (data.length === 0) return { ok: false, error: 'The file has a header row but no check-ins.' };
  if (data.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      error: `The file has ${data.length} rows; import at most ${MAX_IMPORT_ROWS} at a time.`,
    };
  }
  const cell = (record: string[], i: number) => (i >= 0 ? (record[i] ?? '') : '');
  const rows = data.map((record, i) => {
    const rawValue = cell(record, index.value);
    return {
      line: i + 2,
      kpi: cell(record, index.kpi),
      observedOn: cell(record, index.observedOn),
      value:
        delimiter === ';' && /^-?\d+,\d+$/.test(rawValue) ? rawValue.replace(',', '.') : rawValue,
      note: cell(record, index.note),
    };
  });
  return { ok: true, rows, delimiter };
}
