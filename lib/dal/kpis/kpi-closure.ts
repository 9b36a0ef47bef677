import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { cache } from 'react';
import { withOrgRead, type Executor } from '@/db/client';
import { kpiLeads, kpis, kpiTargets } from '@/db/schema';
import { MAX_ATTRIBUTION_DEPTH } from '@/lib/domain/attribution/tree';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { PeriodValue } from '@/lib/domain/cascade-compute';
import { leadIdsOf } from '@/lib/domain/forecast/leading';
import type { ForecastKpi } from '@/lib/domain/forecast/projection';
import { readingsWindows } from '@/lib/domain/forecast/readings-window';
import type { MissingPolicy } from '@/lib/domain/formula/catalogue';
import { parseFormula } from '@/lib/domain/formula/parser';
import type { OrgContext } from '@/lib/server/org-context';
import { loadCascadeCheckins, loadStoredPeriodValues } from '@/lib/dal/cascade/load-values';
import { runRows } from '@/lib/dal/cascade/runner';
import { canSeeKpi, summaryQuery } from './summary-query';

/**
 * A KPI, its children (recursively, under computing rollups) and the KPIs its formulas read
 * (recursively), down to MAX_ATTRIBUTION_DEPTH levels, as the pure attribution and projection
 * read them: their stored period values (before `to`, if given) and their targets (overrides,
 * else default). `visible` holds the ids the actor may see. Four queries; with `readings`, one
 * more per cadence: the check-ins of its manual flows (before `to`, if given) over what their
 * intra-period shape reads when projected on the day before `to` (else today in the org's time
 * zone): lib/domain/forecast/readings-window.ts; with `leads`, two more before the others: the
 * explicit "leads" links into the closure and its KPIs' active `leading` children, so that the
 * leads of every KPI in it (leadIdsOf: those, and leading formula inputs, already in it) come
 * along with their values, and each KPI of the closure carries its `leads` (projections, as
 * loadOrgProjections weighs them). Tenant-scoped by ctx.org.id; the caller has checked the
 * actor may see the KPI.
 */
export async function loadKpiClosure(
  db: Executor,
  ctx: OrgContext,
  kpiId: string,
  to?: string,
  options: { readings?: boolean; leads?: boolean } = {},
): Promise<{ catalogue: ForecastKpi[]; visible: Set<string> }> {
  const closure = await runRows<{ id: string }>(
    db,
    sql`with recursive reach(id, rollup, formula_inputs, depth) as (
          select k.id, k.rollup, k.formula_inputs, 0 from kpis k
           where k.org_id = ${ctx.org.id}::uuid and k.id = ${kpiId}::uuid
          union
          select n.id, n.rollup, n.formula_inputs, r.depth + 1 from reach r
            cross join lateral (
              select c.id, c.rollup, c.formula_inputs from kpis c
               where c.org_id = ${ctx.org.id}::uuid and c.parent_id = r.id
                 and r.rollup not in ('manual', 'formula')
              union all
              select i.id, i.rollup, i.formula_inputs from kpis i
               where i.org_id = ${ctx.org.id}::uuid and r.rollup = 'formula'
                 and i.key = any(r.formula_inputs)
            ) n
           where r.depth < ${MAX_ATTRIBUTION_DEPTH}
        )
        select distinct id from reach`,
  );
  const reached = closure.map((r) => r.id);
  const [links, leadingChildren] = options.leads
    ? await Promise.all([
        db
          .select({ leadKpiId: kpiLeads.leadKpiId, laggingKpiId: kpiLeads.laggingKpiId })
          .from(kpiLeads)
          .where(and(eq(kpiLeads.orgId, ctx.org.id), inArray(kpiLeads.laggingKpiId, reached))),
        db
          .select({ id: kpis.id })
          .from(kpis)
          .where(
            and(
              eq(kpis.orgId, ctx.org.id),
              eq(kpis.indicator, 'leading'),
              inArray(kpis.parentId, reached),
              isNull(kpis.archivedOn),
            ),
          ),
      ])
    : [[], []];
  const ids = [
    ...new Set([...reached, ...links.map((l) => l.leadKpiId), ...leadingChildren.map((c) => c.id)]),
  ];
  const [rows, values, overrides] = await Promise.all([
    summaryQuery(db, ctx.org.id).where(and(eq(kpis.orgId, ctx.org.id), inArray(kpis.id, ids))),
    loadStoredPeriodValues(
      db,
      ctx.org.id,
      to === undefined ? { kpiIds: ids } : { kpiIds: ids, to },
    ),
    db
      .select({ kpiId: kpiTargets.kpiId, start: kpiTargets.periodStart, target: kpiTargets.target })
      .from(kpiTargets)
      .where(and(eq(kpiTargets.orgId, ctx.org.id), inArray(kpiTargets.kpiId, ids))),
  ]);
  const day = to === undefined ? todayInTimeZone(ctx.org.timeZone) : addDays(to, -1);
  const windows = options.readings
    ? readingsWindows(rows, day, ctx.org.fyStartMonth)
    : new Map<string, string[]>();
  const flows = new Set([...windows.values()].flat());
  const readings = new Map<string, { observedOn: string; value: string }[]>();
  const groups = await Promise.all(
    [...windows].map(([from, kpiIds]) =>
      loadCascadeCheckins(db, ctx.org.id, { kpiIds, from, ...(to === undefined ? {} : { to }) }),
    ),
  );
  for (const list of groups) {
    for (const c of list) {
      const own = readings.get(c.kpiId) ?? [];
      own.push({ observedOn: c.observedOn, value: normalizeDecimal(c.value) });
      readings.set(c.kpiId, own);
    }
  }
  const targetOf = new Map(
    overrides.map((t) => [`${t.kpiId}|${t.start}`, normalizeDecimal(t.target)]),
  );
  const leadsOf = options.leads
    ? leadIdsOf(
        rows.filter((r) => r.archivedOn === null),
        links,
      )
    : new Map<string, string[]>();
  const catalogue = rows.map((r): ForecastKpi => ({
    ...toForecastKpi(
      r,
      new Map(
        [...(values.get(r.id) ?? new Map<string, PeriodValue>())].map(([s, v]) => [s, v.value]),
      ),
      (s) => targetOf.get(`${r.id}|${s}`),
    ),
    ...(flows.has(r.id) ? { checkins: readings.get(r.id) ?? [] } : {}),
    ...(leadsOf.has(r.id) ? { leads: leadsOf.get(r.id) } : {}),
  }));
  return { catalogue, visible: new Set(rows.filter((r) => canSeeKpi(ctx, r)).map((r) => r.id)) };
}

/**
 * A KPI's summary row and its closure with every stored value (later periods change neither an
 * attribution nor a projection) and its leads, loaded once per request and actor: React `cache`, so the KPI
 * page's attribution and projection sections share one load (five queries instead of ten).
 * Outside a server render (route handlers) each call loads. The row is null for a missing KPI,
 * another org's, or one the actor may not see. Tenant-scoped by ctx.org.id.
 */
export const kpiWithClosure = cache(async (ctx: OrgContext, kpiId: string) =>
  withOrgRead(ctx.org.id, async (db) => {
    const [root] = await summaryQuery(db, ctx.org.id).where(
      and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)),
    );
    if (!root || !canSeeKpi(ctx, root)) return null;
    return {
      root,
      ...(await loadKpiClosure(db, ctx, root.id, undefined, { readings: true, leads: true })),
    };
  }),
);

/** The columns of a KPI projection and attribution read (a summary row has them all). */
export type ForecastRow = Pick<
  ForecastKpi,
  'id' | 'key' | 'name' | 'ownerName' | 'unitName' | 'parentId' | 'cadence' | 'timeAggregation'
> &
  Pick<ForecastKpi, 'rollup' | 'archivedOn' | 'direction' | 'baseline'> & {
    weight: string;
    formula: string | null;
    missingPolicy: MissingPolicy;
    defaultTarget: string | null;
  };

/**
 * A KPI as projection and attribution read it, from its row, its stored period values (period
 * start -> value) and its target overrides (`override(start)`: undefined without one; else the default target applies).
 */
export function toForecastKpi(
  r: ForecastRow,
  values: ReadonlyMap<string, string> | undefined,
  override: (start: string) => string | undefined,
): ForecastKpi {
  const defaultTarget = r.defaultTarget === null ? null : normalizeDecimal(r.defaultTarget);
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    ownerName: r.ownerName,
    unitName: r.unitName,
    parentId: r.parentId,
    cadence: r.cadence,
    timeAggregation: r.timeAggregation,
    rollup: r.rollup,
    weight: normalizeDecimal(r.weight),
    archivedOn: r.archivedOn,
    direction: r.direction,
    formula:
      r.rollup === 'formula' && r.formula !== null
        ? { node: parseFormula(r.formula), missingPolicy: r.missingPolicy }
        : null,
    baseline: r.baseline === null ? null : normalizeDecimal(r.baseline),
    values: values ?? new Map<string, string>(),
    ownTarget: (s) => override(s) ?? defaultTarget,
  };
}
