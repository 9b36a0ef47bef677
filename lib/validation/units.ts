import { z } from 'zod';
import { idString, nameString } from './fields';

/** A new department or team under an existing unit (the company root is created at sign-up). */
export const createUnitSchema = z
  .object({
    parentId: idString,
    kind: z.enum(['department', 'team'], { error: 'Choose department or team' }),
    name: nameString,
    leadUserId: idString.nullable().optional(),
  })
  .strict();
export type CreateUnitInput = z.output<typeof createUnitSchema>;

export const renameUnitSchema = z.object({ unitId: idString, name: nameString }).strict();
export type RenameUnitInput = z.output<typeof renameUnitSchema>;

export const moveUnitSchema = z.object({ unitId: idString, parentId: idString }).strict();
export type MoveUnitInput = z.output<typeof moveUnitSchema>;

export const archiveUnitSchema = z.object({ unitId: idString }).strict();
export type ArchiveUnitInput = z.output<typeof archiveUnitSchema>;

/** Sets (or with null clears) the lead of a unit; the lead must be a member of the org. */
export const setUnitLeadSchema = z
  .object({ unitId: idString, leadUserId: idString.nullable() })
  .strict();
export type SetUnitLeadInput = z.output<typeof setUnitLeadSchema>;
