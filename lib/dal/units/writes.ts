import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '@/db/client';
import { kpis, memberships, units } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { wouldCreateCycle, type UnitKind } from '@/lib/domain/tree';
import { refuseProblem } from '@/lib/domain/problem';
import { archiveUnitProblem, brokenLinksProblem, unitKindProblem } from '@/lib/domain/unit-rules';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type {
  ArchiveUnitInput,
  CreateUnitInput,
  MoveUnitInput,
  RenameUnitInput,
  SetUnitLeadInput,
} from '@/lib/validation/units';
import { appendAudit } from '@/lib/dal/audit';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import { loadUnitParentMap, memberHomeUnit } from '@/lib/dal/cascade/support';

/** A unit as the unit actions return it. */
export type UnitDto = {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  name: string;
  leadUserId: string | null;
  sortOrder: number;
  archived: boolean;
  version: number;
};

const unitColumns = {
  id: units.id,
  parentId: units.parentId,
  kind: units.kind,
  name: units.name,
  leadUserId: units.leadUserId,
  sortOrder: units.sortOrder,
  archivedAt: units.archivedAt,
  version: units.version,
};

type UnitRow = {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  name: string;
  leadUserId: string | null;
  sortOrder: number;
  archivedAt: Date | null;
  version: number;
};

function toUnitDto(row: UnitRow): UnitDto {
  const { archivedAt, ...rest } = row;
  return { ...rest, archived: archivedAt !== null };
}

/** Loads one unit of the org; another org's id and a missing id are both NOT_FOUND. */
async function getUnitForWrite(tx: Tx, orgId: string, unitId: string): Promise<UnitRow> {
  const [row] = await tx
    .select(unitColumns)
    .from(units)
    .where(and(eq(units.orgId, orgId), eq(units.id, unitId)))
    .limit(1);
  if (!row) throw notFoundError();
  return row;
}

async function assertLeadIsMember(tx: Tx, orgId: string, userId: string): Promise<void> {
  if ((await memberHomeUnit(tx, orgId, userId)) === null) {
    throw validationError('The lead must be a member of this organization.', {
      leadUserId: ['Choose a member of this organization'],
    });
  }
}

/**
 * Creates a department (under the company) or a team (under a department or the company).
 * Tenant: ctx.org. Permission: `units.manage` (owners and admins). Holds the org cascade lock.
 */
export async function createUnit(
  ctx: OrgContext,
  tx: Tx,
  input: CreateUnitInput,
): Promise<UnitDto> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  assertCan(ctx, 'units.manage', { unitId: input.parentId });
  const parent = await getUnitForWrite(tx, orgId, input.parentId);
  if (parent.archivedAt) {
    throw validationError('The parent unit is archived.', { parentId: ['Choose an active unit'] });
  }
  refuseProblem(unitKindProblem(input.kind, parent.kind));
  if (input.leadUserId) await assertLeadIsMember(tx, orgId, input.leadUserId);
  const [last] = await tx
    .select({ max: sql<number>`coalesce(max(${units.sortOrder}), -1)::int` })
    .from(units)
    .where(and(eq(units.orgId, orgId), eq(units.parentId, parent.id)));
  const [row] = await tx
    .insert(units)
    .values({
      orgId,
      parentId: parent.id,
      kind: input.kind,
      name: input.name,
      leadUserId: input.leadUserId ?? null,
      sortOrder: (last?.max ?? -1) + 1,
    })
    .returning(unitColumns);
  if (!row) throw new Error('unit insert returned nothing');
  const after = toUnitDto(row);
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'unit.create',
    entityType: 'unit',
    entityId: row.id,
    after,
  });
  return after;
}

async function updateUnitRow(
  ctx: OrgContext,
  tx: Tx,
  before: UnitRow,
  set: Partial<{
    name: string;
    parentId: string;
    leadUserId: string | null;
    archivedAt: Date;
    sortOrder: number;
  }>,
  action: string,
): Promise<UnitDto> {
  const [row] = await tx
    .update(units)
    .set({ ...set, version: sql`${units.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(units.orgId, ctx.org.id), eq(units.id, before.id)))
    .returning(unitColumns);
  if (!row) throw notFoundError();
  const after = toUnitDto(row);
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action,
    entityType: 'unit',
    entityId: row.id,
    before: toUnitDto(before),
    after,
  });
  return after;
}

/** Renames a unit. Tenant: ctx.org. Permission: `units.manage`. */
export async function renameUnit(
  ctx: OrgContext,
  tx: Tx,
  input: RenameUnitInput,
): Promise<UnitDto> {
  assertCan(ctx, 'units.manage', { unitId: input.unitId });
  const unit = await getUnitForWrite(tx, ctx.org.id, input.unitId);
  if (unit.name === input.name) return toUnitDto(unit);
  return updateUnitRow(ctx, tx, unit, { name: input.name }, 'unit.rename');
}

/**
 * Moves a unit under another one. Refuses moving the root, cycles, kind rules
 * (`allowedParentKinds`), archived parents, and moves that would leave a KPI linked to a parent
 * KPI that is no longer at or above its unit. Tenant: ctx.org. Permission: `units.manage`.
 * Holds the org cascade lock (KPI links depend on the unit tree).
 */
export async function moveUnit(ctx: OrgContext, tx: Tx, input: MoveUnitInput): Promise<UnitDto> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  assertCan(ctx, 'units.manage', { unitId: input.unitId });
  const unit = await getUnitForWrite(tx, orgId, input.unitId);
  const parent = await getUnitForWrite(tx, orgId, input.parentId);
  if (unit.parentId === null) {
    throw validationError('The company unit is the root of the tree and cannot move.');
  }
  if (unit.parentId === parent.id) return toUnitDto(unit);
  const parentOf = await loadUnitParentMap(tx, orgId);
  if (wouldCreateCycle(unit.id, parent.id, parentOf)) {
    throw validationError('A unit cannot move under itself or one of its own units.', {
      parentId: ['Choose a unit outside this one'],
    });
  }
  if (unit.archivedAt) throw validationError('This unit is archived.');
  if (parent.archivedAt) {
    throw validationError('The new parent unit is archived.', {
      parentId: ['Choose an active unit'],
    });
  }
  refuseProblem(unitKindProblem(unit.kind, parent.kind));
  const moved = new Map(parentOf);
  moved.set(unit.id, parent.id);
  const child = alias(kpis, 'child');
  const links = await tx
    .select({ childName: child.name, childUnitId: child.unitId, parentUnitId: kpis.unitId })
    .from(child)
    .innerJoin(kpis, and(eq(kpis.orgId, child.orgId), eq(kpis.id, child.parentId)))
    .where(eq(child.orgId, orgId));
  refuseProblem(brokenLinksProblem(links, moved));
  const [last] = await tx
    .select({ max: sql<number>`coalesce(max(${units.sortOrder}), -1)::int` })
    .from(units)
    .where(and(eq(units.orgId, orgId), eq(units.parentId, parent.id)));
  return updateUnitRow(
    ctx,
    tx,
    unit,
    { parentId: parent.id, sortOrder: (last?.max ?? -1) + 1 },
    'unit.move',
  );
}

/**
 * Archives a unit. Refuses the root, and a unit that still has active KPIs, active child units or
 * is someone's home unit. Tenant: ctx.org. Permission: `units.manage`. Holds the org cascade lock.
 */
export async function archiveUnit(
  ctx: OrgContext,
  tx: Tx,
  input: ArchiveUnitInput,
): Promise<UnitDto> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  assertCan(ctx, 'units.manage', { unitId: input.unitId });
  const unit = await getUnitForWrite(tx, orgId, input.unitId);
  if (unit.parentId === null) throw validationError('The company unit cannot be archived.');
  if (unit.archivedAt) return toUnitDto(unit);
  const [counts] = await tx
    .select({
      kpis: sql<number>`(select count(*)::int from ${kpis} where ${kpis.orgId} = ${orgId} and ${kpis.unitId} = ${unit.id} and ${kpis.archivedOn} is null)`,
      children: sql<number>`(select count(*)::int from ${units} where ${units.orgId} = ${orgId} and ${units.parentId} = ${unit.id} and ${units.archivedAt} is null)`,
      members: sql<number>`(select count(*)::int from ${memberships} where ${memberships.orgId} = ${orgId} and ${memberships.homeUnitId} = ${unit.id})`,
    })
    .from(sql`(select 1) as one`);
  refuseProblem(archiveUnitProblem(counts));
  return updateUnitRow(ctx, tx, unit, { archivedAt: new Date() }, 'unit.archive');
}

/**
 * Sets or clears the lead of a unit; the lead must be a member of the org. Tenant: ctx.org.
 * Permission: `units.manage`.
 */
export async function setUnitLead(
  ctx: OrgContext,
  tx: Tx,
  input: SetUnitLeadInput,
): Promise<UnitDto> {
  assertCan(ctx, 'units.manage', { unitId: input.unitId });
  const unit = await getUnitForWrite(tx, ctx.org.id, input.unitId);
  if (input.leadUserId) {
    if (unit.archivedAt) throw validationError('This unit is archived.');
    await assertLeadIsMember(tx, ctx.org.id, input.leadUserId);
  }
  if (unit.leadUserId === input.leadUserId) return toUnitDto(unit);
  return updateUnitRow(ctx, tx, unit, { leadUserId: input.leadUserId }, 'unit.set_lead');
}
