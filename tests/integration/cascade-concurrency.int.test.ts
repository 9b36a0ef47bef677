import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { kpis } from '@/db/schema';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { createKpiAction, linkKpiAction } from '@/lib/actions/kpis';
import { sumDec, toPlainString } from '@/lib/domain/decimal';
import { wouldCreateCycle } from '@/lib/domain/tree';
import { env } from '@/lib/env';
import { createTestOrg } from './factories';
import {
  as,
  expectNoDrift,
  kpiInput,
  kpiVersion,
  must,
  periodRow,
  refused,
} from './cascade-helpers';
import { realPostgres } from './real-postgres';

describe.runIf(realPostgres)('concurrent writers on one cascade (real Postgres)', () => {
  it('50 concurrent check-ins on sibling KPIs under a sum parent never lose an update (3 rounds)', async () => {
    expect(env().DATABASE_POOL_MAX).toBeGreaterThanOrEqual(8);
    const { org, owner, rootUnitId } = await createTestOrg();
    const parent = await as(owner, async () =>
      must(await createKpiAction(org.slug, kpiInput(rootUnitId, { rollup: 'sum', name: 'Total' }))),
    );
    const siblings = [];
    for (let i = 0; i < 50; i += 1) {
      siblings.push(
        await as(owner, async () =>
          must(
            await createKpiAction(
              org.slug,
              kpiInput(rootUnitId, { name: `Sibling ${i}`, parentId: parent.id }),
            ),
          ),
        ),
      );
    }
    const recorded: string[] = [];
    for (let round = 1; round <= 3; round += 1) {
      const values = siblings.map(
        (_, i) => `${round * 1000 + i}.${String((i * 37 + round) % 100).padStart(2, '0')}`,
      );
      const results = await Promise.all(
        siblings.map((kpi, i) =>
          as(owner, () =>
            recordCheckinAction(org.slug, {
              kpiId: kpi.id,
              observedOn: '2025-03-15',
              value: values[i] ?? '0',
            }),
          ),
        ),
      );
      for (const r of results) must(r);
      recorded.push(...values);
      const row = await periodRow(org.id, parent.id, '2025-03-01');
      expect(row?.value, `round ${round}`).toBe(toPlainString(sumDec(recorded)));
      expect(row).toMatchObject({ childrenReported: 50, childrenExpected: 50 });
      await expectNoDrift(org.id);
    }
  });

  it('two concurrent re-parent moves that would form a cycle: exactly one succeeds', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const db = await getOwnerDb();
    for (let round = 0; round < 5; round += 1) {
      const [a, b] = await Promise.all(
        ['A', 'B'].map((name) =>
          as(owner, async () =>
            must(await createKpiAction(org.slug, kpiInput(rootUnitId, { name, rollup: 'sum' }))),
          ),
        ),
      );
      if (!a || !b) throw new Error('set-up failed');
      const [va, vb] = [await kpiVersion(a.id), await kpiVersion(b.id)];
      const results = await Promise.all([
        as(owner, () => linkKpiAction(org.slug, { kpiId: a.id, parentId: b.id, version: va })),
        as(owner, () => linkKpiAction(org.slug, { kpiId: b.id, parentId: a.id, version: vb })),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const loser = refused(results.find((r) => !r.ok) ?? results[0]!);
      expect(loser.code).toBe('VALIDATION');
      expect(loser.message).toMatch(
        /cannot roll up into one of the KPIs that already roll up into it/,
      );
      const rows = await db
        .select({ id: kpis.id, parentId: kpis.parentId })
        .from(kpis)
        .where(inArray(kpis.id, [a.id, b.id]));
      const parentOf = new Map(rows.map((r) => [r.id, r.parentId]));
      expect(parentOf.get(a.id) === b.id && parentOf.get(b.id) === a.id).toBe(false);
      expect(wouldCreateCycle(a.id, parentOf.get(a.id) ?? null, parentOf)).toBe(false);
    }
    // three-way: A->B, B->C, C->A at once: at most two succeed, never a loop
    const trio = [];
    for (const name of ['X', 'Y', 'Z']) {
      trio.push(
        await as(owner, async () =>
          must(await createKpiAction(org.slug, kpiInput(rootUnitId, { name, rollup: 'sum' }))),
        ),
      );
    }
    const [x, y, z] = trio as [(typeof trio)[0], (typeof trio)[0], (typeof trio)[0]];
    const three = await Promise.all([
      as(owner, () => linkKpiAction(org.slug, { kpiId: x.id, parentId: y.id, version: 1 })),
      as(owner, () => linkKpiAction(org.slug, { kpiId: y.id, parentId: z.id, version: 1 })),
      as(owner, () => linkKpiAction(org.slug, { kpiId: z.id, parentId: x.id, version: 1 })),
    ]);
    expect(three.filter((r) => r.ok)).toHaveLength(2);
    const rows = await db
      .select({ id: kpis.id, parentId: kpis.parentId })
      .from(kpis)
      .where(eq(kpis.orgId, org.id));
    const parentOf = new Map(rows.map((r) => [r.id, r.parentId]));
    for (const r of rows) expect(wouldCreateCycle(r.id, r.parentId, parentOf)).toBe(false);
    await expectNoDrift(org.id);
  });
});
