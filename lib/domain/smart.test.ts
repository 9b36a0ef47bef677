import { describe, expect, it } from 'vitest';
import { checkSmart, SMART_CRITERIA, type SmartInput, type SmartItem } from './smart';

/** A SMART-complete KPI: every test changes one thing. */
const complete: SmartInput = {
  description: 'New ARR signed this month, summed over the closed-won deals.',
  measureUnit: 'currency',
  currency: 'USD',
  rollup: 'manual',
  cadence: 'month',
  direction: 'increase',
  recentValues: ['100', '110', '120', '130'],
  currentTarget: '140',
  parentId: '00000000-0000-4000-8000-000000000001',
  isNorthStar: false,
  ownerUserId: '00000000-0000-4000-8000-000000000002',
};

function itemOf(input: Partial<SmartInput>, criterion: SmartItem['criterion']): SmartItem {
  const result = checkSmart({ ...complete, ...input });
  return result.items.find((i) => i.criterion === criterion)!;
}

describe('checkSmart', () => {
  it('lists the six criteria in order and passes a complete KPI', () => {
    const result = checkSmart(complete);
    expect(result.items.map((i) => i.criterion)).toEqual(SMART_CRITERIA);
    expect(result.items.every((i) => i.state === 'met')).toBe(true);
    expect(result.items.every((i) => i.fix === null)).toBe(true);
    expect(result).toMatchObject({ missing: [], complete: true });
  });

  it('collects every missing criterion of an empty definition, each with its fix', () => {
    const result = checkSmart({
      ...complete,
      description: '',
      recentValues: [null, null, null],
      currentTarget: null,
      parentId: null,
      ownerUserId: null,
    });
    expect(result.missing).toEqual(['specific', 'measurable', 'relevant', 'time_bound', 'owned']);
    expect(result.complete).toBe(false);
    expect(result.items.map((i) => i.fix)).toEqual([
      'description',
      'checkin',
      null,
      'parent',
      'target',
      'owner',
    ]);
    expect(result.items.find((i) => i.criterion === 'attainable')!.state).toBe('unknown');
  });

  describe('specific', () => {
    it.each([
      ['', 'missing'],
      ['   \n\t ', 'missing'],
      ['TBD', 'missing'],
      [' n/a ', 'missing'],
      ['-', 'missing'],
      ['Revenue', 'missing'],
      ['14 characters.', 'missing'],
      ['15 characters..', 'met'],
      ['  padded but long enough  ', 'met'],
    ])('%j is %s', (description, state) => {
      const got = itemOf({ description }, 'specific');
      expect(got.state).toBe(state);
      expect(got.fix).toBe(state === 'met' ? null : 'description');
    });
  });

  describe('measurable', () => {
    it('needs a measure unit', () => {
      expect(itemOf({ measureUnit: null }, 'measurable')).toMatchObject({
        state: 'missing',
        fix: 'measure',
      });
    });
    it('needs a currency for a currency KPI, not for others', () => {
      expect(itemOf({ currency: null }, 'measurable')).toMatchObject({
        state: 'missing',
        fix: 'measure',
      });
      expect(itemOf({ currency: '' }, 'measurable').state).toBe('missing');
      expect(itemOf({ measureUnit: 'count', currency: null }, 'measurable').state).toBe('met');
    });
    it('needs a value in one of the last three periods (current included)', () => {
      expect(itemOf({ recentValues: ['5', null, null, null] }, 'measurable').state).toBe('missing');
      expect(itemOf({ recentValues: [null, '5', null, null] }, 'measurable').state).toBe('met');
      expect(itemOf({ recentValues: [null, null, null, '0'] }, 'measurable').state).toBe('met');
      expect(itemOf({ recentValues: ['7'] }, 'measurable').state).toBe('met');
    });
    it('a brand-new KPI (no periods at all) is not measurable yet', () => {
      expect(itemOf({ recentValues: [] }, 'measurable')).toMatchObject({
        state: 'missing',
        fix: 'checkin',
      });
    });
    it('points a computed KPI at its children instead of a check-in', () => {
      for (const rollup of ['sum', 'average', 'weighted_average', 'min', 'max'] as const) {
        expect(itemOf({ rollup, recentValues: [null, null, null] }, 'measurable').fix).toBe(
          'children',
        );
      }
    });
  });

  describe('attainable', () => {
    const history = ['100', '110', '120', null]; // current period still open, no value yet
    it.each([
      // lo 100, hi 120, magnitude 120, allowance 60: plausible targets lie in [40, 180].
      ['increase', '140', 'met'],
      ['increase', '180', 'met'],
      ['increase', '180.000001', 'missing'],
      ['increase', '100', 'met'],
      ['increase', '95', 'met'], // just under the range: an SLA kept with margin
      ['increase', '40', 'met'],
      ['increase', '39.99', 'missing'],
      ['decrease', '90', 'met'],
      ['decrease', '40', 'met'],
      ['decrease', '39', 'missing'],
      ['decrease', '121', 'met'],
      ['decrease', '180', 'met'],
      ['decrease', '181', 'missing'],
    ] as const)('%s with target %s is %s', (direction, currentTarget, state) => {
      const got = itemOf({ direction, currentTarget, recentValues: history }, 'attainable');
      expect(got.state).toBe(state);
      expect(got.fix).toBe(state === 'missing' ? 'target' : null);
    });

    it('says which way the target is off', () => {
      const detail = (direction: 'increase' | 'decrease', currentTarget: string) =>
        itemOf({ direction, currentTarget, recentValues: history }, 'attainable').detail;
      expect(detail('increase', '1000')).toMatch(/far above the best recent value/);
      expect(detail('increase', '1')).toMatch(
        /far below every recent value: it asks for no progress/,
      );
      expect(detail('decrease', '1')).toMatch(/far below the best recent value/);
      expect(detail('decrease', '1000')).toMatch(
        /far above every recent value: it asks for no progress/,
      );
    });

    it('ignores the current period and gaps when reading history', () => {
      // Only two closed periods with values: not enough to judge, whatever the current value.
      expect(
        itemOf(
          { currentTarget: '1000000', recentValues: ['100', null, '120', '5000'] },
          'attainable',
        ).state,
      ).toBe('unknown');
      expect(
        itemOf(
          { currentTarget: '130', recentValues: ['100', null, '110', '120', '1'] },
          'attainable',
        ).state,
      ).toBe('met');
    });

    it('is unknown without a target, or with fewer than three periods of history', () => {
      expect(itemOf({ currentTarget: null }, 'attainable').state).toBe('unknown');
      expect(itemOf({ recentValues: [] }, 'attainable').state).toBe('unknown');
      expect(itemOf({ recentValues: ['1', '2', null] }, 'attainable').detail).toMatch(
        /2 of 3 periods/,
      );
    });

    it('is unknown when every recent value is zero (nothing to scale the range by)', () => {
      expect(
        itemOf({ recentValues: ['0', '0', '0', null], currentTarget: '5' }, 'attainable').state,
      ).toBe('unknown');
      expect(
        itemOf(
          { direction: 'decrease', recentValues: ['0', '0.000', '0', '0'], currentTarget: '0' },
          'attainable',
        ).state,
      ).toBe('unknown');
    });

    it('handles negative values (net burn below zero) and a flat non-zero history', () => {
      // lo -50, hi -10, magnitude 50, allowance 25: plausible targets lie in [-75, 15].
      const burn = ['-10', '-30', '-50', null];
      expect(
        itemOf({ direction: 'decrease', recentValues: burn, currentTarget: '-60' }, 'attainable')
          .state,
      ).toBe('met');
      expect(
        itemOf({ direction: 'decrease', recentValues: burn, currentTarget: '-80' }, 'attainable')
          .state,
      ).toBe('missing');
      expect(
        itemOf({ direction: 'decrease', recentValues: burn, currentTarget: '15' }, 'attainable')
          .state,
      ).toBe('met');
      expect(
        itemOf({ direction: 'decrease', recentValues: burn, currentTarget: '15.5' }, 'attainable')
          .state,
      ).toBe('missing');
      // Flat at 50: plausible targets lie in [25, 75].
      const flat = ['50', '50', '50', null];
      expect(itemOf({ recentValues: flat, currentTarget: '75' }, 'attainable').state).toBe('met');
      expect(itemOf({ recentValues: flat, currentTarget: '76' }, 'attainable').state).toBe(
        'missing',
      );
      expect(itemOf({ recentValues: flat, currentTarget: '25' }, 'attainable').state).toBe('met');
      expect(itemOf({ recentValues: flat, currentTarget: '24' }, 'attainable').state).toBe(
        'missing',
      );
    });

    it('compares exact decimals, never floats', () => {
      // 0.1 + 0.2 style values: hi 0.3, allowance 0.15 -> ceiling exactly 0.45.
      const tiny = ['0.1', '0.2', '0.3', null];
      expect(itemOf({ recentValues: tiny, currentTarget: '0.45' }, 'attainable').state).toBe('met');
      expect(itemOf({ recentValues: tiny, currentTarget: '0.4500001' }, 'attainable').state).toBe(
        'missing',
      );
    });

    it('does not fail the check when unknown', () => {
      const result = checkSmart({ ...complete, recentValues: [null, null, '5'] });
      expect(result.items.find((i) => i.criterion === 'attainable')!.state).toBe('unknown');
      expect(result.complete).toBe(true);
    });
  });

  describe('relevant', () => {
    it('is met by a parent or by being a north star', () => {
      expect(itemOf({ parentId: null }, 'relevant')).toMatchObject({
        state: 'missing',
        fix: 'parent',
      });
      expect(itemOf({ parentId: null, isNorthStar: true }, 'relevant').state).toBe('met');
      expect(itemOf({ isNorthStar: true }, 'relevant').state).toBe('met');
    });
  });

  describe('time-bound', () => {
    it('needs a cadence and a target for the current period', () => {
      expect(itemOf({ cadence: null }, 'time_bound')).toMatchObject({
        state: 'missing',
        fix: 'cadence',
      });
      expect(itemOf({ currentTarget: null }, 'time_bound')).toMatchObject({
        state: 'missing',
        fix: 'target',
      });
      expect(itemOf({ currentTarget: '0' }, 'time_bound').state).toBe('met');
      for (const cadence of ['month', 'quarter', 'year'] as const) {
        expect(itemOf({ cadence }, 'time_bound').state).toBe('met');
      }
    });
  });

  describe('owned', () => {
    it('needs an owner', () => {
      expect(itemOf({ ownerUserId: null }, 'owned')).toMatchObject({
        state: 'missing',
        fix: 'owner',
      });
    });
  });
});
