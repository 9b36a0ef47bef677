import { describe, expect, it } from 'vitest';
import {
  kpiFilterQuery,
  matchesKpiFilter,
  matchesSearch,
  searchWords,
  type FilterableKpi,
} from './kpi-filter';
import { parseExplorerView } from './view-params/explorer';

const parseKpiFilter = (q: Record<string, string | string[]>) => parseExplorerView(q).filter;

const ROOT = '00000000-0000-4000-8000-000000000001';
const SALES = '00000000-0000-4000-8000-000000000002';
const EAST = '00000000-0000-4000-8000-000000000003';
const USER = '00000000-0000-4000-8000-0000000000aa';
const parents = new Map<string, string | null>([
  [ROOT, null],
  [SALES, ROOT],
  [EAST, SALES],
]);

const kpi = (over: Partial<FilterableKpi> = {}): FilterableKpi => ({
  unitId: EAST,
  ownerUserId: USER,
  ownerHomeUnitId: EAST,
  isIndividual: false,
  status: 'on_track',
  recordsByHand: true,
  category: 'operational',
  indicator: 'lagging',
  ...over,
});

describe('matchesKpiFilter', () => {
  it('matches a unit exactly, or with its subtree', () => {
    expect(matchesKpiFilter(kpi(), { unitIds: [SALES] }, parents)).toBe(false);
    expect(matchesKpiFilter(kpi(), { unitIds: [SALES], subtree: true }, parents)).toBe(true);
    expect(
      matchesKpiFilter(kpi({ unitId: ROOT }), { unitIds: [SALES], subtree: true }, parents),
    ).toBe(false);
  });

  it('matches owners, home units, kinds and statuses (attention = at risk or off track)', () => {
    expect(matchesKpiFilter(kpi({ ownerUserId: null }), { ownerUserId: 'none' }, parents)).toBe(
      true,
    );
    expect(matchesKpiFilter(kpi(), { ownerUserId: 'none' }, parents)).toBe(false);
    expect(matchesKpiFilter(kpi(), { ownerUserId: USER }, parents)).toBe(true);
    expect(matchesKpiFilter(kpi(), { homeUnitIds: [SALES] }, parents)).toBe(true);
    expect(
      matchesKpiFilter(kpi({ ownerHomeUnitId: null }), { homeUnitIds: [SALES] }, parents),
    ).toBe(false);
    expect(matchesKpiFilter(kpi(), { kind: 'individual' }, parents)).toBe(false);
    expect(matchesKpiFilter(kpi(), { kind: 'team' }, parents)).toBe(true);
    for (const status of ['at_risk', 'off_track'] as const)
      expect(matchesKpiFilter(kpi({ status }), { status: 'attention' }, parents)).toBe(true);
    expect(matchesKpiFilter(kpi(), { status: 'attention' }, parents)).toBe(false);
  });

  it('missing: owned, recorded by hand, no value', () => {
    expect(matchesKpiFilter(kpi({ status: 'no_data' }), { missing: true }, parents)).toBe(true);
    expect(
      matchesKpiFilter(kpi({ status: 'no_data', ownerUserId: null }), { missing: true }, parents),
    ).toBe(false);
    expect(
      matchesKpiFilter(
        kpi({ status: 'no_data', recordsByHand: false }),
        { missing: true },
        parents,
      ),
    ).toBe(false);
    expect(matchesKpiFilter(kpi(), { missing: true }, parents)).toBe(false);
  });

  it('category and indicator: the KPI kinds', () => {
    const lead = kpi({ category: 'strategic', indicator: 'leading' });
    expect(matchesKpiFilter(lead, { category: 'strategic' }, parents)).toBe(true);
    expect(matchesKpiFilter(lead, { category: 'operational' }, parents)).toBe(false);
    expect(matchesKpiFilter(lead, { indicator: 'leading' }, parents)).toBe(true);
    expect(matchesKpiFilter(lead, { indicator: 'lagging' }, parents)).toBe(false);
    expect(matchesKpiFilter(lead, { category: 'strategic', indicator: 'lagging' }, parents)).toBe(
      false,
    );
  });
});

describe('the explorer query string', () => {
  it('round-trips and ignores anything malformed', () => {
    const f = {
      unitIds: [SALES, EAST],
      subtree: true,
      homeUnitIds: [ROOT],
      ownerUserId: 'none',
      status: 'attention' as const,
      kind: 'team' as const,
      missing: true,
      category: 'functional' as const,
      indicator: 'leading' as const,
    };
    const query = kpiFilterQuery(f);
    expect(parseKpiFilter(Object.fromEntries(new URLSearchParams(query.slice(1))))).toEqual(f);
    expect(kpiFilterQuery({})).toBe('');
    expect(
      parseKpiFilter({
        unit: "x'; drop",
        owner: 'someone',
        status: 'great',
        kind: 'all',
        missing: ['1'],
        category: 'toString',
        indicator: 'constructor',
      }),
    ).toEqual({});
  });
});

describe('asOf: the period a card counted', () => {
  it('round-trips a valid date and ignores a malformed one', () => {
    expect(kpiFilterQuery({ status: 'attention', asOf: '2026-11-30' })).toBe(
      '?status=attention&asOf=2026-11-30',
    );
    expect(parseKpiFilter({ status: 'attention', asOf: '2026-11-30' })).toEqual({
      status: 'attention',
      asOf: '2026-11-30',
    });
    expect(parseKpiFilter({ asOf: '2026-02-30' })).toEqual({});
    expect(parseKpiFilter({ asOf: ['2026-11-30'] })).toEqual({});
  });
  it('reads in_progress as a status filter', () => {
    expect(parseKpiFilter({ status: 'in_progress' })).toEqual({ status: 'in_progress' });
    expect(matchesKpiFilter(kpi({ status: 'in_progress' }), { status: 'attention' }, parents)).toBe(
      false,
    );
  });
});

describe('matchesSearch', () => {
  it('finds every word in the name or the key, ignoring case', () => {
    const k = { name: 'New MRR', key: 'sales.new_mrr' };
    expect(matchesSearch(k, '')).toBe(true);
    expect(matchesSearch(k, 'mrr')).toBe(true);
    expect(matchesSearch(k, '  NEW   mrr ')).toBe(true);
    expect(matchesSearch(k, 'sales.new')).toBe(true);
    expect(matchesSearch(k, 'new churn')).toBe(false);
    expect(matchesSearch({ name: 'Churn', key: null }, 'null')).toBe(false);
  });
});

describe('searchWords', () => {
  it('splits a search into lower-case words, none for blank text', () => {
    expect(searchWords('  Ada   LOVELACE\t50% ')).toEqual(['ada', 'lovelace', '50%']);
    expect(searchWords('   ')).toEqual([]);
  });
});
