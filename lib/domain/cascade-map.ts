import type { Status } from '@/lib/domain/progress';
import type { UnitKind } from '@/lib/domain/tree';

/*
 * The cascade map's data: units and the KPIs of the units whose branch is open, fetched a branch
 * at a time (lib/dal/kpis/cascade-map.ts), so a 10,000-KPI organization never ships whole.
 */

/** A unit as the map draws it; `childUnitCount` tells a closed branch has something below. */
export type MapUnit = {
  id: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  childUnitCount: number;
};

/** A KPI as the map draws it: display strings only (client props). */
export type MapKpi = {
  id: string;
  key: string | null;
  name: string;
  unitId: string;
  parentId: string | null;
  status: Status;
  /** Progress against the pace of the period (an ungraded flow's status text names it). */
  pace: number | null;
  valueText: string;
  targetText: string;
  ownerName: string | null;
  coverage: string | null;
  isNorthStar: boolean;
  isFormula: boolean;
  /** The ids of the formula's drivers the viewer may see (drawn when both ends are on the map). */
  driverIds: string[];
};

/**
 * One fetch of the map: the units whose branch it opens (`opened`: their KPIs and child units are
 * included), those child units, and the KPIs of the opened units.
 */
export type MapSlice = { units: MapUnit[]; kpis: MapKpi[]; opened: string[] };

/** A search result: where the KPI sits (`unitPath`: unit ids from the root down to its unit). */
export type MapSearchHit = {
  id: string;
  key: string | null;
  name: string;
  unitName: string;
  unitPath: string[];
};

/** Everything fetched so far, by id, and the units whose contents are loaded. */
export type MapStore = {
  units: Map<string, MapUnit>;
  kpis: Map<string, MapKpi>;
  loaded: Set<string>;
};

/** An empty store. */
export function emptyMapStore(): MapStore {
  return { units: new Map(), kpis: new Map(), loaded: new Set() };
}

/** The store with a slice added (a new object; the slice's rows win). Pure. */
export function mergeMapSlice(store: MapStore, slice: MapSlice): MapStore {
  const units = new Map(store.units);
  const kpis = new Map(store.kpis);
  for (const u of slice.units) units.set(u.id, u);
  for (const k of slice.kpis) kpis.set(k.id, k);
  return { units, kpis, loaded: new Set([...store.loaded, ...slice.opened]) };
}

/** The units of a path not loaded yet (what a search must fetch before it can focus). Pure. */
export function unloadedUnits(store: MapStore, path: readonly string[]): string[] {
  return path.filter((id) => !store.loaded.has(id));
}
