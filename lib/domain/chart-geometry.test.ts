import { describe, expect, it } from 'vitest';
import {
  areaPath,
  brokenLinePath,
  dotsPath,
  indexScale,
  isolated,
  linePath,
  linearScale,
  plot,
  present,
  runs,
} from '@/lib/domain/chart-geometry';

describe('scales', () => {
  it('maps a domain onto a range, upside down for SVG y', () => {
    const y = linearScale([0, 200], [100, 0]);
    expect([y(0), y(50), y(200)]).toEqual([100, 75, 0]);
    expect(linearScale([10, 20], [2, 78])(15)).toBe(40);
  });
  it('puts a flat line (no domain width) at the start of the range', () => {
    const y = linearScale([5, 5], [38, 2]);
    expect(y(5)).toBe(38);
  });
  it('spreads periods evenly, and puts a single one at the start', () => {
    const x = indexScale(5, [0, 100]);
    expect([0, 1, 4].map(x)).toEqual([0, 25, 100]);
    expect(indexScale(1, [2, 78])(0)).toBe(2);
  });
});

describe('points and paths', () => {
  const x = indexScale(5, [0, 100]);
  const y = linearScale([0, 10], [10, 0]);
  const points = plot([0, 5, null, 10, null], x, y);

  it('plots values, gaps as null', () => {
    expect(points).toEqual([[0, 10], [25, 5], null, [75, 0], null]);
    expect(present(points)).toEqual([
      [0, 10],
      [25, 5],
      [75, 0],
    ]);
  });
  it('splits a line at its gaps, and finds the points standing alone', () => {
    expect(runs(points)).toEqual([
      [
        [0, 10],
        [25, 5],
      ],
      [[75, 0]],
    ]);
    expect(isolated(points)).toEqual([[75, 0]]);
    expect(runs([null, null])).toEqual([]);
  });
  it('writes SVG paths', () => {
    expect(linePath(present(points))).toBe('M0.00,10.00 L25.00,5.00 L75.00,0.00');
    expect(linePath([[1.25, 2]], 1)).toBe('M1.3,2.0');
    // A broken line draws only its runs of two or more points.
    expect(brokenLinePath(runs(points), 0)).toBe('M0,10 L25,5');
    expect(brokenLinePath(runs(plot([1, 2, null, 3, 4], x, y)), 0)).toBe('M0,9 L25,8 M75,7 L100,6');
    expect(areaPath(present(points), 10, 0)).toBe('M0,10 L25,5 L75,0 L75,10 L0,10 Z');
    expect(areaPath([[0, 1]], 10)).toBe('');
    expect(dotsPath([[75, 0]], 1)).toBe('M75.0,0.0h0');
  });
});
