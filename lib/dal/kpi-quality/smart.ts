import { and, eq, gte, inArray } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpiPeriodValues, kpis } from '@/db/schema';
import { smartCheckOfKpi, type SmartKpi } from '@/lib/domain/kpi-smart-check';
import { recentPeriodStarts } from '@/lib/domain/period-history';
import type { Cadence } from '@/lib/domain/periods';
import type { SmartResult } from '@/lib/domain/smart';
import type { OrgContext } from '@/lib/server/org-context';

/** A KPI of the caller's list (a KpiSummary fits), with its current period's start. */
type ListedKpi = SmartKpi & { id: string; cadence: Cadence; current: { start: string } };

/**
 * The SMART check of each listed KPI (the caller's visible list, from `listKpis`), reading their
 * descriptions and recent period values. Tenant: ctx.org.
 */
export async function listSmartChecks(
  ctx: OrgContext,
  list: readonly ListedKpi[],
): Promise<Record<string, SmartResult>> {
  if (list.length === 0) return {};
  return withOrgRead(ctx.org.id, async (db) => {
    const ids = list.map((k) => k.id);
    const startsOf = new Map(list.map((k) => [k.id, recentPeriodStarts(k.current.start, k.cadence)]));
    const earliest = [...startsOf.values()].map((s) => s[0]!).sort()[0]!;
    const byIds = ids.length <= 2000 ? inArray(kpis.id, ids) : undefined;
    const [descriptions, values] = await Promise.all([
      db
        .select({ id: kpis.id, description: kpis.description })
        .from(kpis)
        .where(and(eq(kpis.orgId, ctx.org.id), byIds)),
      db
        .select({
          kpiId: kpiPeriodValues.kpiId,
          start: kpiPeriodValues.periodStart,
          value: kpiPeriodValues.value,
        })
        .from(kpiPeriodValues)
        .where(
          and(
            eq(kpiPeriodValues.orgId, ctx.org.id),
            gte(kpiPeriodValues.periodStart, earliest),
            ids.length <= 2000 ? inArray(kpiPeriodValues.kpiId, ids) : undefined,
          ),
        ),
    ]);
    const descriptionOf = new Map(descriptions.map((d) => [d.id, d.description]));
    const valueOf = new Map(values.map((v) => [`${v.kpiId}|${v.start}`, v.value]));
    const out: Record<string, SmartResult> = {};
    for (const k of list) {
      out[k.id] = smartCheckOfKpi(
        k,
        descriptionOf.get(k.id) ?? '',
        startsOf.get(k.id)!.map((s) => valueOf.get(`${k.id}|${s}`) ?? null),
      );
    }
    return out;
  });
}
