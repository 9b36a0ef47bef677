import { z } from 'zod';
import {
  decimalString,
  idString,
  isoDateString,
  localeDecimalString,
  versionNumber,
} from './fields';
import { safeText } from './text';

const noteString = safeText('note', { multiline: true })
  .max(2000, 'Use at most 2000 characters')
  .optional();

/**
 * The person confirmed a value far from the KPI's recent readings (forms ask first; without it
 * such a value is refused with the question on `confirmUnusual`).
 */
const confirmUnusual = z.boolean().optional();

type DecimalField = typeof decimalString | ReturnType<typeof localeDecimalString>;

/**
 * One observed value. The date must also not be in the future in the organization's time zone:
 * that needs the org, so the DAL checks it (as a field error on `observedOn`).
 */
function recordCheckinFields(value: DecimalField) {
  return z
    .object({
      kpiId: idString,
      observedOn: isoDateString,
      value,
      note: noteString,
      confirmUnusual,
    })
    .strict();
}

/** Edits a check-in seen at `version`; only the given fields change. */
function updateCheckinFields(value: DecimalField) {
  return z
    .object({
      checkinId: idString,
      version: versionNumber,
      observedOn: isoDateString.optional(),
      value: value.optional(),
      note: noteString,
      confirmUnusual,
    })
    .strict();
}

/**
 * A check-in screen's save: each row records a new reading dated `observedOn` (the date the screen
 * shows), or corrects the KPI's reading of that same date (`update`, seen at `version`; the
 * reading must be dated `observedOn`, which never moves it). All are saved or none. Errors name
 * the row: `items.<index>.<field>`.
 */
function saveCheckinsFields(value: DecimalField) {
  return z
    .object({
      items: z
        .array(
          z.discriminatedUnion('kind', [
            recordCheckinFields(value).extend({ kind: z.literal('record') }),
            updateCheckinFields(value).extend({
              kind: z.literal('update'),
              observedOn: isoDateString,
            }),
          ]),
        )
        .min(1, 'Nothing to save')
        .max(500, 'Save at most 500 check-ins at once'),
    })
    .strict();
}

/** Values in plain notation (`1234.5`): the API, imports and tests. */
export const recordCheckinSchema = recordCheckinFields(decimalString);
export type RecordCheckinInput = z.output<typeof recordCheckinSchema>;
export const updateCheckinSchema = updateCheckinFields(decimalString);
export type UpdateCheckinInput = z.output<typeof updateCheckinSchema>;
export const saveCheckinsSchema = saveCheckinsFields(decimalString);
export type SaveCheckinsInput = z.output<typeof saveCheckinsSchema>;

/**
 * The same as the check-in forms send them: values typed the organization's way (`1.234,5` in
 * de-DE), read with the org's locale (the server action passes it; the client never chooses).
 */
export const recordCheckinFormSchema = (locale: string) =>
  recordCheckinFields(localeDecimalString(locale));
export const updateCheckinFormSchema = (locale: string) =>
  updateCheckinFields(localeDecimalString(locale));
export const saveCheckinsFormSchema = (locale: string) =>
  saveCheckinsFields(localeDecimalString(locale));

export const deleteCheckinSchema = z
  .object({ checkinId: idString, version: versionNumber })
  .strict();
export type DeleteCheckinInput = z.output<typeof deleteCheckinSchema>;
