/**
 * The KPI chart's target line on a real database: a KPI's targets are drawn from the period it
 * existed in (its creation date, org-local, or an earlier first value), never months before it.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { kpiPeriodValues, kpis } from '@/db/schema';
import * as kpiActions from '@/lib/actions/kpis';
import { runWithSession } from '@/lib/auth/session';
import { getKpiDetail } from '@/lib/dal/kpis/detail';
import { todayInTimeZone } from '@/lib/domain/dates';
import { actualVsTargetPoints } from '@/lib/domain/kpi-chart';
import { periodStart, previousPeriodStart } from '@/lib/domain/periods';
import { resolveOrgContext } from '@/lib/server/org-context';
import { must } from './cascade-helpers';
import { createTestOrg } from './factories';

describe('KPI detail: the period the KPI exists from', () => {
  let fx: Awaited<ReturnType<typeof createTestOrg>>;
  let kpiId: string;
  const month = periodStart(todayInTimeZone('UTC'), 'month', 1);
  const detail = () =>
    runWithSession(fx.owner, async () => getKpiDetail(await resolveOrgContext(fx.org.slug), kpiId));

  beforeAll(async () => {
    fx = await createTestOrg({ timeZone: 'UTC' });
    kpiId = must(
      await runWithSession(fx.owner, () =>
        kpiActions.createKpiAction(fx.org.slug, {
          name: 'New logos',
          unitId: fx.rootUnitId,
          measureUnit: 'count',
          direction: 'increase',
          cadence: 'month',
          timeAggregation: 'sum',
          rollup: 'manual',
          defaultTarget: '10',
        } as never),
      ),
    ).id;
  });

  it('a KPI created this month draws its target for this month only', async () => {
    const kpi = await detail();
    expect(kpi.existsFrom).toBe(month);
    const points = actualVsTargetPoints(kpi.history, kpi.existsFrom);
    expect(points).toHaveLength(12);
    expect(points.map((p) => p.Target)).toEqual([...Array<null>(11).fill(null), 10]);
  });

  it('a value recorded before the creation date moves the start back to its period', async () => {
    let start = month;
    for (let i = 0; i < 5; i += 1) start = previousPeriodStart(start, 'month');
    const db = await getOwnerDb();
    await db
      .insert(kpiPeriodValues)
      .values({ orgId: fx.org.id, kpiId, periodStart: start, value: '4', sampleCount: 1 });
    const kpi = await detail();
    expect(kpi.existsFrom).toBe(start);
    const targets = actualVsTargetPoints(kpi.history, kpi.existsFrom).map((p) => p.Target);
    expect(targets.filter((t) => t !== null)).toHaveLength(6);
    await db
      .delete(kpiPeriodValues)
      .where(and(eq(kpiPeriodValues.orgId, fx.org.id), eq(kpiPeriodValues.kpiId, kpiId)));
  });

  it('an older creation date draws targets back to it', async () => {
    const db = await getOwnerDb();
    await db
      .update(kpis)
      .set({ createdAt: new Date(Date.UTC(2020, 0, 15)) })
      .where(and(eq(kpis.orgId, fx.org.id), eq(kpis.id, kpiId)));
    const kpi = await detail();
    expect(kpi.existsFrom).toBe('2020-01-01');
    expect(actualVsTargetPoints(kpi.history, kpi.existsFrom).every((p) => p.Target === 10)).toBe(
      true,
    );
  });
});
