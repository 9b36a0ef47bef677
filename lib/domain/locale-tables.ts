/**
 * How the organization locales (ORG_LOCALES) write numbers and days, as data: what
 * `Intl.NumberFormat` and `Intl.DateTimeFormat` give for them, written out so that formatting
 * needs no `Intl` for them. A browser's first `Intl` formatter loads its ICU data, 60-110 ms of
 * main thread on a mid-range phone, in the middle of a dashboard's hydration (bench/RESULTS.md);
 * with these tables a page in an organization locale hydrates without it, and server and browser
 * print the same characters whatever ICU each has. Anything not here (another locale, a currency
 * not listed) still goes through `Intl`. locale-tables.test.ts checks every entry against `Intl`.
 */

/** A prefix and a suffix around the digits (`$` and ``; `` and ` €`). */
export type Affixes = readonly [prefix: string, suffix: string];

export type LocaleTable = {
  decimal: string;
  group: string;
  /** Around a percentage: `12%`, `12 %`. */
  percent: Affixes;
  /** Around an amount, by ISO code, with `currencyDisplay: 'symbol'`. */
  currencies: Readonly<Record<string, Affixes>>;
  /** A day: its parts in order and the separator, and what follows the day-month form. */
  day: { order: 'dmy' | 'mdy'; separator: string; shortSuffix: string };
};

const NBSP = '\u00a0';
const NNBSP = '\u202f';

/** The symbols most locales give these currencies; each locale's table names where it differs. */
const SYMBOLS: Readonly<Record<string, string>> = {
  AUD: 'A$',
  BRL: 'R$',
  CAD: 'CA$',
  CHF: 'CHF',
  CNY: 'CN¥',
  DKK: 'DKK',
  EUR: '€',
  GBP: '£',
  HKD: 'HK$',
  INR: '₹',
  JPY: '¥',
  KRW: '₩',
  MXN: 'MX$',
  NOK: 'NOK',
  NZD: 'NZ$',
  PLN: 'PLN',
  SEK: 'SEK',
  SGD: 'SGD',
  USD: '$',
  ZAR: 'ZAR',
};

/** Symbols written before the amount (as in English); a letters-only symbol gets a space. */
function leadingCurrencies(overrides: Record<string, string>): Record<string, Affixes> {
  return Object.fromEntries(
    Object.entries({ ...SYMBOLS, ...overrides }).map(([code, s]) => [
      code,
      [/^[A-Z]+$/.test(s) ? `${s}${NBSP}` : s, ''] as const,
    ]),
  );
}

/** Symbols written after the amount, after a no-break space. */
function trailingCurrencies(overrides: Record<string, string>): Record<string, Affixes> {
  return Object.fromEntries(
    Object.entries({ ...SYMBOLS, ...overrides }).map(([code, s]) => [
      code,
      ['', `${NBSP}${s}`] as const,
    ]),
  );
}

export const LOCALE_TABLES: Readonly<Record<string, LocaleTable>> = {
  'en-US': {
    decimal: '.',
    group: ',',
    percent: ['', '%'],
    currencies: leadingCurrencies({}),
    day: { order: 'mdy', separator: '/', shortSuffix: '' },
  },
  'en-GB': {
    decimal: '.',
    group: ',',
    percent: ['', '%'],
    currencies: leadingCurrencies({ JPY: 'JP¥', USD: 'US$' }),
    day: { order: 'dmy', separator: '/', shortSuffix: '' },
  },
  'de-DE': {
    decimal: ',',
    group: '.',
    percent: ['', `${NBSP}%`],
    currencies: trailingCurrencies({ AUD: 'AU$' }),
    day: { order: 'dmy', separator: '.', shortSuffix: '.' },
  },
  'fr-FR': {
    decimal: ',',
    group: NNBSP,
    percent: ['', `${NBSP}%`],
    currencies: trailingCurrencies({
      AUD: '$AU',
      CAD: '$CA',
      CNY: 'CNY',
      GBP: '£GB',
      HKD: 'HKD',
      JPY: 'JPY',
      MXN: '$MX',
      NZD: '$NZ',
      SGD: '$SG',
      USD: '$US',
    }),
    day: { order: 'dmy', separator: '/', shortSuffix: '' },
  },
};

/** The table of `locale`, or undefined (then `Intl` formats). */
export function localeTable(locale: string): LocaleTable | undefined {
  return Object.hasOwn(LOCALE_TABLES, locale) ? LOCALE_TABLES[locale] : undefined;
}

/** `digits` (no sign, no leading zeros but a lone 0) grouped by threes with `group`. */
export function groupThousands(digits: string, group: string): string {
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const part = digits.slice(Math.max(0, end - 3), end);
    out = out === '' ? part : `${part}${group}${out}`;
  }
  return out;
}
