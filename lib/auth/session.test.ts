import { describe, expect, it } from 'vitest';
import { sessionCookieName } from './cookies';
import { sessionCookieValue } from './session';

const name = sessionCookieName();

describe('sessionCookieValue', () => {
  it('reads the whole cookie, ignoring others', () => {
    expect(
      sessionCookieValue([
        { name: 'other', value: 'x' },
        { name, value: 'token' },
        { name: `${name}-like`, value: 'y' },
      ]),
    ).toBe('token');
  });

  it('joins next-auth’s chunks in numeric order (10 after 2)', () => {
    const chunks = Array.from({ length: 11 }, (_, i) => ({
      name: `${name}.${i}`,
      value: `c${i};`,
    }));
    const shuffled = [chunks[10]!, chunks[2]!, ...chunks.slice(3, 10), chunks[0]!, chunks[1]!];
    expect(sessionCookieValue(shuffled)).toBe(chunks.map((c) => c.value).join(''));
  });

  it('is undefined with no session cookie or an empty one', () => {
    expect(sessionCookieValue([])).toBeUndefined();
    expect(sessionCookieValue([{ name, value: '' }])).toBeUndefined();
    expect(sessionCookieValue([{ name: `${name}.x`, value: 'a' }])).toBeUndefined();
  });
});
