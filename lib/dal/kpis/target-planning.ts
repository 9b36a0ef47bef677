import { and, eq, isNull } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpis } from '@/db/schema';
import { can } from '@/lib/authz/can';
import { addMonths } from '@/lib/domain/dates';
import { normalizeDecimal, sumDec, toPlainString } from '@/lib/domain/decimal';
import {
  periodLabel,
  periodStart,
  periodStartsInRange,
  subPeriodStarts,
  type Cadence,
} from '@/lib/domain/periods';
import type { RollupMethod } from '@/lib/domain/rollup';
import { reconcileTargets, type Reconciliation } from '@/lib/domain/target-reconciliation';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { OrgContext } from '@/lib/server/org-context';
import { loadPeriodInputs } from './period-values';
import { canSeeKpi, KPI_LIST_ORDER, summaryQuery } from './summary-query';

/* Reads of target planning: a KPI's fiscal year of targets, its children's plans and the gaps. */

type PlannedKpi = {
  id: string;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  defaultTarget: string | null;
};

/** A period of the planned KPI: its effective target and its own override. */
export type PlanPeriod = {
  start: string;
  label: string;
  target: string | null;
  override: string | null;
};

/** A child of the planned KPI, its targets and last year's actuals per parent period. */
export type PlanChild = {
  id: string;
  name: string;
  unitName: string;
  decimals: number;
  /** The actor may set its targets. */
  canWrite: boolean;
  /** Same cadence as the parent: its targets can be split down period for period. */
  sameCadence: boolean;
  targets: (string | null)[];
  lastYear: (string | null)[];
};

export type TargetPlanning = {
  fiscalYear: { start: string; label: string };
  periods: PlanPeriod[];
  children: PlanChild[];
  /** Per period, for a `sum` rollup: do the children's targets add up to the target? */
  reconciliation: Reconciliation[] | null;
};

type Inputs = Awaited<ReturnType<typeof loadPeriodInputs>>;

function effectiveTarget(inputs: Inputs, kpi: PlannedKpi, start: string): string | null {
  const override = inputs.targets.get(`${kpi.id}|${start}`);
  if (override != null) return normalizeDecimal(override);
  return kpi.defaultTarget === null ? null : normalizeDecimal(kpi.defaultTarget);
}

/**
 * A child's target (or value, with `read`) over a parent period: its own period when the cadences
 * match, else its sub-periods added up (flows) or the last one (levels); null when one is missing.
 */
function overParentPeriod(
  child: PlannedKpi,
  parentStart: string,
  parentCadence: Cadence,
  read: (start: string) => string | null,
): string | null {
  if (child.cadence === parentCadence) return read(parentStart);
  const subs = subPeriodStarts(parentStart, parentCadence, child.cadence).map(read);
  if (child.timeAggregation !== 'sum') return subs[subs.length - 1] ?? null;
  if (subs.some((v) => v === null)) return null;
  return toPlainString(sumDec(subs as string[]));
}

/**
 * The visible, active KPIs of the org (summary rows), in the tree's order; with `parentId`, only
 * those linked under it.
 */
export async function listPlannableKpis(ctx: OrgContext, parentId?: string) {
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await summaryQuery(db, ctx.org.id)
      .where(
        and(
          eq(kpis.orgId, ctx.org.id),
          isNull(kpis.archivedOn),
          parentId === undefined ? undefined : eq(kpis.parentId, parentId),
        ),
      )
      .orderBy(...KPI_LIST_ORDER);
    return rows.filter((row) => canSeeKpi(ctx, row));
  });
}

/**
 * The fiscal year containing `asOf` for one KPI: its periods' targets, its visible active
 * children with their targets and last year's actuals, and (for a `sum` rollup) per period
 * whether the children's targets add up. Tenant: ctx.org; the caller has shown the KPI to the
 * actor (individual children the actor may not see are left out).
 */
export async function getTargetPlanning(
  ctx: OrgContext,
  kpi: PlannedKpi & { rollup: RollupMethod },
  asOf: string,
  /** Its plannable children, when the caller has them (one read for two years). */
  plannable?: Awaited<ReturnType<typeof listPlannableKpis>>,
): Promise<TargetPlanning> {
  const fy = ctx.org.fyStartMonth;
  const yearStart = periodStart(asOf, 'year', fy);
  const starts = subPeriodStarts(yearStart, 'year', kpi.cadence);
  const children = plannable ?? (await listPlannableKpis(ctx, kpi.id));
  const months = periodStartsInRange(
    addMonths(yearStart, -12),
    addMonths(yearStart, 11),
    'month',
    fy,
  );
  const inputs = await loadPeriodInputs(ctx.org.id, [kpi.id, ...children.map((c) => c.id)], months);
  const valueOf = (id: string, start: string) => {
    const v = inputs.values.get(`${id}|${start}`)?.value;
    return v == null ? null : normalizeDecimal(v);
  };
  const planChildren: PlanChild[] = children.map((c) => ({
    id: c.id,
    name: c.name,
    unitName: c.unitName,
    decimals: c.decimals,
    canWrite: can(ctx, 'targets.write', {
      unitId: c.unitId,
      ownerUserId: c.ownerUserId,
      isIndividual: c.isIndividual,
      ownerHomeUnitId: c.ownerHomeUnitId,
    }),
    sameCadence: c.cadence === kpi.cadence,
    targets: starts.map((s) =>
      overParentPeriod(c, s, kpi.cadence, (cs) => effectiveTarget(inputs, c, cs)),
    ),
    lastYear: starts.map((s) =>
      overParentPeriod(c, addMonths(s, -12), kpi.cadence, (cs) => valueOf(c.id, cs)),
    ),
  }));
  const periods = starts.map((start) => ({
    start,
    label: periodLabel(start, kpi.cadence, fy, ctx.org.locale),
    target: effectiveTarget(inputs, kpi, start),
    override: inputs.targets.has(`${kpi.id}|${start}`)
      ? normalizeDecimal(inputs.targets.get(`${kpi.id}|${start}`) as string)
      : null,
  }));
  return {
    fiscalYear: { start: yearStart, label: periodLabel(yearStart, 'year', fy, ctx.org.locale) },
    periods,
    children: planChildren,
    reconciliation:
      kpi.rollup === 'sum' && children.length > 0
        ? periods.map((p, i) =>
            reconcileTargets(
              p.target,
              planChildren.map((c) => c.targets[i] ?? null),
            ),
          )
        : null,
  };
}

/**
 * The KPI page's target planning: the fiscal year containing `today` and, for planning ahead
 * (`withNextYear`), the one after it. Tenant and visibility as getTargetPlanning.
 */
export async function getKpiTargetPlanning(
  ctx: OrgContext,
  kpi: PlannedKpi & { rollup: RollupMethod },
  today: string,
  withNextYear: boolean,
): Promise<{ plan: TargetPlanning; next: TargetPlanning | null }> {
  const children = await listPlannableKpis(ctx, kpi.id);
  const [plan, next] = await Promise.all([
    getTargetPlanning(ctx, kpi, today, children),
    withNextYear
      ? getTargetPlanning(
          ctx,
          kpi,
          addMonths(periodStart(today, 'month', ctx.org.fyStartMonth), 12),
          children,
        )
      : null,
  ]);
  return { plan, next };
}
