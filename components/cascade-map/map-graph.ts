import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { MapKpi, MapStore, MapUnit } from '@/lib/domain/cascade-map';

/*
 * The cascade map as nodes and edges with positions (dagre, left to right): units and the KPIs of
 * the open branches. Pure: React Flow draws what this returns.
 */

export const UNIT_SIZE = { width: 220, height: 72 } as const;
export const KPI_SIZE = { width: 260, height: 132 } as const;

export type UnitNodeData = { unit: MapUnit; open: boolean };
export type KpiNodeData = { kpi: MapKpi; focused: boolean };
export type UnitNode = Node<UnitNodeData, 'unit'>;
export type KpiNode = Node<KpiNodeData, 'kpi'>;
export type MapNode = UnitNode | KpiNode;

/** unit: a unit under its parent unit; member: a KPI in its unit; parent: a KPI under its parent KPI; driver: a formula's input. */
export type MapEdgeKind = 'unit' | 'member' | 'parent' | 'driver';
export type MapEdge = Edge<{ kind: MapEdgeKind }>;

/**
 * The units on the map: the roots, and the children of every open unit that is itself on the
 * map (a closed unit hides its whole branch). Pure.
 */
export function visibleUnits(store: MapStore, open: ReadonlySet<string>): MapUnit[] {
  const childrenOf = new Map<string | null, MapUnit[]>();
  for (const u of store.units.values()) {
    const parent = u.parentId !== null && store.units.has(u.parentId) ? u.parentId : null;
    const list = childrenOf.get(parent) ?? [];
    list.push(u);
    childrenOf.set(parent, list);
  }
  const out: MapUnit[] = [];
  const visit = (u: MapUnit) => {
    out.push(u);
    if (open.has(u.id) && store.loaded.has(u.id)) (childrenOf.get(u.id) ?? []).forEach(visit);
  };
  (childrenOf.get(null) ?? []).forEach(visit);
  return out;
}

/**
 * Nodes and edges of the map for the open units: each open unit's KPIs hang from it, a KPI's
 * parent link and a formula's driver links are drawn when both ends are on the map. Driver links
 * take no part in the layout (they may run against the cascade), so ranks follow the tree.
 */
export function buildMapGraph(
  store: MapStore,
  open: ReadonlySet<string>,
  focusId: string | null = null,
): { nodes: MapNode[]; edges: MapEdge[] } {
  const units = visibleUnits(store, open);
  const unitIds = new Set(units.map((u) => u.id));
  const kpis = [...store.kpis.values()].filter((k) => unitIds.has(k.unitId) && open.has(k.unitId));
  const kpiIds = new Set(kpis.map((k) => k.id));

  const edges: MapEdge[] = [];
  const edge = (kind: MapEdgeKind, source: string, target: string): MapEdge => ({
    id: `${kind}:${source}:${target}`,
    source,
    target,
    data: { kind },
  });
  for (const u of units) {
    if (u.parentId && unitIds.has(u.parentId)) edges.push(edge('unit', u.parentId, u.id));
  }
  for (const k of kpis) {
    edges.push(edge('member', k.unitId, k.id));
    if (k.parentId && kpiIds.has(k.parentId)) edges.push(edge('parent', k.parentId, k.id));
    for (const d of k.driverIds)
      if (kpiIds.has(d) && d !== k.id) edges.push(edge('driver', d, k.id));
  }

  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 72, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const u of units) g.setNode(u.id, { ...UNIT_SIZE });
  for (const k of kpis) g.setNode(k.id, { ...KPI_SIZE });
  for (const e of edges) {
    if (e.data?.kind === 'driver') continue;
    g.setEdge(e.source, e.target, { weight: e.data?.kind === 'parent' ? 2 : 1 });
  }
  dagre.layout(g);
  const at = (id: string, size: { width: number; height: number }) => {
    const p = g.node(id);
    return { x: p.x - size.width / 2, y: p.y - size.height / 2 };
  };

  const nodes: MapNode[] = [
    ...units.map((u): UnitNode => ({
      id: u.id,
      type: 'unit',
      position: at(u.id, UNIT_SIZE),
      data: { unit: u, open: open.has(u.id) },
      ...UNIT_SIZE,
      ariaLabel: `Unit ${u.name}`,
    })),
    ...kpis.map((k): KpiNode => ({
      id: k.id,
      type: 'kpi',
      position: at(k.id, KPI_SIZE),
      data: { kpi: k, focused: k.id === focusId },
      ...KPI_SIZE,
      ariaLabel: `KPI ${k.name}`,
      selected: k.id === focusId,
    })),
  ];
  return { nodes, edges };
}
