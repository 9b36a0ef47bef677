'use server';
// Target planning actions: many per-period targets in one save (plan, grid) and the split down.
import { saveTargets, splitTargetDown } from '@/lib/dal/kpis/target-plan';
import { orgAction } from '@/lib/server/org-action';
import { saveTargetsSchema, splitTargetSchema } from '@/lib/validation/kpis';

/** Per-period targets of one or more KPIs (the plan panel, the targets grid), all or nothing. */
export const saveTargetsAction = orgAction({
  permission: 'targets.write',
  input: saveTargetsSchema,
  run: ({ ctx, input, tx }) => saveTargets(ctx, tx, input),
});

/** A parent's target split down over its children: the confirmed amounts, all or nothing. */
export const splitTargetDownAction = orgAction({
  permission: 'targets.write',
  input: splitTargetSchema,
  run: ({ ctx, input, tx }) => splitTargetDown(ctx, tx, input),
});
