'use client';

import { WorkspaceLink } from '@/components/layout/workspace-link';
import { useSearchParams } from 'next/navigation';
import { useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { useUrlText, useViewUrl } from '@/components/layout/use-view-url';
import type { KpiTreeNode } from '@/lib/domain/kpi-tree-node';
import { TREE_PAGE_ROWS, treeWindow } from '@/lib/domain/kpi-tree-window';
import { matchesKpiFilter, matchesSearch, type KpiFilter } from '@/lib/domain/kpi-filter';
import {
  explorerViewQuery,
  parseExplorerView,
  type ExplorerView,
} from '@/lib/domain/view-params/explorer';
import { SEARCH_MAX } from '@/lib/domain/view-params/query';
import { STATUSES } from '@/lib/domain/progress';
import {
  CATEGORY_LABEL,
  INDICATOR_LABEL,
  isKpiCategory,
  isKpiIndicator,
} from '@/lib/domain/kpi-kinds';
import { KpiKindBadges } from './kpi-kind-badges';
import { FormulaLinks, FormulaMark } from './formula-links';
import { StatusDot, statusLabel } from './status-badge';
import { useOrgLocale } from '@/components/locale/org-locale';

/**
 * The KPI cascade as a collapsible tree, filtered by unit, owner, status, kind and SMART check and
 * searched by name or key. Its whole view lives in the URL (lib/domain/view-params/explorer.ts):
 * a choice pushes a history entry, typing and folding replace the current one, all without asking
 * the server again (the filtering is here), so reload, Back, Forward and a shared link show the
 * same tree. A dashboard card's "see all" filter shows its parts the selects can show in them, the
 * rest (a subtree, a lead's people, team or individual, not reported) as a removable note.
 * `nodeActions` (optional, from a client parent) renders per-node controls such as move and
 * archive. Besides its place under its parent, a row names its formula links: the KPIs a formula
 * KPI is computed from and the formulas a KPI feeds.
 */
export function KpiTree({
  orgSlug,
  nodes,
  nodeActions,
  unitParents = [],
}: {
  orgSlug: string;
  nodes: KpiTreeNode[];
  nodeActions?: (node: KpiTreeNode) => ReactNode;
  unitParents?: [string, string | null][];
}) {
  const locale = useOrgLocale();
  const searchParams = useSearchParams();
  const view = useMemo(() => parseExplorerView(searchParams), [searchParams]);
  const url = useViewUrl({ shallow: true });
  // Each change builds on the view in the browser's URL at that moment, not on this render's:
  // a second choice made before Next has re-rendered from the first must keep the first.
  const show = (
    change: (current: ExplorerView) => Partial<ExplorerView>,
    mode: 'push' | 'replace' = 'push',
  ) => {
    const current = parseExplorerView(url.current());
    url[mode](explorerViewQuery({ ...current, ...change(current) }));
  };
  const { filter } = view;
  const simpleUnit = filter.unitIds?.length === 1 && !filter.subtree ? filter.unitIds[0]! : '';
  const extra: KpiFilter = {
    ...(simpleUnit ? {} : { unitIds: filter.unitIds, subtree: filter.subtree }),
    homeUnitIds: filter.homeUnitIds,
    kind: filter.kind,
    missing: filter.missing,
  };
  const setFilter = (next: KpiFilter) =>
    show((current) => ({ filter: { ...current.filter, ...next } }));
  const [search, setSearch] = useUrlText(view.q ?? '', (q) => show(() => ({ q }), 'replace'));
  const collapsed = useMemo(() => new Set(view.collapsed), [view.collapsed]);
  const parents = useMemo(() => new Map(unitParents), [unitParents]);

  const { roots, childrenOf, matches, direct } = useMemo(() => {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const childrenOf = new Map<string, KpiTreeNode[]>();
    const roots: KpiTreeNode[] = [];
    for (const node of nodes) {
      if (node.parentId && byId.has(node.parentId)) {
        const list = childrenOf.get(node.parentId) ?? [];
        list.push(node);
        childrenOf.set(node.parentId, list);
      } else {
        roots.push(node);
      }
    }
    roots.sort((a, b) => Number(b.isNorthStar) - Number(a.isNorthStar));
    const isDirect = (n: KpiTreeNode) =>
      matchesKpiFilter(n, filter, parents) &&
      (!view.smart ||
        (view.smart === 'gaps'
          ? (n.smartGaps?.length ?? 0) > 0
          : n.smartGaps !== undefined && n.smartGaps.length === 0)) &&
      (!view.q || matchesSearch(n, view.q));
    // A node stays visible when it or any descendant matches, so the path to a match is kept.
    const matches = new Set<string>();
    const direct = new Set<string>();
    const visit = (n: KpiTreeNode): boolean => {
      const self = isDirect(n);
      if (self) direct.add(n.id);
      let keep = self;
      for (const child of childrenOf.get(n.id) ?? []) keep = visit(child) || keep;
      if (keep) matches.add(n.id);
      return keep;
    };
    roots.forEach(visit);
    return { roots, childrenOf, matches, direct };
  }, [nodes, filter, view.smart, view.q, parents]);
  // The first rows in tree order, more on request: search, filters and folds narrow the rest.
  const [limit, setLimit] = useState(TREE_PAGE_ROWS);
  const { shown, total } = useMemo(
    () => treeWindow(roots, childrenOf, matches, collapsed, limit),
    [roots, childrenOf, matches, collapsed, limit],
  );
  const filtered =
    Object.entries(filter).some(([name, v]) => name !== 'asOf' && v !== undefined) ||
    !!view.smart ||
    !!view.q;
  const extraText = describeExtra(extra, nodes);

  const units = useMemo(
    () =>
      uniqueBy(
        nodes,
        (n) => n.unitId,
        (n) => n.unitName,
      ),
    [nodes],
  );
  const owners = useMemo(
    () =>
      uniqueBy(
        nodes.filter((n) => n.ownerUserId),
        (n) => n.ownerUserId!,
        (n) => n.ownerName ?? '',
      ),
    [nodes],
  );

  function toggle(id: string) {
    show((current) => {
      const next = new Set(current.collapsed);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return { collapsed: [...next] };
    }, 'replace');
  }

  function renderNode(node: KpiTreeNode, depth: number) {
    if (!shown.has(node.id)) return null;
    const kids = childrenOf.get(node.id) ?? [];
    const open = !collapsed.has(node.id);
    return (
      <li key={node.id}>
        <div
          // Indentation per level: narrower on phones, so deep rows keep room for their names.
          className="flex items-center gap-2 border-b border-gray-100 py-2 pl-[calc(var(--depth)_*_0.75rem_+_0.5rem)] pr-2 hover:bg-gray-50 sm:pl-[calc(var(--depth)_*_1.25rem_+_0.5rem)]"
          style={{ '--depth': depth } as CSSProperties}
        >
          {kids.length > 0 ? (
            <button
              type="button"
              onClick={() => toggle(node.id)}
              aria-expanded={open}
              aria-label={`${open ? 'Collapse' : 'Expand'} ${node.name}`}
              className="grid h-6 w-6 shrink-0 place-items-center rounded text-gray-500 hover:bg-gray-200"
            >
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="w-6 shrink-0" />
          )}
          <StatusDot status={node.status} locale={locale} />
          <div className="min-w-0 flex-1">
            <WorkspaceLink
              href={`/o/${orgSlug}/kpis/${node.id}`}
              className="block break-words text-sm font-medium text-gray-900 hover:text-indigo-700 sm:truncate"
              data-testid="kpi-tree-name"
            >
              {node.isNorthStar ? (
                <span className="mr-1 text-amber-500" title="North star">
                  ★
                </span>
              ) : null}
              {node.isFormula ? <FormulaMark /> : null}
              {node.name}
            </WorkspaceLink>
            <p className="break-words text-xs text-gray-500 sm:truncate">
              <KpiKindBadges category={node.category} indicator={node.indicator} className="mr-1" />
              {node.unitName} · {node.ownerName ?? 'No owner'}{' '}
              {node.isIndividual ? '· individual' : ''}
              {node.smartGaps && node.smartGaps.length > 0 ? (
                <span
                  className="ml-1 whitespace-nowrap rounded bg-amber-50 px-1 font-medium text-amber-800"
                  title={`Missing: ${node.smartGaps.join(', ')}`}
                >
                  {node.smartGaps.length} SMART gap{node.smartGaps.length === 1 ? '' : 's'}
                  <span className="sr-only">: {node.smartGaps.join(', ')}</span>
                </span>
              ) : null}
              {node.targetGap ? (
                <span
                  className="ml-1 whitespace-nowrap rounded bg-amber-50 px-1 font-medium text-amber-800"
                  title={node.targetGap}
                  data-testid="target-gap"
                >
                  Targets don’t add up
                  <span className="sr-only">: {node.targetGap}</span>
                </span>
              ) : null}
            </p>
            <FormulaLinks orgSlug={orgSlug} links={node.links} />
            {/* Phones: actual, target and status in words under the name (the columns are hidden). */}
            <p
              className="text-xs tabular-nums text-gray-700 sm:hidden"
              data-testid="kpi-tree-numbers"
            >
              <span className="font-medium text-gray-900">{node.valueText}</span> of{' '}
              {node.targetText} · {node.shareText} · {statusLabel(node.status)}
              {node.coverage ? ` · ${node.coverage}` : ''}
            </p>
          </div>
          <div className="hidden w-40 text-right sm:block">
            <p className="text-sm tabular-nums text-gray-900">{node.valueText}</p>
            <p className="text-xs tabular-nums text-gray-500">of {node.targetText}</p>
          </div>
          <div className="hidden w-20 shrink-0 text-right text-xs text-gray-600 sm:block">
            <p className="tabular-nums">{node.shareText}</p>
            {node.coverage ? <p className="text-gray-500">{node.coverage}</p> : null}
          </div>
          {nodeActions ? <div className="shrink-0">{nodeActions(node)}</div> : null}
        </div>
        {open && kids.some((kid) => shown.has(kid.id)) ? (
          <ul>{kids.map((kid) => renderNode(kid, depth + 1))}</ul>
        ) : null}
      </li>
    );
  }

  return (
    <div className="rounded-xl border border-gray-200 bg-white shadow-sm">
      <div className="flex flex-wrap gap-3 border-b border-gray-200 p-3">
        <label className="flex w-full items-center gap-2 text-sm text-gray-700 sm:w-auto">
          Search
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            maxLength={SEARCH_MAX}
            placeholder="Name or key"
            className="min-w-0 flex-1 rounded-md border border-gray-300 bg-white px-2 py-1 text-sm sm:w-48"
            data-testid="kpi-tree-search"
          />
        </label>
        <FilterSelect
          label="Unit"
          value={simpleUnit}
          onChange={(unitId) =>
            setFilter({ unitIds: unitId ? [unitId] : undefined, subtree: undefined })
          }
          options={units}
        />
        <FilterSelect
          label="Owner"
          value={filter.ownerUserId ?? ''}
          onChange={(owner) => setFilter({ ownerUserId: owner || undefined })}
          options={[{ value: 'none', label: 'No owner' }, ...owners]}
        />
        <FilterSelect
          label="Status"
          value={filter.status ?? ''}
          onChange={(status) => setFilter({ status: (status || undefined) as KpiFilter['status'] })}
          options={[
            ...STATUSES.map((s) => ({
              value: s,
              label: statusLabel(s),
            })),
            { value: 'attention', label: 'At risk or off track' },
          ]}
        />
        <FilterSelect
          label="Category"
          value={filter.category ?? ''}
          onChange={(category) =>
            setFilter({ category: isKpiCategory(category) ? category : undefined })
          }
          options={Object.entries(CATEGORY_LABEL).map(([value, label]) => ({ value, label }))}
        />
        <FilterSelect
          label="Indicator"
          value={filter.indicator ?? ''}
          onChange={(indicator) =>
            setFilter({ indicator: isKpiIndicator(indicator) ? indicator : undefined })
          }
          options={Object.entries(INDICATOR_LABEL).map(([value, label]) => ({ value, label }))}
        />
        {nodes.some((n) => n.smartGaps !== undefined) ? (
          <FilterSelect
            label="SMART check"
            value={view.smart ?? ''}
            onChange={(smart) =>
              show(() => ({ smart: smart === 'gaps' || smart === 'complete' ? smart : undefined }))
            }
            options={[
              { value: 'gaps', label: 'Has gaps' },
              { value: 'complete', label: 'Complete' },
            ]}
          />
        ) : null}
      </div>
      {extraText || filtered ? (
        <p
          className="flex flex-wrap items-center gap-x-2 border-b border-gray-200 px-3 py-2 text-sm text-gray-700"
          data-testid="explorer-filter-summary"
        >
          <span>
            <span className="font-semibold tabular-nums" data-testid="explorer-match-count">
              {direct.size}
            </span>{' '}
            of {nodes.length} KPIs match{extraText ? ` · ${extraText}` : ''}
          </span>
          {extraText ? (
            <button
              type="button"
              onClick={() =>
                setFilter({
                  ...(simpleUnit ? {} : { unitIds: undefined, subtree: undefined }),
                  homeUnitIds: undefined,
                  kind: undefined,
                  missing: undefined,
                })
              }
              className="font-medium text-indigo-700 hover:text-indigo-900"
            >
              Remove this filter
            </button>
          ) : null}
        </p>
      ) : null}
      {nodes.length === 0 ? (
        <p className="p-6 text-sm text-gray-600">No KPIs yet.</p>
      ) : matches.size === 0 ? (
        <p className="p-6 text-sm text-gray-600">No KPI matches these filters.</p>
      ) : (
        <ul aria-label="KPI cascade">{roots.map((root) => renderNode(root, 0))}</ul>
      )}
      {total > shown.size ? (
        <div
          className="flex flex-wrap items-center justify-between gap-2 border-t border-gray-200 px-3 py-2 text-sm text-gray-700"
          data-testid="kpi-tree-more"
        >
          <span>
            Showing the first {shown.size} of {total} rows. Search, filter or fold to narrow them.
          </span>
          <button
            type="button"
            onClick={() => setLimit(shown.size + TREE_PAGE_ROWS)}
            className="rounded-md border border-gray-300 bg-white px-3 py-1.5 font-medium text-gray-800 shadow-sm hover:bg-gray-50"
          >
            Show {Math.min(TREE_PAGE_ROWS, total - shown.size)} more
          </button>
        </div>
      ) : null}
    </div>
  );
}

function FilterSelect({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <label className="flex items-center gap-2 text-sm text-gray-700">
      {label}
      <select
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="rounded-md border border-gray-300 bg-white px-2 py-1 text-sm"
      >
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function uniqueBy<T>(items: T[], key: (t: T) => string, label: (t: T) => string) {
  const seen = new Map<string, string>();
  for (const item of items) seen.set(key(item), label(item));
  return [...seen]
    .map(([value, text]) => ({ value, label: text }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The parts of a dashboard link's filter that the selects cannot show, in words. */
function describeExtra(f: KpiFilter, nodes: KpiTreeNode[]): string {
  const unitName = (id: string) => nodes.find((n) => n.unitId === id)?.unitName ?? 'a unit';
  const parts: string[] = [];
  if (f.unitIds?.length)
    parts.push(`${f.unitIds.map(unitName).join(', ')}${f.subtree ? ' and the units below' : ''}`);
  if (f.homeUnitIds?.length)
    parts.push(`owned by people of ${f.homeUnitIds.map(unitName).join(', ')} and below`);
  if (f.kind) parts.push(f.kind === 'team' ? 'team KPIs' : 'individual KPIs');
  if (f.missing) parts.push('not reported (recorded by hand, owned, no value)');
  return parts.join(' · ');
}
