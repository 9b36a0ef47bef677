import { z } from 'zod';
import { decimalString, idString, isoDateString, versionNumber } from './fields';
import { safeText } from './text';

const noteString = safeText('note', { multiline: true })
  .max(2000, 'Use at most 2000 characters')
  .optional();

/**
 * The person confirmed a value far from the KPI's recent readings (forms ask first; without it
 * such a value is refused with the question on `confirmUnusual`).
 */
const confirmUnusual = z.boolean().optional();

/**
 * One observed value. The date must also not be in the future in the organization's time zone:
 * that needs the org, so the DAL checks it (as a field error on `observedOn`).
 */
export const recordCheckinSchema = z
  .object({
    kpiId: idString,
    observedOn: isoDateString,
    value: decimalString,
    note: noteString,
    confirmUnusual,
  })
  .strict();
export type RecordCheckinInput = z.output<typeof recordCheckinSchema>;

/** Edits a check-in seen at `version`; only the given fields change. */
export const updateCheckinSchema = z
  .object({
    checkinId: idString,
    version: versionNumber,
    observedOn: isoDateString.optional(),
    value: decimalString.optional(),
    note: noteString,
    confirmUnusual,
  })
  .strict();
export type UpdateCheckinInput = z.output<typeof updateCheckinSchema>;

export const deleteCheckinSchema = z
  .object({ checkinId: idString, version: versionNumber })
  .strict();
export type DeleteCheckinInput = z.output<typeof deleteCheckinSchema>;

/**
 * A check-in screen's save: each row records a new reading dated `observedOn` (the date the screen
 * shows), or corrects the KPI's reading of that same date (`update`, seen at `version`; the
 * reading must be dated `observedOn`, which never moves it). All are saved or none. Errors name
 * the row: `items.<index>.<field>`.
 */
export const saveCheckinsSchema = z
  .object({
    items: z
      .array(
        z.discriminatedUnion('kind', [
          recordCheckinSchema.extend({ kind: z.literal('record') }),
          updateCheckinSchema.extend({ kind: z.literal('update'), observedOn: isoDateString }),
        ]),
      )
      .min(1, 'Nothing to save')
      .max(500, 'Save at most 500 check-ins at once'),
  })
  .strict();
export type SaveCheckinsInput = z.output<typeof saveCheckinsSchema>;
