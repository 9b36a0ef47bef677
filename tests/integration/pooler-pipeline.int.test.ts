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
});
