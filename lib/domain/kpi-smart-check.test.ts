import { describe, expect, it } from 'vitest';
import { smartCheckOfDetail, smartCheckOfKpi, type SmartKpi } from './kpi-smart-check';
import { checkSmart, type SmartInput } from './smart';

const kpi: SmartKpi = {
  measureUnit: 'currency',
  currency: 'USD',
  rollup: 'manual',
  cadence: 'month',
  direction: 'increase',
  parentId: '00000000-0000-4000-8000-000000000001',
  isNorthStar: false,
  ownerUserId: '00000000-0000-4000-8000-000000000002',
  current: { target: '140' },
};
const description = 'New ARR signed this month, summed over the closed-won deals.';
const values = ['100', '110', '120', '130'];

const asInput: SmartInput = {
  description,
  measureUnit: 'currency',
  currency: 'USD',
  rollup: 'manual',
  cadence: 'month',
  direction: 'increase',
  recentValues: values,
  currentTarget: '140',
  parentId: kpi.parentId,
  isNorthStar: false,
  ownerUserId: kpi.ownerUserId,
};

describe('smartCheckOfKpi', () => {
  it('checks the KPI as checkSmart would with the same fields, the current target included', () => {
    expect(smartCheckOfKpi(kpi, description, values)).toEqual(checkSmart(asInput));
    expect(smartCheckOfKpi(kpi, description, values).complete).toBe(true);
  });

  it('reads the target from the current period and the owner and parent from the KPI', () => {
    const bare = smartCheckOfKpi(
      { ...kpi, current: { target: null }, ownerUserId: null, parentId: null },
      description,
      values,
    );
    expect(bare).toEqual(checkSmart({ ...asInput, currentTarget: null, ownerUserId: null, parentId: null }));
    expect(bare.missing).toEqual(expect.arrayContaining(['relevant', 'owned']));
  });
});

describe('smartCheckOfDetail', () => {
  it("uses the detail's description and its history's values, oldest first", () => {
    const detail = { ...kpi, description, history: values.map((value) => ({ value, label: 'x' })) };
    expect(smartCheckOfDetail(detail)).toEqual(checkSmart(asInput));
    const quiet = { ...detail, description: '', history: [{ value: null }, { value: null }, { value: null }] };
    expect(smartCheckOfDetail(quiet)).toEqual(
      checkSmart({ ...asInput, description: '', recentValues: [null, null, null] }),
    );
    expect(smartCheckOfDetail(quiet).missing).toContain('specific');
  });
});
