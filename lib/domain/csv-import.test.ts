import { describe, expect, it } from 'vitest';
import { parseCheckinCsv } from './csv-import';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from './import-limits';

const rowsOf = (text: string) => {
  const result = parseCheckinCsv(text);
  if (!result.ok) throw new Error(result.error);
  return result.rows;
};

describe('parseCheckinCsv', () => {
  it('reads the columns in any order and case, with line numbers', () => {
    expect(
      rowsOf(
        'Value,KPI,Observed On,Note\n12.5,sales.mrr,2026-11-30,"big, deal"\n3,ops.calls,2026-11-29,\n',
      ),
    ).toEqual([
      { line: 2, kpi: 'sales.mrr', observedOn: '2026-11-30', value: '12.5', note: 'big, deal' },
      { line: 3, kpi: 'ops.calls', observedOn: '2026-11-29', value: '3', note: '' },
    ]);
  });

  it('accepts kpi_key, kpi_id and date as column names, and no note column', () => {
    expect(rowsOf('kpi_key,date,value\na.b,2026-01-01,1')[0]).toMatchObject({
      kpi: 'a.b',
      observedOn: '2026-01-01',
      note: '',
    });
    expect(rowsOf('kpi_id,observed_on,value\nx,2026-01-01,1')[0]).toMatchObject({ kpi: 'x' });
  });

  it('strips a UTF-8 BOM and skips empty lines', () => {
    expect(rowsOf('\uFEFFkpi,observed_on,value\r\n\r\na.b,2026-01-01,7\r\n')).toEqual([
      { line: 2, kpi: 'a.b', observedOn: '2026-01-01', value: '7', note: '' },
    ]);
  });

  it('reads semicolon files, where a decimal comma is a decimal point', () => {
    const result = parseCheckinCsv(
      'kpi;observed_on;value;note\na.b;2026-01-01;12,5;ok\na.b;2026-01-02;1.000,5;x',
    );
    expect(result.ok && result.delimiter).toBe(';');
    const rows = rowsOf(
      'kpi;observed_on;value;note\na.b;2026-01-01;12,5;ok\na.b;2026-01-02;1.000,5;x',
    );
    expect(rows.map((r) => r.value)).toEqual(['12.5', '1.000,5']);
  });

  it('keeps a comma in a comma file as written (the number check refuses it later)', () => {
    expect(rowsOf('kpi,observed_on,value\na.b,2026-01-01,"1,5"')[0]!.value).toBe('1,5');
  });

  it.each([
    ['', 'The file is empty.'],
    ['   \n  ', 'The file is empty.'],
    ['kpi,observed_on,value\n', 'The file has a header row but no check-ins.'],
    ['name,date,amount\nx,2026-01-01,1', 'missing: kpi, value'],
    ['kpi,value\nx,1', 'missing: observed_on'],
    ['kpi,observed_on,value\n"unclosed,2026-01-01,1', 'The file is not valid CSV'],
  ])('refuses %j with a clear message', (text, message) => {
    const result = parseCheckinCsv(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });

  it('refuses files over the size and row limits', () => {
    const big = parseCheckinCsv('kpi,observed_on,value\n' + 'x'.repeat(MAX_IMPORT_BYTES));
    expect(big.ok === false && big.error).toContain('larger than 2 MB');
    const many = parseCheckinCsv(
      'kpi,observed_on,value\n' + 'a,2026-01-01,1\n'.repeat(MAX_IMPORT_ROWS + 1),
    );
    expect(many.ok === false && many.error).toContain(`import at most ${MAX_IMPORT_ROWS}`);
  });

  it('passes formula-looking cells through as text for the row checks to refuse', () => {
    expect(rowsOf('kpi,observed_on,value,note\n=cmd|x,2026-01-01,=1+2,@SUM(A1)')[0]).toMatchObject({
      kpi: '=cmd|x',
      value: '=1+2',
      note: '@SUM(A1)',
    });
  });
});
