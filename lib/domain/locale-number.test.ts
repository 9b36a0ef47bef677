import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORG_LOCALES } from './org-settings';
import { formatFixedDecimal, parseLocaleDecimal } from './locale-number';
import { formatDay, parseLocaleDay } from './dates';
import { normalizeDecimal } from './decimal';

describe('parseLocaleDecimal', () => {
  it.each([
    ['de-DE', '1.234,5', '1234.5'],
    ['de-DE', '1234,5', '1234.5'],
    ['de-DE', '-0,25', '-0.25'],
    ['de-DE', '1.234.567', '1234567'],
    ['en-US', '1,234.5', '1234.5'],
    ['en-US', '1234.5', '1234.5'],
    ['en-GB', '-1,000,000.125', '-1000000.125'],
    ['fr-FR', '1 234,5', '1234.5'],
    ['fr-FR', '1\u202f234,5', '1234.5'],
    ['fr-FR', '1\u00a0234,5', '1234.5'],
    ['de-DE', ' 12 ', '12'],
  ])('%s reads %j as %s', (locale, text, value) => {
    expect(parseLocaleDecimal(text, locale)).toEqual({ ok: true, value });
  });

  it.each([
    ['en-US', '1,5', '1,234.5'],
    ['en-US', '1.234,5', '1,234.5'],
    ['de-DE', '1.5', '1.234,5'],
    ['de-DE', '1,234.5', '1.234,5'],
    ['de-DE', '12.34.5', '1.234,5'],
    ['de-DE', '1e3', '1.234,5'],
    ['fr-FR', '1.234,5', '1\u202f234,5'],
  ])('%s refuses %j, naming %s', (locale, text, example) => {
    const r = parseLocaleDecimal(text, locale);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(example);
  });

  it('reads plain machine numbers only when allowed (CSV import)', () => {
    expect(parseLocaleDecimal('1234.5', 'de-DE').ok).toBe(false);
    expect(parseLocaleDecimal('1234.5', 'de-DE', { allowPlain: true })).toEqual({
      ok: true,
      value: '1234.5',
    });
    expect(parseLocaleDecimal('1234.5', 'fr-FR', { allowPlain: true })).toEqual({
      ok: true,
      value: '1234.5',
    });
    // A correctly grouped locale number wins over the plain reading.
    expect(parseLocaleDecimal('1.234', 'de-DE', { allowPlain: true })).toEqual({
      ok: true,
      value: '1234',
    });
  });

  it('keeps the limits of the plain parser', () => {
    expect(parseLocaleDecimal('0,1234567', 'de-DE')).toEqual({
      ok: false,
      error: 'Use at most 6 decimal places',
    });
    expect(parseLocaleDecimal('', 'de-DE').ok).toBe(false);
  });

  it('round-trips: format then parse gives the same decimal, in every locale', () => {
    const decimalArb = fc
      .tuple(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 10n ** 14n - 1n }),
        fc.integer({ min: 0, max: 6 }),
        fc.bigInt({ min: 0n, max: 999_999n }),
      )
      .map(([neg, int, scale, frac]) => {
        const f = scale === 0 ? '' : `.${frac.toString().padStart(6, '0').slice(0, scale)}`;
        return `${neg ? '-' : ''}${int}${f}`;
      });
    fc.assert(
      fc.property(decimalArb, fc.constantFrom(...ORG_LOCALES), (value, locale) => {
        const shown = formatFixedDecimal(value, locale);
        const parsed = parseLocaleDecimal(shown, locale);
        expect(parsed).toEqual({ ok: true, value: normalizeDecimal(value) });
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatDay and parseLocaleDay', () => {
  it.each([
    ['en-US', '12/31/2026', '12/31'],
    ['en-GB', '31/12/2026', '31/12'],
    ['de-DE', '31.12.2026', '31.12.'],
    ['fr-FR', '31/12/2026', '31/12'],
  ] as const)('%s writes %s', (locale, full, short) => {
    expect(formatDay('2026-12-31', locale)).toBe(full);
    expect(formatDay('2026-12-31', locale, { year: false })).toBe(short);
  });

  it.each([
    ['en-GB', '31/12/2026', '2026-12-31'],
    ['de-DE', '31.12.2026', '2026-12-31'],
    ['de-DE', '1.2.2026', '2026-02-01'],
    ['fr-FR', '01/02/2026', '2026-02-01'],
    ['en-US', '2/1/2026', '2026-02-01'],
    ['de-DE', '2026-12-31', '2026-12-31'],
  ])('%s reads %s', (locale, text, iso) => {
    expect(parseLocaleDay(text, locale)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['en-GB', '31/02/2026'],
    ['en-US', '31/12/2026'],
    ['de-DE', '31/12/2026'],
    ['de-DE', '31.12.26'],
    ['en-GB', 'tomorrow'],
  ])('%s refuses %s, naming the form', (locale, text) => {
    const r = parseLocaleDay(text, locale);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(formatDay('2026-12-31', locale));
  });

  it('round-trips every day in every locale', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        fc.constantFrom(...ORG_LOCALES),
        (date, locale) => {
          const iso = date.toISOString().slice(0, 10);
          expect(parseLocaleDay(formatDay(iso, locale), locale)).toEqual({ ok: true, value: iso });
        },
      ),
      { numRuns: 300 },
    );
  });
});
