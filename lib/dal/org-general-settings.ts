import { and, countDistinct, eq, inArray, or } from 'drizzle-orm';
import { withOrgRead, type Executor, type Tx } from '@/db/client';
import { kpiPeriodValues, kpis, kpiTargets, organizations } from '@/db/schema';
import { assertCan } from '@/lib/authz/can';
import { todayInTimeZone } from '@/lib/domain/dates';
import {
  planSettingsChange,
  thresholdPercent,
  thresholdShare,
  type FiscalRegroupFacts,
  type OrgLocale,
  type SettingsChangePlan,
} from '@/lib/domain/org-settings';
import { strandedTargets } from '@/lib/domain/targets';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import type {
  UpdateOrgGeneralInput,
  UpdateStatusThresholdsInput,
} from '@/lib/validation/org-settings';
import { appendAudit } from './audit';
import { lockOrgCascade } from './cascade/locks';
import { rebuildOrgPeriodValues } from './cascade/rebuild';
import { updateOrgSettings } from './org-settings';

/*
 * The organization's general settings (name, time zone, fiscal-year start, locale) and its
 * status thresholds: the preview of what a change of fiscal year or time zone does, and the
 * change itself, which regroups quarterly and yearly values in the same transaction. Every
 * query is scoped by ctx.org.id; permission `settings.manage` (owners and admins).
 */

/** The general settings as the settings page shows them. */
export type OrgGeneralSettings = {
  name: string;
  timeZone: string;
  fyStartMonth: number;
  locale: OrgLocale;
  onTrackPercent: number;
  atRiskPercent: number;
  /** A flow in its open period is graded once this share of it has passed (whole percent). */
  gradeAfterPercent: number;
};

/** Reads the acting organization's general settings. Tenant: ctx.org. Permission: settings.manage. */
export async function getOrgGeneralSettings(ctx: OrgContext): Promise<OrgGeneralSettings> {
  assertCan(ctx, 'settings.manage');
  return withOrgRead(ctx.org.id, async (db) => {
    const [row] = await db
      .select({
        name: organizations.name,
        timeZone: organizations.timeZone,
        fyStartMonth: organizations.fyStartMonth,
        locale: organizations.locale,
        green: organizations.greenThreshold,
        amber: organizations.amberThreshold,
        gradeAfter: organizations.gradingMinElapsed,
      })
      .from(organizations)
      .where(eq(organizations.id, ctx.org.id));
    if (!row) throw notFoundError();
    return {
      name: row.name,
      timeZone: row.timeZone,
      fyStartMonth: row.fyStartMonth,
      locale: row.locale as OrgLocale,
      onTrackPercent: thresholdPercent(Number(row.green)),
      atRiskPercent: thresholdPercent(Number(row.amber)),
      gradeAfterPercent: thresholdPercent(Number(row.gradeAfter)),
    };
  });
}

type Overrides = {
  kpiId: string;
  cadence: 'quarter' | 'year';
  periodStart: string;
  target: string;
};

/** Per-period targets of quarterly and yearly KPIs (the ones a fiscal-year change can strand). */
async function fiscalTargets(db: Executor, orgId: string): Promise<Overrides[]> {
  const rows = await db
    .select({
      kpiId: kpiTargets.kpiId,
      cadence: kpis.cadence,
      periodStart: kpiTargets.periodStart,
      target: kpiTargets.target,
    })
    .from(kpiTargets)
    .innerJoin(kpis, and(eq(kpis.orgId, kpiTargets.orgId), eq(kpis.id, kpiTargets.kpiId)))
    .where(
      and(eq(kpiTargets.orgId, orgId), or(eq(kpis.cadence, 'quarter'), eq(kpis.cadence, 'year'))),
    );
  return rows as Overrides[];
}

function strandedBy(rows: readonly Overrides[], fyStartMonth: number): Overrides[] {
  return rows.filter((r) => strandedTargets([r], r.cadence, fyStartMonth).length > 0);
}

/** Stored values of quarterly and yearly KPIs, and the targets the new start month strands. */
async function regroupFacts(
  db: Executor,
  orgId: string,
  toMonth: number,
): Promise<FiscalRegroupFacts> {
  const counts = await db
    .select({
      cadence: kpis.cadence,
      kpis: countDistinct(kpis.id),
      periods: countDistinct(kpiPeriodValues.periodStart),
    })
    .from(kpiPeriodValues)
    .innerJoin(kpis, and(eq(kpis.orgId, kpiPeriodValues.orgId), eq(kpis.id, kpiPeriodValues.kpiId)))
    .where(
      and(
        eq(kpiPeriodValues.orgId, orgId),
        or(eq(kpis.cadence, 'quarter'), eq(kpis.cadence, 'year')),
      ),
    )
    .groupBy(kpis.cadence);
  const of = (cadence: string) => {
    const row = counts.find((c) => c.cadence === cadence);
    return { kpis: Number(row?.kpis ?? 0), periods: Number(row?.periods ?? 0) };
  };
  const stranded = strandedBy(await fiscalTargets(db, orgId), toMonth);
  return { quarter: of('quarter'), year: of('year'), strandedTargets: stranded.length };
}

async function currentZoneAndMonth(
  db: Executor,
  orgId: string,
): Promise<{ fyStartMonth: number; timeZone: string }> {
  const [row] = await db
    .select({ fyStartMonth: organizations.fyStartMonth, timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  if (!row) throw notFoundError();
  return row;
}

async function planOf(
  db: Executor,
  orgId: string,
  to: { fyStartMonth: number; timeZone: string },
): Promise<SettingsChangePlan> {
  const from = await currentZoneAndMonth(db, orgId);
  return planSettingsChange({
    from,
    to,
    facts: await regroupFacts(db, orgId, to.fyStartMonth),
    todayInNewZone: todayInTimeZone(to.timeZone),
  });
}

/**
 * What saving these general settings would do, without doing it: how many quarterly and yearly
 * periods of how many KPIs a fiscal-year change recomputes, which targets it strands, and what a
 * time-zone change means. Read only. Tenant: ctx.org. Permission: settings.manage.
 */
export async function previewOrgGeneralSettings(
  ctx: OrgContext,
  tx: Tx,
  input: UpdateOrgGeneralInput,
): Promise<SettingsChangePlan> {
  assertCan(ctx, 'settings.manage');
  return planOf(tx, ctx.org.id, input);
}

/**
 * Saves name, time zone, fiscal-year start and locale (audited `settings.organization` with
 * before and after). A new fiscal-year start, under the org cascade lock and in this one
 * transaction: removes the per-period targets of quarterly and yearly KPIs that no longer start
 * a period (audited `settings.fiscal_year_targets_removed`) and rebuilds every stored period
 * value from the check-ins, so `db:verify` stays clean. A time zone changes no stored value (they
 * depend on check-in dates only); "today" and the open period follow it on the next read.
 * Tenant: ctx.org. Permission: settings.manage. Returns the plan it carried out.
 */
export async function updateOrgGeneralSettings(
  ctx: OrgContext,
  tx: Tx,
  input: UpdateOrgGeneralInput,
): Promise<SettingsChangePlan & { periodValues: number | null }> {
  assertCan(ctx, 'settings.manage');
  const orgId = ctx.org.id;
  // Taken before anything is read, so no check-in or KPI write moves the facts under the plan.
  await lockOrgCascade(tx, orgId);
  const plan = await planOf(tx, orgId, input);
  await updateOrgSettings(
    ctx,
    tx,
    'settings.organization',
    {
      name: organizations.name,
      timeZone: organizations.timeZone,
      fyStartMonth: organizations.fyStartMonth,
      locale: organizations.locale,
    },
    {
      name: input.name,
      timeZone: input.timeZone,
      fyStartMonth: input.fyStartMonth,
      locale: input.locale,
    },
  );
  if (!plan.fiscalYear) return { ...plan, periodValues: null };

  const stranded = strandedBy(await fiscalTargets(tx, orgId), input.fyStartMonth);
  for (const kpiId of new Set(stranded.map((t) => t.kpiId))) {
    await tx.delete(kpiTargets).where(
      and(
        eq(kpiTargets.orgId, orgId),
        eq(kpiTargets.kpiId, kpiId),
        inArray(
          kpiTargets.periodStart,
          stranded.filter((t) => t.kpiId === kpiId).map((t) => t.periodStart),
        ),
      ),
    );
  }
  if (stranded.length > 0) {
    await appendAudit(tx, {
      orgId,
      actorUserId: ctx.actor.userId,
      action: 'settings.fiscal_year_targets_removed',
      entityType: 'organization',
      entityId: orgId,
      before: { fyStartMonth: plan.fiscalYear.from, targets: stranded },
      after: { fyStartMonth: plan.fiscalYear.to, targets: [] },
    });
  }
  const periodValues = await rebuildOrgPeriodValues(tx, orgId, input.fyStartMonth);
  return { ...plan, periodValues };
}

/**
 * Sets the status thresholds (whole percentages, on track above at risk) and the share of an open
 * period after which flows are graded, audited `settings.status_thresholds` with before and after.
 * The share is stored as given unless its whole percentage is unchanged (the default one third
 * stays 0.3333, not 0.33). Statuses are graded on read from these, so every dashboard, list and
 * report re-grades on its next read (their caches are keyed by them). Tenant: ctx.org.
 * Permission: settings.manage.
 */
export async function updateStatusThresholds(
  ctx: OrgContext,
  tx: Tx,
  input: UpdateStatusThresholdsInput,
): Promise<{ onTrackPercent: number; atRiskPercent: number; gradeAfterPercent: number }> {
  const gradeAfterUnchanged =
    thresholdPercent(Number(ctx.org.gradingMinElapsed)) === input.gradeAfterPercent;
  const after = await updateOrgSettings(
    ctx,
    tx,
    'settings.status_thresholds',
    {
      green: organizations.greenThreshold,
      amber: organizations.amberThreshold,
      gradeAfter: organizations.gradingMinElapsed,
    },
    {
      greenThreshold: thresholdShare(input.onTrackPercent),
      amberThreshold: thresholdShare(input.atRiskPercent),
      ...(gradeAfterUnchanged
        ? {}
        : { gradingMinElapsed: thresholdShare(input.gradeAfterPercent) }),
    },
  );
  return {
    onTrackPercent: thresholdPercent(Number(after.green)),
    atRiskPercent: thresholdPercent(Number(after.amber)),
    gradeAfterPercent: thresholdPercent(Number(after.gradeAfter)),
  };
}
