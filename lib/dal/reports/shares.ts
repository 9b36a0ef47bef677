import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { withOrgRead, withTokenOrgTx, type Tx } from '@/db/client';
import { memberships, reportShares, users } from '@/db/schema';
import { assertCan, can, roleHolds } from '@/lib/authz/can';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { shareOfTarget } from '@/lib/domain/share';
import { notFoundError } from '@/lib/errors';
import type { Role } from '@/lib/authz/permissions';
import type { OrgContext } from '@/lib/server/org-context';
import type { CreateReportShareInput, RevokeReportShareInput } from '@/lib/validation/reports';
import { appendAudit } from '@/lib/dal/audit';
import { getReport } from './report';
import type { Report, ReportRow } from './types';

/*
 * Share links: a read-only link to a frozen report snapshot, for anyone holding it (no account).
 */

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
  /**
   * Why the link no longer opens although it is neither revoked nor expired: its creator may not
   * share reports here any more (removed, demoted, account deleted). Null while it works.
   */
  deadReason: string | null;
};

/** Why a share link made by someone with this standing does not open (null: it does). */
function creatorProblem(creatorExists: boolean, creatorRole: Role | null): string | null {
  if (!creatorExists) return 'Not working: the account that created it was deleted.';
  if (!creatorRole) return 'Not working: its creator is no longer a member.';
  if (!roleHolds(creatorRole, 'reports.share')) return 'Not working: its creator is no longer an admin.';
  return null;
}

/**
 * The snapshot a share link will freeze: the report of the scope and period as it is now,
 * without individual KPIs (people's own targets are never shown outside the app) and without
 * the owners of missing values (the in-app "remind" needs them). Read before
 * the share's transaction. Tenant: ctx.org. Permission: `reports.share` (owners, admins).
 */
export async function getShareSnapshot(
  ctx: OrgContext,
  input: CreateReportShareInput,
): Promise<Report> {
  assertCan(ctx, 'reports.share');
  const period = resolveDashboardPeriod(input.period, ctx.org);
  const report = await getReport(ctx, { scope: input.scope, period, includeIndividual: false });
  // Who has not reported is for "remind" inside the app, not for outside readers.
  const withoutValue = report.summary.withoutValue.map(({ owner: _owner, ...r }) => r);
  return { ...report, summary: { ...report.summary, withoutValue } };
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

/**
 * The org's share links, newest first, for people who may manage them (others get none), each
 * with the reason it no longer opens when its creator may not share reports any more.
 */
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
        creatorExists: sql<boolean>`${users.id} is not null`,
        creatorRole: memberships.role,
      })
      .from(reportShares)
      .leftJoin(users, eq(users.id, reportShares.createdByUserId))
      .leftJoin(
        memberships,
        and(
          eq(memberships.orgId, reportShares.orgId),
          eq(memberships.userId, reportShares.createdByUserId),
        ),
      )
      .where(eq(reportShares.orgId, ctx.org.id))
      .orderBy(desc(reportShares.createdAt))
      .limit(50);
    return rows.map(({ creatorExists, creatorRole, ...r }) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      deadReason: creatorProblem(Boolean(creatorExists), creatorRole),
    }));
  });
}

/**
 * The frozen report behind a share token, for anyone holding the link (no account): null for a
 * malformed, unknown, revoked or expired token, all alike. A link lives only as long as the
 * person who created it may still share reports there: the creator's membership and role are
 * read on every view, so a removed or demoted admin's links (or a deleted account's) stop at
 * once, and work again if they are made admin again. Reveals nothing but the snapshot.
 */
export async function getSharedReport(token: string): Promise<Report | null> {
  if (typeof token !== 'string' || !TOKEN_FORMAT.test(token)) return null;
  const tokenHash = hashShareToken(token);
  const [row] = await withTokenOrgTx('report_shares', tokenHash, (db) =>
    db
      .select({ snapshot: reportShares.snapshot, creatorRole: memberships.role })
      .from(reportShares)
      .innerJoin(
        memberships,
        and(
          eq(memberships.orgId, reportShares.orgId),
          eq(memberships.userId, reportShares.createdByUserId),
        ),
      )
      .where(
        and(
          eq(reportShares.tokenHash, tokenHash),
          isNull(reportShares.revokedAt),
          gt(reportShares.expiresAt, sql`now()`),
        ),
      )
      .limit(1),
  );
  if (!row || creatorProblem(true, row.creatorRole)) return null;
  return withShares(row.snapshot as Report);
}

/**
 * Snapshots frozen before rows carried `share` had `progress` (baseline-aware, inverted for
 * "lower is better"): give their rows today's one percent, from their own value and target.
 */
function withShares(report: Report): Report {
  const fix = (r: ReportRow): ReportRow =>
    typeof r.share === 'number' || r.share === null
      ? r
      : { ...r, share: shareOfTarget(r.value, r.target) };
  return {
    ...report,
    northStars: report.northStars.map(fix),
    sections: report.sections.map((section) => ({ ...section, rows: section.rows.map(fix) })),
    individual: (report.individual ?? []).map(fix),
  };
}
