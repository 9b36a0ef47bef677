'use client';

import '@xyflow/react/dist/style.css';
import {
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type EdgeTypes,
} from '@xyflow/react';
import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
} from 'react';
import {
  emptyMapStore,
  mergeMapSlice,
  unloadedUnits,
  type MapSearchHit,
  type MapSlice,
  type MapStore,
} from '@/lib/domain/cascade-map';
import { buildMapGraph, KPI_SIZE, type MapEdge, type MapEdgeKind } from './map-graph';
import { KpiMapNode, MapActions, UnitMapNode } from './map-nodes';

const nodeTypes = { unit: UnitMapNode, kpi: KpiMapNode };
const edgeTypes: EdgeTypes = {};

/** Each kind of link its own line: colour, width, dash and arrow differ (not colour alone). */
const EDGE_LOOK: Record<
  MapEdgeKind,
  { label: string; style: CSSProperties; type: string; arrow: boolean }
> = {
  unit: {
    label: 'Unit below its unit',
    style: { stroke: '#64748b', strokeWidth: 1.5 },
    type: 'smoothstep',
    arrow: false,
  },
  member: {
    label: 'KPI of its unit',
    style: { stroke: '#cbd5e1', strokeWidth: 1, strokeDasharray: '2 3' },
    type: 'smoothstep',
    arrow: false,
  },
  parent: {
    label: 'KPI under its parent KPI',
    style: { stroke: '#4338ca', strokeWidth: 2 },
    type: 'smoothstep',
    arrow: true,
  },
  driver: {
    label: 'Formula driver (feeds the formula)',
    style: { stroke: '#b45309', strokeWidth: 2, strokeDasharray: '7 4' },
    type: 'default',
    arrow: true,
  },
};

function styled(edge: MapEdge): MapEdge {
  const look = EDGE_LOOK[edge.data?.kind ?? 'member'];
  return {
    ...edge,
    type: look.type,
    style: look.style,
    focusable: false,
    ...(look.arrow
      ? {
          markerEnd: {
            type: MarkerType.ArrowClosed,
            color: String(look.style.stroke),
            width: 16,
            height: 16,
          },
        }
      : {}),
  };
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = (await res.json().catch(() => null)) as
    (T & { error?: { message?: string } }) | null;
  if (!res.ok || !body) throw new Error(body?.error?.message ?? 'The map could not be loaded.');
  return body;
}

/**
 * The cascade as a zoomable map (React Flow, laid out by dagre): the company and its departments
 * open, every other branch closed until opened (fetched then, from
 * /api/o/[orgSlug]/cascade-map), a search by name or key that opens the way to a KPI and centres
 * it, and a legend of the link kinds.
 */
export default function CascadeMap({ orgSlug, initial }: { orgSlug: string; initial: MapSlice }) {
  return (
    <ReactFlowProvider>
      <MapCanvas orgSlug={orgSlug} initial={initial} />
    </ReactFlowProvider>
  );
}

function MapCanvas({ orgSlug, initial }: { orgSlug: string; initial: MapSlice }) {
  const [store, setStore] = useState<MapStore>(() => mergeMapSlice(emptyMapStore(), initial));
  const [open, setOpen] = useState<Set<string>>(() => new Set(initial.opened));
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [focusId, setFocusId] = useState<string | null>(null);
  // A search pick waiting to be centred and focused; the tick re-runs the effect for a repeat pick.
  const pendingFocus = useRef<string | null>(null);
  const [focusTick, setFocusTick] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const flow = useReactFlow();
  const api = `/api/o/${orgSlug}/cascade-map`;

  const loadUnits = useCallback(
    async (ids: string[]) => {
      if (ids.length === 0) return;
      setBusy((b) => new Set([...b, ...ids]));
      try {
        const slices = await Promise.all(
          ids.map((id) => getJson<MapSlice>(`${api}?unit=${encodeURIComponent(id)}`)),
        );
        setStore((s) => slices.reduce(mergeMapSlice, s));
        setError(null);
      } finally {
        setBusy((b) => new Set([...b].filter((id) => !ids.includes(id))));
      }
    },
    [api],
  );

  const toggle = useCallback(
    (unitId: string) => {
      if (open.has(unitId)) {
        setOpen((o) => new Set([...o].filter((id) => id !== unitId)));
        return;
      }
      loadUnits(unloadedUnits(store, [unitId]))
        .then(() => setOpen((o) => new Set([...o, unitId])))
        .catch((e: Error) => setError(e.message));
    },
    [open, store, loadUnits],
  );

  const focusHit = useCallback(
    (hit: MapSearchHit) => {
      loadUnits(unloadedUnits(store, hit.unitPath))
        .then(() => {
          setOpen((o) => new Set([...o, ...hit.unitPath]));
          pendingFocus.current = hit.id;
          setFocusId(hit.id);
          setFocusTick((t) => t + 1);
        })
        .catch((e: Error) => setError(e.message));
    },
    [store, loadUnits],
  );

  const graph = useMemo(() => buildMapGraph(store, open, focusId), [store, open, focusId]);
  const edges = useMemo(() => graph.edges.map(styled), [graph.edges]);

  // Centre a KPI picked in the search once it is laid out (once per pick, not on every later
  // change of the map), then move keyboard focus to its link as soon as it is drawn.
  useEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    const node = graph.nodes.find((n) => n.id === id);
    if (!node) return;
    pendingFocus.current = null;
    void flow.setCenter(
      node.position.x + KPI_SIZE.width / 2,
      node.position.y + KPI_SIZE.height / 2,
      { zoom: 1, duration: 300 },
    );
    let frame = 0;
    let tries = 0;
    const focusLink = () => {
      const link = document.querySelector<HTMLAnchorElement>(
        `.react-flow__node[data-id="${CSS.escape(id)}"] a`,
      );
      link?.focus({ preventScroll: true });
      if (link && document.activeElement === link) return;
      tries += 1;
      if (tries < 120) frame = requestAnimationFrame(focusLink);
    };
    frame = requestAnimationFrame(focusLink);
    return () => cancelAnimationFrame(frame);
  }, [graph.nodes, flow, focusTick]);

  const actions = useMemo(() => ({ orgSlug, toggle, busy }), [orgSlug, toggle, busy]);

  return (
    <div className="space-y-3" data-testid="cascade-map">
      <MapSearch api={api} onPick={focusHit} />
      {error ? (
        <p role="status" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <Legend />
      <MapActions.Provider value={actions}>
        <div
          className="h-[70vh] min-h-[420px] w-full overflow-hidden rounded-xl border border-gray-200 bg-gray-50 [&_.react-flow\_\_attribution_a]:text-gray-700"
          role="region"
          aria-label="Cascade map"
        >
          <ReactFlow
            nodes={graph.nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            fitView
            // Readable at first (the fit-view button shows the whole map).
            fitViewOptions={{ padding: 0.1, minZoom: 0.45, maxZoom: 1 }}
            minZoom={0.05}
            maxZoom={2}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            ariaLabelConfig={{
              'node.a11yDescription.default': 'A unit or KPI of the cascade map.',
            }}
          >
            <Controls showInteractive={false} position="top-right" />
          </ReactFlow>
        </div>
      </MapActions.Provider>
      <p className="text-xs text-gray-600">
        Drag to move, pinch or scroll to zoom. Expand a unit to load its KPIs and the units below
        it.
      </p>
    </div>
  );
}

/** A search by name or key over every KPI the viewer may see (on the server: the map holds only open branches). */
function MapSearch({ api, onPick }: { api: string; onPick: (hit: MapSearchHit) => void }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<MapSearchHit[] | null>(null);
  const [message, setMessage] = useState('');
  const inputId = useId();

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`${api}?q=${encodeURIComponent(q)}`, { signal: controller.signal })
        .then(async (res) => {
          const body = (await res.json()) as { hits?: MapSearchHit[]; error?: { message: string } };
          if (!res.ok || !body.hits) throw new Error(body.error?.message ?? 'Search failed.');
          setHits(body.hits);
          setMessage(
            body.hits.length === 0
              ? 'No KPI matches.'
              : `${body.hits.length} KPI${body.hits.length === 1 ? '' : 's'} found.`,
          );
        })
        .catch((e: Error) => {
          if (e.name !== 'AbortError') setMessage(e.message);
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, api]);

  return (
    <div className="relative max-w-xl">
      <label htmlFor={inputId} className="block text-sm font-medium text-gray-700">
        Find a KPI by name or key
      </label>
      <input
        id={inputId}
        type="search"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          if (!e.target.value.trim()) {
            setHits(null);
            setMessage('');
          }
        }}
        placeholder="e.g. revenue or fin.revenue"
        autoComplete="off"
        className="mt-1 w-full rounded-md border border-gray-300 px-3 py-2 text-sm"
        data-testid="map-search"
      />
      <p className="sr-only" role="status">
        {message}
      </p>
      {hits && hits.length > 0 ? (
        <ul
          className="absolute z-10 mt-1 max-h-72 w-full overflow-auto rounded-md border border-gray-200 bg-white py-1 shadow-lg"
          aria-label="Matching KPIs"
        >
          {hits.map((hit) => (
            <li key={hit.id}>
              <button
                type="button"
                onClick={() => {
                  setHits(null);
                  onPick(hit);
                }}
                className="block w-full px-3 py-2 text-left text-sm hover:bg-indigo-50 focus:bg-indigo-50 focus:outline-none"
              >
                <span className="block truncate font-medium text-gray-900">{hit.name}</span>
                <span className="block truncate text-xs text-gray-600">
                  {hit.key ? `${hit.key} · ` : ''}
                  {hit.unitName}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : hits && query.trim() ? (
        <p className="mt-1 text-sm text-gray-600">No KPI matches “{query.trim()}”.</p>
      ) : null}
    </div>
  );
}

/** What each line means (drawn the same way as on the map). */
function Legend() {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-gray-700" aria-label="Legend">
      {(Object.keys(EDGE_LOOK) as MapEdgeKind[]).map((kind) => {
        const look = EDGE_LOOK[kind];
        return (
          <li key={kind} className="flex items-center gap-1.5">
            <svg width="36" height="10" aria-hidden="true" className="shrink-0">
              <line
                x1="1"
                y1="5"
                x2={look.arrow ? 28 : 35}
                y2="5"
                stroke={String(look.style.stroke)}
                strokeWidth={Number(look.style.strokeWidth)}
                strokeDasharray={
                  look.style.strokeDasharray ? String(look.style.strokeDasharray) : undefined
                }
              />
              {look.arrow ? <path d="M28 1 35 5 28 9Z" fill={String(look.style.stroke)} /> : null}
            </svg>
            {look.label}
          </li>
        );
      })}
    </ul>
  );
}
