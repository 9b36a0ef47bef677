'use server';
// CSV import of check-ins: a preview that writes nothing, then the import (all or nothing, or the
// valid rows only when the person chose so after the preview; duplicates skipped).
import { importCheckins, previewCheckinImport } from '@/lib/dal/csv-import';
import { orgAction } from '@/lib/server/org-action';
import { checkinImportSchema } from '@/lib/validation/imports';

export const previewCheckinImportAction = orgAction({
  permission: 'checkins.write',
  input: checkinImportSchema,
  run: ({ ctx, input, tx }) => previewCheckinImport(ctx, tx, input.csv),
});

export const importCheckinsAction = orgAction({
  permission: 'checkins.write',
  input: checkinImportSchema,
  run: ({ ctx, input, tx }) =>
    importCheckins(ctx, tx, input.csv, { acceptValid: input.acceptValid ?? false }),
});
