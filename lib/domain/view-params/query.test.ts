import { describe, expect, it } from 'vitest';
import { pageNumber, pageOf, pagePlace, toQueryString } from './query';

describe('query strings', () => {
  it('keep the set entries in order, a repeated name twice, and leave empty ones out', () => {
    expect(
      toQueryString([
        ['person', 'a b'],
        ['kind', ''],
        ['from', undefined],
        ['unit', 'u1'],
        ['unit', 'u2'],
        ['to', '2026-12-01'],
      ]),
    ).toBe('?person=a+b&unit=u1&unit=u2&to=2026-12-01');
    expect(
      toQueryString([
        ['kind', ''],
        ['q', undefined],
      ]),
    ).toBe('');
  });
});

describe('paged lists', () => {
  it('read a page number, 1 when absent or malformed', () => {
    expect(pageNumber({ page: '4' })).toBe(4);
    expect(pageNumber(new URLSearchParams('page=2'))).toBe(2);
    for (const page of [undefined, '', '0', '-3', '2.5', 'two', ['2', '3']])
      expect(pageNumber({ page })).toBe(1);
  });

  it('slice a page of the rows, a page past the last showing the last', () => {
    const rows = Array.from({ length: 25 }, (_, i) => i);
    expect(pageOf(rows, 1, 10)).toEqual({
      rows: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      total: 25,
      page: 1,
      pages: 3,
      first: 0,
    });
    expect(pageOf(rows, 3, 10)).toMatchObject({ rows: [20, 21, 22, 23, 24], first: 20 });
    expect(pageOf(rows, 7, 10)).toMatchObject({ page: 3, first: 20 });
    expect(pageOf([], 2, 10)).toEqual({ rows: [], total: 0, page: 1, pages: 1, first: 0 });
    for (const size of [0, 2.5, Infinity]) expect(() => pageOf(rows, 1, size)).toThrow(RangeError);
  });

  it('place a page among a count of rows', () => {
    expect(pagePlace(250, 1, 100)).toEqual({ page: 1, pages: 3, first: 0 });
    expect(pagePlace(250, 3, 100)).toEqual({ page: 3, pages: 3, first: 200 });
    expect(pagePlace(250, 9, 100)).toEqual({ page: 3, pages: 3, first: 200 });
    expect(pagePlace(200, 3, 100)).toEqual({ page: 2, pages: 2, first: 100 });
    expect(pagePlace(0, 4, 100)).toEqual({ page: 1, pages: 1, first: 0 });
    expect(() => pagePlace(10, 1, 0)).toThrow(RangeError);
  });
});
