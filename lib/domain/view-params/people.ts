import { pageNumber, queryValue, searchText, toQueryString, type ViewQuery } from './query';

/**
 * The People page's view in the URL (`/o/<slug>/people?q=ada&page=2`): a search by name or email
 * and a page of the members list. A malformed part reads as its default (no search, the first
 * page); a page past the last reads as the last (listMembersPage). Pure.
 */
export type PeopleView = { q?: string; page: number };

/** Members a page lists: a large organization has thousands, each row with its controls. */
export const PEOPLE_PAGE_SIZE = 100;

/** Reads the People page's view from its search parameters; never throws. */
export function parsePeopleView(query: ViewQuery): PeopleView {
  const q = searchText(queryValue(query, 'q'));
  return { ...(q ? { q } : {}), page: pageNumber(query) };
}

/** The People page's query string (the first page and no search left out). */
export function peopleViewQuery(v: PeopleView): string {
  return toQueryString([
    ['q', v.q],
    ['page', v.page > 1 ? String(v.page) : undefined],
  ]);
}
