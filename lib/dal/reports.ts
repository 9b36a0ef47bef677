import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { withOrgRead, withTokenOrgTx, type Tx } from '@/db/client';
import { reportShares, users } from '@/db/schema';
import { assertCan, can } from '@/lib/authz/can';
import { todayInTimeZone } from '@/lib/domain/dates';
import type { MeasureUnit } from '@/lib/domain/format';
import {
  cadenceMonths,
  periodEndExclusive,
  previousPeriodStart,
  type Cadence,
} from '@/lib/domain/periods';
import type { Direction, Status } from '@/lib/domain/progress';
import { turnedGreen, turnedRed, valueChange } from '@/lib/domain/report';
import { inTreeOrder, subtreeIds, type UnitKind } from '@/lib/domain/tree';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type { CreateReportShareInput, RevokeReportShareInput } from '@/lib/validation/reports';
import { appendAudit } from './audit';
import { listLatestCommentaries, type CommentaryDto } from './commentaries';
import {
  countByStatus,
  dashboardKpis,
  listPeriodOptions,
  resolveDashboardPeriod,
  type DashboardKpi,
  type DashboardPeriod,
  type PeriodOption,
  type StatusCounts,
} from './dashboards';
import { listUnitRefs } from './units/refs';

/*
 * The period report: for a scope (the company or a unit's subtree) and a dashboard period, every
 * KPI the actor may see with target, actual, progress, status, the change since the previous
 * period, a trend and its latest commentary. The numbers are the dashboard's own (dashboardKpis
 * for each period), so a report can never disagree with the dashboard. Reports are plain JSON:
 * a share link stores one, frozen, as its snapshot.
 */

const TREND_PERIODS = 6;

export type ReportRow = {
  kpiId: string;
  name: string;
  key: string | null;
  unitName: string;
  ownerName: string | null;
  isNorthStar: boolean;
  isIndividual: boolean;
  measure: { measureUnit: MeasureUnit; currency: string | null; decimals: number };
  direction: Direction;
  /** The period the numbers are for (the KPI's own when its cadence is longer than the report's). */
  periodLabel: string;
  value: string | null;
  target: string | null;
  progress: number | null;
  paceProgress: number | null;
  status: Status;
  previous: { label: string; value: string | null; status: Status } | null;
  change: string | null;
  /** The report's periods up to the selected one, oldest first (numbers for drawing only). */
  trend: { label: string; value: number | null }[];
  coverage: { reported: number; expected: number } | null;
  commentary: CommentaryDto | null;
};

export type ReportSection = {
  unit: { id: string; name: string; kind: UnitKind; depth: number };
  rows: ReportRow[];
};

export type ReportRef = { kpiId: string; name: string; unitName: string };

export type Report = {
  version: 1;
  org: { name: string };
  scope: { key: string; name: string; kind: UnitKind };
  period: {
    key: string;
    label: string;
    cadence: Cadence;
    start: string;
    isCurrent: boolean;
    asOf: string;
  };
  previousPeriod: { key: string; label: string };
  generatedAt: string;
  /** Over the scope's team KPIs (not individual ones), like the dashboard's scorecards. */
  summary: {
    counts: StatusCounts;
    turnedRed: ReportRef[];
    turnedGreen: ReportRef[];
    withoutValue: ReportRef[];
    withoutOwner: ReportRef[];
  };
  northStars: ReportRow[];
  sections: ReportSection[];
  /** Individual KPIs in scope the actor may see (never in a shared snapshot). */
  individual: ReportRow[];
};

export type ReportScopeOption = { key: string; name: string; kind: UnitKind; depth: number };

/** Units in tree order with their depth (the company root first). */
/** Scopes a report can cover: the company and every active unit, in tree order. */
export async function listReportScopes(ctx: OrgContext): Promise<ReportScopeOption[]> {
  return inTreeOrder(await listUnitRefs(ctx)).map((u) => ({
    key: u.kind === 'company' ? 'company' : u.id,
    name: u.name,
    kind: u.kind,
    depth: u.depth,
  }));
}

/** Periods a report can cover: the dashboard's. */
export function listReportPeriods(ctx: OrgContext): PeriodOption[] {
  return listPeriodOptions(ctx.org);
}

/** The period from `?period=` exactly as the dashboard reads it. */
export function resolveReportPeriod(
  raw: string | string[] | undefined | null,
  ctx: OrgContext,
): DashboardPeriod {
  return resolveDashboardPeriod(raw, ctx.org);
}

function previousPeriod(period: DashboardPeriod, ctx: OrgContext, today: string): DashboardPeriod {
  return resolveDashboardPeriod(
    `${period.cadence}-${previousPeriodStart(period.start, period.cadence)}`,
    ctx.org,
    today,
  );
}

/**
 * The report for a scope (`company`, or a unit id of the org: another org's or a missing one is
 * NOT_FOUND) and a period. Tenant: ctx.org. Visibility: the actor's, as on the dashboard
 * (individual KPIs only to the person, leads above them and admins); `includeIndividual: false`
 * leaves them out altogether (share snapshots).
 */
export async function getReport(
  ctx: OrgContext,
  input: { scope: string | null | undefined; period: DashboardPeriod; includeIndividual?: boolean },
): Promise<Report> {
  const today = todayInTimeZone(ctx.org.timeZone);
  const refs = await listUnitRefs(ctx);
  const ordered = inTreeOrder(refs);
  const root = ordered.find((u) => u.kind === 'company');
  const scopeKey = !input.scope || input.scope === 'company' ? 'company' : input.scope;
  const scopeUnit =
    scopeKey === 'company' ? root : ordered.find((u) => u.id === scopeKey && u.kind !== 'company');
  if (!scopeUnit) throw notFoundError();
  const inScope = subtreeIds(scopeUnit.id, new Map(refs.map((u) => [u.id, u.parentId])));

  const { period } = input;
  const periods: DashboardPeriod[] = [period];
  while (periods.length < TREND_PERIODS) periods.unshift(previousPeriod(periods[0]!, ctx, today));
  const lists: DashboardKpi[][] = [];
  for (const p of periods) lists.push(await dashboardKpis(ctx, p, today));
  const byPeriod = lists.map((list) => new Map(list.map((k) => [k.id, k])));
  const current = lists[lists.length - 1]!;
  const prevMap = byPeriod[byPeriod.length - 2]!;
  const prevPeriod = periods[periods.length - 2]!;

  const visible = current.filter((k) => input.includeIndividual !== false || !k.isIndividual);
  const scoped = visible.filter((k) => inScope.has(k.unitId));
  const northStars = visible.filter((k) => k.isNorthStar);

  // The commentary shown for a KPI is the latest one dated inside what its numbers cover.
  const spanOf = (k: DashboardKpi) => {
    const longer = cadenceMonths(k.cadence) > cadenceMonths(period.cadence);
    const start = longer ? k.view.start : period.start;
    return { start, end: periodEndExclusive(start, longer ? k.cadence : period.cadence) };
  };
  const shown = [...new Map([...northStars, ...scoped].map((k) => [k.id, k])).values()];
  const spans = new Map(shown.map((k) => [k.id, spanOf(k)]));
  const from = [...spans.values()].reduce((m, s) => (s.start < m ? s.start : m), period.start);
  const to = [...spans.values()].reduce(
    (m, s) => (s.end > m ? s.end : m),
    periodEndExclusive(period.start, period.cadence),
  );
  const commentaries = await listLatestCommentaries(
    ctx,
    new Map(shown.map((k) => [k.id, k.cadence])),
    { from, to },
    (kpiId, start) => {
      const span = spans.get(kpiId);
      return !!span && start >= span.start && start < span.end;
    },
  );

  const toRow = (k: DashboardKpi): ReportRow => {
    const prev = prevMap.get(k.id);
    return {
      kpiId: k.id,
      name: k.name,
      key: k.key,
      unitName: k.unitName,
      ownerName: k.ownerName,
      isNorthStar: k.isNorthStar,
      isIndividual: k.isIndividual,
      measure: { measureUnit: k.measureUnit, currency: k.currency, decimals: k.decimals },
      direction: k.direction,
      periodLabel: k.view.label,
      value: k.view.value,
      target: k.view.target,
      progress: k.view.progress,
      paceProgress: k.view.paceProgress,
      status: k.view.status,
      previous: prev
        ? { label: prev.view.label, value: prev.view.value, status: prev.view.status }
        : null,
      change: valueChange(k.view.value, prev?.view.value ?? null),
      trend: periods.map((p, i) => {
        const v = byPeriod[i]!.get(k.id)?.view.value ?? null;
        return { label: p.label, value: v === null ? null : Number(v) };
      }),
      coverage:
        k.rollup !== 'manual' && k.view.childrenExpected > 0
          ? { reported: k.view.childrenReported, expected: k.view.childrenExpected }
          : null,
      commentary: commentaries.get(k.id) ?? null,
    };
  };

  const ref = (k: DashboardKpi): ReportRef => ({ kpiId: k.id, name: k.name, unitName: k.unitName });
  const team = scoped.filter((k) => !k.isIndividual);
  const sectionKpis = scopeKey === 'company' ? team.filter((k) => !k.isNorthStar) : team;
  const sections: ReportSection[] = ordered
    .filter((u) => inScope.has(u.id))
    .map((u) => ({
      unit: { id: u.id, name: u.name, kind: u.kind, depth: u.depth },
      rows: sectionKpis.filter((k) => k.unitId === u.id).map(toRow),
    }))
    .filter((s) => s.rows.length > 0);

  return {
    version: 1,
    org: { name: ctx.org.name },
    scope: { key: scopeKey, name: scopeUnit.name, kind: scopeUnit.kind },
    period: {
      key: period.key,
      label: period.label,
      cadence: period.cadence,
      start: period.start,
      isCurrent: period.isCurrent,
      asOf: period.asOf,
    },
    previousPeriod: { key: prevPeriod.key, label: prevPeriod.label },
    generatedAt: new Date().toISOString(),
    summary: {
      counts: countByStatus(team),
      turnedRed: team
        .filter((k) => turnedRed(k.view.status, prevMap.get(k.id)?.view.status ?? null))
        .map(ref),
      turnedGreen: team
        .filter((k) => turnedGreen(k.view.status, prevMap.get(k.id)?.view.status ?? null))
        .map(ref),
      withoutValue: team.filter((k) => k.view.value === null).map(ref),
      withoutOwner: team.filter((k) => !k.ownerUserId).map(ref),
    },
    northStars: northStars.map(toRow),
    sections,
    individual: scoped.filter((k) => k.isIndividual).map(toRow),
  };
}

/** Every row of a report, in print order (north stars, units, individual KPIs). */
export function reportRows(report: Report): { group: string; row: ReportRow }[] {
  return [
    ...report.northStars.map((row) => ({ group: 'North star', row })),
    ...report.sections.flatMap((s) => s.rows.map((row) => ({ group: s.unit.name, row }))),
    ...report.individual.map((row) => ({ group: 'Individual', row })),
  ];
}

/* ------------------------------------------------------------------------------------------ */
/* Share links                                                                                 */
/* ------------------------------------------------------------------------------------------ */

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

function hashShareToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export type ReportShareDto = {
  id: string;
  title: string;
  periodKey: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  createdByName: string | null;
};

/**
 * The snapshot a share link will freeze: the report of the scope and period as it is now,
 * without individual KPIs (people's own targets are never shown outside the app). Read before
 * the share's transaction. Tenant: ctx.org. Permission: `reports.share` (owners, admins).
 */
export async function getShareSnapshot(
  ctx: OrgContext,
  input: CreateReportShareInput,
): Promise<Report> {
  assertCan(ctx, 'reports.share');
  const period = resolveDashboardPeriod(input.period, ctx.org);
  return getReport(ctx, { scope: input.scope, period, includeIndividual: false });
}

/**
 * Creates a read-only link to a report snapshot (from getShareSnapshot): only the sha256 of the
 * random token is kept, so the link is shown once. Tenant: ctx.org. Permission: `reports.share`.
 */
export async function createReportShare(
  ctx: OrgContext,
  tx: Tx,
  input: CreateReportShareInput,
  report: Report,
): Promise<{ id: string; token: string; title: string; expiresAt: string }> {
  assertCan(ctx, 'reports.share');
  const token = randomBytes(32).toString('base64url');
  const title = `${report.scope.name} · ${report.period.label}`;
  const [row] = await tx
    .insert(reportShares)
    .values({
      orgId: ctx.org.id,
      tokenHash: hashShareToken(token),
      scopeUnitId: input.scope === 'company' ? null : input.scope,
      periodKey: report.period.key,
      title,
      snapshot: report,
      createdByUserId: ctx.actor.userId,
      expiresAt: sql`now() + make_interval(days => ${input.expiresInDays})`,
    })
    .returning({ id: reportShares.id, expiresAt: reportShares.expiresAt });
  if (!row) throw new Error('share insert returned nothing');
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'report_share.create',
    entityType: 'report_share',
    entityId: row.id,
    after: {
      title,
      scope: report.scope.key,
      period: report.period.key,
      expiresAt: row.expiresAt.toISOString(),
    },
  });
  return { id: row.id, token, title, expiresAt: row.expiresAt.toISOString() };
}

/**
 * Revokes a share link at once (revoking twice is a no-op). Tenant: ctx.org; another org's id and
 * a missing one are NOT_FOUND. Permission: `reports.share`.
 */
export async function revokeReportShare(
  ctx: OrgContext,
  tx: Tx,
  input: RevokeReportShareInput,
): Promise<{ id: string; revokedAt: string }> {
  assertCan(ctx, 'reports.share');
  const [existing] = await tx
    .select({ id: reportShares.id, revokedAt: reportShares.revokedAt })
    .from(reportShares)
    .where(and(eq(reportShares.orgId, ctx.org.id), eq(reportShares.id, input.shareId)))
    .limit(1);
  if (!existing) throw notFoundError();
  if (existing.revokedAt) return { id: existing.id, revokedAt: existing.revokedAt.toISOString() };
  const [row] = await tx
    .update(reportShares)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(reportShares.orgId, ctx.org.id), eq(reportShares.id, input.shareId)))
    .returning({ id: reportShares.id, revokedAt: reportShares.revokedAt });
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'report_share.revoke',
    entityType: 'report_share',
    entityId: input.shareId,
  });
  return { id: row!.id, revokedAt: row!.revokedAt!.toISOString() };
}

/** The org's share links, newest first, for people who may manage them (others get none). */
export async function listReportShares(ctx: OrgContext): Promise<ReportShareDto[]> {
  if (!can(ctx, 'reports.share')) return [];
  return withOrgRead(ctx.org.id, async (db) => {
    const rows = await db
      .select({
        id: reportShares.id,
        title: reportShares.title,
        periodKey: reportShares.periodKey,
        createdAt: reportShares.createdAt,
        expiresAt: reportShares.expiresAt,
        revokedAt: reportShares.revokedAt,
        createdByName: users.name,
      })
      .from(reportShares)
      .leftJoin(users, eq(users.id, reportShares.createdByUserId))
      .where(eq(reportShares.orgId, ctx.org.id))
      .orderBy(desc(reportShares.createdAt))
      .limit(50);
    return rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
    }));
  });
}

/**
 * The frozen report behind a share token, for anyone holding the link (no account): null for a
 * malformed, unknown, revoked or expired token, all alike. Reveals nothing but the snapshot.
 */
export async function getSharedReport(token: string): Promise<Report | null> {
  if (typeof token !== 'string' || !TOKEN_FORMAT.test(token)) return null;
  const tokenHash = hashShareToken(token);
  const [row] = await withTokenOrgTx('report_shares', tokenHash, (db) =>
    db
      .select({ snapshot: reportShares.snapshot })
      .from(reportShares)
      .where(
        and(
          eq(reportShares.tokenHash, tokenHash),
          isNull(reportShares.revokedAt),
          gt(reportShares.expiresAt, sql`now()`),
        ),
      )
      .limit(1),
  );
  return row ? (row.snapshot as Report) : null;
}
