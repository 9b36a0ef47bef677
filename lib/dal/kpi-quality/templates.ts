import { and, asc, eq } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { kpiTemplates } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import type { KpiTemplate, TemplateDepartment } from '@/lib/domain/kpi-templates';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { DeleteKpiTemplateInput, SaveKpiTemplateInput } from '@/lib/validation/kpi-quality';
import { appendAudit } from '../audit';
import { getKpiForWrite } from '../cascade/kpi-rows';
import { authzScopeInTx } from '../cascade/support';

/* The organization's own KPI templates: listing, saving a KPI's definition as one, deleting. */

const templateColumns = {
  id: kpiTemplates.id,
  department: kpiTemplates.department,
  name: kpiTemplates.name,
  description: kpiTemplates.description,
  measureUnit: kpiTemplates.measureUnit,
  currency: kpiTemplates.currency,
  decimals: kpiTemplates.decimals,
  direction: kpiTemplates.direction,
  cadence: kpiTemplates.cadence,
  timeAggregation: kpiTemplates.timeAggregation,
  category: kpiTemplates.category,
  indicator: kpiTemplates.indicator,
};

function toTemplate(row: {
  id: string;
  department: string;
  name: string;
  description: string;
  measureUnit: KpiTemplate['measureUnit'];
  currency: string | null;
  decimals: number;
  direction: KpiTemplate['direction'];
  cadence: KpiTemplate['cadence'];
  timeAggregation: KpiTemplate['timeAggregation'];
  category: KpiTemplate['category'];
  indicator: KpiTemplate['indicator'];
}): KpiTemplate {
  return { ...row, department: row.department as TemplateDepartment, source: 'org' };
}

/** The organization's own templates, by name. Tenant: ctx.org; any member may read them. */
export async function listKpiTemplates(ctx: OrgContext): Promise<KpiTemplate[]> {
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select(templateColumns)
      .from(kpiTemplates)
      .where(eq(kpiTemplates.orgId, ctx.org.id))
      .orderBy(asc(kpiTemplates.name));
    return rows.map(toTemplate);
  });
}

/**
 * Saves the definition of a KPI (no values, targets, owner or place in the cascade) as a template
 * of the organization. The KPI must be one the actor may edit (`kpis.write` on it: admins, leads
 * of its unit); another org's id is NOT_FOUND. A name already used by a template: VALIDATION.
 */
export async function saveKpiTemplate(
  ctx: OrgContext,
  tx: Tx,
  input: SaveKpiTemplateInput,
): Promise<KpiTemplate> {
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, ctx.org.id, input.kpiId);
  assertCan(scope, 'kpis.write', {
    unitId: kpi.unitId,
    ownerUserId: kpi.ownerUserId,
    isIndividual: kpi.isIndividual,
    ownerHomeUnitId: kpi.ownerHomeUnitId,
  });
  const [row] = await tx
    .insert(kpiTemplates)
    .values({
      orgId: ctx.org.id,
      department: input.department,
      name: input.name ?? kpi.name,
      description: kpi.description,
      measureUnit: kpi.measureUnit,
      currency: kpi.currency,
      decimals: kpi.decimals,
      direction: kpi.direction,
      cadence: kpi.cadence,
      timeAggregation: kpi.timeAggregation,
      category: kpi.category,
      indicator: kpi.indicator,
      createdByUserId: ctx.actor.userId,
    })
    .onConflictDoNothing()
    .returning(templateColumns);
  if (!row) {
    throw validationError('Your organization already has a template with this name.', {
      name: ['Choose another name for the template'],
    });
  }
  const template = toTemplate(row);
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'kpi_template.create',
    entityType: 'kpi_template',
    entityId: template.id,
    before: null,
    after: { ...template, fromKpiId: kpi.id },
  });
  return template;
}

/**
 * Removes a template of the organization (KPIs made from it stay as they are). Permission:
 * `settings.manage`; another org's id and a missing one are NOT_FOUND.
 */
export async function deleteKpiTemplate(
  ctx: OrgContext,
  tx: Tx,
  input: DeleteKpiTemplateInput,
): Promise<{ id: string }> {
  assertCan(ctx, 'settings.manage');
  const [row] = await tx
    .delete(kpiTemplates)
    .where(and(eq(kpiTemplates.orgId, ctx.org.id), eq(kpiTemplates.id, input.templateId)))
    .returning(templateColumns);
  if (!row) throw notFoundError();
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'kpi_template.delete',
    entityType: 'kpi_template',
    entityId: row.id,
    before: toTemplate(row),
    after: null,
  });
  return { id: row.id };
}
