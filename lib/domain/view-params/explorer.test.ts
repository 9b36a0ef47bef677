import { describe, expect, it } from 'vitest';
import { explorerViewQuery, parseExplorerView, type ExplorerView } from './explorer';
import { SEARCH_MAX } from './query';

const A = '00000000-0000-4000-8000-000000000001';
const B = '00000000-0000-4000-8000-000000000002';
const K1 = '0f8fad5b-d9cb-469f-a165-70867728950e';
const K2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const DEFAULT: ExplorerView = { filter: {}, collapsed: [], view: 'list' };

const fromQuery = (query: string) => parseExplorerView(new URLSearchParams(query));

describe('parseExplorerView', () => {
  it('reads nothing as the default view, and writes the default view as no query', () => {
    expect(parseExplorerView({})).toEqual(DEFAULT);
    expect(explorerViewQuery(DEFAULT)).toBe('');
    expect(explorerViewQuery({})).toBe('');
  });

  it('round-trips every part, from a record and from URLSearchParams alike', () => {
    const view: ExplorerView = {
      filter: {
        unitIds: [A, B],
        subtree: true,
        homeUnitIds: [B],
        ownerUserId: 'none',
        status: 'attention',
        kind: 'individual',
        missing: true,
        category: 'strategic',
        indicator: 'leading',
        asOf: '2026-10-31',
      },
      smart: 'gaps',
      q: 'net revenue',
      collapsed: [K1, K2],
      view: 'map',
    };
    const query = explorerViewQuery(view);
    expect(query.startsWith('?unit=')).toBe(true);
    expect(fromQuery(query.slice(1))).toEqual(view);
    expect(parseExplorerView(Object.fromEntries(new URLSearchParams(query.slice(1))))).toEqual(
      view,
    );
    // Writing what was read gives the same query back: one canonical form.
    expect(explorerViewQuery(fromQuery(query.slice(1)))).toBe(query);
  });

  it('falls back part by part on garbage, keeping the good parts', () => {
    const view = fromQuery(
      [
        `unit=x'%3B drop,${A}`,
        'subtree=yes',
        'home=../../etc',
        'owner=someone',
        'status=great',
        'kind=all',
        'missing=true',
        'category=toString',
        'indicator=constructor',
        'asOf=2026-02-30',
        'smart=maybe',
        'q=%20%20%20',
        'collapsed=not-an-id',
        'view=globe',
      ].join('&'),
    );
    expect(view).toEqual({ ...DEFAULT, filter: { unitIds: [A] } });
  });

  it('ignores a repeated parameter, as it does any malformed one', () => {
    expect(fromQuery('status=on_track&status=off_track&kind=team')).toEqual({
      ...DEFAULT,
      filter: { kind: 'team' },
    });
    expect(parseExplorerView({ status: ['on_track'], view: ['map'] })).toEqual(DEFAULT);
  });

  it('bounds the search text and id lists, and tidies the text', () => {
    expect(fromQuery(`q=${'x'.repeat(500)}`).q).toHaveLength(SEARCH_MAX);
    expect(fromQuery('q=%20New%20%20%20MRR%20').q).toBe('New MRR');
    const many = Array.from(
      { length: 300 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect(fromQuery(`collapsed=${many.join(',')}`).collapsed).toHaveLength(200);
    expect(fromQuery(`unit=${many.join(',')}`).filter.unitIds).toHaveLength(50);
    expect(fromQuery(`collapsed=${K1},${K1}`).collapsed).toEqual([K1]);
  });

  it('keeps `view=map` (the map view) through changes of the other parts', () => {
    const map = fromQuery('view=map&status=off_track');
    expect(explorerViewQuery({ ...map, filter: {} })).toBe('?view=map');
    expect(explorerViewQuery({ ...map, view: 'list' })).toBe('?status=off_track');
  });
});
