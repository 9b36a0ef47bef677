import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cadenceMonths, type Cadence } from '@/lib/domain/periods';
import { createRng } from './random';
import { combine, levelCounts, levelKinds, pickCadence } from './synthetic-shape';

describe('levelKinds', () => {
  it('puts the company first, individuals last, departments before teams', () => {
    expect(levelKinds(1)).toEqual(['company']);
    expect(levelKinds(2)).toEqual(['company', 'individual']);
    expect(levelKinds(6)).toEqual([
      'company',
      'department',
      'department',
      'team',
      'team',
      'individual',
    ]);
    expect(levelKinds(5)).toEqual(['company', 'department', 'department', 'team', 'individual']);
  });
});

describe('levelCounts', () => {
  it('gives every level a KPI, never shrinks above the last level, and sums to the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 20_000 }),
        (depth, extra) => {
          const total = depth * 4 + extra;
          const counts = levelCounts(total, depth);
          expect(counts).toHaveLength(depth);
          expect(counts.every((c) => c >= 1)).toBe(true);
          for (let i = 1; i < depth - 1; i += 1)
            expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] ?? 0);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
        },
      ),
    );
  });
});

describe('pickCadence', () => {
  it('never picks a cadence longer than the parent', () => {
    const rng = createRng(7);
    const cadences: Cadence[] = ['month', 'quarter', 'year'];
    for (const parent of cadences) {
      for (let i = 0; i < 200; i += 1) {
        const picked = pickCadence(rng, parent, i % 2 === 0);
        expect(cadenceMonths(picked)).toBeLessThanOrEqual(cadenceMonths(parent));
      }
    }
  });
});

describe('combine', () => {
  it('rolls values up by the method', () => {
    expect(combine('sum', [1, 2, 3], [1, 1, 1])).toBe(6);
    expect(combine('average', [1, 2, 3], [1, 1, 1])).toBe(2);
    expect(combine('weighted_average', [1, 3], [3, 1])).toBe(1.5);
    expect(combine('min', [4, 2, 9], [])).toBe(2);
    expect(combine('max', [4, 2, 9], [])).toBe(9);
    expect(combine('sum', [], [])).toBe(0);
  });
});
