import { describe, expect, it } from 'vitest';
import { plotTrend, splitPartial } from './trend-points';

describe('splitPartial', () => {
  it('draws the open period as its own series joined to the last complete point', () => {
    expect(
      splitPartial([
        { label: 'Oct', value: 10 },
        { label: 'Nov', value: 12 },
        { label: 'Dec', value: 2, partial: true },
      ]),
    ).toEqual([
      { period: 'Oct', Value: 10, 'So far': null },
      { period: 'Nov', Value: 12, 'So far': 12 },
      { period: 'Dec (so far)', Value: null, 'So far': 2 },
    ]);
  });
  it('leaves a trend of complete periods alone', () => {
    expect(
      splitPartial([
        { label: 'Oct', value: 10 },
        { label: 'Nov', value: null },
      ]),
    ).toEqual([
      { period: 'Oct', Value: 10, 'So far': null },
      { period: 'Nov', Value: null, 'So far': null },
    ]);
  });
  it('joins across a missing complete period, and draws nothing extra without an open value', () => {
    const points = splitPartial([
      { label: 'Oct', value: 10 },
      { label: 'Nov', value: null },
      { label: 'Dec', value: 3, partial: true },
    ]);
    expect(points.map((p) => p['So far'])).toEqual([10, null, 3]);
    const empty = splitPartial([
      { label: 'Nov', value: 10 },
      { label: 'Dec', value: null, partial: true },
    ]);
    expect(empty.map((p) => p['So far'])).toEqual([null, null]);
  });
});

describe('plotTrend', () => {
  it('places complete periods with their gaps and the open segment without them', () => {
    const { complete, soFar } = plotTrend(
      [
        { label: 'Sep', value: 4 },
        { label: 'Oct', value: null },
        { label: 'Nov', value: 12 },
        { label: 'Dec', value: 2, partial: true },
      ],
      (i) => i * 10,
      (v) => 100 - v,
    );
    expect(complete).toEqual([[0, 96], null, [20, 88], null]);
    expect(soFar).toEqual([
      [20, 88],
      [30, 98],
    ]);
  });
});
