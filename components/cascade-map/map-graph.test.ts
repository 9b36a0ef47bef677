import { describe, expect, it } from 'vitest';
import {
  emptyMapStore,
  mergeMapSlice,
  unloadedUnits,
  type MapKpi,
  type MapUnit,
} from '@/lib/domain/cascade-map';
import { buildMapGraph, KPI_SIZE, visibleUnits } from './map-graph';

const unit = (id: string, parentId: string | null, childUnitCount = 0): MapUnit => ({
  id,
  name: `Unit ${id}`,
  kind: parentId === null ? 'company' : 'department',
  parentId,
  childUnitCount,
});

const kpi = (
  id: string,
  unitId: string,
  parentId: string | null,
  driverIds: string[] = [],
): MapKpi => ({
  id,
  key: `k.${id}`,
  name: `KPI ${id}`,
  unitId,
  parentId,
  status: 'on_track',
  pace: null,
  valueText: '1',
  targetText: '2',
  ownerName: null,
  coverage: null,
  isNorthStar: false,
  isFormula: driverIds.length > 0,
  driverIds,
});

// root > sales > (emea, apac); root KPIs r1 (formula over r2), r2; sales KPI s1 under r1.
const first = mergeMapSlice(emptyMapStore(), {
  units: [
    unit('root', null, 1),
    unit('sales', 'root', 2),
    unit('emea', 'sales'),
    unit('apac', 'sales'),
  ],
  kpis: [kpi('r1', 'root', null, ['r2']), kpi('r2', 'root', null), kpi('s1', 'sales', 'r1')],
  opened: ['root', 'sales'],
});

describe('visibleUnits', () => {
  it('shows the children of open, loaded units only', () => {
    expect(visibleUnits(first, new Set(['root', 'sales'])).map((u) => u.id)).toEqual([
      'root',
      'sales',
      'emea',
      'apac',
    ]);
    // A closed unit hides its whole branch.
    expect(visibleUnits(first, new Set(['sales'])).map((u) => u.id)).toEqual(['root']);
    // Open but not loaded: nothing below it to show yet.
    expect(visibleUnits(first, new Set(['root', 'sales', 'emea'])).map((u) => u.id)).toContain(
      'emea',
    );
  });
});

describe('buildMapGraph', () => {
  it('draws unit, member, parent and driver links, each kind apart', () => {
    const { nodes, edges } = buildMapGraph(first, new Set(['root', 'sales']));
    expect(nodes.map((n) => n.id).sort()).toEqual(
      ['apac', 'emea', 'r1', 'r2', 'root', 's1', 'sales'].sort(),
    );
    const kinds = Object.fromEntries(edges.map((e) => [e.id, e.data?.kind]));
    expect(kinds['unit:root:sales']).toBe('unit');
    expect(kinds['member:sales:s1']).toBe('member');
    expect(kinds['parent:r1:s1']).toBe('parent');
    expect(kinds['driver:r2:r1']).toBe('driver');
    expect(edges).toHaveLength(3 + 3 + 1 + 1);
  });

  it('hides the KPIs of a closed unit and the links that would dangle', () => {
    const { nodes, edges } = buildMapGraph(first, new Set(['root']));
    expect(nodes.map((n) => n.id).sort()).toEqual(['r1', 'r2', 'root', 'sales']);
    expect(edges.some((e) => e.target === 's1' || e.source === 's1')).toBe(false);
  });

  it('lays the cascade out left to right without overlaps', () => {
    const { nodes } = buildMapGraph(first, new Set(['root', 'sales']));
    const at = Object.fromEntries(nodes.map((n) => [n.id, n.position]));
    expect(at.root!.x).toBeLessThan(at.sales!.x);
    expect(at.r1!.x).toBeLessThan(at.s1!.x);
    expect(at.sales!.x).toBeLessThan(at.emea!.x);
    const kpis = nodes.filter((n) => n.type === 'kpi');
    for (const a of kpis)
      for (const b of kpis) {
        if (a === b) continue;
        const apart =
          Math.abs(a.position.x - b.position.x) >= KPI_SIZE.width ||
          Math.abs(a.position.y - b.position.y) >= KPI_SIZE.height;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
  });

  it('marks the focused KPI, and names every node for screen readers', () => {
    const { nodes } = buildMapGraph(first, new Set(['root', 'sales']), 's1');
    const s1 = nodes.find((n) => n.id === 's1');
    expect(s1?.selected).toBe(true);
    expect(s1?.type === 'kpi' && s1.data.focused).toBe(true);
    expect(nodes.filter((n) => n.selected)).toHaveLength(1);
    expect(nodes.every((n) => typeof n.ariaLabel === 'string' && n.ariaLabel.length > 4)).toBe(
      true,
    );
  });

  it('scales to a few hundred nodes quickly', () => {
    let store = emptyMapStore();
    const units = [unit('root', null, 20)];
    const kpis: MapKpi[] = [];
    for (let d = 0; d < 20; d += 1) {
      units.push(unit(`d${d}`, 'root'));
      for (let i = 0; i < 15; i += 1) kpis.push(kpi(`d${d}k${i}`, `d${d}`, null));
    }
    store = mergeMapSlice(store, { units, kpis, opened: ['root', ...units.map((u) => u.id)] });
    const started = performance.now();
    const { nodes } = buildMapGraph(store, store.loaded);
    expect(nodes).toHaveLength(21 + 300);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('the store', () => {
  it('merges slices and knows what a search path still needs', () => {
    expect(unloadedUnits(first, ['root', 'sales', 'emea'])).toEqual(['emea']);
    const more = mergeMapSlice(first, {
      units: [unit('emea', 'sales')],
      kpis: [kpi('e1', 'emea', 's1')],
      opened: ['emea'],
    });
    expect(unloadedUnits(more, ['root', 'sales', 'emea'])).toEqual([]);
    expect(more.kpis.size).toBe(4);
    expect(first.kpis.size).toBe(3);
  });
});
