import { describe, expect, it } from 'vitest';
import {
  checkPullQuery,
  nextPullAt,
  parsePulledRows,
  planPulledRow,
  wrapPullQuery,
} from './sql-pull';

const TODAY = '2026-03-31';

describe('checkPullQuery', () => {
  it('keeps one query, without trailing semicolons and blanks', () => {
    expect(checkPullQuery('  select day, value from v;  \n')).toEqual({
      ok: true,
      query: 'select day, value from v',
    });
  });

  it.each([
    ['', 'Write a query'],
    ['  ;  ', 'Write a query'],
    ['select 1; delete from t', 'one query only'],
    ['select 1;select 2;', 'one query only'],
    ['select 1) as x; drop table t; --', 'parentheses'],
    ['select 1) union (select 2', 'parentheses'],
    ['select (1', 'parentheses'],
    ["select 'open", 'not closed'],
    ['select "open', 'not closed'],
    ['select 1 /* open', 'not closed'],
    ['select $q$ open', 'not closed'],
  ])('refuses %j', (query, message) => {
    const checked = checkPullQuery(query);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error).toContain(message);
  });

  it.each([
    "select ';' as a, 2",
    'select ";" from t',
    'select 1 -- a comment; with a semicolon\n, 2',
    'select 1 /* nested /* ; */ still; */, 2',
    'select $$;$$, $body$ ) ; $body$',
    "select 'it''s; fine', ')'",
    'select $1',
  ])('accepts semicolons and parentheses inside literals and comments: %j', (query) => {
    expect(checkPullQuery(query).ok).toBe(true);
  });
});

describe('wrapPullQuery', () => {
  it('wraps the query as a subquery on its own lines, one row over the cap', () => {
    expect(wrapPullQuery('select 1 -- end', 5)).toBe(
      'select * from (\nselect 1 -- end\n) as pulled limit 6',
    );
  });
});

describe('parsePulledRows', () => {
  it('parses dates and exact values from strings and numbers', () => {
    const parsed = parsePulledRows(
      2,
      [
        ['2026-01-31', '1250.50'],
        ['2026-02-28', 7],
        ['2026-03-31', '12345678901234'],
      ],
      TODAY,
    );
    expect(parsed).toEqual({
      rows: [
        { observedOn: '2026-01-31', value: '1250.5' },
        { observedOn: '2026-02-28', value: '7' },
        { observedOn: '2026-03-31', value: '12345678901234' },
      ],
      problems: [],
      error: null,
    });
  });

  it('refuses a result without exactly two columns', () => {
    expect(parsePulledRows(3, [], TODAY).error).toContain('two columns');
    expect(parsePulledRows(1, [], TODAY).error).toContain('returns 1');
  });

  it('refuses more rows than the cap', () => {
    const rows = Array.from({ length: 4 }, (_, i) => [`2026-01-0${i + 1}`, '1']);
    expect(parsePulledRows(2, rows, TODAY, 3).error).toContain('more than 3 rows');
    expect(parsePulledRows(2, rows, TODAY, 4).error).toBeNull();
  });

  it('names each bad row: dates, timestamps, the future, duplicates, values', () => {
    const parsed = parsePulledRows(
      2,
      [
        ['2026-01-01', '1'],
        ['2026-02-30', '1'],
        ['2026-01-05 00:00:00', '1'],
        ['2026-04-01', '1'],
        ['2026-01-01', '2'],
        [null, '1'],
        ['2026-01-07', null],
        ['2026-01-08', '1,250'],
        ['2026-01-09', 0.1 + 0.2],
        ['2026-01-10', 'abc'],
      ],
      TODAY,
    );
    expect(parsed.rows).toEqual([{ observedOn: '2026-01-01', value: '1' }]);
    expect(parsed.problems.map((p) => p.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const text = parsed.problems.map((p) => p.message);
    expect(text[0]).toContain('does not exist');
    expect(text[1]).toContain('timestamp');
    expect(text[2]).toContain('after today');
    expect(text[3]).toContain('also on row 1');
    expect(text[4]).toContain('date is empty');
    expect(text[5]).toContain('value of 2026-01-07 is empty');
    expect(text[6]).toContain('thousands separators');
    expect(text[7]).toContain('decimal places');
    expect(text[8]).toContain('not a value');
  });

  it('reports at most 20 problems', () => {
    const rows = Array.from({ length: 30 }, () => ['nope', '1']);
    expect(parsePulledRows(2, rows, TODAY).problems).toHaveLength(20);
  });
});

describe('planPulledRow', () => {
  const reading = (over: Partial<{ id: string; value: string; source: string }> = {}) => ({
    id: 'r1',
    observedOn: '2026-01-31',
    value: '10',
    version: 1,
    source: 'manual',
    ...over,
  });
  const row = { observedOn: '2026-01-31', value: '10.0' };

  it('records a date the KPI has no reading of', () => {
    expect(planPulledRow('last', row, [])).toEqual({ kind: 'record' });
    expect(planPulledRow('sum', row, [])).toEqual({ kind: 'record' });
  });

  it('changes nothing for an equal value', () => {
    expect(planPulledRow('last', row, [reading()])).toEqual({ kind: 'unchanged' });
    expect(planPulledRow('sum', row, [reading({ source: 'sql' })])).toEqual({ kind: 'unchanged' });
  });

  it("corrects a level's reading of that date, whoever recorded it", () => {
    const r = reading({ value: '9' });
    expect(planPulledRow('average', row, [r])).toEqual({ kind: 'correct', reading: r });
  });

  it("corrects only its own reading of a flow, and adds to a hand-recorded one", () => {
    expect(planPulledRow('sum', row, [reading({ value: '9' })])).toEqual({ kind: 'record' });
    const own = reading({ id: 'r2', value: '9', source: 'sql' });
    expect(planPulledRow('sum', row, [reading({ value: '3' }), own])).toEqual({
      kind: 'correct',
      reading: own,
    });
  });
});

describe('nextPullAt', () => {
  it('adds an hour, a day or a week', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    expect(nextPullAt('hourly', at).toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(nextPullAt('daily', at).toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(nextPullAt('weekly', at).toISOString()).toBe('2026-03-08T10:00:00.000Z');
  });
});
