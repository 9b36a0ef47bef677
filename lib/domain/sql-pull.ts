import type { TimeAggregation } from './aggregation';
import { parseIsoDate } from './dates';
import { decEquals, parseDecimalInput } from './decimal';
import { sameDateReading, type Reading } from './readings';

/*
 * Pulls from a SQL source (issue 23, item 3), the pure part: the guard around the user's query,
 * the parsing of the rows it returns into (date, value) readings, and what each pulled row does
 * to the KPI's readings (the readings rule of readings.ts, upserted by KPI and date).
 */

/** At most this many rows a pull; a query returning more fails the pull, saying so. */
export const PULL_ROW_CAP = 10_000;
/** Each pull's statement timeout on the source. */
export const PULL_STATEMENT_TIMEOUT_MS = 10_000;
/** How many rows a preview shows. */
export const PREVIEW_ROWS = 20;
/** At most this many row problems are reported (the first ones). */
const MAX_PROBLEMS = 20;

export const PULL_SCHEDULES = ['hourly', 'daily', 'weekly'] as const;
export type PullSchedule = (typeof PULL_SCHEDULES)[number];

const SCHEDULE_MS: Record<PullSchedule, number> = {
  hourly: 60 * 60 * 1000,
  daily: 24 * 60 * 60 * 1000,
  weekly: 7 * 24 * 60 * 60 * 1000,
};

/** When a pull on `schedule` that ran (or was due) at `at` runs next. */
export function nextPullAt(schedule: PullSchedule, at: Date): Date {
  return new Date(at.getTime() + SCHEDULE_MS[schedule]);
}

/**
 * Why `query` cannot be run as one subquery, or the query without its trailing semicolons and
 * blank space. Refused: an empty query; a second statement (a `;` outside string literals,
 * quoted names, comments and dollar quotes); unbalanced parentheses or an unclosed literal or
 * comment (either could close the subquery it is wrapped in, or swallow the wrapper's end).
 */
export function checkPullQuery(
  query: string,
): { ok: true; query: string } | { ok: false; error: string } {
  const text = query.trim().replace(/[;\s]+$/, '');
  if (text === '') return { ok: false, error: 'Write a query returning rows of (date, value).' };
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "'" || c === '"') {
      const end = closingQuote(text, i, c);
      if (end < 0) return { ok: false, error: 'A quoted string or name is not closed.' };
      i = end + 1;
    } else if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '/' && next === '*') {
      const end = closingComment(text, i);
      if (end < 0) return { ok: false, error: 'A /* comment */ is not closed.' };
      i = end;
    } else if (c === '$' && DOLLAR_TAG.test(text.slice(i))) {
      const tag = DOLLAR_TAG.exec(text.slice(i))![0];
      const end = text.indexOf(tag, i + tag.length);
      if (end < 0) return { ok: false, error: `A ${tag} quoted string is not closed.` };
      i = end + tag.length;
    } else {
      if (c === ';') {
        return { ok: false, error: 'Write one query only: a pull runs a single SELECT.' };
      }
      if (c === '(') depth += 1;
      if (c === ')') {
        depth -= 1;
        if (depth < 0) return { ok: false, error: 'The parentheses do not match.' };
      }
      i += 1;
    }
  }
  if (depth !== 0) return { ok: false, error: 'The parentheses do not match.' };
  return { ok: true, query: text };
}

/** A dollar-quote tag (`$$`, `$body$`); `$1` is a parameter, not one. */
const DOLLAR_TAG = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/;

function closingQuote(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote)
        i += 2; // a doubled quote is an escaped one
      else return i;
    } else i += 1;
  }
  return -1;
}

/** The index after the comment opened at `start` (Postgres nests block comments), or -1. */
function closingComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else i += 1;
  }
  return -1;
}

/**
 * The statement a pull sends: the checked query as a subquery, capped at one row more than the
 * cap (so "too many" is known). The query sits on lines of its own, so a trailing `--` comment
 * cannot hide the wrapper's end.
 */
export function wrapPullQuery(checkedQuery: string, cap: number = PULL_ROW_CAP): string {
  return `select * from (\n${checkedQuery}\n) as pulled limit ${cap + 1}`;
}

/** One pulled row, parsed: a reading of the KPI. */
export type PulledRow = { observedOn: string; value: string };

/** A row the pull refuses: its 1-based position in the result, and why. */
export type PulledRowProblem = { row: number; message: string };

/** What the query returned, parsed and checked. */
export type ParsedPull = {
  rows: PulledRow[];
  /** The first problems (at most 20); any problem fails the whole pull. */
  problems: PulledRowProblem[];
  /** Refusals of the result as a whole (wrong columns, too many rows). */
  error: string | null;
};

/** A cell as a driver returns it, as text (numbers in plain notation, dates as given). */
function cellText(cell: unknown): string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'bigint') return String(cell);
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? 'invalid' : cell.toISOString();
  return JSON.stringify(cell);
}

/**
 * Parses the rows of a pull: exactly two columns, a date (`YYYY-MM-DD`: cast timestamps with
 * `::date`) and a number (exact, at most 6 decimal places); no date after `today`, no date twice,
 * no empty cell, at most `cap` rows. Any problem refuses the pull.
 */
export function parsePulledRows(
  columnCount: number,
  cells: readonly (readonly unknown[])[],
  today: string,
  cap: number = PULL_ROW_CAP,
): ParsedPull {
  if (columnCount !== 2) {
    return {
      rows: [],
      problems: [],
      error: `The query must return two columns, a date and a value (it returns ${columnCount}).`,
    };
  }
  if (cells.length > cap) {
    return {
      rows: [],
      problems: [],
      error: `The query returned more than ${cap.toLocaleString('en-US')} rows: narrow it (a date range, or one row a day).`,
    };
  }
  const rows: PulledRow[] = [];
  const problems: PulledRowProblem[] = [];
  const firstRowOf = new Map<string, number>();
  cells.forEach((cell, index) => {
    const row = index + 1;
    const problem = (message: string) => {
      if (problems.length < MAX_PROBLEMS) problems.push({ row, message });
    };
    const dateText = cellText(cell[0]);
    const valueText = cellText(cell[1]);
    if (dateText === null) return problem('The date is empty.');
    const date = parseIsoDate(dateText);
    if (!date.ok) {
      return problem(
        /^\d{4}-\d{2}-\d{2}[T ]/.test(dateText)
          ? `"${dateText}" is a timestamp: return a date (cast it with ::date).`
          : `"${dateText}" is not a date: ${date.error}.`,
      );
    }
    if (date.value > today) return problem(`${date.value} is after today (${today}).`);
    const earlier = firstRowOf.get(date.value);
    if (earlier !== undefined) {
      return problem(`${date.value} is also on row ${earlier}: return one row a date.`);
    }
    firstRowOf.set(date.value, row);
    if (valueText === null) return problem(`The value of ${date.value} is empty.`);
    const value = parseDecimalInput(valueText);
    if (!value.ok) return problem(`"${valueText}" is not a value: ${value.error}.`);
    rows.push({ observedOn: date.value, value: value.value });
  });
  return { rows, problems, error: null };
}

/** What a pulled row does to the KPI's readings. */
export type PulledRowPlan =
  { kind: 'unchanged' } | { kind: 'record' } | { kind: 'correct'; reading: Reading };

/**
 * Upsert by (KPI, date), within the readings rule: a level or a rate has one reading a date,
 * so the pulled value corrects the KPI's reading of that date (whoever recorded it); a flow adds
 * every entry, so the pull corrects only its own (`sql`) reading of that date and otherwise adds
 * one. An equal value changes nothing (no new reading, no audit record).
 */
export function planPulledRow(
  timeAggregation: TimeAggregation,
  row: PulledRow,
  readingsOfDate: readonly (Reading & { source: string })[],
): PulledRowPlan {
  const reading =
    sameDateReading(timeAggregation, row.observedOn, readingsOfDate) ??
    readingsOfDate.find((r) => r.observedOn === row.observedOn && r.source === 'sql') ??
    null;
  if (!reading) return { kind: 'record' };
  if (decEquals(reading.value, row.value)) return { kind: 'unchanged' };
  return { kind: 'correct', reading };
}
