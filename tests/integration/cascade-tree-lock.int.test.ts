import { describe, expect, it } from 'vitest';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { createKpiAction, linkKpiAction } from '@/lib/actions/kpis';
import { createTestOrg } from './factories';
import { as, expectNoDrift, kpiInput, kpiVersion, must } from './cascade-helpers';
import { realPostgres } from './real-postgres';

// A single check-in locks only its KPI tree (and the org lock shared): check-ins on two trees run
// side by side, while a move of a leaf from one tree to the other (org lock exclusive) waits for
// them and they for it. Whatever the interleaving, no stored value drifts.
describe.runIf(realPostgres)(
  'check-ins on two KPI trees with moves between them (real Postgres)',
  () => {
    it('concurrent check-ins under two roots and re-parent moves leave no drift', async () => {
      const { org, owner, rootUnitId } = await createTestOrg();
      const create = (name: string, extra: Record<string, unknown> = {}) =>
        as(owner, async () =>
          must(await createKpiAction(org.slug, kpiInput(rootUnitId, { name, ...extra }))),
        );
      const roots = [
        await create('Root A', { rollup: 'sum' }),
        await create('Root B', { rollup: 'sum' }),
      ];
      const mids = [
        await create('Mid A', { rollup: 'sum', parentId: roots[0]!.id }),
        await create('Mid B', { rollup: 'sum', parentId: roots[1]!.id }),
      ];
      const leaves = [];
      for (let i = 0; i < 12; i += 1)
        leaves.push(await create(`Leaf ${i}`, { parentId: mids[i % 2]!.id }));
      for (let round = 0; round < 3; round += 1) {
        const movers = [leaves[round]!, leaves[round + 6]!];
        const versions = await Promise.all(movers.map((k) => kpiVersion(k.id)));
        const results = await Promise.all([
          ...leaves.map((kpi, i) =>
            as(owner, () =>
              recordCheckinAction(org.slug, {
                kpiId: kpi.id,
                observedOn: `2025-0${(i % 3) + 1}-1${round}`,
                value: `${round * 100 + i}.25`,
              }),
            ),
          ),
          // Each mover switches to the other tree while the check-ins run.
          ...movers.map((kpi, i) =>
            as(owner, () =>
              linkKpiAction(org.slug, {
                kpiId: kpi.id,
                parentId: mids[(round + i + 1) % 2]!.id,
                version: versions[i]!,
              }),
            ),
          ),
        ]);
        for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
        await expectNoDrift(org.id);
      }
      expect(leaves).toHaveLength(12);
    });
  },
);
