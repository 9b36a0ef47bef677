import { describe, expect, it } from 'vitest';
import { treeWindow } from './kpi-tree-window';

// a ─ b ─ c
//   └ d
// e ─ f
const n = (id: string) => ({ id });
const roots = [n('a'), n('e')];
const childrenOf = new Map([
  ['a', [n('b'), n('d')]],
  ['b', [n('c')]],
  ['e', [n('f')]],
]);
const all = new Set(['a', 'b', 'c', 'd', 'e', 'f']);

describe('treeWindow', () => {
  it('takes rows in the order the tree draws them, up to the limit, and counts them all', () => {
    const w = treeWindow(roots, childrenOf, all, new Set(), 4);
    expect([...w.shown]).toEqual(['a', 'b', 'c', 'd']);
    expect(w.total).toBe(6);
  });

  it('shows every row under a limit as large as the tree', () => {
    const w = treeWindow(roots, childrenOf, all, new Set(), 6);
    expect([...w.shown]).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(w.total).toBe(6);
  });

  it('leaves out what a fold hides, from the rows and from the count', () => {
    const w = treeWindow(roots, childrenOf, all, new Set(['b', 'e']), 10);
    expect([...w.shown]).toEqual(['a', 'b', 'd', 'e']);
    expect(w.total).toBe(4);
  });

  it('counts only the rows the filters keep (a match and the path to it)', () => {
    const w = treeWindow(roots, childrenOf, new Set(['a', 'b', 'c']), new Set(), 2);
    expect([...w.shown]).toEqual(['a', 'b']);
    expect(w.total).toBe(3);
  });
});
