import type { Tx } from '@/db/client';
import { can } from '@/lib/authz/can';
import { targetPeriodProblem } from '@/lib/domain/targets';
import { forbiddenError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { SaveTargetsInput, SplitTargetInput } from '@/lib/validation/kpis';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import { getKpiForWrite, type KpiForWrite } from '@/lib/dal/cascade/kpi-rows';
import { authzScopeInTx } from '@/lib/dal/cascade/support';
import { clearTarget, setTarget } from './targets';
import { ARCHIVED_MESSAGE, writeTarget } from './write-support';

/*
 * Many per-period targets saved as one (the plan panel, the split down, the targets grid): every
 * cell is checked first, then each is written through the one-target DAL (audited), all in the
 * caller's transaction. One bad cell: nothing is written and the cell carries its error.
 */

const NOTHING_SAVED = 'Nothing was saved: fix the marked targets.';

function quoted(names: string[]): string {
  return names.map((n) => `“${n}”`).join(', ');
}

/**
 * Checks every cell (another org's or a hidden KPI: NOT_FOUND; a KPI outside the actor's scope:
 * FORBIDDEN naming it; an archived KPI or a day that starts no period: VALIDATION keyed
 * `targets.<i>.<field>`) and returns the KPIs by id.
 */
async function checkCells(
  ctx: OrgContext,
  tx: Tx,
  cells: SaveTargetsInput['targets'],
): Promise<Map<string, KpiForWrite>> {
  await lockOrgCascade(tx, ctx.org.id);
  const scope = await authzScopeInTx(ctx, tx);
  const byId = new Map<string, KpiForWrite>();
  for (const id of new Set(cells.map((c) => c.kpiId))) {
    byId.set(id, await getKpiForWrite(tx, scope, ctx.org.id, id));
  }
  const refused = [...byId.values()].filter((k) => !can(scope, 'targets.write', writeTarget(k)));
  if (refused.length > 0) {
    throw forbiddenError(
      `You may not set targets of ${quoted(refused.map((k) => k.name))}: ${
        refused.length === 1 ? 'it is' : 'they are'
      } outside the units you manage. Nothing was saved.`,
    );
  }
  const fieldErrors: Record<string, string[]> = {};
  cells.forEach((cell, i) => {
    const kpi = byId.get(cell.kpiId) as KpiForWrite;
    if (kpi.archivedOn && cell.target !== null) {
      fieldErrors[`targets.${i}.target`] = [ARCHIVED_MESSAGE];
    }
    const problem = targetPeriodProblem(
      cell.periodStart,
      kpi.cadence,
      ctx.org.fyStartMonth,
      ctx.org.locale,
    );
    if (problem?.fieldErrors?.periodStart) {
      fieldErrors[`targets.${i}.periodStart`] = problem.fieldErrors.periodStart;
    }
  });
  if (Object.keys(fieldErrors).length > 0) throw validationError(NOTHING_SAVED, fieldErrors);
  return byId;
}

async function writeCells(ctx: OrgContext, tx: Tx, cells: SaveTargetsInput['targets']) {
  for (const cell of cells) {
    if (cell.target === null) await clearTarget(ctx, tx, cell);
    else await setTarget(ctx, tx, { ...cell, target: cell.target });
  }
  return { saved: cells.length };
}

/**
 * Sets (a number) or clears (null) the given per-period targets, all or nothing. Tenant:
 * ctx.org. Permission: `targets.write` on every KPI's unit.
 */
export async function saveTargets(
  ctx: OrgContext,
  tx: Tx,
  input: SaveTargetsInput,
): Promise<{ saved: number }> {
  await checkCells(ctx, tx, input.targets);
  return writeCells(ctx, tx, input.targets);
}

/**
 * Writes a parent's target split down: exactly the confirmed amounts, as per-period targets of
 * KPIs linked under `parentId`, all or nothing. The parent must be visible; a KPI not linked
 * under it is refused (VALIDATION); a child outside the actor's scope is refused by name
 * (FORBIDDEN). Tenant: ctx.org. Permission: `targets.write` on every child's unit.
 */
export async function splitTargetDown(
  ctx: OrgContext,
  tx: Tx,
  input: SplitTargetInput,
): Promise<{ saved: number }> {
  const scope = await authzScopeInTx(ctx, tx);
  const parent = await getKpiForWrite(tx, scope, ctx.org.id, input.parentId);
  const kpis = await checkCells(ctx, tx, input.targets);
  const strangers = [...kpis.values()].filter((k) => k.parentId !== parent.id);
  if (strangers.length > 0) {
    throw validationError(
      `${quoted(strangers.map((k) => k.name))} ${
        strangers.length === 1 ? 'is' : 'are'
      } not linked under “${parent.name}”. Nothing was saved.`,
    );
  }
  return writeCells(ctx, tx, input.targets);
}
