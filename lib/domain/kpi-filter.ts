import { STATUSES, type Status } from './progress';
import { isKpiCategory, isKpiIndicator, type KpiCategory, type KpiIndicator } from './kpi-kinds';
import { parseIsoDate } from './dates';
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

const FILTER_STATUSES: readonly string[] = [...STATUSES, 'attention'];
const ID = /^[0-9a-f-]{36}$/i;

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

/** The explorer's query string for a filter ("" when nothing is set). */
export function kpiFilterQuery(f: KpiFilter): string {
  const q = new URLSearchParams();
  if (f.unitIds?.length) q.set('unit', f.unitIds.join(','));
  if (f.subtree) q.set('subtree', '1');
  if (f.homeUnitIds?.length) q.set('home', f.homeUnitIds.join(','));
  if (f.ownerUserId) q.set('owner', f.ownerUserId);
  if (f.status) q.set('status', f.status);
  if (f.kind) q.set('kind', f.kind);
  if (f.missing) q.set('missing', '1');
  if (f.category) q.set('category', f.category);
  if (f.indicator) q.set('indicator', f.indicator);
  if (f.asOf) q.set('asOf', f.asOf);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Reads a filter from the explorer's search parameters; anything malformed is ignored. */
export function parseKpiFilter(params: Record<string, string | string[] | undefined>): KpiFilter {
  const one = (name: string) => {
    const v = params[name];
    return typeof v === 'string' ? v : undefined;
  };
  const ids = (name: string) => {
    const list = (one(name) ?? '').split(',').filter((id) => ID.test(id));
    return list.length > 0 ? list.slice(0, 50) : undefined;
  };
  const f: KpiFilter = {};
  const unitIds = ids('unit');
  if (unitIds) f.unitIds = unitIds;
  if (one('subtree') === '1') f.subtree = true;
  const homeUnitIds = ids('home');
  if (homeUnitIds) f.homeUnitIds = homeUnitIds;
  const owner = one('owner');
  if (owner && (owner === 'none' || ID.test(owner))) f.ownerUserId = owner;
  const status = one('status');
  if (status && FILTER_STATUSES.includes(status)) f.status = status as KpiFilter['status'];
  const kind = one('kind');
  if (kind === 'team' || kind === 'individual') f.kind = kind;
  if (one('missing') === '1') f.missing = true;
  const category = one('category');
  if (category && isKpiCategory(category)) f.category = category;
  const indicator = one('indicator');
  if (indicator && isKpiIndicator(indicator)) f.indicator = indicator;
  const asOf = parseIsoDate(one('asOf') ?? '');
  if (asOf.ok) f.asOf = asOf.value;
  return f;
}
