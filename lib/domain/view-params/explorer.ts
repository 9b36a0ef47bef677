import { z } from 'zod';
import { parseIsoDate } from '@/lib/domain/dates';
import { kpiFilterQuery, type KpiFilter } from '@/lib/domain/kpi-filter';
import { STATUSES } from '@/lib/domain/progress';
import { CATEGORIES, INDICATORS } from '@/lib/validation/kpis';
import { queryValue, searchText, toQueryString, type ViewQuery } from './query';

/**
 * The KPI explorer's view, all of it in the URL (`/o/<slug>/kpis?...`), so reload, back, forward
 * and a shared link show the same thing:
 *
 * - the filter a dashboard card links to (`unit`, `subtree`, `home`, `owner`, `status`, `kind`,
 *   `missing`, `category`, `indicator`, `asOf`: lib/domain/kpi-filter.ts writes those);
 * - `smart` (`gaps` or `complete`), `q` (search by name or key), `collapsed` (the KPI ids whose
 *   branches are folded, comma-separated) and `view` (`list`, the default, or `map`).
 *
 * Anything malformed (unknown values, a repeated parameter, a bad id or date) reads as if it were
 * absent, part by part: a bad link never errors. Ids are only shapes here; the page shows the
 * KPIs the person may see of the organization in the URL, so another organization's id matches
 * nothing. Pure; used by the page (server) and the tree (client) alike.
 */
export type ExplorerView = {
  filter: KpiFilter;
  smart?: 'gaps' | 'complete';
  q?: string;
  collapsed: string[];
  view: 'list' | 'map';
};

/** The most ids a list parameter keeps. */
const UNIT_IDS_MAX = 50;
const COLLAPSED_MAX = 200;

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const id = z.string().regex(ID);
const ids = (max: number) =>
  z
    .string()
    .transform((s) => [...new Set(s.split(',').filter((part) => ID.test(part)))].slice(0, max))
    .refine((list) => list.length > 0);
const flag = z.literal('1').transform(() => true as const);
/** Each part falls back to undefined on its own, so one bad parameter never drops the others. */
const part = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const Params = z.object({
  unit: part(ids(UNIT_IDS_MAX)),
  subtree: part(flag),
  home: part(ids(UNIT_IDS_MAX)),
  owner: part(z.union([z.literal('none'), id])),
  status: part(z.enum([...STATUSES, 'attention'])),
  kind: part(z.enum(['team', 'individual'])),
  missing: part(flag),
  category: part(z.enum(CATEGORIES)),
  indicator: part(z.enum(INDICATORS)),
  asOf: part(z.string().refine((s) => parseIsoDate(s).ok)),
  smart: part(z.enum(['gaps', 'complete'])),
  q: part(z.string().transform(searchText).pipe(z.string())),
  collapsed: part(ids(COLLAPSED_MAX)),
  view: z.enum(['list', 'map']).catch('list'),
});

const NAMES = Object.keys(Params.shape) as (keyof typeof Params.shape)[];

/** Reads the explorer's view from its search parameters; never throws. */
export function parseExplorerView(query: ViewQuery): ExplorerView {
  const p = Params.parse(Object.fromEntries(NAMES.map((name) => [name, queryValue(query, name)])));
  const filter: KpiFilter = {};
  if (p.unit) filter.unitIds = p.unit;
  if (p.subtree) filter.subtree = true;
  if (p.home) filter.homeUnitIds = p.home;
  if (p.owner) filter.ownerUserId = p.owner;
  if (p.status) filter.status = p.status;
  if (p.kind) filter.kind = p.kind;
  if (p.missing) filter.missing = true;
  if (p.category) filter.category = p.category;
  if (p.indicator) filter.indicator = p.indicator;
  if (p.asOf) filter.asOf = p.asOf;
  return {
    filter,
    ...(p.smart ? { smart: p.smart } : {}),
    ...(p.q ? { q: p.q } : {}),
    collapsed: p.collapsed ?? [],
    view: p.view,
  };
}

/** The explorer's query string for a view ("" for the default view); defaults are left out. */
export function explorerViewQuery(v: Partial<ExplorerView>): string {
  const filter = kpiFilterQuery(v.filter ?? {}).slice(1);
  const rest = toQueryString([
    ['smart', v.smart],
    ['q', v.q?.trim()],
    ['view', v.view === 'map' ? 'map' : undefined],
    ['collapsed', v.collapsed?.join(',')],
  ]).slice(1);
  const s = [filter, rest].filter(Boolean).join('&');
  return s ? `?${s}` : '';
}
