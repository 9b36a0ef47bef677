import type { Status } from './progress';
import type { KpiCategory, KpiIndicator } from './kpi-kinds';
import { toQueryString } from './view-params/query';
import { isInSubtree, type ParentMap } from './tree';

/**
 * A filter of the KPI explorer that a dashboard card links to ("see all N"). The dashboards count
 * with the same rules (lib/domain/dashboard/sections.ts), and a test checks that both agree.
 */
export type KpiFilter = {
  /** KPIs owned by one of these units (or, with `subtree`, by a unit below one of them). */
  unitIds?: string[];
  subtree?: boolean;
  /** An owner's user id, or `none` for KPIs nobody owns. */
  ownerUserId?: string;
  /** A status, or `attention`: at risk or off track. */
  status?: Status | 'attention';
  /** Team KPIs (of a unit) or individual ones (a person's own). */
  kind?: 'team' | 'individual';
  /** KPIs whose owner's home unit is one of these or below one of them (a lead's people). */
  homeUnitIds?: string[];
  /** Not reported: owned, recorded by hand, no value for the period. */
  missing?: boolean;
  /** Strategic, operational or functional KPIs. */
  category?: KpiCategory;
  /** Leading or lagging indicators. */
  indicator?: KpiIndicator;
  /**
   * Read the KPIs as of this date (a dashboard's complete period: its last day), so a card's
   * "see all" counts the same period the card did; default today. Not a match rule.
   */
  asOf?: string;
};

/** What the filter looks at about a KPI (the explorer's tree node has all of it). */
export type FilterableKpi = {
  unitId: string;
  ownerUserId: string | null;
  ownerHomeUnitId: string | null;
  isIndividual: boolean;
  status: Status;
  recordsByHand: boolean;
  category: KpiCategory;
  indicator: KpiIndicator;
};

function inUnits(unitId: string | null, ids: string[], subtree: boolean, parents: ParentMap) {
  if (!unitId) return false;
  return ids.some((id) => id === unitId || (subtree && isInSubtree(unitId, id, parents)));
}

/** True when the KPI matches every part of the filter that is set. */
export function matchesKpiFilter(k: FilterableKpi, f: KpiFilter, parents: ParentMap): boolean {
  if (f.unitIds?.length && !inUnits(k.unitId, f.unitIds, !!f.subtree, parents)) return false;
  if (f.homeUnitIds?.length && !inUnits(k.ownerHomeUnitId, f.homeUnitIds, true, parents))
    return false;
  if (f.ownerUserId) {
    if (f.ownerUserId === 'none' ? k.ownerUserId !== null : k.ownerUserId !== f.ownerUserId)
      return false;
  }
  if (f.status) {
    const ok =
      f.status === 'attention'
        ? k.status === 'at_risk' || k.status === 'off_track'
        : k.status === f.status;
    if (!ok) return false;
  }
  if (f.kind && (f.kind === 'individual') !== k.isIndividual) return false;
  if (f.missing && !(k.ownerUserId && k.recordsByHand && k.status === 'no_data')) return false;
  if (f.category && k.category !== f.category) return false;
  if (f.indicator && k.indicator !== f.indicator) return false;
  return true;
}

/**
 * The explorer's query string for a filter ("" when nothing is set): the links dashboard cards
 * and unit pages make. lib/domain/view-params/explorer.ts reads it back (with the explorer's own
 * parameters) and writes the explorer's whole view through this.
 */
export function kpiFilterQuery(f: KpiFilter): string {
  return toQueryString([
    ['unit', f.unitIds?.join(',')],
    ['subtree', f.subtree ? '1' : undefined],
    ['home', f.homeUnitIds?.join(',')],
    ['owner', f.ownerUserId],
    ['status', f.status],
    ['kind', f.kind],
    ['missing', f.missing ? '1' : undefined],
    ['category', f.category],
    ['indicator', f.indicator],
    ['asOf', f.asOf],
  ]);
}

/**
 * The explorer's search: every word of `text` (case-insensitive) appears in the KPI's name or its
 * key. An empty text matches everything.
 */
export function matchesSearch(k: { name: string; key: string | null }, text: string): boolean {
  const haystack = `${k.name} ${k.key ?? ''}`.toLocaleLowerCase();
  return searchWords(text).every((word) => haystack.includes(word));
}

/**
 * The words of a search, lower-cased: a row matches when each of them is in its text, any case
 * (matchesSearch here; the People page's read does the same in SQL, search-pattern.ts).
 */
export function searchWords(text: string): string[] {
  return text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
}
