'use client';

import { WorkspaceLink } from '@/components/layout/workspace-link';
import { createContext, useContext } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { FormulaMark } from '@/components/kpis/formula-links';
import { StatusBadge } from '@/components/kpis/status-badge';
import type { KpiNode, UnitNode } from './map-graph';
import { useOrgLocale } from '@/components/locale/org-locale';

/** What a node needs from the map: where KPI links go, and how a branch opens or closes. */
export const MapActions = createContext<{
  orgSlug: string;
  toggle: (unitId: string) => void;
  busy: ReadonlySet<string>;
}>({ orgSlug: '', toggle: () => {}, busy: new Set() });

const KIND_LABEL = { company: 'Company', department: 'Department', team: 'Team' } as const;

const handle = '!h-1.5 !w-1.5 !min-h-0 !min-w-0 !border-0 !bg-gray-400';

/** A unit: its kind, name and a button that opens or closes its branch (KPIs and units below). */
export function UnitMapNode({ data }: NodeProps<UnitNode>) {
  const { toggle, busy } = useContext(MapActions);
  const { unit, open } = data;
  const loading = busy.has(unit.id);
  return (
    <div
      className="flex h-[72px] w-[220px] flex-col justify-between rounded-lg border border-slate-300 bg-slate-100 px-3 py-1.5 text-left"
      data-testid="map-unit"
      data-open={open}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className={handle} />
      <div className="min-w-0">
        <p className="text-[11px] font-medium uppercase tracking-wide text-slate-600">
          {KIND_LABEL[unit.kind]}
        </p>
        <p className="truncate text-sm font-semibold text-slate-900" title={unit.name}>
          {unit.name}
        </p>
      </div>
      <button
        type="button"
        onClick={() => toggle(unit.id)}
        aria-expanded={open}
        aria-label={`${open ? 'Collapse' : 'Expand'} ${unit.name}`}
        disabled={loading}
        className="nodrag self-start rounded border border-slate-300 bg-white px-1.5 text-xs font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      >
        {loading
          ? 'Loading…'
          : open
            ? '− Collapse'
            : `+ Expand${unit.childUnitCount ? ` · ${unit.childUnitCount} unit${unit.childUnitCount === 1 ? '' : 's'}` : ''}`}
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} className={handle} />
    </div>
  );
}

/** A KPI: name (a link to its page), key, status as icon and text, value and target, owner, coverage. */
export function KpiMapNode({ data }: NodeProps<KpiNode>) {
  const { orgSlug } = useContext(MapActions);
  const locale = useOrgLocale();
  const { kpi, focused } = data;
  return (
    <div
      className={`flex h-[132px] w-[260px] flex-col gap-1 rounded-lg border bg-white px-3 py-2 text-left shadow-sm ${
        focused ? 'border-indigo-600 ring-4 ring-indigo-300' : 'border-gray-300'
      }`}
      data-testid="map-kpi"
      data-focused={focused}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className={handle} />
      <WorkspaceLink
        href={`/o/${orgSlug}/kpis/${kpi.id}`}
        className="nodrag truncate text-sm font-semibold text-gray-900 hover:text-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        title={kpi.name}
        data-testid="map-kpi-link"
      >
        {kpi.isNorthStar ? (
          <span className="mr-1 text-amber-600" title="North star">
            <span aria-hidden>★</span>
            <span className="sr-only">North star: </span>
          </span>
        ) : null}
        {kpi.isFormula ? <FormulaMark /> : null}
        {kpi.name}
      </WorkspaceLink>
      <p className="truncate font-mono text-[11px] text-gray-500">{kpi.key ?? 'no key'}</p>
      <div>
        <StatusBadge status={kpi.status} pace={kpi.pace} locale={locale} />
      </div>
      <p className="truncate text-sm tabular-nums text-gray-900">
        {kpi.valueText} <span className="text-gray-600">of {kpi.targetText}</span>
      </p>
      <p className="truncate text-xs text-gray-600">
        {kpi.ownerName ?? 'No owner'}
        {kpi.coverage ? ` · ${kpi.coverage}` : ''}
      </p>
      <Handle type="source" position={Position.Right} isConnectable={false} className={handle} />
    </div>
  );
}
