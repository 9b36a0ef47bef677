import { randomUUID } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { execRows, type Tx } from '@/db/client';
import { kpis, kpiTargets, units } from '@/db/schema';
import { assertCan, type AuthzScope } from '@/lib/authz/can';
import { todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { periodStart } from '@/lib/domain/periods';
import { checkKpiLink, type LinkKpi, type LinkProblem } from '@/lib/domain/tree';
import { notFoundError, validationError, type FieldErrors } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type {
  ArchiveKpiInput,
  AssignKpiOwnerInput,
  CreateKpiInput,
  LinkKpiInput,
  SetNorthStarInput,
  UnlinkKpiInput,
  UpdateKpiInput,
} from '@/lib/validation/kpis';
import { appendAudit } from './audit';
import { lockOrgCascade } from './cascade/locks';
import { recomputeAllPeriods } from './cascade/recompute';
import { assertKpiLimits } from './kpi-quality/limits';
import {
  getKpiForWrite,
  kpiColumns,
  kpiDtoOf,
  toKpiDto,
  type KpiDto,
  type KpiForWrite,
} from './cascade/kpi-rows';
import {
  assertVersion,
  authzScopeInTx,
  loadUnitParentMap,
  memberHomeUnit,
} from './cascade/support';

export type { KpiDto } from './cascade/kpi-rows';

/*
 * KPI writes. Every function runs inside the caller's tenant transaction (`withOrgTx`), scopes
 * every query by ctx.org.id, takes the org cascade lock before reading what it depends on, checks
 * the permission on the real target rows, appends an audit record with before/after, and
 * recomputes the period values it affects. A refused write throws, so the transaction rolls back.
 */

const ARCHIVED_MESSAGE = 'This KPI is archived: it can no longer be changed.';

function writeTarget(
  kpi: Pick<KpiForWrite, 'unitId' | 'ownerUserId' | 'isIndividual' | 'ownerHomeUnitId'>,
) {
  return {
    unitId: kpi.unitId,
    ownerUserId: kpi.ownerUserId,
    isIndividual: kpi.isIndividual,
    ownerHomeUnitId: kpi.ownerHomeUnitId,
  };
}

async function getUnitKind(
  tx: Tx,
  orgId: string,
  unitId: string,
): Promise<{ kind: 'company' | 'department' | 'team'; archived: boolean }> {
  const [row] = await tx
    .select({ kind: units.kind, archivedAt: units.archivedAt })
    .from(units)
    .where(and(eq(units.orgId, orgId), eq(units.id, unitId)))
    .limit(1);
  if (!row) throw notFoundError();
  return { kind: row.kind, archived: row.archivedAt !== null };
}

/** Parent map of `kpiId` and its ancestors (enough for `wouldCreateCycle` from that KPI). */
async function loadKpiAncestorMap(
  tx: Tx,
  orgId: string,
  kpiId: string,
): Promise<Map<string, string | null>> {
  const rows = await execRows<{ id: string; parent_id: string | null }>(
    tx,
    sql`with recursive chain as (
          select id, parent_id from kpis where org_id = ${orgId}::uuid and id = ${kpiId}::uuid
          union
          select k.id, k.parent_id from kpis k join chain c on k.org_id = ${orgId}::uuid and k.id = c.parent_id
        ) select id, parent_id from chain`,
  );
  return new Map(rows.map((r) => [r.id, r.parent_id]));
}

function toLinkKpi(
  kpi: Pick<KpiDto, 'id' | 'unitId' | 'cadence' | 'rollup' | 'measureUnit' | 'currency'>,
): LinkKpi {
  return {
    id: kpi.id,
    unitId: kpi.unitId,
    cadence: kpi.cadence,
    rollup: kpi.rollup,
    measureUnit: kpi.measureUnit,
    currency: kpi.currency,
  };
}

const linkColumns = {
  id: kpis.id,
  name: kpis.name,
  unitId: kpis.unitId,
  cadence: kpis.cadence,
  rollup: kpis.rollup,
  measureUnit: kpis.measureUnit,
  currency: kpis.currency,
};

const PROBLEM_FIELD: Record<LinkProblem['code'], string> = {
  cycle: 'parentId',
  unit_outside_parent_subtree: 'unitId',
  cadence_longer_than_parent: 'cadence',
  measure_unit_mismatch: 'measureUnit',
};

function throwLinkProblems(
  problems: readonly { problem: LinkProblem; prefix: string }[],
  field?: string,
): void {
  if (problems.length === 0) return;
  const fieldErrors: FieldErrors = {};
  const messages: string[] = [];
  for (const { problem, prefix } of problems) {
    const message = `${prefix}${problem.message}`;
    messages.push(message);
    (fieldErrors[field ?? PROBLEM_FIELD[problem.code]] ??= []).push(message);
  }
  throw validationError(messages.join(' '), fieldErrors);
}

/** Checks that `child` may roll up into `parent` as the cascade is now (under the lock). */
async function assertLinkAllowed(
  tx: Tx,
  orgId: string,
  child: LinkKpi,
  parent: LinkKpi,
  unitParentOf: ReadonlyMap<string, string | null>,
): Promise<void> {
  const kpiParentOf = await loadKpiAncestorMap(tx, orgId, parent.id);
  const problems = checkKpiLink({ child, parent, unitParentOf, kpiParentOf });
  throwLinkProblems(
    problems.map((problem) => ({ problem, prefix: '' })),
    'parentId',
  );
}

async function assertKeyFree(tx: Tx, orgId: string, key: string, exceptId: string): Promise<void> {
  const [taken] = await tx
    .select({ id: kpis.id })
    .from(kpis)
    .where(and(eq(kpis.orgId, orgId), eq(kpis.key, key), ne(kpis.id, exceptId)))
    .limit(1);
  if (taken) {
    throw validationError('Another KPI already uses this key.', {
      key: ['Another KPI of this organization already uses this key'],
    });
  }
}

async function loadParentForLink(
  tx: Tx,
  scope: AuthzScope,
  orgId: string,
  parentId: string,
): Promise<KpiForWrite> {
  const parent = await getKpiForWrite(tx, scope, orgId, parentId);
  if (parent.archivedOn) {
    throw validationError('The parent KPI is archived. Choose an active KPI.', {
      parentId: ['Choose an active KPI'],
    });
  }
  return parent;
}

async function updateKpiRow(
  tx: Tx,
  orgId: string,
  kpiId: string,
  set: Partial<typeof kpis.$inferInsert>,
): Promise<KpiDto> {
  const [row] = await tx
    .update(kpis)
    .set({ ...set, version: sql`${kpis.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(kpis.orgId, orgId), eq(kpis.id, kpiId)))
    .returning(kpiColumns);
  if (!row) throw notFoundError();
  return toKpiDto(row);
}

async function audit(
  ctx: OrgContext,
  tx: Tx,
  action: string,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action,
    entityType: 'kpi',
    entityId,
    before,
    after,
  });
}

/**
 * Creates a KPI in a unit, optionally with an owner and a parent to roll up into.
 * Tenant: ctx.org (unit, owner and parent must belong to it; otherwise NOT_FOUND / VALIDATION).
 * Permission: `kpis.write` on the unit; with an owner also `kpis.assign_owner` (leads: owner's
 * home unit in their subtree). Linking checks the cascade rules. Past the org's KPI limits (per
 * unit, per owner) admins must confirm and leads are refused (`assertKpiLimits`). Holds the org
 * cascade lock.
 */
export async function createKpi(ctx: OrgContext, tx: Tx, input: CreateKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  const scope = await authzScopeInTx(ctx, tx);
  assertCan(scope, 'kpis.write', { unitId: input.unitId });
  const unit = await getUnitKind(tx, orgId, input.unitId);
  if (unit.archived) {
    throw validationError('This unit is archived.', { unitId: ['Choose an active unit'] });
  }
  if (input.ownerUserId) {
    const home = await memberHomeUnit(tx, orgId, input.ownerUserId);
    if (home === null) {
      throw validationError('The owner must be a member of this organization.', {
        ownerUserId: ['Choose a member of this organization'],
      });
    }
    assertCan(scope, 'kpis.assign_owner', { unitId: input.unitId, assigneeHomeUnitId: home });
  }
  await assertKpiLimits(ctx, tx, {
    unitId: input.unitId,
    ownerUserId: input.ownerUserId ?? null,
    isIndividual: input.isIndividual ?? false,
    confirmOverLimit: input.confirmOverLimit ?? false,
  });
  const id = randomUUID();
  if (input.key) await assertKeyFree(tx, orgId, input.key, id);
  const values = {
    id,
    orgId,
    key: input.key ?? null,
    name: input.name,
    description: input.description ?? '',
    unitId: input.unitId,
    ownerUserId: input.ownerUserId ?? null,
    parentId: input.parentId ?? null,
    isIndividual: input.isIndividual ?? false,
    measureUnit: input.measureUnit,
    currency: input.measureUnit === 'currency' ? (input.currency ?? null) : null,
    decimals: input.decimals ?? 0,
    direction: input.direction,
    cadence: input.cadence,
    timeAggregation: input.timeAggregation,
    rollup: input.rollup ?? 'manual',
    weight: input.weight ?? '1',
    baseline: input.baseline ?? null,
    defaultTarget: input.defaultTarget ?? null,
    category: input.category ?? 'operational',
    indicator: input.indicator ?? 'lagging',
  };
  if (input.parentId) {
    const parent = await loadParentForLink(tx, scope, orgId, input.parentId);
    await assertLinkAllowed(
      tx,
      orgId,
      toLinkKpi(values),
      toLinkKpi(parent),
      await loadUnitParentMap(tx, orgId),
    );
  }
  const [row] = await tx.insert(kpis).values(values).returning(kpiColumns);
  if (!row) throw new Error('kpi insert returned nothing');
  const after = toKpiDto(row);
  await audit(ctx, tx, 'kpi.create', id, null, after);
  if (after.parentId) await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [after.parentId]);
  return after;
}

/**
 * The common start of an edit of one KPI (seen at `input.version`): takes the org cascade lock,
 * loads the KPI (another org's or a hidden one: NOT_FOUND), checks `kpis.write` on its unit,
 * refuses an archived KPI with `archivedMessage` and a stale version with CONFLICT.
 */
async function lockKpiForEdit(
  ctx: OrgContext,
  tx: Tx,
  input: { kpiId: string; version: number },
  archivedMessage = ARCHIVED_MESSAGE,
) {
  await lockOrgCascade(tx, ctx.org.id);
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, ctx.org.id, input.kpiId);
  assertCan(scope, 'kpis.write', writeTarget(kpi));
  if (kpi.archivedOn) throw validationError(archivedMessage);
  assertVersion(kpi.version, input.version);
  return { scope, kpi };
}

/**
 * Edits a KPI seen at `input.version` (stale: CONFLICT). Only given fields change; owner, parent
 * and north star have their own functions. Changing the unit, cadence, rollup or measure unit is
 * checked against the KPI's parent and all its children; a cadence change drops the target
 * overrides that no longer start a period. Value-changing edits (cadence, time aggregation,
 * rollup, weight) recompute the KPI and its ancestors. Tenant: ctx.org. Permission: `kpis.write`
 * on the current unit and on a new unit. Holds the org cascade lock.
 */
export async function updateKpi(ctx: OrgContext, tx: Tx, input: UpdateKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  const { scope, kpi } = await lockKpiForEdit(ctx, tx, input);

  const { kpiId: _kpiId, version: _version, ...raw } = input;
  const patch = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined),
  ) as Partial<Omit<UpdateKpiInput, 'kpiId' | 'version'>>;
  if (
    patch.measureUnit !== undefined &&
    patch.measureUnit !== 'currency' &&
    patch.currency === undefined
  ) {
    patch.currency = null;
  }
  const merged: KpiDto = {
    ...kpiDtoOf(kpi),
    ...patch,
    description: patch.description ?? kpi.description,
  };
  if (
    (merged.measureUnit === 'currency') !==
    (merged.currency !== null && merged.currency !== undefined)
  ) {
    throw validationError('Please fix the highlighted fields.', {
      currency: [
        merged.measureUnit === 'currency'
          ? 'Choose the currency (a code such as EUR)'
          : 'Only KPIs measured in a currency have a currency code',
      ],
    });
  }
  const changed = (field: keyof KpiDto): boolean => {
    const a = merged[field];
    const b = kpi[field];
    if (
      typeof a === 'string' &&
      typeof b === 'string' &&
      (field === 'weight' || field === 'baseline' || field === 'defaultTarget')
    ) {
      return normalizeDecimal(a) !== normalizeDecimal(b);
    }
    return a !== b;
  };
  const changedFields = (Object.keys(patch) as (keyof KpiDto)[]).filter(changed);
  if (changedFields.length === 0) return kpiDtoOf(kpi);

  if (changed('unitId')) {
    assertCan(scope, 'kpis.write', { ...writeTarget(kpi), unitId: merged.unitId });
    const unit = await getUnitKind(tx, orgId, merged.unitId);
    if (unit.archived)
      throw validationError('This unit is archived.', { unitId: ['Choose an active unit'] });
    if (kpi.isNorthStar && unit.kind !== 'company') {
      throw validationError(
        'A north star KPI belongs to the company unit. Unset north star first.',
        {
          unitId: ['A north star stays in the company unit'],
        },
      );
    }
  }
  if (
    ['unitId', 'cadence', 'rollup', 'measureUnit', 'currency'].some((f) =>
      changed(f as keyof KpiDto),
    )
  ) {
    const unitParentOf = await loadUnitParentMap(tx, orgId);
    const problems: { problem: LinkProblem; prefix: string }[] = [];
    if (kpi.parentId) {
      const [parent] = await tx
        .select(linkColumns)
        .from(kpis)
        .where(and(eq(kpis.orgId, orgId), eq(kpis.id, kpi.parentId)));
      if (!parent) throw notFoundError();
      for (const problem of checkKpiLink({
        child: toLinkKpi(merged),
        parent: toLinkKpi(parent),
        unitParentOf,
        kpiParentOf: new Map(),
      })) {
        problems.push({ problem, prefix: '' });
      }
    }
    const children = await tx
      .select(linkColumns)
      .from(kpis)
      .where(and(eq(kpis.orgId, orgId), eq(kpis.parentId, kpi.id)));
    for (const child of children) {
      for (const problem of checkKpiLink({
        child: toLinkKpi(child),
        parent: toLinkKpi(merged),
        unitParentOf,
        kpiParentOf: new Map(),
      })) {
        problems.push({ problem, prefix: `"${child.name}" rolls up into this KPI: ` });
      }
    }
    throwLinkProblems(problems);
  }
  if (changed('key') && merged.key) await assertKeyFree(tx, orgId, merged.key, kpi.id);

  const set: Partial<typeof kpis.$inferInsert> = {};
  for (const field of changedFields) {
    (set as Record<string, unknown>)[field] = merged[field];
  }
  const after = await updateKpiRow(tx, orgId, kpi.id, set);

  let removedTargets: { periodStart: string; target: string }[] = [];
  if (changed('cadence')) {
    const overrides = await tx
      .select({ periodStart: kpiTargets.periodStart, target: kpiTargets.target })
      .from(kpiTargets)
      .where(and(eq(kpiTargets.orgId, orgId), eq(kpiTargets.kpiId, kpi.id)));
    removedTargets = overrides
      .filter(
        (t) => periodStart(t.periodStart, merged.cadence, ctx.org.fyStartMonth) !== t.periodStart,
      )
      .map((t) => ({ periodStart: t.periodStart, target: normalizeDecimal(t.target) }));
    if (removedTargets.length > 0) {
      await tx.delete(kpiTargets).where(
        and(
          eq(kpiTargets.orgId, orgId),
          eq(kpiTargets.kpiId, kpi.id),
          inArray(
            kpiTargets.periodStart,
            removedTargets.map((t) => t.periodStart),
          ),
        ),
      );
    }
  }
  await audit(
    ctx,
    tx,
    'kpi.update',
    kpi.id,
    kpiDtoOf(kpi),
    removedTargets.length > 0 ? { ...after, removedTargets } : after,
  );

  // The KPI is a source, so all its periods (old and new) are passed up: its parent follows too.
  if (['cadence', 'rollup', 'timeAggregation', 'weight'].some((f) => changed(f as keyof KpiDto))) {
    await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [kpi.id], {
      resetStored: changed('cadence'),
    });
  }
  return after;
}

/**
 * Archives a KPI (seen at `input.version`): `archivedOn` = today in the org's time zone. History
 * stays; the KPI leaves its parent's rollup for parent periods starting from that day (its
 * parent is recomputed). Children stay linked and an archived parent keeps computing. A north
 * star stops being one. Tenant: ctx.org. Permission: `kpis.write` on its unit. Holds the lock.
 */
export async function archiveKpi(ctx: OrgContext, tx: Tx, input: ArchiveKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  const { kpi } = await lockKpiForEdit(ctx, tx, input, 'This KPI is already archived.');
  const after = await updateKpiRow(tx, orgId, kpi.id, {
    archivedOn: todayInTimeZone(ctx.org.timeZone),
    isNorthStar: false,
  });
  await audit(ctx, tx, 'kpi.archive', kpi.id, kpiDtoOf(kpi), after);
  await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [kpi.parentId]);
  return after;
}

/**
 * Links a KPI (seen at `input.version`) under a parent KPI, or moves it from its current parent.
 * The parent must be an active KPI of the same org (another org's id: NOT_FOUND) that the actor
 * can see, and the link must pass `checkKpiLink` (no cycle, unit inside the parent's unit
 * subtree, cadence no longer, same measure unit under a computing parent). Old and new parents
 * are recomputed for all their periods. Tenant: ctx.org. Permission: `kpis.write` on the child
 * only: a lead may link their KPI under a KPI of an ancestor unit without editing that parent.
 * Holds the org cascade lock.
 */
export async function linkKpi(ctx: OrgContext, tx: Tx, input: LinkKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  const { scope, kpi } = await lockKpiForEdit(ctx, tx, input);
  const parent = await loadParentForLink(tx, scope, orgId, input.parentId);
  if (kpi.parentId === parent.id) return kpiDtoOf(kpi);
  await assertLinkAllowed(
    tx,
    orgId,
    toLinkKpi(kpi),
    toLinkKpi(parent),
    await loadUnitParentMap(tx, orgId),
  );
  const after = await updateKpiRow(tx, orgId, kpi.id, { parentId: parent.id });
  await audit(
    ctx,
    tx,
    'kpi.link',
    kpi.id,
    { parentId: kpi.parentId, version: kpi.version },
    { parentId: parent.id, version: after.version },
  );
  await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [kpi.parentId, parent.id]);
  return after;
}

/**
 * Unlinks a KPI (seen at `input.version`) from its parent; the parent is recomputed.
 * Tenant: ctx.org. Permission: `kpis.write` on the child. Holds the org cascade lock.
 */
export async function unlinkKpi(ctx: OrgContext, tx: Tx, input: UnlinkKpiInput): Promise<KpiDto> {
  const orgId = ctx.org.id;
  const { kpi } = await lockKpiForEdit(ctx, tx, input);
  if (kpi.parentId === null) throw validationError('This KPI does not roll up into another KPI.');
  const after = await updateKpiRow(tx, orgId, kpi.id, { parentId: null });
  await audit(
    ctx,
    tx,
    'kpi.unlink',
    kpi.id,
    { parentId: kpi.parentId, version: kpi.version },
    { parentId: null, version: after.version },
  );
  await recomputeAllPeriods(tx, orgId, ctx.org.fyStartMonth, [kpi.parentId]);
  return after;
}

/**
 * Marks or unmarks a KPI as a north star. Only active, non-individual KPIs of the company unit.
 * Tenant: ctx.org. Permission: `kpis.write` on its unit. Holds the org cascade lock.
 */
export async function setNorthStar(
  ctx: OrgContext,
  tx: Tx,
  input: SetNorthStarInput,
): Promise<KpiDto> {
  const orgId = ctx.org.id;
  await lockOrgCascade(tx, orgId);
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, orgId, input.kpiId);
  assertCan(scope, 'kpis.write', writeTarget(kpi));
  if (kpi.isNorthStar === input.isNorthStar) return kpiDtoOf(kpi);
  if (input.isNorthStar) {
    if (kpi.archivedOn) throw validationError(ARCHIVED_MESSAGE);
    const unit = await getUnitKind(tx, orgId, kpi.unitId);
    if (unit.kind !== 'company' || kpi.isIndividual) {
      throw validationError('Only company-level KPIs (not individual ones) can be north stars.');
    }
  }
  const after = await updateKpiRow(tx, orgId, kpi.id, { isNorthStar: input.isNorthStar });
  await audit(
    ctx,
    tx,
    'kpi.set_north_star',
    kpi.id,
    { isNorthStar: kpi.isNorthStar },
    { isNorthStar: after.isNorthStar },
  );
  return after;
}

/**
 * Sets or clears the owner of a KPI. The new owner must be a member of the org; an individual
 * KPI keeps an owner. Tenant: ctx.org. Permission: `kpis.assign_owner` on the KPI's unit, and for
 * leads the assignee's home unit must be in their subtree.
 */
export async function assignKpiOwner(
  ctx: OrgContext,
  tx: Tx,
  input: AssignKpiOwnerInput,
): Promise<KpiDto> {
  const orgId = ctx.org.id;
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, orgId, input.kpiId);
  if (input.ownerUserId === null) {
    assertCan(scope, 'kpis.assign_owner', writeTarget(kpi));
    if (kpi.isIndividual)
      throw validationError('An individual KPI needs an owner.', {
        ownerUserId: ['Choose an owner'],
      });
  } else {
    const home = await memberHomeUnit(tx, orgId, input.ownerUserId);
    if (home === null) {
      throw validationError('The owner must be a member of this organization.', {
        ownerUserId: ['Choose a member of this organization'],
      });
    }
    assertCan(scope, 'kpis.assign_owner', { ...writeTarget(kpi), assigneeHomeUnitId: home });
  }
  if (kpi.archivedOn) throw validationError(ARCHIVED_MESSAGE);
  if (kpi.ownerUserId === input.ownerUserId) return kpiDtoOf(kpi);
  const after = await updateKpiRow(tx, orgId, kpi.id, { ownerUserId: input.ownerUserId });
  await audit(
    ctx,
    tx,
    'kpi.assign_owner',
    kpi.id,
    { ownerUserId: kpi.ownerUserId },
    { ownerUserId: after.ownerUserId },
  );
  return after;
}
