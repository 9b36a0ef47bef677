import {
  aliasedTable,
  and,
  desc,
  eq,
  gte,
  inArray,
  like,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { withOrgRead, type Executor } from '@/db/client';
import { auditLog, kpis, memberships, units, users } from '@/db/schema';
import { can, leadsUnit } from '@/lib/authz/can';
import {
  AUDIT_KINDS,
  describeChanges,
  entityLabel,
  kindOfAction,
  referencedIds,
  summarizeAction,
  type AuditChange,
  type AuditKind,
} from '@/lib/domain/audit-history';
import { addDays, localInstant, zonedTimestamp } from '@/lib/domain/dates';
import type { MeasureUnit } from '@/lib/domain/format';
import type { Cadence } from '@/lib/domain/periods';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { canSeeKpi, summaryQuery } from './kpis/summary-query';

/** Entries on one page of the history. */
export const HISTORY_PAGE_SIZE = 50;
/** The most entries one read returns (the CSV export reads in pages of this size). */
export const HISTORY_MAX_PAGE = 500;

export type HistoryFilter = {
  /** Who acted (a person's user id). */
  person?: string;
  kind?: Exclude<AuditKind, 'other'>;
  /** First and last day (inclusive), as calendar days in the organization's time zone. */
  from?: string;
  to?: string;
  /** Only what is about this KPI id (its changes, targets, check-ins, commentary). */
  kpi?: string;
  /** Keyset cursor: entries older than this id (the `nextCursor` of the page before). */
  before?: number;
  /** Page size (default 50, at most 500). */
  limit?: number;
};

export type HistoryEntry = {
  id: number;
  /** The instant, ISO UTC. */
  at: string;
  /** The instant on the organization's wall clock, ISO with its offset. */
  atLocal: string;
  /** Who; `apiKey`: the name of the API key the write came through (null: made in the app). */
  actor: { id: string | null; name: string | null; apiKey: string | null };
  action: string;
  kind: AuditKind;
  summary: string;
  /** A KPI the viewer may see (linked), or what else the record is about, in words. */
  subject: { kpiId: string; name: string } | { kpiId: null; name: string };
  changes: AuditChange[];
};

export type HistoryPage = {
  entries: HistoryEntry[];
  nextCursor: number | null;
  /** The KPI filtered on, when there is one. */
  kpi: { id: string; name: string } | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

const ownerMembership = aliasedTable(memberships, 'history_owner_membership');
const actorUser = aliasedTable(users, 'history_actor');

/** The actions of a kind, as SQL (`x.` is a prefix; LIKE's `_` and `%` taken literally). */
function kindCondition(kind: Exclude<AuditKind, 'other'>): SQL | undefined {
  const family = AUDIT_KINDS.find((k) => k.kind === kind);
  if (!family) return sql`false`;
  return or(
    ...family.actions.map((p) =>
      p.endsWith('.')
        ? like(auditLog.action, `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
        : eq(auditLog.action, p),
    ),
  );
}

/**
 * What the actor may read: owners and admins everything (refused attempts included); anyone
 * else only records about KPIs whose history they may read (`history.read`: KPIs they own, and
 * the KPIs of the subtrees they lead that they may see), never a refused attempt.
 */
function scopeCondition(ctx: OrgContext, db: Executor): SQL | undefined {
  if (can(ctx, 'history.read_all')) return undefined;
  const me = ctx.actor.userId;
  const subtree = [...ctx.unitParentOf.keys()].filter((unitId) => leadsUnit(ctx, unitId));
  const visible = db
    .select({ id: sql<string>`${kpis.id}::text` })
    .from(kpis)
    .leftJoin(
      ownerMembership,
      and(eq(ownerMembership.orgId, kpis.orgId), eq(ownerMembership.userId, kpis.ownerUserId)),
    )
    .where(
      and(
        eq(kpis.orgId, ctx.org.id),
        or(
          eq(kpis.ownerUserId, me),
          subtree.length === 0
            ? sql`false`
            : and(
                inArray(kpis.unitId, subtree),
                or(eq(kpis.isIndividual, false), inArray(ownerMembership.homeUnitId, subtree)),
              ),
        ),
      ),
    );
  return inArray(auditLog.subjectKpiId, visible);
}

type KpiFacts = {
  name: string;
  measureUnit: MeasureUnit;
  currency: string | null;
  decimals: number;
  cadence: Cadence;
};

/** Names of the people, units and KPIs (those the actor may see) a page of records points at. */
async function loadNames(
  ctx: OrgContext,
  db: Executor,
  ids: ReadonlySet<string>,
): Promise<{ names: Map<string, string>; kpiFacts: Map<string, KpiFacts> }> {
  const list = [...ids].filter(isUuid);
  const names = new Map<string, string>();
  const kpiFacts = new Map<string, KpiFacts>();
  if (list.length === 0) return { names, kpiFacts };
  const [people, unitRows, kpiRows] = await Promise.all([
    // Only people of this organization (a removed person is named by the record's own snapshot).
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .innerJoin(
        memberships,
        and(eq(memberships.orgId, ctx.org.id), eq(memberships.userId, users.id)),
      )
      .where(inArray(users.id, list)),
    db
      .select({ id: units.id, name: units.name })
      .from(units)
      .where(and(eq(units.orgId, ctx.org.id), inArray(units.id, list))),
    summaryQuery(db, ctx.org.id).where(and(eq(kpis.orgId, ctx.org.id), inArray(kpis.id, list))),
  ]);
  for (const p of people) names.set(p.id, p.name);
  for (const u of unitRows) names.set(u.id, u.name);
  for (const k of kpiRows) {
    if (!canSeeKpi(ctx, k)) continue;
    names.set(k.id, k.name);
    kpiFacts.set(k.id, k);
  }
  return { names, kpiFacts };
}

/**
 * One page of the organization's history, newest first, with readable changes. Tenant: ctx.org.
 * Filters: person, kind, days (in the org's time zone), KPI. Who reads what: owners and admins
 * every record (`history.read_all`); others only records about KPIs whose history they may read
 * (`history.read`), so a member gets an empty page for a KPI they do not own. A KPI id of
 * another organization, a missing one and a hidden one are NOT_FOUND.
 */
export async function listHistory(
  ctx: OrgContext,
  filter: HistoryFilter = {},
): Promise<HistoryPage> {
  const limit = Math.min(Math.max(filter.limit ?? HISTORY_PAGE_SIZE, 1), HISTORY_MAX_PAGE);
  const tz = ctx.org.timeZone;
  return withOrgRead(ctx.org.id, async (db) => {
    let kpi: HistoryPage['kpi'] = null;
    if (filter.kpi !== undefined) {
      if (!isUuid(filter.kpi)) throw notFoundError();
      const [row] = await summaryQuery(db, ctx.org.id).where(
        and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, filter.kpi)),
      );
      if (!row || !canSeeKpi(ctx, row)) throw notFoundError();
      kpi = { id: row.id, name: row.name };
    }
    const rows = await db
      .select({
        id: auditLog.id,
        actorUserId: auditLog.actorUserId,
        actorName: actorUser.name,
        actorApiKey: auditLog.actorApiKey,
        action: auditLog.action,
        entityType: auditLog.entityType,
        entityId: auditLog.entityId,
        subjectKpiId: auditLog.subjectKpiId,
        before: auditLog.before,
        after: auditLog.after,
        createdAt: auditLog.createdAt,
      })
      .from(auditLog)
      .leftJoin(actorUser, eq(actorUser.id, auditLog.actorUserId))
      .where(
        and(
          eq(auditLog.orgId, ctx.org.id),
          scopeCondition(ctx, db),
          filter.person === undefined ? undefined : eq(auditLog.actorUserId, filter.person),
          filter.kind === undefined ? undefined : kindCondition(filter.kind),
          filter.from === undefined
            ? undefined
            : gte(auditLog.createdAt, localInstant(filter.from, 0, tz)),
          filter.to === undefined
            ? undefined
            : lt(auditLog.createdAt, localInstant(addDays(filter.to, 1), 0, tz)),
          filter.kpi === undefined ? undefined : eq(auditLog.subjectKpiId, filter.kpi),
          filter.before === undefined ? undefined : lt(auditLog.id, filter.before),
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);

    const ids = new Set<string>();
    for (const r of page) {
      for (const id of referencedIds(r.before, r.after)) ids.add(id);
      if (r.subjectKpiId) ids.add(r.subjectKpiId);
      if (r.entityType === 'unit' || r.entityType === 'membership') ids.add(r.entityId);
    }
    const { names, kpiFacts } = await loadNames(ctx, db, ids);

    const entries = page.map((r): HistoryEntry => {
      const facts = r.subjectKpiId ? kpiFacts.get(r.subjectKpiId) : undefined;
      const context = {
        fyStartMonth: ctx.org.fyStartMonth,
        locale: ctx.org.locale,
        names,
        measure: facts,
        cadence: facts?.cadence,
      };
      const subject =
        r.subjectKpiId !== null
          ? facts
            ? { kpiId: r.subjectKpiId, name: facts.name }
            : { kpiId: null, name: 'A KPI' }
          : { kpiId: null, name: entityLabel(r, names) };
      return {
        id: r.id,
        at: r.createdAt.toISOString(),
        atLocal: zonedTimestamp(r.createdAt, tz),
        actor: { id: r.actorUserId, name: r.actorName, apiKey: r.actorApiKey },
        action: r.action,
        kind: kindOfAction(r.action),
        summary: summarizeAction(r.action, r.before, r.after),
        subject,
        changes: describeChanges(r, context),
      };
    });
    return {
      entries,
      nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      kpi,
    };
  });
}
