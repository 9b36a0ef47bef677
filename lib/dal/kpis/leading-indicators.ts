import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpiLeads, kpis } from '@/db/schema';
import { can } from '@/lib/authz/can';
import { todayInTimeZone } from '@/lib/domain/dates';
import { toDec } from '@/lib/domain/decimal';
import { inputValueFor } from '@/lib/domain/formula/period-inputs';
import {
  lagCorrelations,
  leadsInto,
  leadVerdict,
  type LagCorrelation,
  type LeadVerdict,
} from '@/lib/domain/forecast/leading';
import { isCadenceNoLongerThan, periodStart, type Cadence } from '@/lib/domain/periods';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { SearchPage } from './parent-search';
import { loadStoredPeriodValues } from '@/lib/dal/cascade/load-values';
import { canSeeKpi, summaryQuery } from './summary-query';

/** One leading KPI and the KPI it feeds, with what their history says. */
export type LeadPair = {
  leading: { id: string; name: string };
  lagging: { id: string; name: string };
  cadence: Cadence;
  correlations: LagCorrelation[];
  verdict: LeadVerdict;
  /** Linked explicitly as "leads" (kpi_leads), rather than feeding by parent link or formula. */
  explicit: boolean;
  /** May the actor remove the explicit link (`kpis.write` on the lagging KPI)? */
  canUnlink: boolean;
  /** Both series at the lagging KPI's cadence, oldest first (exact decimal strings or null). */
  series: { leading: (string | null)[]; lagging: (string | null)[] };
};

/** Complete periods of history each pair is measured over. */
export const LEAD_HISTORY_PERIODS = 36;

/**
 * The leading-indicator pairs KPI `kpiId` is part of (issue 24, item 3): a KPI marked `leading`
 * that feeds it (as a child, or as an input of its formula), and, when it is itself `leading`,
 * the KPIs it feeds (its parent, formulas reading it); and every explicit "leads" link either
 * way (kpi_leads), whatever the KPIs' indicator. Each measured on the last
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
    const links = await db
      .select({ lead: kpiLeads.leadKpiId, lagging: kpiLeads.laggingKpiId })
      .from(kpiLeads)
      .where(
        and(
          eq(kpiLeads.orgId, ctx.org.id),
          or(eq(kpiLeads.leadKpiId, self.id), eq(kpiLeads.laggingKpiId, self.id)),
        ),
      );
    const linkedIds = links.map((l) => (l.lead === self.id ? l.lagging : l.lead));
    const related = await summaryQuery(db, ctx.org.id).where(
      and(
        eq(kpis.orgId, ctx.org.id),
        or(
          linkedIds.length > 0 ? inArray(kpis.id, linkedIds) : undefined,
          eq(kpis.parentId, self.id),
          self.parentId ? eq(kpis.id, self.parentId) : undefined,
          self.formulaInputs.length > 0 ? inArray(kpis.key, self.formulaInputs) : undefined,
          self.key ? sql`${kpis.formulaInputs} @> array[${self.key}]::text[]` : undefined,
        ),
      ),
    );
    const isExplicit = (leadId: string, laggingId: string) =>
      links.some((l) => l.lead === leadId && l.lagging === laggingId);
    const pairs = related
      .filter((r) => r.id !== self.id && canSeeKpi(ctx, r) && r.archivedOn === null)
      .flatMap((r) => [
        ...(leadsInto(r, self, isExplicit(r.id, self.id)) ? [{ leading: r, lagging: self }] : []),
        ...(leadsInto(self, r, isExplicit(self.id, r.id)) ? [{ leading: self, lagging: r }] : []),
      ]);
    if (pairs.length === 0) return [];
    const values = await loadStoredPeriodValues(db, ctx.org.id, {
      kpiIds: [...new Set(pairs.flatMap((p) => [p.leading.id, p.lagging.id]))],
    });
    const today = todayInTimeZone(ctx.org.timeZone);
    return pairs.map(({ leading, lagging }) => {
      const open = periodStart(today, lagging.cadence, ctx.org.fyStartMonth);
      const seriesOf = (k: typeof leading) => {
        const stored = values.get(k.id);
        const out: (string | null)[] = [];
        for (let back = LEAD_HISTORY_PERIODS; back >= 1; back -= 1) {
          const v = inputValueFor(
            k,
            (s) => stored?.get(s)?.value ?? null,
            open,
            lagging.cadence,
            back,
          );
          out.push(v === null ? null : toDec(v).toFixed());
        }
        return out;
      };
      const num = (xs: (string | null)[]) => xs.map((v) => (v === null ? null : Number(v)));
      const series = { leading: seriesOf(leading), lagging: seriesOf(lagging) };
      const correlations = lagCorrelations(num(series.leading), num(series.lagging));
      const explicit = isExplicit(leading.id, lagging.id);
      return {
        leading: { id: leading.id, name: leading.name },
        lagging: { id: lagging.id, name: lagging.name },
        cadence: lagging.cadence,
        correlations,
        verdict: leadVerdict(correlations),
        explicit,
        canUnlink:
          explicit &&
          can(ctx, 'kpis.write', {
            unitId: lagging.unitId,
            ownerUserId: lagging.ownerUserId,
            isIndividual: lagging.isIndividual,
            ownerHomeUnitId: lagging.ownerHomeUnitId,
          }),
        series,
      };
    });
  });
}

/**
 * The KPIs the actor could link as leading KPI `kpiId` (issue 24, item 3): active KPIs of the
 * org they may see, other than it, of a cadence no longer than its own, not feeding it already (a
 * child or formula input) and not already in one of its lead pairs (`pairedIds`), whose name or
 * key contains `query` (case-insensitive; all for an empty one), by name: the first `limit` with
 * the total. Tenant-scoped by ctx.org.id; read permission only (the link itself takes
 * `kpis.write` on `kpiId`).
 */
export async function searchLeadCandidates(
  ctx: OrgContext,
  kpiId: string,
  pairedIds: readonly string[],
  query: string,
  limit: number,
): Promise<SearchPage<{ id: string; name: string }>> {
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await summaryQuery(db, ctx.org.id).where(eq(kpis.orgId, ctx.org.id));
    const self = rows.find((r) => r.id === kpiId);
    if (!self || !canSeeKpi(ctx, self)) throw notFoundError();
    const paired = new Set(pairedIds);
    const text = query.trim().toLocaleLowerCase();
    const matches = rows
      .filter(
        (r) =>
          (text === '' ||
            r.name.toLocaleLowerCase().includes(text) ||
            (r.key ?? '').toLocaleLowerCase().includes(text)) &&
          r.id !== self.id &&
          r.archivedOn === null &&
          r.parentId !== self.id &&
          !(r.key !== null && self.formulaInputs.includes(r.key)) &&
          !paired.has(r.id) &&
          canSeeKpi(ctx, r) &&
          isCadenceNoLongerThan(r.cadence, self.cadence),
      )
      .map((r) => ({ id: r.id, name: r.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { total: matches.length, hits: matches.slice(0, limit) };
  });
}
