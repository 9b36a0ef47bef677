import { can } from '@/lib/authz/can';
import type { MyDashboardDto } from '@/lib/domain/dashboard/my-dashboard';
import {
  listPeriodOptions,
  openPeriod,
  type DashboardPeriod,
} from '@/lib/domain/dashboard/periods';
import type { StatusCounts } from '@/lib/domain/dashboard/types';
import {
  buildSections,
  toDashboardKpiDto,
  withFormulaLinks,
} from '@/lib/domain/dashboard/sections';
import type { OrgContext } from '@/lib/server/org-context';
import { getKpiHealth } from '@/lib/dal/kpi-quality/health';
import { canSeeKpi } from '@/lib/dal/kpis/summary-query';
import { cachedMyDashboard } from './my-dashboard';
import {
  cachedView,
  getModel,
  keyForPeriod,
  readKey,
  type OrgModel,
  type ReadKey,
} from './read-model';
import type { Dashboard, DashboardHealth } from './types';

function buildDashboard(
  ctx: OrgContext,
  period: DashboardPeriod,
  today: string,
  model: OrgModel,
): Dashboard {
  const isAdmin = can(ctx, 'kpis.read_all');
  // Formula links are drawn among what the actor may see, never from the org-wide model.
  const kpis = withFormulaLinks(model.kpis.filter((k) => canSeeKpi(ctx, k)));
  // Admins see everything in the admin section, so a lead section would only repeat it.
  const isLead = ctx.actor.ledUnitIds.length > 0 && !isAdmin;
  const people = isLead || isAdmin ? model.people : [];
  const ownsKpis = kpis.some((k) => k.ownerUserId === ctx.actor.userId);
  const sections = buildSections(ctx.actor, kpis, model.unitRefs, people, {
    admin: isAdmin,
    lead: isLead,
    mine: ownsKpis || (!isAdmin && !isLead),
  });
  return {
    period,
    options: listPeriodOptions(ctx.org, today),
    today,
    isAdmin,
    totals: {
      kpis: kpis.length,
      departments: model.unitRefs.filter((u) => u.kind !== 'company').length,
    },
    northStars: kpis
      .filter((k) => k.isNorthStar)
      .map((kpi) => ({ kpi: toDashboardKpiDto(kpi), trend: model.trends.get(kpi.id) ?? [] })),
    ...sections,
  };
}

const HEALTH_ROWS = 5;

async function loadHealth(ctx: OrgContext): Promise<DashboardHealth | null> {
  const health = await getKpiHealth(ctx);
  if (!health) return null;
  return {
    limits: health.limits,
    unitsOverLimit: health.unitsOverLimit.slice(0, HEALTH_ROWS),
    peopleOverLimit: health.peopleOverLimit.slice(0, HEALTH_ROWS),
    retireCandidates: health.retireCandidates.slice(0, HEALTH_ROWS),
    counts: {
      unitsOverLimit: health.unitsOverLimit.length,
      peopleOverLimit: health.peopleOverLimit.length,
      retireCandidates: health.retireCandidates.length,
    },
  };
}

/** Everything the dashboard page shows, from one data-version read. */
export type DashboardView = {
  dash: Dashboard;
  /**
   * The member section as its client panel takes it (null when the actor has none), always for
   * the open period of the selected cadence: check-ins are for now.
   */
  mine: MyDashboardDto | null;
  /**
   * "This period so far" when a complete period is selected: the open period of the same
   * cadence with the headline counts of the admin or lead section (null otherwise).
   */
  soFar: { period: DashboardPeriod; counts: StatusCounts } | null;
  health: DashboardHealth | null;
};

/**
 * The role-scoped dashboard for the selected period, tenant-scoped by ctx.org.id and filtered by
 * what the actor may see (canSeeKpi: the individual-KPI rule). Sections: `admin` for owners and
 * admins (org-wide, including unowned KPIs and who has not reported); `lead` for leads of units
 * who are not admins (their subtrees only); `mine` for anyone who owns KPIs or is a plain member.
 * North stars are visible to everyone. Every list is bounded (DASHBOARD_LIMITS), every count exact.
 *
 * Served from the in-process caches after authorization (ctx is resolved from the session and
 * the database per request): the org-wide model is keyed by org, data version, settings, period
 * and day; the actor's view additionally by role, person and led units. A write anywhere in the
 * org changes the version in its own transaction, so the next read (the writer's included)
 * recomputes.
 */
export async function getDashboardView(
  ctx: OrgContext,
  period: DashboardPeriod,
): Promise<DashboardView> {
  const key = await readKey(ctx, period);
  const dashOf = (p: DashboardPeriod, k: ReadKey) =>
    cachedView(k, 'dash', async () => buildDashboard(ctx, p, k.today, await getModel(ctx, k, p)));
  const open = period.isCurrent ? period : openPeriod(period.cadence, ctx.org, key.today);
  const openKey = period.isCurrent ? key : keyForPeriod(ctx, key, open);
  const [dash, openDash, health] = await Promise.all([
    dashOf(period, key),
    period.isCurrent ? null : dashOf(open, openKey),
    cachedView(key, 'health', () => loadHealth(ctx)),
  ]);
  const now = openDash ?? dash;
  const mine = now.mine ? await cachedMyDashboard(ctx, openKey, open, now.mine) : null;
  const soFarCounts = openDash ? (openDash.admin?.counts ?? openDash.lead?.counts ?? null) : null;
  const soFar = soFarCounts ? { period: open, counts: soFarCounts } : null;
  return { dash, mine, soFar, health };
}

/** The dashboard alone (the JSON route and tests): see getDashboardView. */
export async function getDashboard(ctx: OrgContext, period: DashboardPeriod): Promise<Dashboard> {
  return (await getDashboardView(ctx, period)).dash;
}
