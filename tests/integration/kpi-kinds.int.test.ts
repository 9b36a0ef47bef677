import { describe, expect, it } from 'vitest';
import { listKpis } from '@/lib/dal/kpis/list';
import { getUnitTree } from '@/lib/dal/units/tree-view';
import { matchesKpiFilter } from '@/lib/domain/kpi-filter';
import { parseExplorerView } from '@/lib/domain/view-params/explorer';
import { onlyLaggingHint } from '@/lib/domain/kpi-kinds';
import { toTreeNode } from '@/lib/domain/kpi-tree-node';
import { createTestKpi, createTestOrg } from './factories';
import { contextFor } from './cascade-helpers';

/*
 * KPI kinds on a real database: the kind set when a KPI is created is what the explorer filters
 * by, and each unit's balance of leading and lagging indicators counts its active KPIs.
 */
describe('KPI kinds', () => {
  it('count into the unit balance and filter the explorer', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const create = (over: Record<string, unknown>) =>
      createTestKpi(owner, org.slug, rootUnitId, over);
    await create({ name: 'Revenue', category: 'strategic', indicator: 'lagging' });
    await create({ name: 'Churn', category: 'operational', indicator: 'lagging' });
    const ctx = await contextFor(owner, org.slug);

    let root = (await getUnitTree(ctx)).units.find((u) => u.id === rootUnitId)!;
    expect(root.balance).toEqual({ leading: 0, lagging: 2 });
    expect(root.kpiCount).toBe(2);
    expect(onlyLaggingHint(root.balance)).not.toBeNull();

    await create({ name: 'Qualified pipeline', category: 'operational', indicator: 'leading' });
    root = (await getUnitTree(ctx)).units.find((u) => u.id === rootUnitId)!;
    expect(root.balance).toEqual({ leading: 1, lagging: 2 });
    expect(onlyLaggingHint(root.balance)).toBeNull();

    const nodes = (await listKpis(ctx)).map((k) =>
      toTreeNode(k, undefined, undefined, undefined, ctx.org.locale),
    );
    const names = (query: Record<string, string>) =>
      nodes
        .filter((n) => matchesKpiFilter(n, parseExplorerView(query).filter, new Map()))
        .map((n) => n.name)
        .sort();
    expect(names({ indicator: 'leading' })).toEqual(['Qualified pipeline']);
    expect(names({ category: 'operational' })).toEqual(['Churn', 'Qualified pipeline']);
    expect(names({ category: 'strategic', indicator: 'lagging' })).toEqual(['Revenue']);
  });
});
