import { can } from '@/lib/authz/can';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { periodLabel, periodStart, subPeriodStarts, type Cadence } from '@/lib/domain/periods';
import type { MeasureUnit } from '@/lib/domain/format';
import type { OrgContext } from '@/lib/server/org-context';
import { pageOf } from '@/lib/domain/view-params/query';
import { loadPeriodInputs } from './period-values';
import { listPlannableKpis } from './target-planning';

/** One row of the targets grid: a KPI whose targets the actor sets, and its overrides. */
export type TargetGridRow = {
  id: string;
  name: string;
  unitName: string;
  /** Depth in the cascade among the rows (0: no parent among them). */
  depth: number;
  defaultTarget: string | null;
  measureUnit: MeasureUnit;
  /** The per-period override of each column (null: the default applies). */
  cells: (string | null)[];
};

export type TargetGrid = {
  cadence: Cadence;
  fiscalYear: { start: string; label: string };
  periods: { start: string; label: string }[];
  /** The rows of the page asked for (every row when no page was). */
  rows: TargetGridRow[];
  /** Where those rows are among all of them (a page past the last is the last). */
  paging: { total: number; page: number; pages: number; first: number };
};

/**
 * The targets grid: the active KPIs of `cadence` whose targets the actor may set (admins: all;
 * a lead: their subtree) by the periods of the fiscal year containing `asOf`, parents before
 * their children; with `paging`, one page of those rows (their targets read for that page only).
 * Tenant: ctx.org.
 */
export async function getTargetGrid(
  ctx: OrgContext,
  cadence: Cadence,
  asOf: string,
  paging?: { page: number; size: number },
): Promise<TargetGrid> {
  const fy = ctx.org.fyStartMonth;
  const yearStart = periodStart(asOf, 'year', fy);
  const starts = subPeriodStarts(yearStart, 'year', cadence);
  const all = await listPlannableKpis(ctx);
  const mine = all.filter(
    (k) =>
      k.cadence === cadence &&
      can(ctx, 'targets.write', {
        unitId: k.unitId,
        ownerUserId: k.ownerUserId,
        isIndividual: k.isIndividual,
        ownerHomeUnitId: k.ownerHomeUnitId,
      }),
  );
  const ids = new Set(mine.map((k) => k.id));
  const childrenOf = new Map<string | null, typeof mine>();
  for (const k of mine) {
    const parent = k.parentId !== null && ids.has(k.parentId) ? k.parentId : null;
    const siblings = childrenOf.get(parent);
    if (siblings) siblings.push(k);
    else childrenOf.set(parent, [k]);
  }
  const ordered: { kpi: (typeof mine)[number]; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const k of childrenOf.get(parent) ?? []) {
      ordered.push({ kpi: k, depth });
      walk(k.id, depth + 1);
    }
  };
  walk(null, 0);
  // Without paging, every row on one page.
  const { rows: shown, ...where } = pageOf(
    ordered,
    paging?.page ?? 1,
    paging?.size ?? Math.max(1, ordered.length),
  );
  const inputs = await loadPeriodInputs(
    ctx.org.id,
    shown.map(({ kpi }) => kpi.id),
    starts,
  );
  return {
    cadence,
    fiscalYear: { start: yearStart, label: periodLabel(yearStart, 'year', fy, ctx.org.locale) },
    periods: starts.map((start) => ({
      start,
      label: periodLabel(start, cadence, fy, ctx.org.locale),
    })),
    paging: where,
    rows: shown.map(({ kpi, depth }) => ({
      id: kpi.id,
      name: kpi.name,
      unitName: kpi.unitName,
      depth,
      measureUnit: kpi.measureUnit,
      defaultTarget: kpi.defaultTarget === null ? null : normalizeDecimal(kpi.defaultTarget),
      cells: starts.map((s) => {
        const t = inputs.targets.get(`${kpi.id}|${s}`);
        return t == null ? null : normalizeDecimal(t);
      }),
    })),
  };
}
