import fc from 'fast-check';
import { addDays } from '@/lib/domain/dates';

/** Test-only fast-check arbitraries and BigInt helpers for the domain tests (never import in app code). */

/** Formats n / 10^scale in plain notation without trailing zeros, the domain's output format. */
export function scaledToString(n: bigint, scale: number): string {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const base = 10n ** BigInt(scale);
  const int = abs / base;
  const frac = (abs % base).toString().padStart(scale, '0').replace(/0+$/, '');
  if (int === 0n && frac === '') return '0';
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Rounds the rational num / den (den > 0) to `scale` places, half away from zero, as a BigInt. */
export function roundHalfAwayScaled(num: bigint, den: bigint, scale: number): bigint {
  const scaled = num * 10n ** BigInt(scale);
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  return negative ? -q : q;
}

/** A decimal string with at most 6 places (the input format) and its value times 10^6. */
export const scaledDecimal = (maxAbs: bigint = 10n ** 20n - 1n) =>
  fc.bigInt({ min: -maxAbs, max: maxAbs }).map((n) => ({ n, s: scaledToString(n, 6) }));

/** A positive weight with at most 6 places and its value times 10^6. */
export const scaledWeight = (maxAbs: bigint = 10n ** 9n) =>
  fc.bigInt({ min: 1n, max: maxAbs }).map((n) => ({ n, s: scaledToString(n, 6) }));

/** Any ISO date from 1900-01-01 to 2999-12-31. */
export const isoDateArb = fc
  .integer({ min: 0, max: 401_766 })
  .map((offset) => addDays('1900-01-01', offset));

/** A fiscal-year start month, 1..12. */
export const fyStartMonthArb = fc.integer({ min: 1, max: 12 });
