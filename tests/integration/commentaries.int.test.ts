import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { kpis } from '@/db/schema';
import { runWithSession } from '@/lib/auth/session';
import { getCommentaryPanel } from '@/lib/dal/commentaries';
import { todayInTimeZone } from '@/lib/domain/dates';
import { periodLabel, periodStart, previousPeriodStart } from '@/lib/domain/periods';
import { resolveOrgContext } from '@/lib/server/org-context';
import { createTestOrg } from './factories';

describe('the commentary panel', () => {
  it("offers the KPI's current period first, then the five before it, with their labels", async () => {
    const org = await createTestOrg({ fyStartMonth: 4 });
    const db = await getOwnerDb();
    const [kpi] = await db
      .insert(kpis)
      .values({
        orgId: org.org.id,
        unitId: org.rootUnitId,
        ownerUserId: org.owner.userId,
        name: `KPI ${randomUUID().slice(0, 6)}`,
        measureUnit: 'count',
        direction: 'increase',
        cadence: 'quarter',
        timeAggregation: 'sum',
      })
      .returning({ id: kpis.id });
    const ctx = await runWithSession(org.owner, () => resolveOrgContext(org.org.slug));
    const panel = await getCommentaryPanel(ctx, kpi!.id);

    const expected: string[] = [periodStart(todayInTimeZone(ctx.org.timeZone), 'quarter', 4)];
    while (expected.length < 6) expected.push(previousPeriodStart(expected.at(-1)!, 'quarter'));
    expect(panel.periods).toEqual(
      expected.map((start) => ({ start, label: periodLabel(start, 'quarter', 4, 'en-US') })),
    );
    expect(panel).toMatchObject({ revisions: [], canWrite: true });
  });
});
