import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpis } from '@/db/schema';
import { todayInTimeZone } from '@/lib/domain/dates';
import { toDec } from '@/lib/domain/decimal';
import { inputValueFor } from '@/lib/domain/formula/period-inputs';
import {
  lagCorrelations,
  leadVerdict,
  type LagCorrelation,
  type LeadVerdict,
} from '@/lib/domain/forecast/leading';
import { isCadenceNoLongerThan, periodStart, type Cadence } from '@/lib/domain/periods';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { loadStoredPeriodValues } from '@/lib/dal/cascade/load-values';
import { canSeeKpi, summaryQuery } from './summary-query';

/** One leading KPI and the KPI it feeds, with what their history says. */
export type LeadPair = {
  leading: { id: string; name: string };
  lagging: { id: string; name: string };
  cadence: Cadence;
  correlations: LagCorrelation[];
  verdict: LeadVerdict;
};

/** Complete periods of history each pair is measured over. */
export const LEAD_HISTORY_PERIODS = 36;

/**
 * The leading-indicator pairs KPI `kpiId` is part of (issue 24, item 3): a KPI marked `leading`
 * that feeds it (as a child, or as an input of its formula), and, when it is itself `leading`,
 * the KPIs it feeds (its parent, formulas reading it). Each measured on the last
 * LEAD_HISTORY_PERIODS complete periods of the lagging KPI's cadence (a shorter-cadence leading
 * KPI reduced to it by its own time aggregation; a longer one is left out). Only pairs of KPIs
 * the actor may see. NOT_FOUND as for the KPI itself. Tenant-scoped by ctx.org.id.
 */
export async function listLeadPairs(ctx: OrgContext, kpiId: string): Promise<LeadPair[]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const [self] = await summaryQuery(db, ctx.org.id).where(
      and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)),
    );
    if (!self || !canSeeKpi(ctx, self)) throw notFoundError();
    const related = await summaryQuery(db, ctx.org.id).where(
      and(
        eq(kpis.orgId, ctx.org.id),
        or(
          eq(kpis.parentId, self.id),
          self.parentId ? eq(kpis.id, self.parentId) : undefined,
          self.formulaInputs.length > 0 ? inArray(kpis.key, self.formulaInputs) : undefined,
          self.key ? sql`${kpis.formulaInputs} @> array[${self.key}]::text[]` : undefined,
        ),
      ),
    );
    const feedsSelf = (r: (typeof related)[number]) =>
      r.parentId === self.id || (r.key !== null && self.formulaInputs.includes(r.key));
    const selfFeeds = (r: (typeof related)[number]) =>
      r.id === self.parentId || (self.key !== null && r.formulaInputs.includes(self.key));
    const pairs = related
      .filter((r) => r.id !== self.id && canSeeKpi(ctx, r) && r.archivedOn === null)
      .flatMap((r) => [
        ...(feedsSelf(r) && r.indicator === 'leading' ? [{ leading: r, lagging: self }] : []),
        ...(selfFeeds(r) && self.indicator === 'leading' ? [{ leading: self, lagging: r }] : []),
      ])
      .filter((p) => isCadenceNoLongerThan(p.leading.cadence, p.lagging.cadence));
    if (pairs.length === 0) return [];
    const values = await loadStoredPeriodValues(db, ctx.org.id, {
      kpiIds: [...new Set(pairs.flatMap((p) => [p.leading.id, p.lagging.id]))],
    });
    const today = todayInTimeZone(ctx.org.timeZone);
    return pairs.map(({ leading, lagging }) => {
      const open = periodStart(today, lagging.cadence, ctx.org.fyStartMonth);
      const seriesOf = (k: typeof leading) => {
        const stored = values.get(k.id);
        const out: (number | null)[] = [];
        for (let back = LEAD_HISTORY_PERIODS; back >= 1; back -= 1) {
          const v = inputValueFor(
            k,
            (s) => stored?.get(s)?.value ?? null,
            open,
            lagging.cadence,
            back,
          );
          out.push(v === null ? null : toDec(v).toNumber());
        }
        return out;
      };
      const correlations = lagCorrelations(seriesOf(leading), seriesOf(lagging));
      return {
        leading: { id: leading.id, name: leading.name },
        lagging: { id: lagging.id, name: lagging.name },
        cadence: lagging.cadence,
        correlations,
        verdict: leadVerdict(correlations),
      };
    });
  });
}
