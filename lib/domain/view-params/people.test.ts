import { describe, expect, it } from 'vitest';
import { pagePeople, parsePeopleView, peopleViewQuery } from './people';

const people = Array.from({ length: 250 }, (_, i) => ({
  name: `Person ${String(i + 1).padStart(3, '0')}`,
  email: `p${i + 1}@example.com`,
}));

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

  it('pages the members in their order, a page past the last showing the last', () => {
    const first = pagePeople(people, { page: 1 }, 100);
    expect(first).toMatchObject({ matched: 250, page: 1, pages: 3, first: 0 });
    expect(first.rows.map((p) => p.name)).toEqual(people.slice(0, 100).map((p) => p.name));
    const last = pagePeople(people, { page: 3 }, 100);
    expect(last.rows).toHaveLength(50);
    expect(last.rows[0]!.name).toBe('Person 201');
    expect(pagePeople(people, { page: 9 }, 100)).toMatchObject({ page: 3, first: 200 });
  });

  it('searches names and emails in any case, and pages the matches', () => {
    const byName = pagePeople(people, { q: 'PERSON 12', page: 1 }, 100);
    // 012, 112, 120 to 129 and 212
    expect(byName.matched).toBe(13);
    expect(byName.rows[0]!.name).toBe('Person 012');
    const byEmail = pagePeople(people, { q: 'P25@', page: 1 }, 100);
    expect(byEmail.rows.map((p) => p.email)).toEqual(['p25@example.com']);
    // every word, each in the name or the email
    const byBoth = pagePeople(people, { q: '123 p123@', page: 1 }, 100);
    expect(byBoth.rows.map((p) => p.name)).toEqual(['Person 123']);
    expect(pagePeople(people, { q: 'person p999@', page: 1 }, 100).matched).toBe(0);
    expect(pagePeople(people, { q: 'nobody', page: 4 }, 100)).toMatchObject({
      rows: [],
      matched: 0,
      page: 1,
      pages: 1,
    });
  });
});
