import { randomUUID } from 'node:crypto';
import postgres from 'postgres';

/*
 * A second, real PostgreSQL database to pull from (issue 23, item 3), made on the test server
 * with its superuser: a table of daily amounts, a view `kpi_values (day, amount)` over it, and a
 * role that may log in and only SELECT from the view, read-only by default. Used by the e2e
 * journey (e2e/sql-pull.spec.ts) and the integration suite (tests/integration/sql-pulls-suite.ts).
 */

export type SourceDatabase = {
  /** The read-only role's connection URL (what an admin registers). */
  readerUrl: string;
  /** Runs SQL in the source database as its owner (to change the data under the view). */
  exec: (text: string) => Promise<void>;
  /** Drops the database and the role. */
  drop: () => Promise<void>;
};

/** Creates the source database, its view with `rows` and the read-only role. */
export async function createSourceDatabase(
  adminUrl: string,
  rows: readonly (readonly [string, string])[],
): Promise<SourceDatabase> {
  const tag = randomUUID().replaceAll('-', '').slice(0, 10);
  const database = `kpi_source_${tag}`;
  const role = `kpi_reader_${tag}`;
  const password = `reader-${tag}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  await admin.unsafe(`create role ${role} login password '${password}'`);
  await admin.unsafe(`alter role ${role} set default_transaction_read_only = on`);
  const sourceAdminUrl = withDatabase(adminUrl, database);
  const source = postgres(sourceAdminUrl, { max: 1, onnotice: () => {} });
  await source.unsafe(`
    create table daily_amounts (day date primary key, amount numeric(20, 6) not null);
    create view kpi_values as select day, amount from daily_amounts;
    revoke all on database ${database} from public;
    grant connect on database ${database} to ${role};
    grant usage on schema public to ${role};
    grant select on kpi_values to ${role};
  `);
  for (const [day, amount] of rows) {
    await source`insert into daily_amounts (day, amount) values (${day}, ${amount})`;
  }
  const reader = new URL(sourceAdminUrl);
  reader.username = role;
  reader.password = password;
  return {
    readerUrl: reader.toString(),
    exec: async (text) => {
      await source.unsafe(text);
    },
    drop: async () => {
      await source.end();
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.unsafe(`drop role if exists ${role}`);
      await admin.end();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
