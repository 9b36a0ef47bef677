/**
 * The rows the KPI explorer's tree draws, in tree order: the nodes the filters keep (`matches`,
 * which holds a match's ancestors too) whose ancestors are all unfolded, at most `limit` of them.
 * `total` counts every such row, so the tree can say how many more there are. A large
 * organization has 10,000 KPIs: drawn whole, its tree was 27 MB of HTML and 289,000 elements.
 */
export function treeWindow<T extends { id: string }>(
  roots: readonly T[],
  childrenOf: ReadonlyMap<string, readonly T[]>,
  matches: ReadonlySet<string>,
  collapsed: ReadonlySet<string>,
  limit: number,
): { shown: Set<string>; total: number } {
  const shown = new Set<string>();
  let total = 0;
  // Depth first, children in their order: the order the tree draws its rows in.
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!matches.has(node.id)) continue;
    total += 1;
    if (shown.size < limit) shown.add(node.id);
    if (collapsed.has(node.id)) continue;
    const kids = childrenOf.get(node.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i -= 1) stack.push(kids[i]!);
  }
  return { shown, total };
}

/** Rows the explorer draws at first, and how many more each "show more" adds. */
export const TREE_PAGE_ROWS = 500;
