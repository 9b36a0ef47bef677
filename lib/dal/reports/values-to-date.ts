import { withOrgTx } from '@/db/client';
import { valuesToDate, type Comparison } from '@/lib/domain/like-for-like';
import type { Cadence } from '@/lib/domain/periods';
import type { OrgContext } from '@/lib/server/org-context';
import { loadCascadeKpis } from '@/lib/dal/cascade/load-kpis';
import { loadCascadeCheckins } from '@/lib/dal/cascade/load-values';

/**
 * Every KPI's value over the previous period to date (`comparison`, see comparisonFor), computed
 * from the check-ins dated inside it and rolled up like stored values: what an open period's
 * "Change" compares with. Tenant: ctx.org only; the caller decides which KPIs the actor sees.
 */
export async function loadValuesToDate(
  ctx: OrgContext,
  comparison: Comparison,
  cadence: Cadence,
): Promise<Map<string, string | null>> {
  return withOrgTx(ctx.org.id, async (tx) => {
    const [kpis, checkins] = await Promise.all([
      loadCascadeKpis(tx, ctx.org.id),
      loadCascadeCheckins(tx, ctx.org.id, { from: comparison.start, to: comparison.to }),
    ]);
    return valuesToDate(kpis, checkins, comparison, cadence, ctx.org.fyStartMonth);
  });
}
