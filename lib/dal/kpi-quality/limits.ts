import { and, count, eq, isNotNull, isNull } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { kpis, organizations, units, users } from '@/db/schema';
import { can } from '@/lib/authz/can';
import {
  describeBreach,
  kpiLimitsOf,
  limitBreaches,
  limitDecision,
  type KpiLimits,
} from '@/lib/domain/kpi-limits';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { UpdateKpiLimitsInput } from '@/lib/validation/kpi-quality';
import { updateOrgSettings } from '../org-settings';

/*
 * The guard rails against KPI overload: the limit check of a new KPI, the load the new KPI form
 * warns with, and the organization's limits setting. Every query is scoped by ctx.org.id.
 */

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

/** The write that adds a KPI to a unit's or a person's count, for the words of its message. */
export type LimitedWrite = 'create' | 'move' | 'assign_owner';

const WRITE_WORDS: Record<LimitedWrite, { anyway: string; askAdmin: string }> = {
  create: { anyway: 'create it anyway', askAdmin: 'create this one' },
  move: { anyway: 'move it anyway', askAdmin: 'move this one' },
  assign_owner: { anyway: 'assign it anyway', askAdmin: 'assign this one' },
};

/**
 * Refuses a write that would take a unit or a person past the organization's limits: a new KPI
 * (`create`), a KPI moved to another unit (`move`: `unitId` is the new unit, `ownerUserId` null)
 * or given another owner (`assign_owner`: `unitId` null, `ownerUserId` the new owner). Leads are
 * always refused (VALIDATION on the unit or owner field), admins unless they confirmed
 * (VALIDATION on `confirmOverLimit`, so the form can ask); the message is the same on every path
 * but for its verb. The KPI being moved or reassigned is not yet counted where it goes. Call
 * inside the write's transaction after the org cascade lock (or the KPI's row lock), so counts
 * cannot move under it. Tenant: ctx.org.
 */
export async function assertKpiLimits(
  ctx: OrgContext,
  tx: Tx,
  input: {
    /** The unit gaining a KPI, or null when the write leaves units as they are. */
    unitId: string | null;
    /** The person gaining a KPI, or null. */
    ownerUserId: string | null;
    isIndividual: boolean;
    confirmOverLimit: boolean;
    write?: LimitedWrite;
  },
): Promise<void> {
  const orgId = ctx.org.id;
  const words = WRITE_WORDS[input.write ?? 'create'];
  // Individual KPIs count toward their owner only.
  const unitId = input.isIndividual ? null : input.unitId;
  const unitCount = unitId ? await activeUnitKpiCount(tx, orgId, unitId) : 0;
  const personCount = input.ownerUserId
    ? await activeOwnedKpiCount(tx, orgId, input.ownerUserId)
    : null;
  const breaches = limitBreaches({
    isIndividual: unitId === null,
    unitCount,
    personCount,
    limits: kpiLimitsOf(ctx.org),
  });
  const decision = limitDecision(breaches, {
    isAdmin: can(ctx, 'kpis.exceed_limits'),
    confirmed: input.confirmOverLimit,
  });
  if (decision === 'allow') return;
  const [unit] = unitId
    ? await tx
        .select({ name: units.name })
        .from(units)
        .where(and(eq(units.orgId, orgId), eq(units.id, unitId)))
    : [];
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
      `${sentences.join(' ')} Too many KPIs dilute focus: archive one, or confirm to ${words.anyway}.`,
      { confirmOverLimit: sentences },
    );
  }
  const fieldErrors: Record<string, string[]> = {};
  for (const [i, b] of breaches.entries()) {
    (fieldErrors[b.kind === 'unit' ? 'unitId' : 'ownerUserId'] ??= []).push(sentences[i]!);
  }
  throw validationError(
    `${sentences.join(' ')} Archive a KPI first, or ask an admin to ${words.askAdmin}.`,
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
      limits: kpiLimitsOf(ctx.org),
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
  return updateOrgSettings(
    ctx,
    tx,
    'settings.kpi_limits',
    { perUnit: organizations.maxKpisPerUnit, perPerson: organizations.maxKpisPerPerson },
    { maxKpisPerUnit: input.maxKpisPerUnit, maxKpisPerPerson: input.maxKpisPerPerson },
  );
}
