import { and, eq, inArray, sql } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpis, kpiTargets } from '@/db/schema';
import {
  attributeKpi,
  MAX_ATTRIBUTION_DEPTH,
  type Attribution,
  type AttributionKpi,
  type AttributionLine,
} from '@/lib/domain/attribution/tree';
import { normalizeDecimal } from '@/lib/domain/decimal';
import type { MeasureUnit } from '@/lib/domain/format';
import { parseFormula } from '@/lib/domain/formula/parser';
import { periodEndExclusive, periodLabel, periodStart, type Cadence } from '@/lib/domain/periods';
import type { Direction } from '@/lib/domain/progress';
import { AppError, notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { loadStoredPeriodValues } from '@/lib/dal/cascade/load-values';
import { runRows } from '@/lib/dal/cascade/runner';
import { canSeeKpi, summaryQuery } from './summary-query';

/** A KPI's attribution for one period, with what a reader needs to show it. */
export type KpiAttribution = {
  kpi: {
    id: string;
    key: string | null;
    name: string;
    direction: Direction;
    measureUnit: MeasureUnit;
    currency: string | null;
    decimals: number;
    cadence: Cadence;
  };
  period: { start: string; label: string };
  attribution: Attribution;
};

/** What a line shows of a KPI the reader may not see (another person's individual KPI). */
export const HIDDEN_KPI_NAME = 'A KPI you cannot see';

/**
 * The gap of KPI `kpiId` to its target in its period starting `start`, split into its children's
 * or drivers' contributions down the cascade (lib/domain/attribution/tree.ts), from the stored
 * period values and targets of its subtree and formula inputs (one recursive query for the
 * closure, one for their values up to the period's end, one for their target overrides).
 * NOT_FOUND for a KPI of another org, a missing one, or one the actor may not see; VALIDATION when
 * `start` is not the first day of one of the KPI's periods. A line for a KPI the actor may not
 * see keeps its contribution (so the parts still add up) but not its name, key or parts.
 * Tenant-scoped by ctx.org.id; read permission only.
 */
export async function getKpiAttribution(
  ctx: OrgContext,
  kpiId: string,
  start: string,
): Promise<KpiAttribution> {
  return withOrgRead(ctx.org.id, async (db) => {
    const [root] = await summaryQuery(db, ctx.org.id).where(
      and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)),
    );
    if (!root || !canSeeKpi(ctx, root)) throw notFoundError();
    if (periodStart(start, root.cadence, ctx.org.fyStartMonth) !== start) {
      throw new AppError('VALIDATION', 'Please fix the highlighted fields.', {
        period: [
          `Give the first day of one of the KPI's periods, such as ${periodStart(start, root.cadence, ctx.org.fyStartMonth)}`,
        ],
      });
    }
    // The KPI, its children (recursively) and the KPIs its formulas read (recursively).
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
    const ids = closure.map((r) => r.id);
    const end = periodEndExclusive(start, root.cadence);
    const [rows, values, overrides] = await Promise.all([
      summaryQuery(db, ctx.org.id).where(and(eq(kpis.orgId, ctx.org.id), inArray(kpis.id, ids))),
      loadStoredPeriodValues(db, ctx.org.id, { kpiIds: ids, to: end }),
      db
        .select({
          kpiId: kpiTargets.kpiId,
          start: kpiTargets.periodStart,
          target: kpiTargets.target,
        })
        .from(kpiTargets)
        .where(and(eq(kpiTargets.orgId, ctx.org.id), inArray(kpiTargets.kpiId, ids))),
    ]);
    const targetOf = new Map(
      overrides.map((t) => [`${t.kpiId}|${t.start}`, normalizeDecimal(t.target)]),
    );
    const visible = new Set(rows.filter((r) => canSeeKpi(ctx, r)).map((r) => r.id));
    const catalogue: AttributionKpi[] = rows.map((r) => {
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
        formula:
          r.rollup === 'formula' && r.formula !== null
            ? { node: parseFormula(r.formula), missingPolicy: r.missingPolicy }
            : null,
        baseline: r.baseline === null ? null : normalizeDecimal(r.baseline),
        values: new Map(
          [...(values.get(r.id) ?? new Map())].map(([s, v]) => [s, v.value as string]),
        ),
        ownTarget: (s) => targetOf.get(`${r.id}|${s}`) ?? defaultTarget,
      };
    });
    const attribution = attributeKpi(catalogue, root.id, start);
    return {
      kpi: {
        id: root.id,
        key: root.key,
        name: root.name,
        direction: root.direction,
        measureUnit: root.measureUnit,
        currency: root.currency,
        decimals: root.decimals,
        cadence: root.cadence,
      },
      period: { start, label: periodLabel(start, root.cadence, ctx.org.fyStartMonth) },
      attribution: { ...attribution, lines: redact(attribution.lines, visible) },
    };
  });
}

function redact(
  lines: readonly AttributionLine[],
  visible: ReadonlySet<string>,
): AttributionLine[] {
  return lines.map((line) =>
    line.kpiId === null || visible.has(line.kpiId)
      ? { ...line, parts: redact(line.parts, visible) }
      : {
          ...line,
          kpiId: null,
          key: null,
          name: HIDDEN_KPI_NAME,
          ownerName: null,
          unitName: null,
          read: null,
          actual: null,
          target: null,
          parts: [],
        },
  );
}
