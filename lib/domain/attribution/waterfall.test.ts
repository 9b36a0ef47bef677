import { describe, expect, it } from 'vitest';
import { waterfallBars } from './waterfall';

describe('waterfallBars', () => {
  it('floats each step from the running total and keeps small steps visible on a big level', () => {
    const { bars, axisFromZero } = waterfallBars(
      '1150000',
      '1030000',
      [
        { label: 'new ARR', amount: '-90000' },
        { label: 'churn', amount: '-40000' },
        { label: 'expansion', amount: '10000' },
      ],
      'increase',
    );
    expect(axisFromZero).toBe(false);
    expect(bars.map((b) => [b.label, b.kind, b.good])).toEqual([
      ['Target', 'total', null],
      ['new ARR', 'step', false],
      ['churn', 'step', false],
      ['expansion', 'step', true],
      ['Actual', 'total', null],
    ]);
    const [target, newArr, churn, expansion, actual] = bars;
    // new ARR goes down from the target's end; churn continues from where new ARR ended
    expect(newArr!.left + newArr!.width).toBeCloseTo(target!.left + target!.width, 6);
    expect(churn!.left + churn!.width).toBeCloseTo(newArr!.left, 6);
    expect(expansion!.left).toBeCloseTo(churn!.left, 6);
    expect(actual!.left + actual!.width).toBeCloseTo(expansion!.left + expansion!.width, 6);
    for (const b of bars) {
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.left + b.width).toBeLessThanOrEqual(100.0001);
    }
  });

  it('starts at 0 when the totals are near it, and reads lower-is-better steps by direction', () => {
    const { bars, axisFromZero } = waterfallBars(
      '10',
      '12',
      [{ label: 'a', amount: '2' }],
      'decrease',
    );
    expect(axisFromZero).toBe(true);
    expect(bars[0]).toMatchObject({ left: 0 });
    expect(bars[1]?.good).toBe(false);
  });
});
