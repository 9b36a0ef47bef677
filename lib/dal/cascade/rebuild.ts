import { eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpiPeriodValues } from '@/db/schema';
import { archivedFormulaValues, computeAllWithFormulas } from '@/lib/domain/formula/cascade';
import type { PeriodValueRow } from '@/lib/domain/recompute';
import { insertUnnest } from '@/db/bulk-insert';
import { loadFormulaCatalogue } from './formulas';
import { loadCascadeKpis } from './load-kpis';
import { loadCascadeCheckins, loadStoredPeriodValues } from './load-values';
import { writePeriodValues } from './period-value-sql';

/*
 * Full rebuilds of an organization's period values from its KPIs and check-ins, with the same
 * loaders and the same pure `computeAllWithFormulas` (rollups and formula KPIs) as `db:verify`,
 * so they agree by construction. Tenant: the `orgId` given only; no authorization (maintenance and seed code).
 */

/** Computes every period value of one org from scratch, then deletes the stored ones. */
async function recomputeAndClear(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
): Promise<PeriodValueRow[]> {
  const [allKpis, allCheckins, catalogue] = await Promise.all([
    loadCascadeKpis(tx, orgId),
    loadCascadeCheckins(tx, orgId),
    loadFormulaCatalogue(tx, orgId),
  ]);
  // Archived formula KPIs are no longer computed: their stored history is kept.
  const archived = allKpis.filter((k) => k.rollup === 'formula' && k.archivedOn !== null);
  const stored =
    archived.length === 0
      ? new Map()
      : await loadStoredPeriodValues(tx, orgId, { kpiIds: archived.map((k) => k.id) });
  const computed = computeAllWithFormulas(
    allKpis,
    allCheckins,
    fyStartMonth,
    catalogue.formulas,
    catalogue.keys,
    archivedFormulaValues(allKpis, stored),
  );
  await tx.delete(kpiPeriodValues).where(eq(kpiPeriodValues.orgId, orgId));
  return [...computed].flatMap(([kpiId, periods]) =>
    [...periods].map(([start, v]) => ({ kpiId, periodStart: start, ...v })),
  );
}

/**
 * Replaces every stored period value of one organization by its from-scratch computation (for
 * example after the fiscal-year start month changed, or to repair drift). Caller holds
 * `lockOrgCascade`. Returns the row count.
 */
export async function rebuildOrgPeriodValues(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
): Promise<number> {
  const rows = await recomputeAndClear(tx, orgId, fyStartMonth);
  await writePeriodValues(tx, orgId, rows, [], { events: false });
  return rows.length;
}

/**
 * Like `rebuildOrgPeriodValues`, but written with unnest inserts: tens of thousands of rows per
 * statement, for seeding large organizations in seconds. Caller holds `lockOrgCascade`. Returns
 * the row count.
 */
export async function materializeOrgPeriodValues(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
): Promise<number> {
  const rows = await recomputeAndClear(tx, orgId, fyStartMonth);
  return insertUnnest<PeriodValueRow>(
    tx,
    kpiPeriodValues,
    [
      { name: 'org_id', type: 'uuid', value: () => orgId },
      { name: 'kpi_id', type: 'uuid', value: (r) => r.kpiId },
      { name: 'period_start', type: 'date', value: (r) => r.periodStart },
      { name: 'value', type: 'numeric', value: (r) => r.value },
      { name: 'sample_count', type: 'integer', value: (r) => r.sampleCount },
      { name: 'children_reported', type: 'integer', value: (r) => r.childrenReported },
      { name: 'children_expected', type: 'integer', value: (r) => r.childrenExpected },
    ],
    rows,
  );
}
