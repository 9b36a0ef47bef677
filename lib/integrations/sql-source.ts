import postgres from 'postgres';
import { PULL_STATEMENT_TIMEOUT_MS, PULL_ROW_CAP, wrapPullQuery } from '@/lib/domain/sql-pull';

/*
 * The connection to an organization's SQL source (issue 23, item 3): a PostgreSQL database the
 * app only reads. postgres.js, one connection, a short connect timeout, closed after each use;
 * every statement in a READ ONLY transaction with a statement timeout of its own. The user's
 * query is checked by `checkPullQuery` and runs as a subquery through the extended protocol,
 * which refuses a second statement anyway. External effects never run inside one of our own
 * database transactions: callers call these between them.
 */

/** Seconds to wait for the source to accept a connection. */
const CONNECT_TIMEOUT_S = 5;

/** A problem with a source (connection or query), with a message fit to show its admins. */
export class SqlSourceError extends Error {}

/** Host (with its port, when not 5432) and database of a connection URL, for display. */
export function describeSourceUrl(url: string): { host: string; database: string } {
  const parsed = new URL(url);
  const port = parsed.port && parsed.port !== '5432' ? `:${parsed.port}` : '';
  return {
    host: `${parsed.hostname}${port}`,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  };
}

/**
 * A source error's message without anything secret: postgres.js' own messages name no password,
 * but a URL could be echoed back by a driver error, so any URL-looking text is cut out.
 */
function safeMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/postgres(?:ql)?:\/\/\S+/gi, '<connection URL>').slice(0, 500);
  if (code === 'CONNECT_TIMEOUT') {
    return `The source did not answer within ${CONNECT_TIMEOUT_S} seconds.`;
  }
  if (code === '57014') {
    return `The query ran longer than ${PULL_STATEMENT_TIMEOUT_MS / 1000} seconds and was cancelled.`;
  }
  if (code === '25006') return `The source refused a write: ${message}. A pull only reads.`;
  return message;
}

async function withSource<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, {
    max: 1,
    connect_timeout: CONNECT_TIMEOUT_S,
    idle_timeout: 1,
    prepare: false,
    onnotice: () => {},
    fetch_types: false,
    // Dates and timestamps come back as the text Postgres sends (no time zone shifts).
    types: {
      sourceDate: {
        to: 1082,
        from: [1082, 1114, 1184],
        serialize: (x: unknown) => String(x),
        parse: (x: string) => x,
      },
    },
    connection: { application_name: 'kpi-cascade-sql-pull' },
  });
  try {
    return await fn(sql);
  } catch (error) {
    throw new SqlSourceError(safeMessage(error));
  } finally {
    await sql.end({ timeout: 2 }).catch(() => {});
  }
}

/** Runs `fn` in a READ ONLY transaction with the pull's statement timeout. */
function readOnly<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>) {
  return sql.begin('read only', async (tx) => {
    await tx.unsafe(`set local statement_timeout = ${PULL_STATEMENT_TIMEOUT_MS}`);
    return fn(tx);
  }) as Promise<T>;
}

/** Connects and runs `select 1` read-only; throws a SqlSourceError saying why it failed. */
export async function testSqlSource(url: string): Promise<void> {
  await withSource(url, (sql) => readOnly(sql, (tx) => tx.unsafe('select 1')));
}

/**
 * Runs a checked pull query (see `checkPullQuery`) on the source: at most `cap` + 1 rows, each
 * as an array of cells, with the result's column count. Throws a SqlSourceError.
 */
export async function runSqlPullQuery(
  url: string,
  checkedQuery: string,
  cap: number = PULL_ROW_CAP,
): Promise<{ columnCount: number; rows: unknown[][] }> {
  return withSource(url, (sql) =>
    readOnly(sql, async (tx) => {
      const result = await tx.unsafe(wrapPullQuery(checkedQuery, cap)).values();
      return { columnCount: result.columns.length, rows: result as unknown as unknown[][] };
    }),
  );
}
