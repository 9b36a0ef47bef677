import type { Tx } from '@/db/client';
import { todayInTimeZone } from '@/lib/domain/dates';
import type { OrgContext } from '@/lib/server/org-context';
import type { ArchiveKpiInput } from '@/lib/validation/kpis';
import { recomputeAllPeriods } from '@/lib/dal/cascade/recompute';
import { kpiDtoOf, type KpiDto } from '@/lib/dal/cascade/kpi-rows';
import { assertNotUsedByFormulas } from './formula-checks';
import { replaceFormulaInput } from './replace-formula-input';
import { auditKpi, lockKpiForEdit, updateKpiRow } from './write-support';

/**
 * Archives a KPI (seen at `input.version`): `archivedOn` = today in the org's time zone. History
 * stays; the KPI leaves its parent's rollup for parent periods starting from that day (its
 * parent is recomputed). Children stay linked and an archived parent keeps computing. A north
 * star stops being one. A KPI that active formulas read is refused (VALIDATION naming them, on
 * `replacementKpiId`), unless `replacementKpiId` names the KPI to read instead: those formulas
 * are rewritten, checked and recomputed first, in the same transaction (replace-formula-input.ts).
 * An archived formula KPI is no longer computed: its values stay as they were.
 * Tenant: ctx.org. Permission: `kpis.write` on its unit. Holds the lock.
 */
export async function archiveKpi(ctx: OrgContext, tx: Tx, input: ArchiveKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  const { kpi, scope } = await lockKpiForEdit(ctx, tx, input, 'This KPI is already archived.');
  if (input.replacementKpiId) {
    await replaceFormulaInput(ctx, tx, scope, kpi, input.replacementKpiId);
  }
  await assertNotUsedByFormulas(tx, orgId, kpi, 'archive');
  const after = await updateKpiRow(tx, orgId, kpi.id, {
    archivedOn: todayInTimeZone(ctx.org.timeZone),
    isNorthStar: false,
  });
  await auditKpi(ctx, tx, 'kpi.archive', kpi.id, kpiDtoOf(kpi), after);
  await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [kpi.parentId]);
  return after;
}
