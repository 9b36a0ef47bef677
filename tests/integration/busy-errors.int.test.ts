/**
 * A write that waits too long on other writes (the runtime role's lock_timeout, issue 21's scale
 * run) reaches the user as a CONFLICT that says nothing was saved and to try again, not as an
 * unexplained INTERNAL error: checked with a real lock timeout on the real server, through
 * drizzle's error wrapping, the way an action sees it.
 */
import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { sqlStateOf, toResultError } from '@/lib/server/errors';

describe('a write that waits past lock_timeout', () => {
  it('is a CONFLICT that says to try again, and its transaction wrote nothing', async () => {
    const db = await getOwnerDb();
    const key = randomInt(1, 2 ** 30);
    let caught: unknown = null;
    await db.transaction(async (holder) => {
      await holder.execute(sql`select pg_advisory_xact_lock(${key})`);
      await db
        .transaction(async (waiter) => {
          await waiter.execute(sql`set local lock_timeout = '50ms'`);
          await waiter.execute(sql`select pg_advisory_xact_lock(${key})`);
        })
        .catch((error: unknown) => {
          caught = error;
        });
    });
    expect(sqlStateOf(caught)).toBe('55P03');
    const result = toResultError(caught);
    expect(result.code).toBe('CONFLICT');
    expect(result.message).toMatch(/nothing was saved\. Try again/);
  });

  it('leaves any other database error an INTERNAL error with a reference', async () => {
    const db = await getOwnerDb();
    const caught = await db.execute(sql`select 1 / 0`).catch((error: unknown) => error);
    expect(sqlStateOf(caught)).toBe('22012');
    const result = toResultError(caught);
    expect(result.code).toBe('INTERNAL');
    expect(result.message).toMatch(/reference [0-9a-f]{8}/);
  });
});
