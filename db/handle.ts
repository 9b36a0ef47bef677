import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * One connection inside a transaction whose statements go out without waiting for earlier answers
 * (see db/pipeline.ts): `send` issues a statement, `finish` ends the transaction.
 */
export type PipelineChannel = {
  send: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
  finish: (command: 'commit' | 'rollback') => Promise<unknown>;
};

/** An opened database, as db/postgres.ts or db/pglite.ts return it. */
export type Handle = {
  /** The app's connection: the runtime role (`kpi_app`), subject to row-level security. */
  db: Db;
  /** The migrating role's connection, for seeds, CLIs and test fixtures (never app code paths). */
  ownerDb: () => Promise<Db>;
  driver: 'postgres' | 'pglite';
  /** Runs `fn` on one connection as the runtime role, BEGIN already issued (see db/pipeline.ts). */
  pipelined: <T>(fn: (channel: PipelineChannel) => Promise<T>) => Promise<T>;
  /**
   * The embedded database only: raw SQL as the owner (one or many statements; with `values`,
   * one), the shape of a `pg` query result. The job queue runs through it in-process (a server
   * gives the queue its own `pg` pool instead).
   */
  ownerSql?: (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
  close: () => Promise<void>;
};
