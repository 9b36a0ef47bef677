import { z } from 'zod';
import { parseIsoDate } from '@/lib/domain/dates';
import { parseDecimalInput, toDec } from '@/lib/domain/decimal';
import { parseLocaleDecimal } from '@/lib/domain/locale-number';
import { safeName } from './text';

/**
 * Field schemas shared by the cascade forms and actions. Numbers travel as exact decimal strings
 * (never JS numbers, so no float ever reaches the write path); dates as ISO `YYYY-MM-DD`.
 */

const NUMBER_HINT = 'Enter a number such as 1250 or 3.75';

/** A typed number: plain decimal notation, at most 20 digits and 6 decimal places; normalized. */
export const decimalString = z.string({ error: NUMBER_HINT }).transform((raw, ctx) => {
  const parsed = parseDecimalInput(raw);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.value;
});

/**
 * A number as a form sends it: typed the way the organization's `locale` writes numbers
 * (`1.234,5` in de-DE, `1,234.5` in en-US; see lib/domain/locale-number.ts), normalized to the
 * plain decimal string every write path takes. The locale is the org's, from the URL slug.
 */
export function localeDecimalString(locale: string) {
  return z.string({ error: 'Enter a number' }).transform((raw, ctx) => {
    const parsed = parseLocaleDecimal(raw, locale);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed.value;
  });
}

/** A decimal string that must be greater than zero (weights). */
export const positiveDecimalString = decimalString.refine((v) => toDec(v).gt(0), {
  message: 'Enter a number greater than 0',
});

/** An optional decimal: empty string or null means "none". */
export const optionalDecimalString = z
  .union([z.literal('').transform(() => null), z.null(), decimalString])
  .optional();

/** A calendar date `YYYY-MM-DD` that exists (no `infinity`, `epoch`, 2025-02-30). */
export const isoDateString = z
  .string({ error: 'Enter a date as YYYY-MM-DD, such as 2026-03-31' })
  .transform((raw, ctx) => {
    const parsed = parseIsoDate(raw);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed.value;
  });

/** A record id. */
export const idString = z.uuid({ error: 'Invalid id' });

/** A display name (unit, KPI, template): 1..120 characters after trimming, under the text rule. */
export const nameString = safeName('name', {
  max: 120,
  empty: 'Enter a name',
  tooLong: 'Use at most 120 characters',
});

/** The version of a record the person saw (optimistic concurrency). */
export const versionNumber = z
  .number({ error: 'Missing version' })
  .int('Missing version')
  .min(1, 'Missing version');
