import { describe, expect, it } from 'vitest';
import { parsePeopleView, peopleViewQuery } from './people';

describe('People view', () => {
  it('reads a search and a page, and defaults what is malformed', () => {
    expect(parsePeopleView({ q: '  Ada   Lovelace ', page: '3' })).toEqual({
      q: 'Ada Lovelace',
      page: 3,
    });
    expect(parsePeopleView({})).toEqual({ page: 1 });
    for (const page of ['0', '-1', '1.5', 'x', '']) expect(parsePeopleView({ page }).page).toBe(1);
    expect(parsePeopleView({ q: '   ' })).toEqual({ page: 1 });
    expect(parsePeopleView({ q: ['a', 'b'] })).toEqual({ page: 1 });
    expect(parsePeopleView(new URLSearchParams('q=x&page=2'))).toEqual({ q: 'x', page: 2 });
    expect(parsePeopleView({ q: 'y'.repeat(300) }).q).toHaveLength(100);
  });

  it('writes the query without its defaults', () => {
    expect(peopleViewQuery({ page: 1 })).toBe('');
    expect(peopleViewQuery({ q: 'ada b', page: 2 })).toBe('?q=ada+b&page=2');
  });
});
