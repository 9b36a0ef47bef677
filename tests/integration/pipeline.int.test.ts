// The pipelined transaction (db/pipeline.ts withPipelinedTx / withOrgPipelinedTx) that the single
// check-in and every org context lookup use: statements sent without waiting still commit or roll
// back as one, a failure anywhere is reported, and row-level security applies as in withOrgTx.
// Runs on the real server (postgres.js, one reserved connection) and on the embedded database.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { withOrgPipelinedTx, withPipelinedTx } from '@/db/pipeline';
import { units } from '@/db/schema';
import { createTestOrg } from './factories';

async function unitNamed(name: string): Promise<number> {
  const db = await getOwnerDb();
  return (await db.select({ id: units.id }).from(units).where(eq(units.name, name))).length;
}

const insertUnit = (orgId: string, parentId: string, name: string) =>
  sql`insert into units (org_id, parent_id, kind, name)
      values (${orgId}::uuid, ${parentId}::uuid, 'department', ${name})`;

describe('pipelined transactions', () => {
  it('commits what was sent together with COMMIT, and answers every statement in order', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const name = `Pipelined ${randomUUID()}`;
    const answers = await withOrgPipelinedTx(org.id, async (p) => {
      const first = p.query<{ n: number }>(sql`select 1 as n`);
      void p.query(insertUnit(org.id, rootUnitId, name));
      const seen = p.query<{ n: number }>(
        sql`select count(*)::int as n from units where org_id = ${org.id}::uuid and name = ${name}`,
      );
      p.commit();
      return [(await first)[0]?.n, (await seen)[0]?.n];
    });
    // The insert ran before the count (same connection, in order) and then committed.
    expect(answers).toEqual([1, 1]);
    expect(await unitNamed(name)).toBe(1);
  });

  it('a failed statement rolls back everything sent with it and rejects with its error', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const name = `Rolled back ${randomUUID()}`;
    await expect(
      withOrgPipelinedTx(org.id, async (p) => {
        void p.query(insertUnit(org.id, rootUnitId, name));
        // Not awaited by fn: the transaction still reports it.
        void p.query(sql`select 1 / 0`);
        void p.query(insertUnit(org.id, rootUnitId, `${name} after`));
        p.commit();
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await unitNamed(name)).toBe(0);
    expect(await unitNamed(`${name} after`)).toBe(0);
  });

  it('an error thrown between round trips rolls back what was already sent', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const name = `Refused ${randomUUID()}`;
    await expect(
      withOrgPipelinedTx(org.id, async (p) => {
        await p.query(insertUnit(org.id, rootUnitId, name));
        throw new Error('refused after the first round trip');
      }),
    ).rejects.toThrow('refused after the first round trip');
    expect(await unitNamed(name)).toBe(0);
  });

  it('commits after fn resolves when fn did not send COMMIT itself', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const name = `Implicit commit ${randomUUID()}`;
    await withOrgPipelinedTx(org.id, async (p) => {
      await p.query(insertUnit(org.id, rootUnitId, name));
    });
    expect(await unitNamed(name)).toBe(1);
  });

  it('row-level security applies: without the org setting nothing is visible, with it only that org', async () => {
    const a = await createTestOrg();
    const b = await createTestOrg();
    const count = (orgId: string) =>
      sql`select count(*)::int as n from units where org_id = ${orgId}::uuid`;
    const bare = await withPipelinedTx(
      async (p) => (await p.query<{ n: number }>(count(a.org.id)))[0]?.n,
    );
    expect(bare).toBe(0);
    const [own, other] = await withOrgPipelinedTx(a.org.id, async (p) => [
      (await p.query<{ n: number }>(count(a.org.id)))[0]?.n,
      (await p.query<{ n: number }>(count(b.org.id)))[0]?.n,
    ]);
    expect(own).toBeGreaterThanOrEqual(1);
    expect(other).toBe(0);
    await expect(
      withOrgPipelinedTx(a.org.id, (p) => p.query(insertUnit(b.org.id, b.rootUnitId, 'Intruder'))),
    ).rejects.toThrow(/row-level security/);
  });
});
