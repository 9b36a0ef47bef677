import { z } from 'zod';

/**
 * The one text rule for every string a person or a client sends: no NUL or other control
 * characters (Unicode Cc), no invisible format characters (Cf: zero-width spaces and joiners,
 * bidi overrides such as U+202E, soft hyphens, byte order marks), no unpaired surrogates and no
 * line or paragraph separators. Postgres refuses a NUL byte outright, and the others make blank
 * or spoofed names in lists, switchers and reports. Multi-line fields (descriptions, notes,
 * commentary) may keep newlines and tabs. Names also need at least one letter or digit.
 */

const FORBIDDEN_SINGLE_LINE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
const FORBIDDEN_MULTI_LINE = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** True when `value` holds a character the text rule refuses (newlines/tabs allowed if multi-line). */
export function hasForbiddenCharacters(value: string, multiline = false): boolean {
  return (multiline ? FORBIDDEN_MULTI_LINE : FORBIDDEN_SINGLE_LINE).test(value);
}

/** The message for a field holding such characters: "the name", "the note", ... */
export function forbiddenCharactersMessage(what: string): string {
  return `Remove the invisible or control characters from the ${what}`;
}

/** True when a name has something to read: at least one letter or digit. */
export function hasLetterOrDigit(value: string): boolean {
  return LETTER_OR_DIGIT.test(value);
}

/**
 * A string field under the text rule. `what` names the field in the message ("note",
 * "description"); `multiline` lets newlines and tabs through. Chain trim/min/max after it.
 */
export function safeText(what: string, opts: { multiline?: boolean; error?: string } = {}) {
  return z
    .string(opts.error ? { error: opts.error } : undefined)
    .refine((v) => !hasForbiddenCharacters(v, opts.multiline ?? false), {
      message: forbiddenCharactersMessage(what),
      abort: true,
    });
}

/**
 * A name (organization, unit, KPI, person, template, API key): one line under the text rule,
 * trimmed, `min`..`max` characters, with at least one letter or digit.
 */
export function safeName(
  what: string,
  opts: { min?: number; max: number; empty: string; tooLong: string },
) {
  return safeText(what, { error: opts.empty })
    .trim()
    .min(opts.min ?? 1, opts.empty)
    .max(opts.max, opts.tooLong)
    .refine((v) => v.length === 0 || hasLetterOrDigit(v), {
      message: `Use at least one letter or digit in the ${what}`,
    });
}
