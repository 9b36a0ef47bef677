import { describe, expect, it } from 'vitest';
import { withOrgTx } from '@/db/client';
import { createKpiAction } from '@/lib/actions/kpis';
import { recordCheckinsBatch } from '@/lib/dal/checkins/batch';
import { createTestOrg } from './factories';
import {
  as,
  contextFor,
  expectNoDrift,
  kpiInput,
  must,
  periodRow,
  valuesOf,
} from './cascade-helpers';

describe('exact decimals end to end', () => {
  it('10,000 check-ins of 0.1 on a sum KPI give exactly 1000, and roll up exactly', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const parent = await as(owner, async () =>
      must(
        await createKpiAction(org.slug, kpiInput(rootUnitId, { cadence: 'year', rollup: 'sum' })),
      ),
    );
    const leaf = await as(owner, async () =>
      must(
        await createKpiAction(
          org.slug,
          kpiInput(rootUnitId, { cadence: 'year', parentId: parent.id }),
        ),
      ),
    );
    const ctx = await contextFor(owner, org.slug);
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      kpiId: leaf.id,
      // spread over one calendar year (fiscal year from January): one period
      observedOn: `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      value: '0.1',
    }));
    const result = await withOrgTx(org.id, (tx) => recordCheckinsBatch(ctx, tx, items));
    expect(result.count).toBe(10_000);
    expect(await periodRow(org.id, leaf.id, '2025-01-01')).toMatchObject({
      value: '1000',
      sampleCount: 10_000,
    });
    expect(await valuesOf(org.id, parent.id)).toEqual({ '2025-01-01': '1000' });
    // the float sum would not be exact: the point of strings end to end
    expect(items.reduce((s) => s + 0.1, 0)).not.toBe(1000);
    await expectNoDrift(org.id);
  });

  it('a batch recomputes each period once and keeps every item', async () => {
    const { org, owner, rootUnitId } = await createTestOrg({ fyStartMonth: 10 });
    const parent = await as(owner, async () =>
      must(
        await createKpiAction(
          org.slug,
          kpiInput(rootUnitId, { cadence: 'quarter', rollup: 'average' }),
        ),
      ),
    );
    const kids = await as(owner, async () =>
      Promise.all(
        ['sum', 'last', 'average'].map(async (agg) =>
          must(
            await createKpiAction(
              org.slug,
              kpiInput(rootUnitId, { timeAggregation: agg, parentId: parent.id }),
            ),
          ),
        ),
      ),
    );
    const ctx = await contextFor(owner, org.slug);
    const items = kids.flatMap((k, j) =>
      ['2025-10-05', '2025-11-05', '2025-12-05', '2026-01-05'].map((d, i) => ({
        kpiId: k.id,
        observedOn: d,
        value: `${i + 1}.${j + 1}`,
      })),
    );
    await withOrgTx(org.id, (tx) => recordCheckinsBatch(ctx, tx, items));
    // FY from October: Q1 = Oct..Dec. sum: 1.1+2.1+3.1 = 6.3; last: 3.2; average: (1.3+2.3+3.3)/3 = 2.3
    expect(await periodRow(org.id, parent.id, '2025-10-01')).toMatchObject({
      value: '3.9333333333',
      childrenReported: 3,
      childrenExpected: 3,
    });
    expect((await periodRow(org.id, parent.id, '2026-01-01'))?.value).toBe('4.2');
    await expectNoDrift(org.id);
  });

  it('a batch over many KPIs (one enclosing range instead of many) stays exact', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const parent = await as(owner, async () =>
      must(
        await createKpiAction(
          org.slug,
          kpiInput(rootUnitId, { cadence: 'quarter', rollup: 'sum' }),
        ),
      ),
    );
    const kids = [];
    for (let i = 0; i < 60; i += 1) {
      kids.push(
        await as(owner, async () =>
          must(await createKpiAction(org.slug, kpiInput(rootUnitId, { parentId: parent.id }))),
        ),
      );
    }
    const ctx = await contextFor(owner, org.slug);
    const items = kids.flatMap((k, i) => [
      { kpiId: k.id, observedOn: '2025-01-15', value: `${i}.25` },
      { kpiId: k.id, observedOn: '2025-05-15', value: '-0.000001' },
    ]);
    await withOrgTx(org.id, (tx) => recordCheckinsBatch(ctx, tx, items));
    // sum of i + 0.25 for i in 0..59 = 1770 + 15
    expect(await periodRow(org.id, parent.id, '2025-01-01')).toMatchObject({
      value: '1785',
      childrenReported: 60,
      childrenExpected: 60,
    });
    expect((await periodRow(org.id, parent.id, '2025-04-01'))?.value).toBe('-0.00006');
    await expectNoDrift(org.id);
  });
});
