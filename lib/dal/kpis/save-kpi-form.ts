import type { Tx } from '@/db/client';
import type { KpiDto } from '@/lib/dal/cascade/kpi-rows';
import { createKpi } from '@/lib/dal/kpis/create';
import { linkKpi, unlinkKpi } from '@/lib/dal/kpis/links';
import { setNorthStar } from '@/lib/dal/kpis/north-star';
import { assignKpiOwner } from '@/lib/dal/kpis/owner';
import { clearTarget, setTarget } from '@/lib/dal/kpis/targets';
import { updateKpi } from '@/lib/dal/kpis/update';
import { AppError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { SaveKpiFormInput } from '@/lib/validation/kpis';

/*
 * The KPI form saved as one: every part goes through the DAL function that saves it alone, in
 * the caller's one transaction, so a refused part (or a failing write) leaves nothing of the
 * others. Each part keeps its own permission, checks, limits and audit record.
 */

type EditInput = Extract<SaveKpiFormInput, { mode: 'edit' }>;
type CreateInput = Extract<SaveKpiFormInput, { mode: 'create' }>;

/**
 * Saves the KPI form. Create: `createKpi`, then `setNorthStar` when asked. Edit: `updateKpi`
 * first (it checks `version` even when no field changed, so a stale form is a CONFLICT before
 * anything is written), then owner, parent link, north star and targets, each only when given.
 * Errors of a part point at its form field (`ownerUserId`, `parentId`, `isNorthStar`,
 * `targets.<index>.<field>`). Tenant: ctx.org. Permission: each part's own (`kpis.write`,
 * `kpis.assign_owner`, `targets.write`). Holds the org cascade lock.
 */
export async function saveKpiForm(
  ctx: OrgContext,
  tx: Tx,
  input: SaveKpiFormInput,
): Promise<KpiDto> {
  return input.mode === 'create' ? createFromForm(ctx, tx, input) : editFromForm(ctx, tx, input);
}

async function createFromForm(ctx: OrgContext, tx: Tx, input: CreateInput): Promise<KpiDto> {
  const { mode: _mode, isNorthStar, ...fields } = input;
  const created = await createKpi(ctx, tx, fields);
  if (!isNorthStar) return created;
  return inField('isNorthStar', () =>
    setNorthStar(ctx, tx, { kpiId: created.id, isNorthStar: true }),
  );
}

async function editFromForm(ctx: OrgContext, tx: Tx, input: EditInput): Promise<KpiDto> {
  const {
    mode: _mode,
    kpiId,
    ownerUserId,
    parentId,
    isNorthStar,
    targets,
    confirmOverLimit,
    ...fields
  } = input;
  let kpi = await updateKpi(ctx, tx, { kpiId, ...fields, confirmOverLimit });
  if (ownerUserId !== undefined) {
    kpi = await inField('ownerUserId', () =>
      assignKpiOwner(ctx, tx, { kpiId, ownerUserId, confirmOverLimit }),
    );
  }
  if (parentId !== undefined && parentId !== kpi.parentId) {
    // The version just written by this save: the stale check already happened above.
    const { version } = kpi;
    kpi = await inField('parentId', () =>
      parentId === null
        ? unlinkKpi(ctx, tx, { kpiId, version })
        : linkKpi(ctx, tx, { kpiId, parentId, version }),
    );
  }
  if (isNorthStar !== undefined) {
    kpi = await inField('isNorthStar', () => setNorthStar(ctx, tx, { kpiId, isNorthStar }));
  }
  for (const [index, t] of (targets ?? []).entries()) {
    await inField(`targets.${index}.target`, () =>
      t.target === null
        ? clearTarget(ctx, tx, { kpiId, periodStart: t.periodStart })
        : setTarget(ctx, tx, { kpiId, periodStart: t.periodStart, target: t.target }),
    );
  }
  return kpi;
}

/**
 * Points a part's refusal at its form field: its own field errors keep their names under the
 * field's prefix (`targets.0.` + `periodStart`), else the message goes to `field`. The code
 * stays, so a denial is still a FORBIDDEN (and audited as one).
 */
async function inField<T>(field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'CONFLICT') throw error;
    const prefix = field.includes('.') ? field.slice(0, field.lastIndexOf('.') + 1) : '';
    const own = Object.entries(error.fieldErrors ?? {});
    const fieldErrors =
      own.length > 0
        ? Object.fromEntries(own.map(([key, messages]) => [`${prefix}${key}`, messages]))
        : { [field]: [error.message] };
    throw new AppError(error.code, error.message, fieldErrors);
  }
}
