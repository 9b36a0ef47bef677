import { Dec, parseDecimalInput, type ParseResult } from './decimal';
import { groupThousands, localeTable, type Affixes, type LocaleTable } from './locale-tables';

/**
 * Numbers the way an organization's locale writes and reads them, pure and exact: formatting
 * never goes through a float where digits would be lost (the digits come from the exact decimal
 * string; only the layout, separators, sign, currency and percent placement, comes from the
 * locale: from locale-tables.ts for the organization locales, so the browser needs no `Intl`
 * for them, from `Intl.NumberFormat` for any other), and parsing turns `1.234,5` (de-DE) or
 * `1,234.5` (en-US) into the plain decimal string `1234.5` the rest of the code stores.
 */

/** The decimal and group separators of a locale (`,` and `.` in de-DE; fr-FR groups with a narrow space). */
export type LocaleSeparators = { decimal: string; group: string };

const separatorCache = new Map<string, LocaleSeparators>();

export function localeSeparators(locale: string): LocaleSeparators {
  const table = localeTable(locale);
  if (table) return { decimal: table.decimal, group: table.group };
  let found = separatorCache.get(locale);
  if (!found) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
    found = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
    separatorCache.set(locale, found);
  }
  return found;
}

const formatterCache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatterCache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    formatterCache.set(key, f);
  }
  return f;
}

/** How a number is written: plain, as a percentage, or as an amount of a currency (ISO code). */
export type NumberStyle =
  { style?: 'decimal' | 'percent' } | { style: 'currency'; currency: string };

/** What the locale's table puts around the digits in `options`' style (undefined: not listed). */
function tableAffixes(table: LocaleTable, options: NumberStyle): Affixes | undefined {
  if (options.style === 'percent') return table.percent;
  if (options.style !== 'currency') return ['', ''];
  return Object.hasOwn(table.currencies, options.currency)
    ? table.currencies[options.currency]
    : undefined;
}

/**
 * Formats a plain decimal string that already has its final digits (`-1234.50`; no exponent)
 * in `locale` with `options` (fraction digits are taken from the string; with `style: 'percent'`
 * the string is the percentage shown, 12.5 for 12.5%; a currency by its symbol). An
 * organization locale is written from its table (locale-tables.ts); otherwise the layout comes
 * from `Intl.NumberFormat#formatToParts` and its integer and fraction digits are replaced by the
 * exact ones. Either way 20-digit values print exactly in every engine.
 */
export function formatFixedDecimal(
  fixed: string,
  locale: string,
  options: NumberStyle = {},
): string {
  const negative = fixed.startsWith('-');
  const [intPart = '0', frac = ''] = fixed.replace('-', '').split('.');
  const isZero = !/[1-9]/.test(fixed);
  const table = localeTable(locale);
  const affixes = table && tableAffixes(table, options);
  if (table && affixes) {
    const digits = groupThousands(intPart.replace(/^0+(?=\d)/, ''), table.group);
    const number = frac ? `${digits}${table.decimal}${frac}` : digits;
    return `${negative && !isZero ? '-' : ''}${affixes[0]}${number}${affixes[1]}`;
  }
  const f = numberFormat(locale, {
    ...options,
    minimumFractionDigits: frac.length,
    maximumFractionDigits: frac.length,
  });
  // A decimal string is formatted exactly by current engines; older ones go through a float, and
  // the digits are replaced below either way.
  // With `style: 'percent'` the string is the number shown (12.5 for 12.5%): Intl gets it / 100.
  const shown = `${negative && !isZero ? '-' : ''}${intPart}.${frac || '0'}`;
  const input = options.style === 'percent' ? new Dec(shown).div(100).toFixed() : shown;
  const parts = f.formatToParts(input as unknown as number);
  // Hand the exact digits out to the integer parts from the right, keeping the locale's grouping.
  const integerParts = parts.filter((p) => p.type === 'integer');
  let digits = intPart.replace(/^0+(?=\d)/, '');
  for (let i = integerParts.length - 1; i >= 0; i--) {
    const part = integerParts[i]!;
    const take = i === 0 ? digits.length : Math.min(part.value.length, digits.length);
    part.value = digits.slice(digits.length - take);
    digits = digits.slice(0, digits.length - take);
  }
  return parts
    .map((p) => (p.type === 'fraction' ? frac : p.type === 'minusSign' && isZero ? '' : p.value))
    .join('');
}

/** The locale's way of writing 1234.5 (`1.234,5`), named in messages about the expected form. */
export function localeNumberExample(locale: string): string {
  return formatFixedDecimal('1234.5', locale);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const SPACES = /[\s\u00a0\u202f]/g;

/**
 * Parses a number typed or pasted in `locale`'s way into a normalized plain decimal string, with
 * the limits of `parseDecimalInput` (20 digits, 6 decimals). Accepts an optional leading minus,
 * digits grouped in threes by the locale's group separator (or not grouped at all) and the
 * locale's decimal separator: `1.234,5`, `1234,5` and `-0,25` in de-DE; `1,234.5` in en-US;
 * `1 234,5` in fr-FR (any space groups). With `allowPlain` (CSV import) a machine-written
 * `1234.5` (digits, one point, no grouping) is also read where the locale's decimal is a comma.
 * Anything else (`1,5` in en-US, `1.5` in de-DE without `allowPlain`, `12.34.5`, `1e3`) is
 * refused with a message naming the expected form.
 */
export function parseLocaleDecimal(
  raw: string,
  locale: string,
  { allowPlain = false }: { allowPlain?: boolean } = {},
): ParseResult {
  const { decimal, group } = localeSeparators(locale);
  const spaceGroups = SPACES.test(group);
  SPACES.lastIndex = 0;
  let text = raw.trim();
  if (text === '')
    return { ok: false, error: `Enter a number such as ${localeNumberExample(locale)}` };
  text = text.replace(/^[\u2212\u2013]/, '-');
  const g = spaceGroups ? '\\s' : escapeRegExp(group);
  if (spaceGroups) text = text.replace(SPACES, ' ');
  const d = escapeRegExp(decimal);
  const localeForm = new RegExp(`^(-?)(\\d{1,3}(?:${g}\\d{3})+|\\d+)(?:${d}(\\d+))?$`);
  const match = localeForm.exec(text);
  if (match) {
    const plain = `${match[1]}${match[2]!.replace(new RegExp(g, 'g'), '')}${match[3] ? `.${match[3]}` : ''}`;
    return parseDecimalInput(plain);
  }
  if (allowPlain && /^-?\d+(\.\d+)?$/.test(text)) return parseDecimalInput(text);
  return {
    ok: false,
    error: `Write the number as ${localeNumberExample(locale)} (decimals after "${decimal}"${
      spaceGroups ? ', thousands grouped by a space' : `, thousands grouped by "${group}"`
    }, or not grouped)`,
  };
}

/**
 * A plain decimal string (`-1234.5`) as a form field holds it in `locale`: the locale's decimal
 * separator, no grouping (`-1234,5` in de-DE). What forms put in an input and send to the
 * server, which reads it back exactly with `parseLocaleDecimal`.
 */
export function toLocaleInput(plain: string, locale: string): string {
  const { decimal } = localeSeparators(locale);
  return plain.replace('.', decimal);
}
