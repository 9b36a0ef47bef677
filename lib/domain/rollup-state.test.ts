import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, roundValue, toDec } from '@/lib/domain/decimal';
import { rollupChildren, type ChildContribution } from '@/lib/domain/rollup';
import {
  childrenRollupState,
  manualRollupState,
  NO_ROLLUP_STATE,
  sameRollupState,
} from '@/lib/domain/rollup-state';

const decimal = fc
  .tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 4 }))
  .map(([n, scale]) => new Dec(n).div(10 ** scale).toFixed());
const weight = fc.integer({ min: 1, max: 900 }).map((n) => (n / 100).toFixed(2));
const contribution = fc.record({ value: fc.option(decimal, { nil: null }), weight });

describe('rollup state', () => {
  it('keeps the sum of a manual average, nothing for sum and last', () => {
    expect(manualRollupState('average', ['1.5', '2', '-0.25'])).toEqual({ stateSum: '3.25' });
    expect(manualRollupState('sum', ['1', '2'])).toEqual(NO_ROLLUP_STATE);
    expect(manualRollupState('last', ['1', '2'])).toEqual(NO_ROLLUP_STATE);
    expect(manualRollupState('average', [])).toEqual(NO_ROLLUP_STATE);
  });

  it('gives back the rollup value: average = sum / reported, weighted = sum / weights', () => {
    fc.assert(
      fc.property(
        fc.array(contribution, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('average', 'weighted_average') as fc.Arbitrary<
          'average' | 'weighted_average'
        >,
        (children: ChildContribution[], method) => {
          const state = childrenRollupState(method, children);
          const result = rollupChildren(method, children);
          if (result.value === null) {
            expect(state).toEqual(NO_ROLLUP_STATE);
            return;
          }
          const divisor =
            method === 'average' ? new Dec(result.reported) : toDec(state.stateWeight!);
          expect(roundValue(toDec(state.stateSum!).div(divisor))).toBe(result.value);
          expect(state.stateWeight === undefined).toBe(method === 'average');
        },
      ),
    );
  });

  it('keeps nothing for sum, min, max, manual and formula parents', () => {
    const children = [{ value: '1', weight: '1' }];
    for (const method of ['sum', 'min', 'max', 'manual', 'formula'] as const) {
      expect(childrenRollupState(method, children)).toEqual(NO_ROLLUP_STATE);
    }
  });

  it('compares states as decimals, a missing state as none', () => {
    expect(sameRollupState({ stateSum: '1.50', stateWeight: null }, { stateSum: '1.5' })).toBe(
      true,
    );
    expect(sameRollupState({ stateSum: '1.5' }, { stateSum: '1.6' })).toBe(false);
    expect(sameRollupState({}, { stateSum: null, stateWeight: null })).toBe(true);
    expect(sameRollupState({ stateSum: '0' }, {})).toBe(false);
  });
});
