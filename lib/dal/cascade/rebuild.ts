import { eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpiPeriodValues } from '@/db/schema';
import { computeAllPeriodValues } from '@/lib/domain/cascade-compute';
import { loadCascadeKpis } from './load-kpis';
import { loadCascadeCheckins } from './load-values';
import { writePeriodValues } from './period-value-sql';

/**
 * Replaces every stored period value of one organization by its from-scratch computation (for
 * example after the fiscal-year start month changed, or to repair drift). Caller holds
 * `lockOrgCascade`. Tenant: `orgId` only; no authorization (maintenance code).
 */
export async function rebuildOrgPeriodValues(
  tx: Tx,
  orgId: string,
  fyStartMonth: number,
): Promise<number> {
  const [allKpis, allCheckins] = await Promise.all([
    loadCascadeKpis(tx, orgId),
    loadCascadeCheckins(tx, orgId),
  ]);
  const computed = computeAllPeriodValues(allKpis, allCheckins, fyStartMonth);
  await tx.delete(kpiPeriodValues).where(eq(kpiPeriodValues.orgId, orgId));
  const rows = [...computed].flatMap(([kpiId, periods]) =>
    [...periods].map(([start, v]) => ({ kpiId, periodStart: start, ...v })),
  );
  await writePeriodValues(tx, orgId, rows, []);
  return rows.length;
}
