/**
 * Behind pgbouncer in transaction mode (DATABASE_POOLER=transaction), every statement the app's
 * pool sends gets its answer, under concurrency that makes postgres.js queue statements on busy
 * connections. pgbouncer before 1.21 (Debian ships 1.18) gives the server connection back to its
 * pool at the end of the first statement outside a transaction and drops the answers of any
 * statement pipelined behind it: with postgres.js's default pipelining, most of these requests
 * never answered (4 of 300 in 8 s); `test:scale` saw one request in a few hundred hang.
 */
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handle } from '@/db/handle';
import { openPostgres } from '@/db/postgres';
import { runtimeRoleUrl } from '@/db/runtime-url';
import { freePort, startPgbouncer, type Pooler } from './pgbouncer';
import { realPostgres } from './real-postgres';

const direct = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/none');
const database = direct.pathname.slice(1);
let pooler: Pooler;
let handle: Handle;

beforeAll(async () => {
  if (!realPostgres) return;
  pooler = await startPgbouncer({
    dir: path.join(os.tmpdir(), `kpi-pooler-test-${process.pid}`),
    serverPort: Number(direct.port || 5432),
    port: await freePort(),
    users: ['kpi_app', direct.username || 'postgres'],
    poolSize: 4,
  });
  // The app's pool, as db/client.ts opens it for DATABASE_POOLER=transaction: the runtime role
  // through the pooler, a small pool so that statements queue on busy connections.
  handle = await openPostgres(
    runtimeRoleUrl(pooler.url(direct.username || 'postgres', database)),
    process.env.TEST_DATABASE_URL!,
    { max: 2, transactionPooler: true, onRetired: () => {} },
  );
}, 60_000);

afterAll(async () => {
  await handle?.close();
  pooler?.stop();
});

describe.runIf(realPostgres)('the app behind pgbouncer in transaction mode', () => {
  it('answers every statement sent at once, with and without parameters', async () => {
    const client = (handle.db as unknown as { $client: Sql }).$client;
    let answered = 0;
    const statements = Array.from({ length: 300 }, (_, i) =>
      (i % 2 ? client.unsafe('select $1::int as n', [i]) : client.unsafe('select 1 as n')).then(
        (rows) => {
          answered += 1;
          return Number(rows[0]!.n);
        },
      ),
    );
    const deadline = new Promise<'timeout'>((resolve) => setTimeout(resolve, 15_000, 'timeout'));
    const outcome = await Promise.race([Promise.all(statements), deadline]);
    expect(answered).toBe(300);
    expect(outcome).not.toBe('timeout');
    expect((outcome as number[]).slice(0, 4)).toEqual([1, 1, 1, 3]);
  }, 30_000);

  it('runs drizzle transactions, whose BEGIN reserves its connection', async () => {
    // postgres.js reserves the connection for sql.begin in a callback that one statement per
    // connection used to skip (UNSAFE_TRANSACTION); db/driver-patch.mjs runs it first.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        handle.db.transaction(async (tx) => {
          const [row] = (await tx.execute(sql`select ${i}::int + 1 as n`)) as unknown as {
            n: number;
          }[];
          return Number(row!.n);
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  }, 30_000);

  it('keeps pipelined transactions whole', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        handle.pipelined(async ({ send, finish }) => {
          const a = send('select $1::int as n', [i]);
          const b = send('select 1 as n', []);
          await finish('commit');
          return Number((await a)[0]!.n) + Number((await b)[0]!.n);
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  }, 30_000);

  it('pipelines a transaction on one server connection, in order, under concurrency', async () => {
    // Behind the pooler the pipelined transactions have a pool that pipelines (db/postgres.ts):
    // every statement goes out after BEGIN without waiting, and each must meet the settings the
    // ones before it made in the same transaction.
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        handle.pipelined(async ({ send, finish }) => {
          void send(`select set_config('kpi_test.n', $1, true)`, [String(i)]);
          const reads = Array.from({ length: 5 }, (_, k) =>
            send(`select current_setting('kpi_test.n')::int + $1::int as n`, [k]),
          );
          await finish('commit');
          return (await Promise.all(reads)).map((rows) => Number(rows[0]!.n));
        }),
      ),
    );
    expect(results).toEqual(
      Array.from({ length: 60 }, (_, i) => Array.from({ length: 5 }, (_, k) => i + k)),
    );
  }, 30_000);

  it('binds every kind of parameter the app sends, described or not', async () => {
    // Unprepared statements with scalar parameters only are sent without asking the server for
    // their types first (db/driver-patch.mjs, whose unit test checks which are); arrays are
    // described. Either way each value must arrive as sent (dates travel as text: drizzle binds
    // them so).
    const client = (handle.db as unknown as { $client: Sql }).$client;
    const scalars = await client.unsafe(
      `select $1::text as s, $2::int as i, $3::numeric::text as d, $4::boolean as b,
              $5::uuid as u, $6::text is null as nothing, $7::json ->> 'k' as j,
              $8::timestamptz = '2026-03-04T05:06:07.089Z'::timestamptz as same_time,
              $9::bigint::text as big, $10::date::text as day, length($11::bytea) as bytes`,
      [
        "it's a \\ test",
        42,
        '12.500000',
        true,
        '00000000-0000-4000-8000-000000000001',
        null,
        JSON.stringify({ k: 'v' }),
        '2026-03-04 05:06:07.089+00',
        1234567890123456789n,
        '2026-12-06',
        Buffer.from([1, 2, 3]),
      ] as never[],
    );
    expect(scalars[0]).toEqual({
      s: "it's a \\ test",
      i: 42,
      d: '12.500000',
      b: true,
      u: '00000000-0000-4000-8000-000000000001',
      nothing: true,
      j: 'v',
      same_time: true,
      big: '1234567890123456789',
      day: '2026-12-06',
      bytes: 3,
    });

    const listed = await client.unsafe(`select $1::text[] as list, $2::int as n`, [
      ['a', 'b,c'],
      7,
    ] as never[]);
    expect(listed[0]).toEqual({ list: ['a', 'b,c'], n: 7 });
  }, 30_000);
});
