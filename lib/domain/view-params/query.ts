/**
 * What a page's view parameters are read from: a server page's `searchParams` or the client's
 * `useSearchParams()`. Shared by the view-parameter modules beside this file, so each reads the
 * same way: a parameter given once is its string, given twice (or not at all) is `undefined`, so a
 * repeated parameter falls back to its default like any other malformed one.
 */
export type ViewQuery =
  Record<string, string | string[] | undefined> | Pick<URLSearchParams, 'getAll'>;

/** The single value of `name`, or undefined when it is absent or repeated. */
export function queryValue(query: ViewQuery, name: string): string | undefined {
  if (typeof (query as URLSearchParams).getAll === 'function') {
    const all = (query as URLSearchParams).getAll(name);
    return all.length === 1 ? all[0] : undefined;
  }
  const v = (query as Record<string, string | string[] | undefined>)[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * `?a=1&b=2` from the set entries in order (undefined and empty values left out; a name given
 * twice is kept twice, as a form sends it), or ''.
 */
export function toQueryString(entries: Iterable<readonly [string, string | undefined]>): string {
  const q = new URLSearchParams();
  for (const [name, value] of entries) if (value) q.append(name, value);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The longest search text a view keeps. */
export const SEARCH_MAX = 100;

/**
 * A search box's text as a view keeps it: runs of whitespace as one space, trimmed, at most
 * SEARCH_MAX characters; undefined when nothing is left. (No zod here: the dashboard's client
 * components read this module.)
 */
export function searchText(value: string | undefined): string | undefined {
  const text = value?.replace(/\s+/g, ' ').trim().slice(0, SEARCH_MAX);
  return text ? text : undefined;
}

/** A page of a paged list in the URL (`page=2`): 1 when absent or malformed. */
export function pageNumber(query: ViewQuery): number {
  const value = queryValue(query, 'page');
  return value !== undefined && /^[1-9][0-9]{0,5}$/.test(value) ? Number(value) : 1;
}

/**
 * Where page `page` of `total` rows lies, `size` a page: the page shown (a page past the last
 * shows the last), how many pages there are and the index of its first row.
 */
export function pagePlace(
  total: number,
  page: number,
  size: number,
): { page: number; pages: number; first: number } {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a page of ${size} rows`);
  const pages = Math.max(1, Math.ceil(total / size));
  const shown = Math.min(Math.max(1, page), pages);
  return { page: shown, pages, first: (shown - 1) * size };
}

/** A page of `rows`, `size` a page, and where it is (pagePlace). */
export function pageOf<T>(
  rows: readonly T[],
  page: number,
  size: number,
): { rows: T[]; total: number; page: number; pages: number; first: number } {
  const place = pagePlace(rows.length, page, size);
  return { rows: rows.slice(place.first, place.first + size), total: rows.length, ...place };
}
