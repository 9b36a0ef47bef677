'use server';
// Unit tree actions (create, rename, move, archive, set lead): owners and admins only.
import { archiveUnit, createUnit, moveUnit, renameUnit, setUnitLead } from '@/lib/dal/units/writes';
import { orgAction } from '@/lib/server/org-action';
import {
  archiveUnitSchema,
  createUnitSchema,
  moveUnitSchema,
  renameUnitSchema,
  setUnitLeadSchema,
} from '@/lib/validation/units';

export const createUnitAction = orgAction({
  permission: 'units.manage',
  input: createUnitSchema,
  run: ({ ctx, input, tx }) => createUnit(ctx, tx, input),
});

export const renameUnitAction = orgAction({
  permission: 'units.manage',
  input: renameUnitSchema,
  run: ({ ctx, input, tx }) => renameUnit(ctx, tx, input),
});

export const moveUnitAction = orgAction({
  permission: 'units.manage',
  input: moveUnitSchema,
  run: ({ ctx, input, tx }) => moveUnit(ctx, tx, input),
});

export const archiveUnitAction = orgAction({
  permission: 'units.manage',
  input: archiveUnitSchema,
  run: ({ ctx, input, tx }) => archiveUnit(ctx, tx, input),
});

export const setUnitLeadAction = orgAction({
  permission: 'units.manage',
  input: setUnitLeadSchema,
  run: ({ ctx, input, tx }) => setUnitLead(ctx, tx, input),
});
