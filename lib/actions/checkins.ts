'use server';
// Check-in actions: record, edit and delete one observed value, or save the check-in screen's rows
// all at once; rollups follow in the same transaction. Values arrive as typed in the org's locale.
import { deleteCheckin, updateCheckin } from '@/lib/dal/checkins/edit';
import { recordCheckin } from '@/lib/dal/record-checkin';
import { saveCheckins } from '@/lib/dal/checkins/save-all';
import { orgAction } from '@/lib/server/org-action';
import {
  deleteCheckinSchema,
  recordCheckinFormSchema,
  saveCheckinsFormSchema,
  updateCheckinFormSchema,
} from '@/lib/validation/checkins';

export const recordCheckinAction = orgAction({
  permission: 'checkins.write',
  input: recordCheckinFormSchema,
  // Opens its own (pipelined) tenant transaction: the hottest write of the product.
  runOwnTransaction: ({ ctx, input }) => recordCheckin(ctx, input),
});

export const updateCheckinAction = orgAction({
  permission: 'checkins.write',
  input: updateCheckinFormSchema,
  run: ({ ctx, input, tx }) => updateCheckin(ctx, tx, input),
});

export const deleteCheckinAction = orgAction({
  permission: 'checkins.write',
  input: deleteCheckinSchema,
  run: ({ ctx, input, tx }) => deleteCheckin(ctx, tx, input),
});

/** The check-in screen's "save all": every row in one transaction, all or none. */
export const saveCheckinsAction = orgAction({
  permission: 'checkins.write',
  input: saveCheckinsFormSchema,
  run: ({ ctx, input, tx }) => saveCheckins(ctx, tx, input),
});
