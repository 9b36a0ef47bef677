import Decimal from 'decimal.js';

/**
 * The decimal constructor of formula evaluation: 40 significant digits, half-even rounding of
 * every inexact result (only divisions are inexact). A clone of its own, so the app's `Dec`
 * (`lib/domain/decimal.ts`, 60 digits, half up) stays as it is.
 */
export const Dec40 = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

/** An instance of `Dec40`. */
export type Dec40Value = InstanceType<typeof Dec40>;

/** A decimal string or value as `Dec40`; throws a RangeError on NaN, infinities or garbage. */
export function toDec40(v: string | Dec40Value): Dec40Value {
  let d: Dec40Value;
  try {
    d = new Dec40(v);
  } catch {
    throw new RangeError(`Not a decimal: ${JSON.stringify(String(v))}`);
  }
  if (!d.isFinite()) throw new RangeError(`Not a finite decimal: ${String(v)}`);
  return d;
}

/** Plain notation without trailing zeros or a negative zero: `1000`, `0.25`, `-3`, `0`. */
export function plainDec40(d: Dec40Value): string {
  return d.isZero() ? '0' : d.toFixed();
}

/**
 * A computed value rounded half-even to `decimals` places, for display (or for storage at the
 * column's scale): `2.5` -> `2`, `3.5` -> `4` with 0 decimals; always `decimals` digits shown.
 */
export function roundHalfEven(d: Dec40Value, decimals: number): string {
  const r = d.toDecimalPlaces(decimals, Decimal.ROUND_HALF_EVEN);
  return r.isZero() ? new Dec40(0).toFixed(decimals) : r.toFixed(decimals);
}
