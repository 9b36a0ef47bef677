import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumDec } from '@/lib/domain/decimal';
import { distributeExactly, phaseTarget } from '@/lib/domain/target-phasing';

type PhaseInput = Parameters<typeof phaseTarget>[0];
const phase = (
  aggregation: PhaseInput['aggregation'],
  amount: string,
  periodCount: number,
  decimals: number,
  phasing: PhaseInput['phasing'],
) => phaseTarget({ amount, periodCount, aggregation, decimals, phasing });

describe('phaseTarget for a flow (sum)', () => {
  it('splits evenly and gives the leftover units to the earliest periods', () => {
    const r = phase('sum', '100000', 12, 0, { method: 'even' });
    expect(r).toEqual({
      ok: true,
      values: [
        '8334',
        '8334',
        '8334',
        '8334',
        '8333',
        '8333',
        '8333',
        '8333',
        '8333',
        '8333',
        '8333',
        '8333',
      ],
    });
  });

  it('keeps decimals exact at the KPI decimals', () => {
    const r = phase('sum', '1000.01', 3, 2, { method: 'even' });
    expect(r).toEqual({ ok: true, values: ['333.34', '333.34', '333.33'] });
  });

  it('ramps from a start share to an end share', () => {
    const r = phase('sum', '600', 3, 0, { method: 'ramp', start: '1', end: '3' });
    expect(r).toEqual({ ok: true, values: ['100', '200', '300'] });
  });

  it('grows by a step', () => {
    const r = phase('sum', '331', 3, 0, { method: 'growth', stepPercent: '10' });
    expect(r).toEqual({ ok: true, values: ['100', '110', '121'] });
  });

  it('follows a seasonal profile', () => {
    const r = phase('sum', '1000', 4, 0, { method: 'seasonal', weights: ['1', '1', '1', '2'] });
    expect(r).toEqual({ ok: true, values: ['200', '200', '200', '400'] });
  });

  it('refuses amounts finer than the KPI decimals and unusable profiles', () => {
    expect(phase('sum', '10.5', 2, 0, { method: 'even' })).toEqual({
      ok: false,
      error: 'Use at most 0 decimal places: this KPI shows 0',
    });
    expect(phase('sum', '10', 2, 0, { method: 'seasonal', weights: ['0', '0'] }).ok).toBe(false);
    expect(phase('sum', '10', 2, 0, { method: 'seasonal', weights: ['1'] })).toEqual({
      ok: false,
      error: 'Give one weight for each of the 2 periods',
    });
    expect(phase('sum', '10', 2, 0, { method: 'growth', stepPercent: '-100' }).ok).toBe(false);
  });

  it('handles negative amounts symmetrically', () => {
    const r = phase('sum', '-100', 3, 0, { method: 'even' });
    expect(r).toEqual({ ok: true, values: ['-34', '-33', '-33'] });
  });
});

describe('phaseTarget for a level (last, average)', () => {
  it('keeps the level flat when even', () => {
    const r = phase('last', '50', 3, 0, { method: 'even' });
    expect(r).toEqual({ ok: true, values: ['50', '50', '50'] });
  });

  it('ramps from a start value to the year-end target', () => {
    const r = phase('last', '3', 5, 1, { method: 'ramp', start: '5', end: '0' });
    expect(r).toEqual({ ok: true, values: ['5', '4.5', '4', '3.5', '3'] });
  });

  it('compounds back from the target by a growth step', () => {
    const r = phase('average', '121', 3, 0, { method: 'growth', stepPercent: '10' });
    expect(r).toEqual({ ok: true, values: ['100', '110', '121'] });
  });

  it('scales a seasonal profile around the target', () => {
    const r = phase('average', '100', 2, 0, { method: 'seasonal', weights: ['1', '3'] });
    expect(r).toEqual({ ok: true, values: ['50', '150'] });
  });
});

const decimalAmount = (places: number) =>
  fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }).map((n) => {
    const s = (n < 0n ? -n : n).toString().padStart(places + 1, '0');
    const body = places === 0 ? s : `${s.slice(0, -places)}.${s.slice(-places)}`;
    return n < 0n ? `-${body}` : body;
  });

describe('properties', () => {
  it('flows add up exactly to the amount, whatever the profile', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }).chain((d) => fc.tuple(fc.constant(d), decimalAmount(d))),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 24 }),
        ([decimals, amount], ints) => {
          const weights = ints.some((w) => w > 0) ? ints.map(String) : ints.map(() => '1');
          const r = phaseTarget({
            amount,
            periodCount: weights.length,
            aggregation: 'sum',
            decimals,
            phasing: { method: 'seasonal', weights },
          });
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(sumDec(r.values).eq(amount)).toBe(true);
          for (const v of r.values)
            expect(v.split('.')[1]?.length ?? 0).toBeLessThanOrEqual(decimals);
        },
      ),
    );
  });

  it('no part is more than one unit from its exact share, and zero weights get nothing', () => {
    fc.assert(
      fc.property(
        decimalAmount(2),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 12 }),
        (amount, ints) => {
          fc.pre(ints.some((w) => w > 0));
          const parts = distributeExactly(amount, ints.map(String), 2);
          expect(parts).not.toBeNull();
          const sumW = ints.reduce((a, b) => a + b, 0);
          parts!.forEach((p, i) => {
            const exact = sumDec([amount]).times(ints[i]!).div(sumW);
            expect(exact.minus(p).abs().lt('0.01')).toBe(true);
            if (ints[i] === 0) expect(p).toBe('0');
          });
        },
      ),
    );
  });

  it('is deterministic: the same input gives the same parts', () => {
    fc.assert(
      fc.property(decimalAmount(0), fc.integer({ min: 1, max: 24 }), (amount, n) => {
        const a = phaseTarget({
          amount,
          periodCount: n,
          aggregation: 'sum',
          decimals: 0,
          phasing: { method: 'even' },
        });
        const b = phaseTarget({
          amount,
          periodCount: n,
          aggregation: 'sum',
          decimals: 0,
          phasing: { method: 'even' },
        });
        expect(a).toEqual(b);
      }),
    );
  });

  it('a level ramp ends exactly on the target', () => {
    fc.assert(
      fc.property(
        decimalAmount(1),
        decimalAmount(1),
        fc.integer({ min: 1, max: 12 }),
        (start, amount, n) => {
          const r = phaseTarget({
            amount,
            periodCount: n,
            aggregation: 'last',
            decimals: 1,
            phasing: { method: 'ramp', start, end: '0' },
          });
          expect(r.ok && sumDec([r.values[n - 1]!]).eq(amount)).toBe(true);
        },
      ),
    );
  });
});
