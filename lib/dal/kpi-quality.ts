import {
  aliasedTable,
  and,
  asc,
  count,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  sql,
} from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import {
  kpiPeriodValues,
  kpis,
  kpiTemplates,
  memberships,
  organizations,
  units,
  users,
} from '@/db/schema';
import { assertCan, can, leadsUnit } from '@/lib/authz/can';
import { todayInTimeZone } from '@/lib/domain/dates';
import {
  describeBreach,
  isRetireCandidate,
  limitBreaches,
  limitDecision,
  type KpiLimits,
} from '@/lib/domain/kpi-limits';
import type { KpiTemplate, TemplateDepartment } from '@/lib/domain/kpi-templates';
import { periodLabel, periodStart, previousPeriodStart, type Cadence } from '@/lib/domain/periods';
import { checkSmart, type SmartResult } from '@/lib/domain/smart';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type {
  DeleteKpiTemplateInput,
  SaveKpiTemplateInput,
  UpdateKpiLimitsInput,
} from '@/lib/validation/kpi-quality';
import { appendAudit } from './audit';
import { getKpiForWrite } from './cascade/kpi-rows';
import { authzScopeInTx } from './cascade/support';
import type { KpiSummary } from '@/lib/domain/kpi-summary';
import type { KpiDetail } from './kpis/detail';

/*
 * KPI quality: the organization's own templates, the guard rails against KPI overload (limits per
 * unit and per person, retire candidates) and the SMART check of KPIs as pages show them. Every
 * query is scoped by ctx.org.id.
 */

/** The organization's KPI limits, as its context carries them. */
export function kpiLimitsOf(ctx: OrgContext): KpiLimits {
  return { perUnit: ctx.org.maxKpisPerUnit, perPerson: ctx.org.maxKpisPerPerson };
}

/* ------------------------------------------------------------------------------------------ */
/* Limits                                                                                      */
/* ------------------------------------------------------------------------------------------ */

async function activeUnitKpiCount(tx: Tx, orgId: string, unitId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(kpis)
    .where(
      and(
        eq(kpis.orgId, orgId),
        eq(kpis.unitId, unitId),
        isNull(kpis.archivedOn),
        eq(kpis.isIndividual, false),
      ),
    );
  return row?.n ?? 0;
}

async function activeOwnedKpiCount(tx: Tx, orgId: string, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), eq(kpis.ownerUserId, userId), isNull(kpis.archivedOn)));
  return row?.n ?? 0;
}

/**
 * Refuses a new KPI that would go past the organization's limits: leads always (VALIDATION on
 * the unit or owner field), admins unless they confirmed (VALIDATION on `confirmOverLimit`, so
 * the form can ask). Call inside the write's transaction after the org cascade lock, so counts
 * cannot move under it. Tenant: ctx.org.
 */
export async function assertKpiLimits(
  ctx: OrgContext,
  tx: Tx,
  input: {
    unitId: string;
    ownerUserId: string | null;
    isIndividual: boolean;
    confirmOverLimit: boolean;
  },
): Promise<void> {
  const orgId = ctx.org.id;
  const unitCount = input.isIndividual ? 0 : await activeUnitKpiCount(tx, orgId, input.unitId);
  const personCount = input.ownerUserId
    ? await activeOwnedKpiCount(tx, orgId, input.ownerUserId)
    : null;
  const breaches = limitBreaches({
    isIndividual: input.isIndividual,
    unitCount,
    personCount,
    limits: kpiLimitsOf(ctx),
  });
  const decision = limitDecision(breaches, {
    isAdmin: can(ctx, 'kpis.exceed_limits'),
    confirmed: input.confirmOverLimit,
  });
  if (decision === 'allow') return;
  const [unit] = await tx
    .select({ name: units.name })
    .from(units)
    .where(and(eq(units.orgId, orgId), eq(units.id, input.unitId)));
  const [owner] = input.ownerUserId
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, input.ownerUserId))
    : [];
  const sentences = breaches.map((b) =>
    describeBreach(
      b,
      b.kind === 'unit' ? (unit?.name ?? 'This unit') : (owner?.name ?? 'The owner'),
    ),
  );
  if (decision === 'confirm') {
    throw validationError(
      `${sentences.join(' ')} Too many KPIs dilute focus: archive one, or confirm to create it anyway.`,
      { confirmOverLimit: sentences },
    );
  }
  const fieldErrors: Record<string, string[]> = {};
  for (const [i, b] of breaches.entries()) {
    (fieldErrors[b.kind === 'unit' ? 'unitId' : 'ownerUserId'] ??= []).push(sentences[i]!);
  }
  throw validationError(
    `${sentences.join(' ')} Archive a KPI first, or ask an admin to create this one.`,
    fieldErrors,
  );
}

/** Active KPIs per unit (non-individual) and per owner: what the new KPI form warns with. */
export type KpiLoad = {
  limits: KpiLimits;
  byUnit: Record<string, number>;
  byPerson: Record<string, number>;
  /** Admins may confirm past a limit; leads may not. */
  mayExceed: boolean;
};

/** Counts of active KPIs by unit and by owner for the whole org. Tenant: ctx.org. */
export async function getKpiLoad(ctx: OrgContext): Promise<KpiLoad> {
  return withOrgRead(ctx.org.id, async (db) => {
    const active = and(eq(kpis.orgId, ctx.org.id), isNull(kpis.archivedOn));
    const [unitRows, personRows] = await Promise.all([
      db
        .select({ unitId: kpis.unitId, n: count() })
        .from(kpis)
        .where(and(active, eq(kpis.isIndividual, false)))
        .groupBy(kpis.unitId),
      db
        .select({ userId: kpis.ownerUserId, n: count() })
        .from(kpis)
        .where(and(active, isNotNull(kpis.ownerUserId)))
        .groupBy(kpis.ownerUserId),
    ]);
    return {
      limits: kpiLimitsOf(ctx),
      byUnit: Object.fromEntries(unitRows.map((r) => [r.unitId, r.n])),
      byPerson: Object.fromEntries(personRows.map((r) => [r.userId!, r.n])),
      mayExceed: can(ctx, 'kpis.exceed_limits'),
    };
  });
}

/**
 * Sets the organization's KPI limits. Permission: `settings.manage` (owners and admins).
 * Audited with before/after.
 */
export async function updateKpiLimits(
  ctx: OrgContext,
  tx: Tx,
  input: UpdateKpiLimitsInput,
): Promise<KpiLimits> {
  assertCan(ctx, 'settings.manage');
  const [before] = await tx
    .select({ perUnit: organizations.maxKpisPerUnit, perPerson: organizations.maxKpisPerPerson })
    .from(organizations)
    .where(eq(organizations.id, ctx.org.id))
    .for('update');
  if (!before) throw notFoundError();
  const [after] = await tx
    .update(organizations)
    .set({
      maxKpisPerUnit: input.maxKpisPerUnit,
      maxKpisPerPerson: input.maxKpisPerPerson,
      updatedAt: sql`now()`,
    })
    .where(eq(organizations.id, ctx.org.id))
    .returning({
      perUnit: organizations.maxKpisPerUnit,
      perPerson: organizations.maxKpisPerPerson,
    });
  if (!after) throw notFoundError();
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'settings.kpi_limits',
    entityType: 'organization',
    entityId: ctx.org.id,
    before,
    after,
  });
  return after;
}

/* ------------------------------------------------------------------------------------------ */
/* Templates                                                                                   */
/* ------------------------------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------------------------------ */
/* SMART check                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/** Periods of history the explorer reads per KPI (enough for the value window and attainable). */
const HISTORY_PERIODS: Record<Cadence, number> = { month: 12, quarter: 8, year: 5 };

function recentStarts(current: string, cadence: Cadence): string[] {
  const starts = [current];
  for (let i = 1; i < HISTORY_PERIODS[cadence]; i += 1) {
    starts.unshift(previousPeriodStart(starts[0]!, cadence));
  }
  return starts;
}

/** The SMART check of a KPI as its detail page reads it (no further query). */
export function smartCheckOfDetail(kpi: KpiDetail): SmartResult {
  return checkSmart({
    description: kpi.description,
    measureUnit: kpi.measureUnit,
    currency: kpi.currency,
    rollup: kpi.rollup,
    cadence: kpi.cadence,
    direction: kpi.direction,
    recentValues: kpi.history.map((p) => p.value),
    currentTarget: kpi.current.target,
    parentId: kpi.parentId,
    isNorthStar: kpi.isNorthStar,
    ownerUserId: kpi.ownerUserId,
  });
}

/**
 * The SMART check of each listed KPI (the caller's visible list, from `listKpis`), reading their
 * descriptions and recent period values. Tenant: ctx.org.
 */
export async function listSmartChecks(
  ctx: OrgContext,
  list: readonly KpiSummary[],
): Promise<Record<string, SmartResult>> {
  if (list.length === 0) return {};
  return withOrgRead(ctx.org.id, async (db) => {
    const ids = list.map((k) => k.id);
    const startsOf = new Map(list.map((k) => [k.id, recentStarts(k.current.start, k.cadence)]));
    const earliest = [...startsOf.values()].map((s) => s[0]!).sort()[0]!;
    const byIds = ids.length <= 2000 ? inArray(kpis.id, ids) : undefined;
    const [descriptions, values] = await Promise.all([
      db
        .select({ id: kpis.id, description: kpis.description })
        .from(kpis)
        .where(and(eq(kpis.orgId, ctx.org.id), byIds)),
      db
        .select({
          kpiId: kpiPeriodValues.kpiId,
          start: kpiPeriodValues.periodStart,
          value: kpiPeriodValues.value,
        })
        .from(kpiPeriodValues)
        .where(
          and(
            eq(kpiPeriodValues.orgId, ctx.org.id),
            gte(kpiPeriodValues.periodStart, earliest),
            ids.length <= 2000 ? inArray(kpiPeriodValues.kpiId, ids) : undefined,
          ),
        ),
    ]);
    const descriptionOf = new Map(descriptions.map((d) => [d.id, d.description]));
    const valueOf = new Map(values.map((v) => [`${v.kpiId}|${v.start}`, v.value]));
    const out: Record<string, SmartResult> = {};
    for (const k of list) {
      out[k.id] = checkSmart({
        description: descriptionOf.get(k.id) ?? '',
        measureUnit: k.measureUnit,
        currency: k.currency,
        rollup: k.rollup,
        cadence: k.cadence,
        direction: k.direction,
        recentValues: startsOf.get(k.id)!.map((s) => valueOf.get(`${k.id}|${s}`) ?? null),
        currentTarget: k.current.target,
        parentId: k.parentId,
        isNorthStar: k.isNorthStar,
        ownerUserId: k.ownerUserId,
      });
    }
    return out;
  });
}

/* ------------------------------------------------------------------------------------------ */
/* Health: units and people over the limit, KPIs to retire                                     */
/* ------------------------------------------------------------------------------------------ */

export type KpiHealth = {
  limits: KpiLimits;
  unitsOverLimit: { unitId: string; unitName: string; count: number }[];
  peopleOverLimit: { userId: string; name: string; count: number }[];
  retireCandidates: {
    id: string;
    name: string;
    unitName: string;
    ownerName: string | null;
    lastValueLabel: string | null;
  }[];
};

/**
 * What the dashboards flag: units with more active KPIs than the limit, people owning more than
 * theirs, and active KPIs with no value for the last three periods (and the current one) that
 * existed all that time. Admins see the whole org; a lead sees their subtree (units in it, people
 * at home in it, KPIs of it they may see); anyone else gets null. Tenant: ctx.org.
 */
export async function getKpiHealth(ctx: OrgContext): Promise<KpiHealth | null> {
  const admin = can(ctx, 'kpis.read_all');
  if (!admin && ctx.actor.ledUnitIds.length === 0) return null;
  const inScope = (unitId: string | null) => admin || leadsUnit(ctx, unitId);
  return withOrgRead(ctx.org.id, async (db) => {
    const limits = kpiLimitsOf(ctx);
    const today = todayInTimeZone(ctx.org.timeZone);
    const active = and(eq(kpis.orgId, ctx.org.id), isNull(kpis.archivedOn));
    const ownerMembership = aliasedTable(memberships, 'owner_membership');
    const ownerUser = aliasedTable(users, 'owner_user');

    const [unitRows, personRows, kpiRows] = await Promise.all([
      db
        .select({ unitId: kpis.unitId, unitName: units.name, n: count() })
        .from(kpis)
        .innerJoin(units, and(eq(units.orgId, kpis.orgId), eq(units.id, kpis.unitId)))
        .where(and(active, eq(kpis.isIndividual, false)))
        .groupBy(kpis.unitId, units.name),
      db
        .select({
          userId: kpis.ownerUserId,
          name: ownerUser.name,
          homeUnitId: ownerMembership.homeUnitId,
          n: count(),
        })
        .from(kpis)
        .innerJoin(
          ownerMembership,
          and(eq(ownerMembership.orgId, kpis.orgId), eq(ownerMembership.userId, kpis.ownerUserId)),
        )
        .innerJoin(ownerUser, eq(ownerUser.id, kpis.ownerUserId))
        .where(active)
        .groupBy(kpis.ownerUserId, ownerUser.name, ownerMembership.homeUnitId),
      db
        .select({
          id: kpis.id,
          name: kpis.name,
          unitId: kpis.unitId,
          unitName: units.name,
          cadence: kpis.cadence,
          createdAt: kpis.createdAt,
          isIndividual: kpis.isIndividual,
          ownerUserId: kpis.ownerUserId,
          ownerName: ownerUser.name,
          ownerHomeUnitId: ownerMembership.homeUnitId,
          lastStart: sql<
            string | null
          >`(select max(${kpiPeriodValues.periodStart})::text from ${kpiPeriodValues} where ${kpiPeriodValues.orgId} = ${kpis.orgId} and ${kpiPeriodValues.kpiId} = ${kpis.id})`,
        })
        .from(kpis)
        .innerJoin(units, and(eq(units.orgId, kpis.orgId), eq(units.id, kpis.unitId)))
        .leftJoin(
          ownerMembership,
          and(eq(ownerMembership.orgId, kpis.orgId), eq(ownerMembership.userId, kpis.ownerUserId)),
        )
        .leftJoin(ownerUser, eq(ownerUser.id, kpis.ownerUserId))
        .where(active)
        .orderBy(asc(units.name), asc(kpis.name)),
    ]);

    const retireCandidates = kpiRows
      .filter((k) => inScope(k.unitId))
      .filter((k) =>
        can(ctx, 'kpis.read', {
          isIndividual: k.isIndividual,
          ownerUserId: k.ownerUserId,
          ownerHomeUnitId: k.ownerHomeUnitId,
        }),
      )
      .filter((k) =>
        isRetireCandidate({
          cadence: k.cadence,
          createdOn: todayInTimeZone(ctx.org.timeZone, new Date(k.createdAt)),
          lastValueStart: k.lastStart === null ? null : k.lastStart,
          today,
          fyStartMonth: ctx.org.fyStartMonth,
        }),
      )
      .map((k) => ({
        id: k.id,
        name: k.name,
        unitName: k.unitName,
        ownerName: k.ownerName,
        lastValueLabel:
          k.lastStart === null
            ? null
            : periodLabel(
                periodStart(k.lastStart, k.cadence, ctx.org.fyStartMonth),
                k.cadence,
                ctx.org.fyStartMonth,
              ),
      }));

    return {
      limits,
      unitsOverLimit: unitRows
        .filter((r) => r.n > limits.perUnit && inScope(r.unitId))
        .map((r) => ({ unitId: r.unitId, unitName: r.unitName, count: r.n }))
        .sort((a, b) => b.count - a.count || a.unitName.localeCompare(b.unitName)),
      peopleOverLimit: personRows
        .filter((r) => r.n > limits.perPerson && inScope(r.homeUnitId))
        .map((r) => ({ userId: r.userId!, name: r.name, count: r.n }))
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      retireCandidates,
    };
  });
}
