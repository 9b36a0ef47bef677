import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TIME_AGGREGATIONS,
  aggregateSamples,
  aggregateValues,
  compareInstants,
  latestSample,
} from '@/lib/domain/aggregation';
import type { Sample } from '@/lib/domain/aggregation';
import { decCompare } from '@/lib/domain/decimal';
import {
  isoDateArb,
  roundHalfAwayScaled,
  scaledDecimal,
  scaledToString,
} from '@/lib/domain/test-arbitraries';

const s = (
  value: string,
  observedOn: string,
  recordedAt = `${observedOn}T12:00:00.000Z`,
): Sample => ({
  value,
  observedOn,
  recordedAt,
});

describe('aggregateSamples', () => {
  it('lists the three time aggregations', () => {
    expect(TIME_AGGREGATIONS).toEqual(['sum', 'last', 'average']);
  });

  it.each(TIME_AGGREGATIONS)('%s of no samples is null with count 0', (method) => {
    expect(aggregateSamples(method, [])).toEqual({ value: null, count: 0 });
  });

  it.each([
    ['sum', ['10', '20.5', '-0.5'], '30'],
    ['sum', ['0.1', '0.2'], '0.3'],
    ['sum', ['1.000000'], '1'],
    ['sum', ['-0'], '0'],
    ['average', ['1', '2'], '1.5'],
    ['average', ['1', '1', '2'], '1.3333333333'],
    ['average', ['2', '2', '1'], '1.6666666667'],
    ['average', ['-2', '-2', '-1'], '-1.6666666667'],
    ['average', ['0.000001', '0', '0'], '0.0000003333'],
    ['average', ['10'], '10'],
    ['average', ['0.1', '0.2', '0.3'], '0.2'],
  ] as const)('%s of %j = %s', (method, values, expected) => {
    const samples = values.map((v, i) => s(v, `2026-03-0${i + 1}`));
    expect(aggregateSamples(method, samples)).toEqual({ value: expected, count: values.length });
  });

  it("'sum' of 10,000 x 0.1 is exactly 1000", () => {
    const samples = Array.from({ length: 10_000 }, () => s('0.1', '2026-03-01'));
    expect(aggregateSamples('sum', samples)).toEqual({ value: '1000', count: 10_000 });
    expect(aggregateSamples('average', samples)).toEqual({ value: '0.1', count: 10_000 });
  });
});

describe("'last'", () => {
  it('takes the latest observedOn regardless of input order or recording time', () => {
    const samples = [
      s('3', '2026-03-20', '2026-03-20T09:00:00Z'),
      s('9', '2026-03-31', '2026-03-31T09:00:00Z'),
      s('5', '2026-03-25', '2026-04-02T09:00:00Z'), // recorded later, observed earlier
    ];
    expect(aggregateSamples('last', samples)).toEqual({ value: '9', count: 3 });
    expect(aggregateSamples('last', [...samples].reverse())).toEqual({ value: '9', count: 3 });
  });

  it('breaks an observedOn tie by the latest recordedAt', () => {
    const early = s('1', '2026-03-31', '2026-03-31T08:00:00Z');
    const late = s('2', '2026-03-31', '2026-03-31T17:00:00Z');
    expect(aggregateSamples('last', [early, late]).value).toBe('2');
    expect(aggregateSamples('last', [late, early]).value).toBe('2');
  });

  it('compares recordedAt as instants, honouring offsets', () => {
    // 10:00+02:00 is 08:00Z, earlier than 09:00Z although it sorts later as text
    const a = s('1', '2026-03-31', '2026-03-31T10:00:00+02:00');
    const b = s('2', '2026-03-31', '2026-03-31T09:00:00Z');
    expect(aggregateSamples('last', [a, b]).value).toBe('2');
    expect(aggregateSamples('last', [b, a]).value).toBe('2');
  });

  it('sees microseconds that Date.parse drops', () => {
    const a = s('1', '2026-03-31', '2026-03-31T09:00:00.123457Z');
    const b = s('2', '2026-03-31', '2026-03-31T09:00:00.123456Z');
    expect(aggregateSamples('last', [a, b]).value).toBe('1');
    expect(aggregateSamples('last', [b, a]).value).toBe('1');
  });

  it('on a complete tie takes the later element of the input', () => {
    const a = s('1', '2026-03-31', '2026-03-31T09:00:00Z');
    const b = s('2', '2026-03-31', '2026-03-31T09:00:00Z');
    expect(aggregateSamples('last', [a, b]).value).toBe('2');
    expect(aggregateSamples('last', [b, a]).value).toBe('1');
  });

  it('normalizes the chosen value', () => {
    expect(aggregateSamples('last', [s('12.500000', '2026-03-01')]).value).toBe('12.5');
  });

  it('throws on a malformed timestamp or date instead of guessing', () => {
    expect(() =>
      aggregateSamples('last', [s('1', '2026-03-01', 'yesterday'), s('2', '2026-03-01')]),
    ).toThrow(RangeError);
    expect(() => aggregateSamples('last', [s('1', '2026-3-1')])).toThrow(RangeError);
  });

  it('picks a sample with the maximum (observedOn, recordedAt), independent of order', () => {
    const sampleArb = fc.record({
      value: scaledDecimal().map((d) => d.s),
      observedOn: fc.constantFrom('2026-03-01', '2026-03-02', '2026-03-03'),
      recordedAt: fc
        .integer({ min: 0, max: 5 })
        .map((n) => new Date(Date.UTC(2026, 2, 3, 0, 0, n)).toISOString()),
    });
    fc.assert(
      fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 20 }), (samples) => {
        const chosen = latestSample(samples)!;
        for (const other of samples) {
          const later =
            other.observedOn > chosen.observedOn ||
            (other.observedOn === chosen.observedOn &&
              compareInstants(other.recordedAt, chosen.recordedAt) > 0);
          expect(later).toBe(false);
        }
        const keys = (xs: Sample[]) => {
          const l = latestSample(xs)!;
          return `${l.observedOn}|${l.recordedAt}`;
        };
        expect(keys([...samples].reverse())).toBe(keys(samples));
      }),
    );
  });
});

describe('compareInstants', () => {
  it.each([
    ['2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', -1],
    ['2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00Z', 1],
    ['2026-01-01T01:00:00+01:00', '2026-01-01T00:00:00Z', 0],
    ['2026-01-01T00:00:00.000001Z', '2026-01-01T00:00:00Z', 1],
    ['2026-01-01T00:00:00.1Z', '2026-01-01T00:00:00.100000Z', 0],
    ['2026-01-01 00:00:00.000002+00', '2026-01-01 00:00:00.000001+00', 1],
  ])('compareInstants(%s, %s) = %i', (a, b, expected) => {
    expect(compareInstants(a, b)).toBe(expected);
  });

  it('throws on garbage', () => {
    expect(() => compareInstants('not a time', '2026-01-01T00:00:00Z')).toThrow(RangeError);
  });
});

describe('aggregateValues', () => {
  it.each(TIME_AGGREGATIONS)('%s of no values is null', (method) => {
    expect(aggregateValues(method, [])).toBeNull();
  });

  it.each([
    ['sum', ['100', '200', '300.5'], '600.5'],
    ['last', ['100', '200', '300.5'], '300.5'],
    ['last', ['5', '1.50'], '1.5'],
    ['average', ['100', '200', '300.5'], '200.1666666667'],
    ['average', ['1', '2', '3', '4'], '2.5'],
    ['sum', ['0.3333333333', '0.3333333333', '0.3333333334'], '1'],
  ] as const)('%s of %j = %s', (method, values, expected) => {
    expect(aggregateValues(method, values)).toBe(expected);
  });

  it('sum is the exact BigInt sum and average its half-away rounding to 10 places', () => {
    fc.assert(
      fc.property(fc.array(scaledDecimal(), { minLength: 1, maxLength: 40 }), (items) => {
        const values = items.map((i) => i.s);
        const total = items.reduce((a, i) => a + i.n, 0n);
        expect(aggregateValues('sum', values)).toBe(scaledToString(total, 6));
        const avg = roundHalfAwayScaled(total, BigInt(items.length) * 10n ** 6n, 10);
        expect(aggregateValues('average', values)).toBe(scaledToString(avg, 10));
        expect(aggregateValues('last', values)).toBe(values.at(-1));
      }),
    );
  });

  it('min <= average <= max', () => {
    fc.assert(
      fc.property(fc.array(scaledDecimal(), { minLength: 1, maxLength: 40 }), (items) => {
        const values = items.map((i) => i.s);
        const avg = aggregateValues('average', values)!;
        const sorted = [...values].sort(decCompare);
        expect(decCompare(sorted[0]!, avg)).toBeLessThanOrEqual(0);
        expect(decCompare(avg, sorted.at(-1)!)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('aggregateSamples sum/average agree with aggregateValues on the same values', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(scaledDecimal(), isoDateArb), { maxLength: 30 }), (rows) => {
        const samples = rows.map(([d, date]) => s(d.s, date));
        const values = rows.map(([d]) => d.s);
        for (const method of ['sum', 'average'] as const) {
          expect(aggregateSamples(method, samples)).toEqual({
            value: aggregateValues(method, values),
            count: rows.length,
          });
        }
      }),
    );
  });
});
