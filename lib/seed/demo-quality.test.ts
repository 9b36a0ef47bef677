import { describe, expect, it } from 'vitest';
import { checkSmart } from '@/lib/domain/smart';
import { DEMO_KPIS } from './demo-data';

/** The demo shows the SMART check at work: mostly complete definitions, a few fixable gaps. */
describe('demo KPI definitions', () => {
  const checked = DEMO_KPIS.map((k) => ({
    key: k.key,
    result: checkSmart({
      description: k.description,
      measureUnit: k.measureUnit,
      currency: k.currency ?? null,
      rollup: k.rollup,
      cadence: k.cadence,
      direction: k.direction,
      recentValues: ['1', '1', '1', '1'],
      currentTarget: '1',
      parentId: k.parent,
      isNorthStar: k.northStar ?? false,
      ownerUserId: k.owner,
    }),
  }));
  const gaps = checked.filter((c) => !c.result.complete);

  it('are mostly SMART-complete, with a few fixable gaps', () => {
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(gaps.length).toBeLessThanOrEqual(8);
    const missing = gaps.flatMap((g) => g.result.missing);
    expect(missing.filter((m) => m === 'specific')).toHaveLength(2);
    expect(missing).toContain('relevant');
    // Every KPI keeps an owner (the seed suite relies on it).
    expect(missing).not.toContain('owned');
    expect(DEMO_KPIS.every((k) => k.owner !== null)).toBe(true);
  });
});
