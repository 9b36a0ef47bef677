import { describe, expect, it } from 'vitest';
import {
  defaultValidRange,
  describeRange,
  describeUnusual,
  isInRange,
  rangeOrderProblem,
  unusualQuestion,
  unusualValue,
  valueRangeProblem,
  type RangeKpi,
} from '@/lib/domain/value-range';

const availability: RangeKpi = {
  name: 'Availability',
  measureUnit: 'percent',
  currency: null,
  decimals: 2,
  validMin: '0',
  validMax: '100',
};
const pipeline: RangeKpi = {
  name: 'Pipeline',
  measureUnit: 'currency',
  currency: 'USD',
  decimals: 0,
  validMin: null,
  validMax: null,
};

describe('defaultValidRange', () => {
  it('gives percent KPIs 0-100 and leaves the rest unbounded', () => {
    expect(defaultValidRange('percent')).toEqual({ validMin: '0', validMax: '100' });
    for (const unit of ['count', 'currency', 'ratio', 'duration'] as const) {
      expect(defaultValidRange(unit)).toEqual({ validMin: null, validMax: null });
    }
  });
});

describe('rangeOrderProblem', () => {
  it('refuses a lower bound above the upper bound, by value not by text', () => {
    expect(rangeOrderProblem({ validMin: '100', validMax: '0' })).toMatch(/lower bound/);
    expect(rangeOrderProblem({ validMin: '9', validMax: '10' })).toBeNull(); // "9" > "10" as text
    expect(rangeOrderProblem({ validMin: '5', validMax: '5' })).toBeNull();
    expect(rangeOrderProblem({ validMin: null, validMax: '-5' })).toBeNull();
    expect(rangeOrderProblem({ validMin: '5', validMax: null })).toBeNull();
  });
});

describe('valueRangeProblem', () => {
  it('accepts values inside the range, bounds included', () => {
    for (const v of ['0', '100', '99.999999', '57.5']) {
      expect(valueRangeProblem(availability, v, 'en-US')).toBeNull();
      expect(isInRange(v, availability)).toBe(true);
    }
  });

  it('refuses a value outside, naming the KPI, the range and the value unrounded', () => {
    expect(valueRangeProblem(availability, '102', 'en-US')).toBe(
      'Availability must be between 0% and 100%; 102% is outside it.',
    );
    expect(valueRangeProblem(availability, '100.96', 'en-US')).toBe(
      'Availability must be between 0% and 100%; 100.96% is outside it.',
    );
    expect(valueRangeProblem(availability, '100.000001', 'en-US')).toMatch(
      /100.000001% is outside it/,
    );
    expect(valueRangeProblem(availability, '-0.5', 'en-US')).toMatch(/-0.5% is outside it/);
  });

  it('names one-sided ranges', () => {
    const atLeast = { ...pipeline, validMin: '0' };
    expect(valueRangeProblem(atLeast, '-1250', 'en-US')).toBe(
      'Pipeline must be at least $0; -$1,250 is outside it.',
    );
    expect(valueRangeProblem(atLeast, '1000000000', 'en-US')).toBeNull();
    const atMost = { ...availability, validMin: null, validMax: '300' };
    expect(valueRangeProblem(atMost, '300.5', 'en-US')).toBe(
      'Availability must be at most 300%; 300.5% is outside it.',
    );
    expect(describeRange(atMost, 'en-US')).toBe('at most 300%');
  });

  it('accepts anything without a range', () => {
    expect(valueRangeProblem(pipeline, '-99999999999999', 'en-US')).toBeNull();
    expect(describeRange(pipeline, 'en-US')).toBeNull();
  });
});

describe('unusualValue', () => {
  const usual = ['800000', '806405', '790000', '814469', '805000', '799000'];

  it('does not judge with fewer than three readings', () => {
    expect(unusualValue('99999999', [])).toBeNull();
    expect(unusualValue('99999999', ['1', '2'])).toBeNull();
    expect(unusualValue('99999999', ['1', '2', '3'])).not.toBeNull();
  });

  it('flags more than 10x the median magnitude, with the factor', () => {
    expect(unusualValue('9676860', usual)).toEqual({ kind: 'high', usual: '802500', factor: 12 });
    // exactly 10x is not "more than" 10x
    expect(unusualValue('8025000', usual)).toBeNull();
    expect(unusualValue('8025000.000001', usual)?.kind).toBe('high');
  });

  it('flags under a tenth of the median magnitude', () => {
    expect(unusualValue('80250', usual)).toBeNull(); // exactly a tenth
    expect(unusualValue('53500', usual)).toEqual({ kind: 'low', usual: '802500', factor: 15 });
  });

  it('accepts ordinary values and zero', () => {
    expect(unusualValue('950000', usual)).toBeNull();
    expect(unusualValue('100000', usual)).toBeNull();
    expect(unusualValue('0', usual)).toBeNull();
  });

  it('looks at the latest six readings only (newest first)', () => {
    // older readings in the hundreds do not make a value of 9,000,000 usual
    const history = [...usual, '100', '100', '100', '100', '100', '100', '100'];
    expect(unusualValue('9676860', history)?.kind).toBe('high');
  });

  it('flags the opposite sign when every recent reading has one sign', () => {
    expect(unusualValue('-800000', usual)).toEqual({ kind: 'sign', usual: '802500', factor: null });
    expect(unusualValue('5', ['-4', '-6', '-5'])).toMatchObject({ kind: 'sign' });
    // mixed signs (a margin around zero): no sign rule, magnitude only
    expect(unusualValue('-3', ['2', '-1', '4', '3'])).toBeNull();
    // a zero among the readings: not "every reading positive"
    expect(unusualValue('-3', ['2', '0', '4', '3'])).toBeNull();
  });

  it('uses the median of absolute values, robust to one outlier', () => {
    // one earlier outlier of 1,000,000 does not move the median
    expect(unusualValue('50', ['40', '1000000', '60', '55', '45'])).toBeNull();
    expect(unusualValue('600', ['40', '1000000', '60', '55', '45'])?.kind).toBe('high');
  });

  it('cannot compare with a usual magnitude of zero', () => {
    expect(unusualValue('1000', ['0', '0', '0', '0'])).toBeNull();
  });

  it('works on exact decimals beyond float precision', () => {
    const tiny = ['0.000001', '0.000001', '0.000001'];
    expect(unusualValue('0.00001', tiny)).toBeNull(); // exactly 10x
    expect(unusualValue('0.000011', tiny)).toMatchObject({ kind: 'high', factor: 11 });
  });
});

describe('describeUnusual and unusualQuestion', () => {
  it('words each kind with the usual magnitude in the KPI unit', () => {
    const usual = ['800000', '806405', '790000', '814469', '805000', '799000'];
    const high = unusualValue('9676860', usual)!;
    expect(unusualQuestion(pipeline, '9676860', high, 'en-US')).toBe(
      'This is 12x your usual value (about $802,500, the median of recent readings). Save anyway?',
    );
    const low = unusualValue('53500', usual)!;
    expect(describeUnusual(pipeline, '53500', low, 'en-US')).toBe(
      'This is 1/15 of your usual value (about $802,500, the median of recent readings).',
    );
    const sign = unusualValue('-800000', usual)!;
    expect(describeUnusual(pipeline, '-800000', sign, 'en-US')).toBe(
      '-$800,000 is negative, unlike every recent reading (about $802,500, the median of recent readings).',
    );
  });
});
