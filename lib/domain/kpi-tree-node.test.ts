import { describe, expect, it } from 'vitest';
import type { KpiSummary } from '@/lib/domain/kpi-summary';
import type { SmartResult } from '@/lib/domain/smart';
import { toTreeNode } from '@/lib/domain/kpi-tree-node';
import type { DriverLinks, KpiLinkRef } from '@/lib/domain/driver-links';

const kpi: KpiSummary = {
  id: 'k1',
  key: null,
  name: 'New MRR',
  unitId: 'u1',
  unitName: 'Sales',
  ownerUserId: 'p1',
  ownerName: 'Ada',
  parentId: 'k0',
  isIndividual: false,
  isNorthStar: false,
  measureUnit: 'currency',
  currency: 'EUR',
  decimals: 0,
  direction: 'increase',
  cadence: 'month',
  timeAggregation: 'sum',
  rollup: 'sum',
  formula: null,
  formulaInputs: [],
  missingPolicy: 'strict',
  category: 'operational',
  indicator: 'lagging',
  archivedOn: null,
  ownerHomeUnitId: 'u1',
  baseline: null,
  defaultTarget: '2000',
  version: 1,
  current: {
    start: '2026-03-01',
    label: 'Mar 2026',
    value: '1234.6',
    target: '2000',
    share: 0.6173,
    paceProgress: 0.6173,
    status: 'off_track',
    childrenReported: 2,
    childrenExpected: 3,
  },
};

describe('toTreeNode', () => {
  it('turns the current period into display strings, with coverage for a computing KPI', () => {
    expect(toTreeNode(kpi, undefined, undefined, undefined, 'en-US')).toEqual({
      id: 'k1',
      parentId: 'k0',
      name: 'New MRR',
      key: null,
      unitId: 'u1',
      unitName: 'Sales',
      ownerUserId: 'p1',
      ownerName: 'Ada',
      status: 'off_track',
      valueText: '€1,235',
      targetText: '€2,000',
      shareText: '62%',
      periodLabel: 'Mar 2026',
      coverage: '2 of 3',
      isNorthStar: false,
      isIndividual: false,
      ownerHomeUnitId: 'u1',
      recordsByHand: false,
      isFormula: false,
      category: 'operational',
      indicator: 'lagging',
    });
  });

  it('has no coverage for a KPI recorded by hand or without expected children', () => {
    expect(
      toTreeNode({ ...kpi, rollup: 'manual' }, undefined, undefined, undefined, 'en-US'),
    ).toMatchObject({
      coverage: null,
      recordsByHand: true,
    });
    const none = { ...kpi, current: { ...kpi.current, childrenExpected: 0 } };
    expect(toTreeNode(none, undefined, undefined, undefined, 'en-US').coverage).toBeNull();
  });

  it('adds the labels of the missing SMART criteria only when checked', () => {
    const smart: SmartResult = { items: [], missing: ['specific', 'time_bound'], complete: false };
    expect(toTreeNode(kpi, smart, undefined, undefined, 'en-US').smartGaps).toEqual([
      'Specific',
      'Time-bound',
    ]);
    expect(toTreeNode(kpi, undefined, undefined, undefined, 'en-US')).not.toHaveProperty(
      'smartGaps',
    );
  });

  it('marks a formula KPI and carries its links as ids and names only', () => {
    const input = { ...kpi, id: 'k2', name: 'New deals', unitName: 'Sales' };
    const links: DriverLinks<KpiLinkRef> = {
      drivers: [input],
      hiddenDrivers: 1,
      readsOwnPrevious: true,
      feeds: [],
    };
    const node = toTreeNode({ ...kpi, rollup: 'formula' }, undefined, links, undefined, 'en-US');
    expect(node.isFormula).toBe(true);
    expect(node.links).toEqual({
      drivers: [{ id: 'k2', name: 'New deals' }],
      hiddenDrivers: 1,
      readsOwnPrevious: true,
      feeds: [],
    });
    expect(toTreeNode(kpi, undefined, undefined, undefined, 'en-US')).not.toHaveProperty('links');
  });
});
