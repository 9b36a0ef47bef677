import { and, eq, gte, sql } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpiLeads, kpis, kpiTargets } from '@/db/schema';
import { normalizeDecimal } from '@/lib/domain/decimal';
import {
  PROJECTION_HISTORY,
  projectCatalogue,
  type Projection,
} from '@/lib/domain/forecast/projection';
import { leadIdsOf } from '@/lib/domain/forecast/leading';
import type { Reading } from '@/lib/domain/forecast/methods';
import { readingsWindows } from '@/lib/domain/forecast/readings-window';
import { parseFormula } from '@/lib/domain/formula/parser';
import { distinctReads } from '@/lib/domain/formula/references';
import { shiftPeriod } from '@/lib/domain/formula/period-inputs';
import { orgThresholds } from '@/lib/domain/kpi-summary';
import { periodEndExclusive, periodStart, type Cadence } from '@/lib/domain/periods';
import type { OrgContext } from '@/lib/server/org-context';
import { loadCascadeCheckins } from '@/lib/dal/cascade/load-values';
import { runRows } from '@/lib/dal/cascade/runner';
import { inUuids } from '@/lib/dal/cascade/sql-arrays';
import { toForecastKpi } from './kpi-closure';
import { seriesMemoFor } from './projection-memo';

/*
 * Projections of a whole organization at once (issue 24, item 1, on dashboards and reports):
 * every KPI (archived ones included, as the rollups read them) projected to the end of its own
 * open period on `today` (or, over a dashboard's period, see loadOrgProjections), by
 * projectCatalogue over one catalogue, so they agree with the KPI page's projection
 * (getKpiProjection) and with each other up the tree. At most seven queries whatever the size of
 * the organization: the KPIs, the explicit "leads" links (with the leading KPIs feeding others:
 * the leads each projection weighs, leadIdsOf), their stored period values from the earliest
 * period any projection reads of each (readFrom: one query per distinct start, at most three),
 * their target overrides since the earliest of those starts; and one per cadence for the
 * manual flows' check-ins over what their intra-period shape reads
 * (lib/domain/forecast/readings-window.ts: the last 12 months of a monthly flow, not the whole
 * window). The series projections of earlier runs of the day are reused where their inputs are
 * unchanged (lib/dal/kpis/projection-memo.ts), so a run after a write computes only what the
 * write changed and combines the tree again.
 */

const CADENCES: readonly Cadence[] = ['month', 'quarter', 'year'];

/**
 * Each KPI's projection for its open period on `today`, by KPI id; with `over` (a dashboard's
 * open period), a KPI of a shorter cadence is projected over that period instead (a monthly KPI
 * over the quarter: its months combined as the dashboard combines them). Individual KPIs
 * included (the caller filters with canSeeKpi). Tenant-scoped by ctx.org.id.
 */
export async function loadOrgProjections(
  ctx: OrgContext,
  today: string,
  over?: { start: string; cadence: Cadence },
): Promise<Map<string, Projection>> {
  const fy = ctx.org.fyStartMonth;
  const openStart = new Map(CADENCES.map((c) => [c, periodStart(today, c, fy)]));
  const to = CADENCES.map((c) => periodEndExclusive(openStart.get(c) as string, c)).reduce(
    (a, b) => (a > b ? a : b),
  );
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select({
        id: kpis.id,
        key: kpis.key,
        name: kpis.name,
        parentId: kpis.parentId,
        cadence: kpis.cadence,
        timeAggregation: kpis.timeAggregation,
        rollup: kpis.rollup,
        weight: kpis.weight,
        archivedOn: kpis.archivedOn,
        direction: kpis.direction,
        indicator: kpis.indicator,
        formula: kpis.formula,
        formulaInputs: kpis.formulaInputs,
        missingPolicy: kpis.missingPolicy,
        baseline: kpis.baseline,
        defaultTarget: kpis.defaultTarget,
      })
      .from(kpis)
      .where(eq(kpis.orgId, ctx.org.id));
    const links = await db
      .select({ leadKpiId: kpiLeads.leadKpiId, laggingKpiId: kpiLeads.laggingKpiId })
      .from(kpiLeads)
      .where(eq(kpiLeads.orgId, ctx.org.id));
    // leads between active KPIs, as the KPI page weighs them (loadKpiClosure with leads)
    const leadsOf = leadIdsOf(
      rows.filter((r) => r.archivedOn === null),
      links,
    );
    const { from, fromOf } = readFrom(rows, openStart, leadsOf, fy);
    // manual flows' dated readings over what their intra-period shape reads, as the KPI page's
    // projection reads them (loadKpiClosure with readings)
    const windows = readingsWindows(rows, today, fy);
    const flows = new Set([...windows.values()].flat());
    const [valueGroups, overrides, ...readingGroups] = await Promise.all([
      // only what a projection reads (not the coverage counts loadStoredPeriodValues adds), each
      // KPI from the earliest period read of it (readFrom): one query per distinct start
      Promise.all(
        [...fromOf].map(([start, kpiIds]) =>
          runRows<{ kpi_id: string; period_start: string; value: string }>(
            db,
            sql`select kpi_id, period_start::text as period_start, value::text as value
                  from kpi_period_values
                 where org_id = ${ctx.org.id}::uuid and ${inUuids(sql`kpi_id`, kpiIds)}
                   and period_start >= ${start}::date and period_start < ${to}::date`,
          ),
        ),
      ),
      db
        .select({
          kpiId: kpiTargets.kpiId,
          start: kpiTargets.periodStart,
          target: kpiTargets.target,
        })
        .from(kpiTargets)
        .where(and(eq(kpiTargets.orgId, ctx.org.id), gte(kpiTargets.periodStart, from))),
      ...[...windows].map(([start, kpiIds]) =>
        loadCascadeCheckins(db, ctx.org.id, { kpiIds, from: start, to }),
      ),
    ]);
    const readingsOf = new Map<string, Reading[]>();
    for (const c of readingGroups.flat()) {
      let own = readingsOf.get(c.kpiId);
      if (!own) readingsOf.set(c.kpiId, (own = []));
      own.push({ observedOn: c.observedOn, value: c.value });
    }
    const valuesOf = new Map<string, Map<string, string>>();
    for (const v of valueGroups.flat()) {
      let own = valuesOf.get(v.kpi_id);
      if (!own) valuesOf.set(v.kpi_id, (own = new Map()));
      own.set(v.period_start, normalizeDecimal(v.value));
    }
    const targetOf = new Map(
      overrides.map((t) => [`${t.kpiId}|${t.start}`, normalizeDecimal(t.target)]),
    );
    const catalogue = rows.map((r) => ({
      ...toForecastKpi({ ...r, ownerName: null, unitName: '' }, valuesOf.get(r.id), (s) =>
        targetOf.get(`${r.id}|${s}`),
      ),
      ...(flows.has(r.id) ? { checkins: readingsOf.get(r.id) ?? [] } : {}),
      ...(leadsOf.has(r.id) ? { leads: leadsOf.get(r.id) } : {}),
    }));
    // series projections of earlier runs today whose inputs are unchanged are reused
    const { memo: series, keep } = seriesMemoFor(ctx.org.id, today);
    const projections = projectCatalogue(
      catalogue,
      (k) => (k.archivedOn === null ? (openStart.get(k.cadence) ?? null) : null),
      today,
      orgThresholds(ctx.org),
      // dashboards and reports show the value, share and status, no range
      over ? { ranges: false, over, series } : { ranges: false, series },
    );
    keep();
    return projections;
  });
}

type ReadRow = {
  id: string;
  key: string | null;
  parentId: string | null;
  cadence: Cadence;
  formula: string | null;
};

/**
 * Where each KPI's stored values are read from: the earliest period start any projection reads
 * of it, as start -> KPI ids. A KPI is read at its own cadence, at its parent's (a parent
 * combines its children at its cadence), at the cadence of each formula reading it and of each
 * KPI it leads (projectCatalogue); at a cadence, each projection reads PROJECTION_HISTORY periods
 * before the open one and as far back as the org's formulas of that cadence read with prev().
 * So a monthly KPI under monthly and quarterly parents reads 27 months, not the 5 years a yearly
 * one reads. Read at a shorter cadence than its own (a yearly input of a monthly formula), it
 * reads from the start of its own period holding that start. A formula reading its own earlier
 * periods keeps the widest start (its first stored value decides what its baseline stands for).
 * No KPI reads from before `from`, the earliest start of any cadence (its target overrides are
 * read from there).
 */
function readFrom(
  rows: readonly ReadRow[],
  openStart: ReadonlyMap<Cadence, string>,
  leadsOf: ReadonlyMap<string, readonly string[]>,
  fy: number,
): { from: string; fromOf: Map<string, string[]> } {
  const back = new Map(CADENCES.map((c) => [c, 0]));
  const readsOf = new Map(rows.map((r) => [r.id, new Set<Cadence>([r.cadence])]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byKey = new Map(rows.flatMap((r) => (r.key === null ? [] : [[r.key, r] as const])));
  const selfReading = new Set<string>();
  for (const r of rows) {
    const parent = r.parentId === null ? undefined : byId.get(r.parentId);
    if (parent) readsOf.get(r.id)?.add(parent.cadence);
    if (r.formula === null) continue;
    const reads = distinctReads(parseFormula(r.formula));
    const deepest = Math.max(0, ...reads.map((x) => x.periodsBack));
    back.set(r.cadence, Math.max(back.get(r.cadence) ?? 0, deepest));
    for (const x of reads) {
      const input = byKey.get(x.key);
      if (input) readsOf.get(input.id)?.add(r.cadence);
      if (input?.id === r.id && x.periodsBack > 0) selfReading.add(r.id);
    }
  }
  for (const [laggingId, leadIds] of leadsOf) {
    const lagging = byId.get(laggingId);
    if (!lagging) continue;
    for (const id of leadIds) readsOf.get(id)?.add(lagging.cadence);
  }
  const windowStart = new Map(
    CADENCES.map((c) => [
      c,
      shiftPeriod(openStart.get(c) as string, c, PROJECTION_HISTORY[c] + (back.get(c) ?? 0)),
    ]),
  );
  const earliest = (starts: Iterable<string>) => [...starts].reduce((a, b) => (a < b ? a : b));
  const widest = earliest(windowStart.values());
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const own = earliest(
      [...(readsOf.get(r.id) ?? [])].flatMap((c) => {
        const s = windowStart.get(c) as string;
        return [s, periodStart(s, r.cadence, fy)];
      }),
    );
    const from = selfReading.has(r.id) || own < widest ? widest : own;
    let ids = groups.get(from);
    if (!ids) groups.set(from, (ids = []));
    ids.push(r.id);
  }
  return { from: widest, fromOf: groups };
}
