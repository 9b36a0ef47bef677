// Group commit of new check-ins (lib/dal/record-checkin.ts): check-ins of one organization that
// arrive while its check-in transaction is in flight go together in one transaction. Each is
// still checked with its own actor and answered on its own, the rollup stays exact, and the
// audit log names each author. Runs on the real server and on the embedded database.
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';
import { auditLog } from '@/db/schema';
import { createKpiAction } from '@/lib/actions/kpis';
import { sumDec, toPlainString } from '@/lib/domain/decimal';
import { recordCheckin } from '@/lib/dal/record-checkin';
import { AppError } from '@/lib/errors';
import { addTestMember, createTestOrg } from './factories';
import { as, contextFor, expectNoDrift, kpiInput, must, periodRow } from './cascade-helpers';

async function outcome(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'ok';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('check-ins that arrive together', () => {
  it('share one transaction, yet each is checked, answered and audited on its own', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const other = await createTestOrg();
    const member = await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId });
    const parent = await as(owner, async () =>
      must(await createKpiAction(org.slug, kpiInput(rootUnitId, { rollup: 'sum', name: 'Total' }))),
    );
    const leaves = [];
    for (let i = 0; i < 12; i += 1) {
      leaves.push(
        await as(owner, async () =>
          must(
            await createKpiAction(
              org.slug,
              kpiInput(rootUnitId, {
                name: `Leaf ${i}`,
                parentId: parent.id,
                // The member owns the first three.
                ...(i < 3 ? { ownerUserId: member.userId } : {}),
              }),
            ),
          ),
        ),
      );
    }
    const foreign = await as(other.owner, async () =>
      must(await createKpiAction(other.org.slug, kpiInput(other.rootUnitId, { name: 'Foreign' }))),
    );
    const ownerCtx = await contextFor(owner, org.slug);
    const memberCtx = await contextFor(member, org.slug);
    // Values already stored in every month (one at a time), which the group's walk must keep.
    const earlier: { month: string; value: string }[] = [];
    for (const [i, kpi] of leaves.entries()) {
      for (const month of ['01', '02', '03']) {
        const value = `${i + 10}.5`;
        await recordCheckin(ownerCtx, { kpiId: kpi.id, observedOn: `2025-${month}-02`, value });
        earlier.push({ month, value });
      }
    }

    const valid = leaves.map((kpi, i) => ({
      ctx: i < 3 ? memberCtx : ownerCtx,
      // three months, so the shared parent is walked for several periods in one transaction
      input: { kpiId: kpi.id, observedOn: `2025-0${1 + (i % 3)}-15`, value: `${i + 1}.25` },
    }));
    const invalid = [
      // a computing KPI: refused with the message that says where to record
      { ctx: ownerCtx, input: { kpiId: parent.id, observedOn: '2025-03-15', value: '5' } },
      // the member on a KPI someone else owns
      { ctx: memberCtx, input: { kpiId: leaves[5]!.id, observedOn: '2025-03-15', value: '5' } },
      // another organization's KPI looks like a missing one
      { ctx: ownerCtx, input: { kpiId: foreign.id, observedOn: '2025-03-15', value: '5' } },
      // a date in the future
      { ctx: ownerCtx, input: { kpiId: leaves[6]!.id, observedOn: '2999-01-01', value: '5' } },
    ];
    // Sent in one tick: they go together (the first alone, if nothing was in flight).
    const all = [...valid.slice(0, 4), ...invalid, ...valid.slice(4)];
    const results = await Promise.all(all.map((c) => outcome(recordCheckin(c.ctx, c.input))));
    expect(results).toEqual([
      ...valid.slice(0, 4).map(() => 'ok'),
      'VALIDATION',
      'FORBIDDEN',
      'NOT_FOUND',
      'VALIDATION',
      ...valid.slice(4).map(() => 'ok'),
    ]);

    // They really shared a transaction: one timestamp (two, if the first went alone).
    const [stamps] = await execRows<{ n: number; distinct_stamps: number }>(
      await getOwnerDb(),
      sql`select count(*)::int as n, count(distinct created_at)::int as distinct_stamps
            from checkins where org_id = ${org.id}::uuid and observed_on <> ${'2025-01-02'}
              and observed_on <> ${'2025-02-02'} and observed_on <> ${'2025-03-02'}`,
    );
    expect(stamps?.n).toBe(12);
    expect(stamps?.distinct_stamps).toBeLessThanOrEqual(2);

    for (const month of ['01', '02', '03']) {
      const row = await periodRow(org.id, parent.id, `2025-${month}-01`);
      const inMonth = [
        ...earlier.filter((e) => e.month === month).map((e) => e.value),
        ...valid
          .filter((v) => v.input.observedOn.startsWith(`2025-${month}`))
          .map((v) => v.input.value),
      ];
      expect(row?.value, month).toBe(toPlainString(sumDec(inMonth)));
      expect(row, month).toMatchObject({ childrenReported: 12, childrenExpected: 12 });
    }
    await expectNoDrift(org.id);

    const audits = await (
      await getOwnerDb()
    )
      .select({ actor: auditLog.actorUserId })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, 'checkin.create')));
    expect(audits.filter((a) => a.actor === member.userId)).toHaveLength(3);
    expect(audits.filter((a) => a.actor === owner.userId)).toHaveLength(9 + earlier.length);
  });
});
