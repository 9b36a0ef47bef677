'use server';
// Check-in actions: record, edit and delete one observed value; rollups follow in the same transaction.
import { deleteCheckin, updateCheckin } from '@/lib/dal/checkins';
import { recordCheckin } from '@/lib/dal/record-checkin';
import { orgAction } from '@/lib/server/org-action';
import {
  deleteCheckinSchema,
  recordCheckinSchema,
  updateCheckinSchema,
} from '@/lib/validation/checkins';

export const recordCheckinAction = orgAction({
  permission: 'checkins.write',
  input: recordCheckinSchema,
  // Opens its own (pipelined) tenant transaction: the hottest write of the product.
  runOwnTransaction: ({ ctx, input }) => recordCheckin(ctx, input),
});

export const updateCheckinAction = orgAction({
  permission: 'checkins.write',
  input: updateCheckinSchema,
  run: ({ ctx, input, tx }) => updateCheckin(ctx, tx, input),
});

export const deleteCheckinAction = orgAction({
  permission: 'checkins.write',
  input: deleteCheckinSchema,
  run: ({ ctx, input, tx }) => deleteCheckin(ctx, tx, input),
});
