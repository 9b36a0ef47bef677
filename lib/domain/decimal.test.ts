import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Dec,
  INPUT_MAX_DIGITS,
  INPUT_MAX_INTEGER_DIGITS,
  INPUT_MAX_SCALE,
  VALUE_SCALE,
  decCompare,
  decEquals,
  normalizeDecimal,
  parseDecimalInput,
  roundValue,
  sumDec,
  toDec,
  toPlainString,
} from '@/lib/domain/decimal';
import { scaledDecimal, scaledToString } from '@/lib/domain/test-arbitraries';

describe('constants', () => {
  it('match the numeric(20, 6) and numeric(38, 10) columns', () => {
    expect(INPUT_MAX_DIGITS).toBe(20);
    expect(INPUT_MAX_SCALE).toBe(6);
    expect(INPUT_MAX_INTEGER_DIGITS).toBe(14);
    expect(VALUE_SCALE).toBe(10);
  });

  it('Dec is configured with 60 digits and half-up rounding, leaving the global Decimal alone', () => {
    expect(Dec.precision).toBe(60);
    expect(Dec.rounding).toBe(Dec.ROUND_HALF_UP);
    expect(new Dec(1).div(3).toFixed()).toBe(`0.${'3'.repeat(60)}`);
  });
});

describe('parseDecimalInput: accepted and normalized', () => {
  it.each([
    ['12', '12'],
    ['-3.5', '-3.5'],
    ['0.1', '0.1'],
    ['0.5', '0.5'],
    ['0', '0'],
    ['-0', '0'],
    ['-0.000', '0'],
    ['007', '7'],
    ['-007.50', '-7.5'],
    ['1.50', '1.5'],
    ['1000', '1000'],
    ['  42  ', '42'],
    ['\t-1\n', '-1'],
    ['12345678901234.123456', '12345678901234.123456'],
    ['99999999999999.999999', '99999999999999.999999'],
    ['-99999999999999.999999', '-99999999999999.999999'],
    ['0.000001', '0.000001'],
    ['1.5000000000', '1.5'],
    ['000000000000000000000001', '1'],
  ])('%j -> %s', (raw, expected) => {
    expect(parseDecimalInput(raw)).toEqual({ ok: true, value: expected });
  });
});

describe('parseDecimalInput: refused with a clear message', () => {
  const FORMAT = 'Enter a number such as 1250 or 3.75';
  it.each([
    ['', FORMAT],
    ['   ', FORMAT],
    ['NaN', FORMAT],
    ['nan', FORMAT],
    ['Infinity', FORMAT],
    ['-Infinity', FORMAT],
    ['1e309', FORMAT],
    ['1e3', FORMAT],
    ['1E-2', FORMAT],
    ['+1', FORMAT],
    ['--1', FORMAT],
    ['-', FORMAT],
    ['1.2.3', FORMAT],
    ['.5', FORMAT],
    ['5.', FORMAT],
    ['-.5', FORMAT],
    ['0x10', FORMAT],
    ['1_000', FORMAT],
    ['1 000', FORMAT],
    ['12abc', FORMAT],
    ['١٢', FORMAT],
    ['1,5', FORMAT],
    ['$100', FORMAT],
    ['50%', FORMAT],
    ['1,000', 'Leave out thousands separators: write 1250, not 1,250'],
    ['-1,234,567.5', 'Leave out thousands separators: write 1250, not 1,250'],
    ['123456789012345678901', 'Use at most 20 digits'],
    ['12345678901234.1234567', 'Use at most 20 digits'],
    ['1.1234567', 'Use at most 6 decimal places'],
    ['0.0000001', 'Use at most 6 decimal places'],
    ['-0.0000005', 'Use at most 6 decimal places'],
    ['100000000000000', 'Use at most 14 digits before the decimal point'],
    ['12345678901234567890', 'Use at most 14 digits before the decimal point'],
  ])('%j', (raw, error) => {
    expect(parseDecimalInput(raw)).toEqual({ ok: false, error });
  });

  it('refuses every non-numeric string fast-check can think of that is not plain decimal', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const result = parseDecimalInput(s);
        if (!/^\s*-?\d+(\.\d+)?\s*$/.test(s)) expect(result.ok).toBe(false);
      }),
    );
  });
});

describe('parseDecimalInput: properties', () => {
  it('round-trips any in-range 6-place decimal to its canonical form', () => {
    fc.assert(
      fc.property(scaledDecimal(10n ** 20n - 1n), ({ s }) => {
        expect(parseDecimalInput(s)).toEqual({ ok: true, value: s });
      }),
    );
  });

  it('is idempotent and agrees numerically with the input', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,14}(\.\d{1,6})?$/), (raw) => {
        const first = parseDecimalInput(raw);
        expect(first.ok).toBe(true);
        if (!first.ok) return;
        expect(parseDecimalInput(first.value)).toEqual(first);
        expect(new Dec(first.value).eq(new Dec(raw))).toBe(true);
        expect(first.value).not.toMatch(/e|^-0$|\.\d*0$|^-?0\d/);
      }),
    );
  });
});

describe('normalizeDecimal / toPlainString / roundValue', () => {
  it.each([
    ['12.500000', '12.5'],
    ['1000.000000', '1000'],
    ['-0', '0'],
    ['-0.0000000000', '0'],
    ['1e21', '1000000000000000000000'],
    ['1e-12', '0.000000000001'],
    ['-2.50', '-2.5'],
    ['0.3333333333', '0.3333333333'],
  ])('normalizeDecimal(%j) = %s', (raw, expected) => {
    expect(normalizeDecimal(raw)).toBe(expected);
  });

  it('normalizeDecimal of plain notation is what Decimal gives, for any digits', () => {
    const digits = (max: number) =>
      fc.array(fc.constantFrom(...'0123456789'), { maxLength: max }).map((d) => d.join(''));
    fc.assert(
      fc.property(
        fc.boolean(),
        digits(30).filter((d) => d !== ''),
        fc.option(digits(30).filter((d) => d !== '')),
        (negative, integer, fraction) => {
          const raw = `${negative ? '-' : ''}${integer}${fraction === null ? '' : `.${fraction}`}`;
          expect(normalizeDecimal(raw)).toBe(toPlainString(new Dec(raw)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each(['NaN', 'Infinity', '-Infinity', 'abc', ''])('normalizeDecimal throws on %j', (raw) => {
    expect(() => normalizeDecimal(raw)).toThrow(RangeError);
  });

  it('toPlainString refuses non-finite values', () => {
    expect(() => toPlainString(new Dec(NaN))).toThrow(RangeError);
    expect(() => toPlainString(new Dec(Infinity))).toThrow(RangeError);
  });

  it.each([
    ['1', '3', '0.3333333333'],
    ['2', '3', '0.6666666667'],
    ['-2', '3', '-0.6666666667'],
    ['1', '4', '0.25'],
    ['10', '2', '5'],
    ['0.00000000005', '1', '0.0000000001'],
    ['-0.00000000005', '1', '-0.0000000001'],
    ['-0.00000000004', '1', '0'],
  ])('roundValue(%s / %s) = %s (half away from zero)', (a, b, expected) => {
    expect(roundValue(new Dec(a).div(new Dec(b)))).toBe(expected);
  });
});

describe('decEquals and decCompare', () => {
  it.each([
    ['1.50', '1.5', true],
    ['0', '-0', true],
    ['1000', '1e3', true],
    ['1', '1.000001', false],
    ['-1', '1', false],
  ])('decEquals(%s, %s) = %s', (a, b, expected) => {
    expect(decEquals(a, b)).toBe(expected);
  });

  it('treats null as equal only to null', () => {
    expect(decEquals(null, null)).toBe(true);
    expect(decEquals(null, '0')).toBe(false);
    expect(decEquals('0', null)).toBe(false);
  });

  it('throws on garbage rather than comparing it', () => {
    expect(() => decEquals('abc', '1')).toThrow(RangeError);
    expect(() => toDec('NaN')).toThrow(RangeError);
  });

  it.each([
    ['1', '2', -1],
    ['2', '1', 1],
    ['2.0', '2', 0],
    ['-10', '-9.999999', -1],
  ])('decCompare(%s, %s) = %i', (a, b, expected) => {
    expect(decCompare(a, b)).toBe(expected);
  });

  it('decCompare agrees with BigInt ordering', () => {
    fc.assert(
      fc.property(scaledDecimal(), scaledDecimal(), (a, b) => {
        expect(decCompare(a.s, b.s)).toBe(a.n < b.n ? -1 : a.n > b.n ? 1 : 0);
        expect(decEquals(a.s, b.s)).toBe(a.n === b.n);
      }),
    );
  });
});

describe('sumDec', () => {
  it('sums 10,000 x 0.1 to exactly 1000', () => {
    expect(toPlainString(sumDec(Array.from({ length: 10_000 }, () => '0.1')))).toBe('1000');
  });

  it('is 0 for an empty list', () => {
    expect(toPlainString(sumDec([]))).toBe('0');
  });

  it('equals the exact BigInt sum', () => {
    fc.assert(
      fc.property(fc.array(scaledDecimal(), { maxLength: 50 }), (items) => {
        const expected = scaledToString(
          items.reduce((a, i) => a + i.n, 0n),
          6,
        );
        expect(toPlainString(sumDec(items.map((i) => i.s)))).toBe(expected);
      }),
    );
  });
});
