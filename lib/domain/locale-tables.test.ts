import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORG_LOCALES } from './org-settings';
import { formatFixedDecimal, localeSeparators, type NumberStyle } from './locale-number';
import { addDays, formatDay } from './dates';
import { groupThousands, LOCALE_TABLES, localeTable } from './locale-tables';

/**
 * What `Intl` writes for a decimal string with its own fraction digits (exact for strings), with
 * formatFixedDecimal's one rule of its own: zero has no minus sign.
 */
function intl(fixed: string, locale: string, options: NumberStyle): string {
  const digits = fixed.split('.')[1]?.length ?? 0;
  const unsigned = /[1-9]/.test(fixed) ? fixed : fixed.replace('-', '');
  const input = options.style === 'percent' ? `${unsigned}E-2` : unsigned;
  return new Intl.NumberFormat(locale, {
    ...options,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(input as unknown as number);
}

/** Decimal strings of up to 15 digits (exact for Intl), negative, zero and grouped ones. */
const fixedArb = fc
  .tuple(
    fc.boolean(),
    fc.bigInt({ min: 0n, max: 999_999_999_999n }),
    fc.integer({ min: 0, max: 3 }),
  )
  .map(([negative, n, decimals]) => {
    const s = n.toString().padStart(decimals + 1, '0');
    const int = s.slice(0, s.length - decimals);
    const frac = s.slice(s.length - decimals);
    return `${negative ? '-' : ''}${int}${decimals ? `.${frac}` : ''}`;
  });

describe('locale tables', () => {
  it('cover every organization locale', () => {
    for (const locale of ORG_LOCALES) expect(localeTable(locale)).toBeDefined();
    expect(localeTable('es-ES')).toBeUndefined();
    expect(localeTable('toString')).toBeUndefined();
  });

  it('write plain numbers and percentages as Intl does', () => {
    fc.assert(
      fc.property(fixedArb, fc.constantFrom(...ORG_LOCALES), (fixed, locale) => {
        expect(formatFixedDecimal(fixed, locale)).toBe(intl(fixed, locale, {}));
        expect(formatFixedDecimal(fixed, locale, { style: 'percent' })).toBe(
          intl(fixed, locale, { style: 'percent' }),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('write every listed currency as Intl does, in every organization locale', () => {
    for (const locale of ORG_LOCALES) {
      for (const currency of Object.keys(LOCALE_TABLES[locale]!.currencies)) {
        for (const fixed of ['1234567.50', '-0.25', '0', '-1234', '12.345', '999']) {
          const style = { style: 'currency', currency } as const;
          expect(formatFixedDecimal(fixed, locale, style), `${locale} ${currency} ${fixed}`).toBe(
            intl(fixed, locale, style),
          );
        }
      }
    }
  });

  it('leave a currency not listed, and other locales, to Intl', () => {
    expect(formatFixedDecimal('1234.5', 'en-US', { style: 'currency', currency: 'ISK' })).toBe(
      intl('1234.5', 'en-US', { style: 'currency', currency: 'ISK' }),
    );
    expect(formatFixedDecimal('-1234.5', 'es-ES')).toBe(intl('-1234.5', 'es-ES', {}));
    expect(formatFixedDecimal('12345678901234567890.5', 'en-US')).toBe(
      '12,345,678,901,234,567,890.5',
    );
  });

  it('give the separators Intl gives', () => {
    for (const locale of ORG_LOCALES) {
      const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
      expect(localeSeparators(locale)).toEqual({
        decimal: parts.find((p) => p.type === 'decimal')?.value,
        group: parts.find((p) => p.type === 'group')?.value,
      });
    }
  });

  it('write every day of ten years as Intl does, with and without the year', () => {
    for (const locale of ORG_LOCALES) {
      const long = new Intl.DateTimeFormat(locale, {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        timeZone: 'UTC',
      });
      const short = new Intl.DateTimeFormat(locale, {
        day: '2-digit',
        month: '2-digit',
        timeZone: 'UTC',
      });
      for (let day = '2020-01-01'; day < '2030-01-01'; day = addDays(day, 1)) {
        const instant = new Date(`${day}T00:00:00Z`);
        expect(formatDay(day, locale)).toBe(long.format(instant));
        expect(formatDay(day, locale, { year: false })).toBe(short.format(instant));
      }
    }
  });

  it('group digits by threes', () => {
    expect(groupThousands('0', ',')).toBe('0');
    expect(groupThousands('123', ',')).toBe('123');
    expect(groupThousands('1234', '.')).toBe('1.234');
    expect(groupThousands('1234567', ',')).toBe('1,234,567');
  });
});
