import Decimal from 'decimal.js';

/**
 * The one configured decimal constructor of the app. 60 significant digits is far more than any
 * value needs (inputs have at most 20 digits, products of two inputs at most 40), so divisions are
 * only rounded once in practice: by `roundValue` to `VALUE_SCALE` places, half away from zero
 * (the same rule as Postgres `round(numeric)`).
 */
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

/** An instance of `Dec`. */
export type DecValue = InstanceType<typeof Dec>;

/** Decimal places kept for computed values (averages, weighted averages, pace targets). */
export const VALUE_SCALE = 10;

/** Most digits a user-entered number may have (matches the `numeric(20, 6)` input columns). */
export const INPUT_MAX_DIGITS = 20;

/** Most digits after the decimal point a user-entered number may have. */
export const INPUT_MAX_SCALE = 6;

/** Most digits before the decimal point a user-entered number may have (20 - 6). */
export const INPUT_MAX_INTEGER_DIGITS = INPUT_MAX_DIGITS - INPUT_MAX_SCALE;

/** Result of parsing user input: a normalized decimal string or a user-facing error. */
export type ParseResult = { ok: true; value: string } | { ok: false; error: string };

const FORMAT_ERROR = 'Enter a number such as 1250 or 3.75';
const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a number typed by a person (form, CSV cell, API field) into a normalized decimal string.
 * Accepts only plain notation with a leading digit: `12`, `-3.5`, `0.5`, `007` (surrounding
 * whitespace is trimmed). Refuses empty input, `+1`, `.5`, `5.`, `1e3`, `1,000`, `NaN`,
 * `Infinity`, more than 20 digits, more than 14 digits before the point and more than 6 after it.
 * Limits are checked on the normalized number, so `1.5000000` and `000000000000000000001` pass.
 */
export function parseDecimalInput(raw: string): ParseResult {
  const text = raw.trim();
  if (text === '') return { ok: false, error: FORMAT_ERROR };
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) {
    if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
      return { ok: false, error: 'Leave out thousands separators: write 1250, not 1,250' };
    }
    return { ok: false, error: FORMAT_ERROR };
  }
  const integerDigits = (match[2] ?? '').replace(/^0+/, '');
  const fractionDigits = (match[3] ?? '').replace(/0+$/, '');
  if (integerDigits.length + fractionDigits.length > INPUT_MAX_DIGITS) {
    return { ok: false, error: `Use at most ${INPUT_MAX_DIGITS} digits` };
  }
  if (fractionDigits.length > INPUT_MAX_SCALE) {
    return { ok: false, error: `Use at most ${INPUT_MAX_SCALE} decimal places` };
  }
  if (integerDigits.length > INPUT_MAX_INTEGER_DIGITS) {
    return {
      ok: false,
      error: `Use at most ${INPUT_MAX_INTEGER_DIGITS} digits before the decimal point`,
    };
  }
  return { ok: true, value: toPlainString(new Dec(text)) };
}

/**
 * Formats a finite decimal in plain notation without trailing zeros and without a minus sign on
 * zero: `1000`, `0.3333333333`, `-2.5`, `0`. Throws on NaN or infinities.
 */
export function toPlainString(d: DecValue): string {
  if (!d.isFinite()) throw new RangeError(`Not a finite decimal: ${d.toString()}`);
  if (d.isZero()) return '0';
  return d.toFixed();
}

/** Rounds a computed value to `VALUE_SCALE` places (half away from zero) and formats it plainly. */
export function roundValue(d: DecValue): string {
  return toPlainString(d.toDecimalPlaces(VALUE_SCALE, Dec.ROUND_HALF_UP));
}

/** A decimal in plain notation: sign, integer digits, optional fraction digits. */
const PLAIN_NUMERIC = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Normalizes a decimal string (for example one read from a `numeric` column, such as
 * `"12.500000"`) to plain notation without trailing zeros: `"12.5"`. Throws on anything that is
 * not a finite number.
 */
export function normalizeDecimal(v: string): string {
  // Plain notation (every `numeric` the database gives): the same string by text alone, without
  // building a Decimal (the cascade normalizes hundreds of stored values per check-in).
  const plain = PLAIN_NUMERIC.exec(v);
  if (plain) {
    const integer = (plain[2] ?? '').replace(/^0+/, '');
    const fraction = (plain[3] ?? '').replace(/0+$/, '');
    if (integer === '' && fraction === '') return '0';
    return `${plain[1]}${integer === '' ? '0' : integer}${fraction === '' ? '' : `.${fraction}`}`;
  }
  return toPlainString(toDec(v));
}

/** Converts a decimal string to `Dec`, throwing a RangeError on NaN, infinities or garbage. */
export function toDec(v: string): DecValue {
  let d: DecValue;
  try {
    d = new Dec(v);
  } catch {
    throw new RangeError(`Not a decimal: ${JSON.stringify(v)}`);
  }
  if (!d.isFinite()) throw new RangeError(`Not a finite decimal: ${JSON.stringify(v)}`);
  return d;
}

/** Numeric equality of two optional decimal strings (`"1.50"` equals `"1.5"`; null equals null). */
export function decEquals(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return toDec(a).eq(toDec(b));
}

/** Compares two decimal strings numerically: -1, 0 or 1. */
export function decCompare(a: string, b: string): -1 | 0 | 1 {
  const c = toDec(a).cmp(toDec(b));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** Exact sum of decimal strings as `Dec` (0 for an empty list). */
export function sumDec(values: readonly string[]): DecValue {
  let total = new Dec(0);
  for (const v of values) total = total.plus(toDec(v));
  return total;
}
