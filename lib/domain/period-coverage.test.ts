import { describe, expect, it } from 'vitest';
import { coverageText, impliedTargetNote } from './period-coverage';

const view = (over: Record<string, unknown> = {}) => ({
  childrenReported: 2,
  childrenExpected: 3,
  missingInputs: [] as string[],
  noValueReason: null,
  ...over,
});

describe('coverageText', () => {
  it('counts children of a rollup and says nothing for a manual KPI', () => {
    expect(coverageText({ rollup: 'sum' }, view())).toBe('2 of 3 reported');
    expect(coverageText({ rollup: 'sum' }, view(), { short: true })).toBe('2 of 3');
    expect(coverageText({ rollup: 'manual' }, view())).toBeNull();
    expect(coverageText({ rollup: 'sum' }, view({ childrenExpected: 0 }))).toBeNull();
  });

  it('counts the inputs of a formula and names the missing ones or the division by zero', () => {
    expect(coverageText({ rollup: 'formula' }, view({ childrenReported: 3 }))).toBe(
      '3 of 3 inputs',
    );
    expect(
      coverageText(
        { rollup: 'formula' },
        view({ missingInputs: ['cs.churned_arr'], noValueReason: 'missing inputs' }),
      ),
    ).toBe('2 of 3 inputs · missing cs.churned_arr');
    expect(
      coverageText(
        { rollup: 'formula' },
        view({ childrenReported: 1, childrenExpected: 1, noValueReason: 'division by zero' }),
      ),
    ).toBe('1 of 1 input · division by zero');
  });

  it('notes an implied target', () => {
    expect(impliedTargetNote({ targetImplied: true })).toBe('implied by its inputs');
    expect(impliedTargetNote({ targetImplied: false })).toBeNull();
  });
});
