import { describe, expect, it } from 'vitest';
import { safeCallback } from './callback-url';

describe('safeCallback', () => {
  it.each([
    ['/o/acme', '/o/acme'],
    ['/invite/abc?x=1', '/invite/abc?x=1'],
    [undefined, '/'],
    ['', '/'],
    ['https://evil.example', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/ok path', '/'],
  ])('%j -> %j', (input, expected) => {
    expect(safeCallback(input)).toBe(expected);
  });
});
