import { toMyDashboardDto, type MyDashboardDto } from '@/lib/domain/dashboard/my-dashboard';
import type { DashboardPeriod } from '@/lib/domain/dashboard/periods';
import { buildSections } from '@/lib/domain/dashboard/sections';
import type { MemberSection } from '@/lib/domain/dashboard/types';
import type { OrgContext } from '@/lib/server/org-context';
import { canSeeKpi } from '@/lib/dal/kpis/summary-query';
import { listCheckinsDue } from './checkins-due';
import { cachedView, getModel, readKey, type ReadKey } from './read-model';

/**
 * The member section as its client panel takes it, cached per read key: the check-ins due are
 * loaded only for the current period (check-ins are for now). Tenant: ctx.org.
 */
export function cachedMyDashboard(
  ctx: OrgContext,
  key: ReadKey,
  period: DashboardPeriod,
  mine: MemberSection,
): Promise<MyDashboardDto> {
  return cachedView(key, 'mine', async () =>
    toMyDashboardDto(
      period,
      key.today,
      mine,
      period.isCurrent ? await listCheckinsDue(ctx, mine.targets) : [],
    ),
  );
}

function myTargets(ctx: OrgContext, key: ReadKey, period: DashboardPeriod): Promise<MemberSection> {
  return cachedView(key, 'targets', async () => {
    const model = await getModel(ctx, key, period);
    const kpis = model.kpis.filter((k) => canSeeKpi(ctx, k));
    return buildSections(ctx.actor, kpis, [], [], { admin: false, lead: false, mine: true }).mine!;
  });
}

/**
 * The actor's own KPIs for the selected period (the member section alone, for polling).
 * Tenant: ctx.org; only KPIs the actor may see (canSeeKpi).
 */
export async function getMyTargets(
  ctx: OrgContext,
  period: DashboardPeriod,
): Promise<MemberSection> {
  return myTargets(ctx, await readKey(ctx, period), period);
}

/**
 * The member's section as the client polls it: my targets and, for the current period,
 * check-ins due (`checkins.write`). Tenant: ctx.org; only KPIs the actor may see.
 */
export async function getMyDashboard(
  ctx: OrgContext,
  period: DashboardPeriod,
): Promise<MyDashboardDto> {
  const key = await readKey(ctx, period);
  return cachedMyDashboard(ctx, key, period, await myTargets(ctx, key, period));
}
