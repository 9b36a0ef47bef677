import { aliasedTable, and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { withOrgRead, type Tx, type Executor } from '@/db/client';
import { kpiCommentaries, kpis, memberships, users } from '@/db/schema';
import { assertCan, can } from '@/lib/authz/can';
import { todayInTimeZone } from '@/lib/domain/dates';
import { recentPeriodStarts } from '@/lib/domain/period-history';
import { periodLabel, periodStart, type Cadence } from '@/lib/domain/periods';
import { notFoundError, validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { SaveKpiCommentaryInput } from '@/lib/validation/reports';
import { appendAudit } from './audit';
import { getKpiForWrite } from './cascade/kpi-rows';
import { authzScopeInTx, memberHomeUnit } from './cascade/support';
import { canSeeKpi } from './kpis/summary-query';

/*
 * Commentary: an owner's analysis of one KPI for one of its periods, with the next action. Every
 * save appends a revision (history is kept, never overwritten) and an audit record. Writing needs
 * `checkins.write` on the KPI: its owner, leads of its unit's subtree, admins (anyone who may
 * record its values). Reading follows the KPI's visibility.
 */

/** One revision of a commentary as pages, reports and snapshots show it (names, no user ids). */
export type CommentaryDto = {
  id: string;
  kpiId: string;
  periodStart: string;
  periodLabel: string;
  revision: number;
  analysis: string;
  nextAction: string;
  actionOwnerName: string | null;
  actionDueOn: string | null;
  authorName: string | null;
  createdAt: string;
};

const actionOwner = aliasedTable(users, 'action_owner');
const author = aliasedTable(users, 'commentary_author');

const columns = {
  id: kpiCommentaries.id,
  kpiId: kpiCommentaries.kpiId,
  periodStart: kpiCommentaries.periodStart,
  revision: kpiCommentaries.revision,
  analysis: kpiCommentaries.analysis,
  nextAction: kpiCommentaries.nextAction,
  actionOwnerName: actionOwner.name,
  actionDueOn: kpiCommentaries.actionDueOn,
  authorName: author.name,
  createdAt: kpiCommentaries.createdAt,
};

type Row = Omit<CommentaryDto, 'periodLabel' | 'createdAt'> & { createdAt: Date };

function toDto(
  row: Row,
  cadence: Cadence,
  org: { fyStartMonth: number; locale: string },
): CommentaryDto {
  return {
    ...row,
    periodLabel: periodLabel(row.periodStart, cadence, org.fyStartMonth, org.locale),
    createdAt: row.createdAt.toISOString(),
  };
}

function selectRows(db: Executor) {
  return db
    .select(columns)
    .from(kpiCommentaries)
    .leftJoin(actionOwner, eq(actionOwner.id, kpiCommentaries.actionOwnerUserId))
    .leftJoin(author, eq(author.id, kpiCommentaries.authorUserId))
    .$dynamic();
}

/**
 * Saves a new revision of the commentary on a KPI for one of its periods (a period start of the
 * KPI's cadence, not after the current one). The action owner must be a member of the org.
 * Tenant: ctx.org. Permission: `checkins.write` on the KPI; a KPI the actor may not see, another
 * org's and a missing one are NOT_FOUND. Revisions of one KPI and period are serialized by an
 * advisory lock, so two saves never race for the same revision number.
 */
export async function saveKpiCommentary(
  ctx: OrgContext,
  tx: Tx,
  input: SaveKpiCommentaryInput,
): Promise<CommentaryDto> {
  const orgId = ctx.org.id;
  const scope = await authzScopeInTx(ctx, tx);
  const kpi = await getKpiForWrite(tx, scope, orgId, input.kpiId);
  assertCan(scope, 'checkins.write', { unitId: kpi.unitId, ownerUserId: kpi.ownerUserId });
  if (kpi.archivedOn) {
    throw validationError('This KPI is archived: its commentary can no longer change.', {
      kpiId: ['This KPI is archived'],
    });
  }
  const today = todayInTimeZone(ctx.org.timeZone);
  if (
    periodStart(input.periodStart, kpi.cadence, ctx.org.fyStartMonth) !== input.periodStart ||
    input.periodStart > today
  ) {
    throw validationError('Choose one of this KPI’s periods, up to the current one.', {
      periodStart: ['Choose one of this KPI’s periods, up to the current one'],
    });
  }
  const ownerId = input.nextAction ? (input.actionOwnerUserId ?? null) : null;
  if (ownerId && !(await memberHomeUnit(tx, orgId, ownerId))) {
    throw validationError('Choose a member of this organization.', {
      actionOwnerUserId: ['Choose a member of this organization'],
    });
  }
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`commentary:${kpi.id}:${input.periodStart}`}, 0))`,
  );
  const [last] = await tx
    .select({ revision: kpiCommentaries.revision })
    .from(kpiCommentaries)
    .where(
      and(
        eq(kpiCommentaries.orgId, orgId),
        eq(kpiCommentaries.kpiId, kpi.id),
        eq(kpiCommentaries.periodStart, input.periodStart),
      ),
    )
    .orderBy(desc(kpiCommentaries.revision))
    .limit(1);
  const [inserted] = await tx
    .insert(kpiCommentaries)
    .values({
      orgId,
      kpiId: kpi.id,
      periodStart: input.periodStart,
      revision: (last?.revision ?? 0) + 1,
      analysis: input.analysis,
      nextAction: input.nextAction,
      actionOwnerUserId: ownerId,
      actionDueOn: input.nextAction ? (input.actionDueOn ?? null) : null,
      authorUserId: ctx.actor.userId,
    })
    .returning({ id: kpiCommentaries.id });
  if (!inserted) throw new Error('commentary insert returned nothing');
  const [row] = await selectRows(tx).where(
    and(eq(kpiCommentaries.orgId, orgId), eq(kpiCommentaries.id, inserted.id)),
  );
  const dto = toDto(row!, kpi.cadence, ctx.org);
  // Recorded under the KPI's id, so it shows in the KPI's history beside its other changes.
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'commentary.create',
    entityType: 'kpi_commentary',
    entityId: kpi.id,
    after: {
      id: dto.id,
      periodStart: dto.periodStart,
      revision: dto.revision,
      analysis: dto.analysis,
      nextAction: dto.nextAction,
      actionOwnerUserId: ownerId,
      actionDueOn: dto.actionDueOn,
    },
  });
  return dto;
}

export type CommentaryPanelData = {
  /** Every revision, newest period first, newest revision first (at most 50). */
  revisions: CommentaryDto[];
  /** Whether the actor may write commentary here (the server checks again on save). */
  canWrite: boolean;
  /** The KPI's periods a commentary can be about: the current one first, then the five before. */
  periods: { start: string; label: string }[];
};

/**
 * The commentary history of one KPI and whether the actor may add to it (the members a next
 * action can be given to are searched by the form: searchMemberNames). Tenant:
 * ctx.org. A KPI the actor may not see, another org's and a missing one are NOT_FOUND.
 */
export async function getCommentaryPanel(
  ctx: OrgContext,
  kpiId: string,
): Promise<CommentaryPanelData> {
  return withOrgRead(ctx.org.id, async (db) => {
    const [kpi] = await db
      .select({
        id: kpis.id,
        cadence: kpis.cadence,
        unitId: kpis.unitId,
        isIndividual: kpis.isIndividual,
        ownerUserId: kpis.ownerUserId,
        ownerHomeUnitId: memberships.homeUnitId,
        archivedOn: kpis.archivedOn,
      })
      .from(kpis)
      .leftJoin(
        memberships,
        and(eq(memberships.orgId, kpis.orgId), eq(memberships.userId, kpis.ownerUserId)),
      )
      .where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)))
      .limit(1);
    if (!kpi || !canSeeKpi(ctx, kpi)) throw notFoundError();
    const canWrite =
      !kpi.archivedOn &&
      can(ctx, 'checkins.write', { unitId: kpi.unitId, ownerUserId: kpi.ownerUserId });
    const current = periodStart(
      todayInTimeZone(ctx.org.timeZone),
      kpi.cadence,
      ctx.org.fyStartMonth,
    );
    const periods = recentPeriodStarts(current, kpi.cadence, 6)
      .reverse()
      .map((start) => ({
        start,
        label: periodLabel(start, kpi.cadence, ctx.org.fyStartMonth, ctx.org.locale),
      }));
    const rows = await selectRows(db)
      .where(and(eq(kpiCommentaries.orgId, ctx.org.id), eq(kpiCommentaries.kpiId, kpiId)))
      .orderBy(desc(kpiCommentaries.periodStart), desc(kpiCommentaries.revision))
      .limit(50);
    return {
      revisions: rows.map((r) => toDto(r, kpi.cadence, ctx.org)),
      canWrite,
      periods,
    };
  });
}

/**
 * The latest revision per KPI among commentaries dated in [from, to) for the given KPIs, for the
 * report. The caller passes only KPIs the actor may see. Tenant-scoped by ctx.org.id.
 */
export async function listLatestCommentaries(
  ctx: OrgContext,
  kpiCadences: ReadonlyMap<string, Cadence>,
  range: { from: string; to: string },
  inRange: (kpiId: string, periodStart: string) => boolean,
): Promise<Map<string, CommentaryDto>> {
  const ids = [...kpiCadences.keys()];
  const latest = new Map<string, CommentaryDto>();
  if (ids.length === 0) return latest;
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await selectRows(db)
      .where(
        and(
          eq(kpiCommentaries.orgId, ctx.org.id),
          gte(kpiCommentaries.periodStart, range.from),
          lt(kpiCommentaries.periodStart, range.to),
          ids.length <= 2000 ? inArray(kpiCommentaries.kpiId, ids) : undefined,
        ),
      )
      .orderBy(desc(kpiCommentaries.periodStart), desc(kpiCommentaries.revision));
    for (const row of rows) {
      const cadence = kpiCadences.get(row.kpiId);
      if (!cadence || latest.has(row.kpiId) || !inRange(row.kpiId, row.periodStart)) continue;
      latest.set(row.kpiId, toDto(row, cadence, ctx.org));
    }
    return latest;
  });
}
