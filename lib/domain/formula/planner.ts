import { addMonths } from '@/lib/domain/dates';
import { cadenceMonths, periodStart } from '@/lib/domain/periods';
import { isArithmeticRollup } from '@/lib/domain/rollup';
import { byKey, type CatalogueKpi } from './catalogue';
import { formulaReferences } from './references';

/** A (KPI, period) pair; `period` is any date inside the KPI's period (usually its start). */
export type KpiPeriod = { kpiId: string; period: string };

type Reader = { kpi: CatalogueKpi; periodsBack: number };

/**
 * The (KPI, period) pairs whose value may change when the values of `changed` change: through
 * parent links (an arithmetic parent's period containing the child's; manual and formula
 * parents only show alignment) and formula references (a formula reading k in its period P, or
 * through `prev(k, n)` in P + n periods of its cadence), repeated to a fixed point, so later
 * periods reached through `prev` chains (ARR = prev(ARR) + ...) are included up to `horizon`
 * (an ISO date: periods starting after it are left out); a formula that reads its own `prev`
 * is affected in every later period up to the horizon. Result: KPI id -> period starts of
 * that KPI's cadence, without the changed pairs themselves unless something leads back to
 * them. Archived formulas are not recomputed. Pure; the caller scopes the catalogue to one org.
 */
export function affectedPeriods(
  changed: readonly KpiPeriod[],
  catalogue: readonly CatalogueKpi[],
  fyStartMonth: number,
  horizon: string,
): Map<string, Set<string>> {
  const byId = new Map(catalogue.map((k) => [k.id, k]));
  const keyed = byKey(catalogue);
  const readers = new Map<string, Reader[]>();
  const readsOwnPrev = new Set<string>();
  for (const f of catalogue) {
    if (f.rollup !== 'formula' || f.formula === null || f.archived) continue;
    for (const ref of formulaReferences(f.formula)) {
      if (ref.key === f.key && ref.periodsBack > 0) readsOwnPrev.add(f.id);
      const input = keyed.get(ref.key);
      if (!input) continue;
      const list = readers.get(input.id) ?? [];
      if (!list.some((r) => r.kpi.id === f.id && r.periodsBack === ref.periodsBack)) {
        list.push({ kpi: f, periodsBack: ref.periodsBack });
      }
      readers.set(input.id, list);
    }
  }

  const affected = new Map<string, Set<string>>();
  const queue: { kpi: CatalogueKpi; start: string }[] = [];
  const reach = (kpi: CatalogueKpi, start: string): void => {
    if (start > horizon) return;
    const set = affected.get(kpi.id) ?? new Set<string>();
    if (set.has(start)) return;
    set.add(start);
    affected.set(kpi.id, set);
    queue.push({ kpi, start });
  };
  for (const c of changed) {
    const kpi = byId.get(c.kpiId);
    if (kpi) queue.push({ kpi, start: periodStart(c.period, kpi.cadence, fyStartMonth) });
  }
  while (queue.length > 0) {
    const { kpi, start } = queue.pop() as { kpi: CatalogueKpi; start: string };
    const parent = kpi.parentId === null ? undefined : byId.get(kpi.parentId);
    if (parent && parent.rollup !== 'formula' && isArithmeticRollup(parent.rollup)) {
      reach(parent, periodStart(start, parent.cadence, fyStartMonth));
    }
    // A formula reading its own prev: a change may move its first period with data, and so
    // where the baseline opens the stock, in every later period (not only n periods on).
    if (readsOwnPrev.has(kpi.id)) {
      reach(kpi, addMonths(start, cadenceMonths(kpi.cadence)));
    }
    for (const r of readers.get(kpi.id) ?? []) {
      const own = periodStart(start, r.kpi.cadence, fyStartMonth);
      reach(r.kpi, addMonths(own, r.periodsBack * cadenceMonths(r.kpi.cadence)));
    }
  }
  return affected;
}
