import type { Tx } from '@/db/client';
import { renameKey } from '@/lib/domain/formula/ast';
import { formulasUsing, labelList } from '@/lib/domain/formula/check';
import { printFormula } from '@/lib/domain/formula/printer';
import { formulaInputKeys } from '@/lib/domain/formula/references';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { assertCan, type AuthzScope } from '@/lib/authz/can';
import { recomputeAllPeriods } from '@/lib/dal/cascade/recompute';
import { getKpiForWrite, type KpiDto } from '@/lib/dal/cascade/kpi-rows';
import { assertFormulasStillHold, loadFormulaCatalogue } from './formula-checks';
import { auditKpi, updateKpiRow, writeTarget } from './write-support';

/**
 * Before archiving `kpi`: rewrites every active formula that reads it to read `replacementId`
 * instead (plain and `prev` uses; canonical text through the printer), each audited with its
 * formula before and after, then runs the full formula checks on each rewritten formula (cadence,
 * units, cycles: VALIDATION on `replacementKpiId` otherwise, and the caller's transaction rolls
 * everything back) and recomputes them. The replacement must be another active KPI of the org,
 * visible to the actor, with a key. Returns the formulas rewritten. Tenant: ctx.org; the caller
 * holds the org cascade lock and has authorized archiving `kpi` (`kpis.write`).
 */
export async function replaceFormulaInput(
  ctx: OrgContext,
  tx: Tx,
  scope: AuthzScope,
  kpi: Pick<KpiDto, 'id' | 'key'>,
  replacementId: string,
): Promise<KpiDto[]> {
  const orgId = ctx.org.id;
  const refuse = (message: string): never => {
    throw validationError(message, { replacementKpiId: [message] });
  };
  if (kpi.key === null) return [];
  const replacement = await getKpiForWrite(tx, scope, orgId, replacementId).catch(() =>
    refuse('Choose an active KPI of this organization as the replacement.'),
  );
  if (replacement.id === kpi.id) refuse('Choose another KPI than the one you archive.');
  if (replacement.archivedOn) refuse('The replacement is archived. Choose an active KPI.');
  const to = replacement.key;
  if (to === null) refuse('The replacement needs a key: formulas name their inputs by key.');
  const users = formulasUsing(kpi, await loadFormulaCatalogue(tx, orgId));
  const rewritten: KpiDto[] = [];
  for (const user of users) {
    if (user.formula === null) continue;
    // Rewriting a formula edits that KPI: the actor needs the right to change it too.
    assertCan(scope, 'kpis.write', writeTarget(await getKpiForWrite(tx, scope, orgId, user.id)));
    const before = printFormula(user.formula);
    const formula = printFormula(renameKey(user.formula, kpi.key, to as string));
    const after = await updateKpiRow(tx, orgId, user.id, {
      formula,
      formulaInputs: formulaInputKeys(formula),
    });
    await auditKpi(
      ctx,
      tx,
      'kpi.formula_input_replace',
      user.id,
      { formula: before },
      { formula, replaced: kpi.key, by: to },
    );
    rewritten.push(after);
  }
  for (const after of rewritten) {
    try {
      await assertFormulasStillHold(tx, orgId, after);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      refuse(
        `Cannot replace it by ${labelList([replacement])} in ${labelList([after])}: ${message}`,
      );
    }
  }
  await recomputeAllPeriods(
    tx,
    orgId,
    ctx.org.fyStartMonth,
    rewritten.map((f) => f.id),
  );
  return rewritten;
}
