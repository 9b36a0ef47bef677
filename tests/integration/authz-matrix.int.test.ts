/**
 * The wall, as a generated matrix: every org-scoped server action x every actor x a target in the
 * actor's own organization, in another organization, and a random id. Expected allow/deny comes
 * from EXPECTED below, written from DESIGN section 2's table (not from lib/authz). Every denial
 * must leave both organizations' data unchanged; another org's id and a random id must get the
 * same answer.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import * as apiKeyActions from '@/lib/actions/api-keys';
import * as checkinActions from '@/lib/actions/checkins';
import * as kpiActions from '@/lib/actions/kpis';
import * as kpiQualityActions from '@/lib/actions/kpi-quality';
import * as notificationActions from '@/lib/actions/notifications';
import * as orgSettingsActions from '@/lib/actions/org-settings';
import * as peopleActions from '@/lib/actions/people';
import * as reportActions from '@/lib/actions/reports';
import * as ssoActions from '@/lib/actions/sso';
import * as sqlSourceActions from '@/lib/actions/sql-sources';
import * as targetActions from '@/lib/actions/targets';
import * as twoFactorActions from '@/lib/actions/two-factor';
import * as unitActions from '@/lib/actions/units';
import * as webhookActions from '@/lib/actions/webhooks';
import { enclosingPeriodStarts } from '@/lib/domain/periods';
import { todayInTimeZone } from '@/lib/domain/dates';
import type { Result } from '@/lib/result';
import { actAs, countKpi } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';
import { realPostgres } from './real-postgres';

type Actor =
  | 'owner'
  | 'admin'
  | 'leadOfTarget'
  | 'leadElsewhere'
  | 'memberOwner'
  | 'memberOther'
  | 'outsider'
  | 'anonymous';
const ACTORS: Actor[] = [
  'owner',
  'admin',
  'leadOfTarget',
  'leadElsewhere',
  'memberOwner',
  'memberOther',
  'outsider',
  'anonymous',
];

const ADMINS: Actor[] = ['owner', 'admin'];
const SUBTREE: Actor[] = ['owner', 'admin', 'leadOfTarget'];
const CHECKINS: Actor[] = ['owner', 'admin', 'leadOfTarget', 'memberOwner'];
const MEMBERS: Actor[] = ACTORS.filter((a) => a !== 'outsider' && a !== 'anonymous');

/** Who may perform each action on a target in their own organization (DESIGN section 2). */
const EXPECTED: Record<string, Actor[]> = {
  createKpiAction: SUBTREE,
  updateKpiAction: SUBTREE,
  archiveKpiAction: SUBTREE,
  linkKpiAction: SUBTREE,
  unlinkKpiAction: SUBTREE,
  addKpiLeadAction: SUBTREE, // kpis.write on the lagging KPI, like its form
  removeKpiLeadAction: SUBTREE,
  setNorthStarAction: ADMINS, // company-level KPIs only: outside every lead's department
  assignKpiOwnerAction: SUBTREE,
  setTargetAction: SUBTREE,
  clearTargetAction: SUBTREE,
  saveTargetsAction: SUBTREE,
  splitTargetDownAction: SUBTREE, // the children's targets: the parent may lie above the lead
  saveKpiFormAction: SUBTREE,
  previewFormulaAction: SUBTREE, // read-only, but authorized like the form's save
  recordCheckinAction: CHECKINS,
  saveCheckinsAction: CHECKINS,
  updateCheckinAction: CHECKINS,
  deleteCheckinAction: CHECKINS,
  createUnitAction: ADMINS,
  renameUnitAction: ADMINS,
  moveUnitAction: ADMINS,
  archiveUnitAction: ADMINS,
  setUnitLeadAction: ADMINS,
  inviteMemberAction: ADMINS,
  revokeInvitationAction: ADMINS,
  changeMemberRoleAction: ADMINS,
  changeHomeUnitAction: ADMINS,
  removeMemberAction: ADMINS,
  transferOwnershipAction: ['owner'],
  saveKpiCommentaryAction: CHECKINS, // whoever may record values on the KPI
  createReportShareAction: ADMINS,
  revokeReportShareAction: ADMINS,
  createReportScheduleAction: ADMINS,
  deleteReportScheduleAction: ADMINS,
  saveKpiTemplateAction: SUBTREE, // from a KPI the actor may edit
  deleteKpiTemplateAction: ADMINS,
  updateKpiLimitsAction: ADMINS,
  createApiKeyAction: ADMINS,
  revokeApiKeyAction: ADMINS,
  markNotificationsReadAction: MEMBERS, // their own notifications only
  setEmailPreferenceAction: MEMBERS, // their own preference only
  updateReminderSettingsAction: ADMINS,
  saveSsoConfigAction: ADMINS,
  testSsoConnectionAction: ADMINS, // read-only: fetches the issuer's discovery document
  deleteSsoConfigAction: ADMINS,
  previewOrgGeneralSettingsAction: ADMINS, // read-only, authorized like the save
  updateOrgGeneralSettingsAction: ADMINS,
  updateStatusThresholdsAction: ADMINS,
  remindOwnerAction: SUBTREE, // a lead for their area (the KPI's unit or the owner's home unit)
  startTotpEnrolmentAction: MEMBERS, // their own second factor only
  confirmTotpEnrolmentAction: MEMBERS,
  disableTotpAction: MEMBERS,
  updateRequireAdminTotpAction: ADMINS,
  createSqlSourceAction: ADMINS,
  deleteSqlSourceAction: ADMINS,
  // A KPI's pull: whoever may edit the KPI's definition (like the KPI form).
  previewKpiSqlPullAction: SUBTREE, // read-only, but authorized like the save
  saveKpiSqlPullAction: SUBTREE,
  deleteKpiSqlPullAction: SUBTREE,
  runKpiSqlPullAction: SUBTREE,
  createWebhookEndpointAction: ADMINS,
  updateWebhookEndpointAction: ADMINS,
  deleteWebhookEndpointAction: ADMINS,
  resendWebhookDeliveryAction: ADMINS,
};

/**
 * Actions that connect to a SQL source: the matrix registers the test server itself (read-only
 * transactions only), so they run where there is one (always in CI).
 */
const SQL_SOURCE_ACTIONS = new Set([
  'createSqlSourceAction',
  'deleteSqlSourceAction',
  'previewKpiSqlPullAction',
  'saveKpiSqlPullAction',
  'deleteKpiSqlPullAction',
  'runKpiSqlPullAction',
]);

/** The matrix's pull: yesterday (UTC), 2. */
const MATRIX_QUERY = "select (now() at time zone 'UTC')::date - 1, 2";

/**
 * Actions on the acting organization itself (its settings): they name no record, so there is no
 * other organization's id to try; the tenant is the URL's, checked against the membership.
 */
const ORG_SETTINGS_ACTIONS = new Set([
  'updateKpiLimitsAction',
  'createApiKeyAction',
  'markNotificationsReadAction',
  'setEmailPreferenceAction',
  'updateReminderSettingsAction',
  'saveSsoConfigAction',
  'testSsoConnectionAction',
  'deleteSsoConfigAction',
  'previewOrgGeneralSettingsAction',
  'updateOrgGeneralSettingsAction',
  'updateStatusThresholdsAction',
  'startTotpEnrolmentAction',
  'confirmTotpEnrolmentAction',
  'disableTotpAction',
  'updateRequireAdminTotpAction',
  'createSqlSourceAction',
  'createWebhookEndpointAction',
]);

/**
 * Actions on the actor's own second factor whose answer depends on its state (no enrolment
 * waiting, the factor already off): for those allowed, the matrix checks that authorization
 * passes (any answer but UNAUTHENTICATED, FORBIDDEN or NOT_FOUND); what they do is covered by
 * tests/integration/two-factor.int.test.ts.
 */
const OWN_FACTOR_ACTIONS = new Set(['confirmTotpEnrolmentAction', 'disableTotpAction']);

/**
 * CSV import actions answer a file with a verdict per row (ok, with rows refused) rather than one
 * allow/deny, so tests/integration/csv.int.test.ts covers them actor by actor, and another org's
 * KPI id against a random one.
 */
const ROW_VERDICT_ACTIONS = new Set(['previewCheckinImportAction', 'importCheckinsAction']);

/**
 * Actions outside the org pipeline, covered by their own suites (accounts, people, identity,
 * account-recovery).
 */
const PUBLIC_ACTIONS = new Set([
  'signUpAction',
  'changePasswordAction',
  'acceptInvitationAction',
  'acceptInvitationAsNewUserAction',
  'requestPasswordResetAction',
  'resetPasswordAction',
  'resendVerificationAction',
  'signOutEverywhereAction',
  'findSsoProviderAction', // the sign-in page's lookup (sso.int.test.ts)
  'createOrganizationAction', // a signed-in person's further organization: second-org suite
]);

type AnyAction = (orgSlug: string, input: never) => Promise<Result<unknown>>;
const ACTIONS: Record<string, AnyAction> = {
  ...(kpiActions as unknown as Record<string, AnyAction>),
  ...(checkinActions as unknown as Record<string, AnyAction>),
  ...(unitActions as unknown as Record<string, AnyAction>),
  ...(peopleActions as unknown as Record<string, AnyAction>),
  ...(apiKeyActions as unknown as Record<string, AnyAction>),
  ...(reportActions as unknown as Record<string, AnyAction>),
  ...(targetActions as unknown as Record<string, AnyAction>),
  ...(kpiQualityActions as unknown as Record<string, AnyAction>),
  ...(notificationActions as unknown as Record<string, AnyAction>),
  ...(ssoActions as unknown as Record<string, AnyAction>),
  ...(orgSettingsActions as unknown as Record<string, AnyAction>),
  ...(twoFactorActions as unknown as Record<string, AnyAction>),
  ...(sqlSourceActions as unknown as Record<string, AnyAction>),
  ...(webhookActions as unknown as Record<string, AnyAction>),
};

type Org = {
  orgId: string;
  slug: string;
  owner: SessionClaims;
  rootId: string;
  salesId: string;
  salesTeamId: string;
  engId: string;
  people: Record<Exclude<Actor, 'outsider' | 'anonymous' | 'owner'>, SessionClaims>;
};

/** An organization: company > Sales > Sales team, company > Engineering, and one person per actor. */
async function buildOrg(): Promise<Org> {
  const { org, owner, rootUnitId } = await createTestOrg();
  const run = actAs(owner);
  const sales = await run(() =>
    unitActions.createUnitAction(org.slug, {
      parentId: rootUnitId,
      kind: 'department',
      name: 'Sales',
    }),
  );
  const eng = await run(() =>
    unitActions.createUnitAction(org.slug, {
      parentId: rootUnitId,
      kind: 'department',
      name: 'Engineering',
    }),
  );
  const team = await run(() =>
    unitActions.createUnitAction(org.slug, {
      parentId: sales.id,
      kind: 'team',
      name: 'Sales team',
    }),
  );
  const people = {
    admin: await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId }),
    leadOfTarget: await addTestMember(org.id, { role: 'member', homeUnitId: sales.id }),
    leadElsewhere: await addTestMember(org.id, { role: 'member', homeUnitId: eng.id }),
    memberOwner: await addTestMember(org.id, { role: 'member', homeUnitId: team.id }),
    memberOther: await addTestMember(org.id, { role: 'member', homeUnitId: team.id }),
  };
  await run(() =>
    unitActions.setUnitLeadAction(org.slug, {
      unitId: sales.id,
      leadUserId: people.leadOfTarget.userId,
    }),
  );
  await run(() =>
    unitActions.setUnitLeadAction(org.slug, {
      unitId: eng.id,
      leadUserId: people.leadElsewhere.userId,
    }),
  );
  return {
    orgId: org.id,
    slug: org.slug,
    owner,
    rootId: rootUnitId,
    salesId: sales.id,
    salesTeamId: team.id,
    engId: eng.id,
    people,
  };
}

type Targets = {
  parentKpi: { id: string; version: number };
  childKpi: { id: string; version: number };
  looseKpi: { id: string; version: number };
  companyKpi: { id: string; version: number };
  checkin: { id: string; version: number; observedOn: string };
  spareTeamId: string;
  webhookEndpointId: string;
  webhookDeliveryId: string;
  spareMember: SessionClaims;
  invitationId: string;
  apiKeyId: string;
  shareId: string;
  scheduleId: string;
  monthStart: string;
  templateId: string;
  /** A SQL source (the test server), with a pull on the child KPI; random without a server. */
  sourceId: string;
};

/** The loose KPI each organization's last case was given (retired by the next case). */
const lastLooseKpi = new Map<string, string>();

/**
 * Archives an earlier case's loose KPI through the action, so the sales team stays under the
 * organization's KPI limit per unit (at most 1,000) however many cases the matrix grows to; it
 * has no children and feeds no formula. Nothing when a case archived or removed it already.
 */
async function retireLooseKpi(org: Org, kpiId: string): Promise<void> {
  const [row] = await execRows<{ version: number }>(
    await getOwnerDb(),
    sql`select version from kpis where id = ${kpiId} and archived_on is null`,
  );
  if (!row) return;
  await actAs(org.owner)(() =>
    kpiActions.archiveKpiAction(org.slug, { kpiId, version: row.version }),
  );
}

/** Cases prepared so far in this file: part of each case's tag, so no two tags are the same. */
let preparedCases = 0;

/** Fresh objects to act on, made by the org's owner, so every case starts from the same shape. */
async function prepare(org: Org): Promise<Targets> {
  const run = actAs(org.owner);
  // Unique names within the org (templates, invitations and keys must not repeat one): a random
  // tag alone met an earlier case's once among the matrix's 500 cases.
  preparedCases += 1;
  const tag = `${preparedCases}-${randomUUID().slice(0, 6)}`;
  const earlier = lastLooseKpi.get(org.orgId);
  if (earlier) await retireLooseKpi(org, earlier);
  const parentKpi = await run(() =>
    kpiActions.createKpiAction(org.slug, {
      ...countKpi,
      name: `Deals ${tag}`,
      unitId: org.salesId,
      rollup: 'sum',
    }),
  );
  const childKpi = await run(() =>
    kpiActions.createKpiAction(org.slug, {
      ...countKpi,
      name: `Team deals ${tag}`,
      unitId: org.salesTeamId,
      parentId: parentKpi.id,
      ownerUserId: org.people.memberOwner.userId,
    }),
  );
  const looseKpi = await run(() =>
    kpiActions.createKpiAction(org.slug, {
      ...countKpi,
      name: `Calls ${tag}`,
      unitId: org.salesTeamId,
    }),
  );
  lastLooseKpi.set(org.orgId, looseKpi.id);
  const companyKpi = await run(() =>
    kpiActions.createKpiAction(org.slug, {
      ...countKpi,
      name: `Customers ${tag}`,
      unitId: org.rootId,
    }),
  );
  // An explicit "leads" link for removeKpiLeadAction to remove.
  await run(() =>
    kpiActions.addKpiLeadAction(org.slug, {
      leadKpiId: parentKpi.id,
      laggingKpiId: looseKpi.id,
    }),
  );
  const today = todayInTimeZone('UTC');
  const checkin = await run(() =>
    checkinActions.recordCheckinAction(org.slug, {
      kpiId: childKpi.id,
      observedOn: today,
      value: '3',
    }),
  );
  const monthStart = enclosingPeriodStarts(today, 1).month;
  await run(() =>
    kpiActions.setTargetAction(org.slug, {
      kpiId: childKpi.id,
      periodStart: monthStart,
      target: '10',
    }),
  );
  const spareTeam = await run(() =>
    unitActions.createUnitAction(org.slug, {
      parentId: org.salesId,
      kind: 'team',
      name: `Spare ${tag}`,
    }),
  );
  const spareMember = await addTestMember(org.orgId, {
    role: 'member',
    homeUnitId: org.salesTeamId,
  });
  // Every case prepares an invitation in the shared organization: far past its hourly limit of
  // invitations, which this matrix does not test (account-recovery.int.test.ts does).
  await (
    await getOwnerDb()
  ).execute(sql`delete from rate_limits where bucket = 'invitations-org' and key = ${org.orgId}`);
  const invitation = await run(() =>
    peopleActions.inviteMemberAction(org.slug, {
      email: `invitee-${tag}@example.test`,
      role: 'member',
      homeUnitId: org.salesTeamId,
    }),
  );
  const share = await run(() =>
    reportActions.createReportShareAction(org.slug, {
      scope: 'company',
      period: `month-${monthStart}`,
    }),
  );
  const schedule = await run(() =>
    reportActions.createReportScheduleAction(org.slug, {
      scope: org.salesId,
      frequency: 'monthly',
      dayOfMonth: 1,
      recipientUserIds: [org.people.memberOwner.userId],
    }),
  );
  const template = await run(() =>
    kpiQualityActions.saveKpiTemplateAction(org.slug, {
      kpiId: looseKpi.id,
      department: 'sales',
      name: `Template ${tag}`,
    }),
  );
  // A provider to remove or replace (saving again replaces it).
  await run(() =>
    ssoActions.saveSsoConfigAction(org.slug, {
      issuer: 'https://login.example.com',
      clientId: `client-${tag}`,
      clientSecret: `secret-${tag}`,
      allowedDomains: `prepared-${randomUUID().slice(0, 8)}.test`,
      requireSso: false,
    }),
  );
  // A source and the child KPI's pull (the matrix's many cases pass the hourly limit).
  let sourceId: string = randomUUID();
  if (realPostgres) {
    await (
      await getOwnerDb()
    ).execute(
      sql`delete from rate_limits where bucket = 'sql-source-queries' and key like ${`${org.orgId}:%`}`,
    );
    sourceId = (
      await run(() =>
        sqlSourceActions.createSqlSourceAction(org.slug, {
          name: `Source ${tag}`,
          url: process.env.TEST_DATABASE_URL!,
        }),
      )
    ).id;
    await run(() =>
      sqlSourceActions.saveKpiSqlPullAction(org.slug, {
        kpiId: childKpi.id,
        sourceId,
        query: MATRIX_QUERY,
        schedule: 'weekly',
      }),
    );
  }
  // A webhook endpoint (closed periods only: nothing the matrix does sends to it) with one
  // delivered message in its log; the earlier cases' ones are removed (at most 20 an org).
  const owner = await getOwnerDb();
  await owner.execute(sql`delete from webhook_endpoints where org_id = ${org.orgId}`);
  const [webhook] = await execRows<{ id: string }>(
    owner,
    sql`insert into webhook_endpoints (org_id, url, events, secret_sealed)
        values (${org.orgId}, 'http://127.0.0.1:9/matrix', '{period.closed}', 'sealed')
        returning id`,
  );
  const [delivery] = await execRows<{ id: string }>(
    owner,
    sql`insert into webhook_deliveries (org_id, endpoint_id, event_id, event_type, body, status,
          attempts, next_attempt_at, created_at, updated_at)
        values (${org.orgId}, ${webhook!.id}, gen_random_uuid(), 'period.closed', '{}',
          'delivered', 1, now(), now(), now())
        returning id`,
  );
  const fresh = async (id: string) => {
    const [row] = await execRows<{ version: number }>(
      await getOwnerDb(),
      sql`select version from kpis where id = ${id}`,
    );
    return { id, version: row!.version };
  };
  return {
    parentKpi: await fresh(parentKpi.id),
    childKpi: await fresh(childKpi.id),
    looseKpi: await fresh(looseKpi.id),
    companyKpi: await fresh(companyKpi.id),
    checkin: { id: checkin.id, version: checkin.version, observedOn: checkin.observedOn },
    spareTeamId: spareTeam.id,
    webhookEndpointId: webhook!.id,
    webhookDeliveryId: delivery!.id,
    spareMember,
    invitationId: invitation.invitationId,
    apiKeyId: (
      await run(() =>
        apiKeyActions.createApiKeyAction(org.slug, { name: `Key ${tag}`, scope: 'read' }),
      )
    ).key.id,
    shareId: share.id,
    scheduleId: schedule.id,
    monthStart,
    templateId: template.id,
    sourceId,
  };
}

/** The input each action gets, aimed at targets `t`; `org` supplies unit ids for the acting org. */
const INPUTS: Record<string, (t: Targets, org: Org) => unknown> = {
  createKpiAction: (t, org) => ({
    ...countKpi,
    name: 'New KPI',
    unitId: org.salesTeamId,
    parentId: t.parentKpi.id,
  }),
  updateKpiAction: (t) => ({ kpiId: t.childKpi.id, version: t.childKpi.version, name: 'Renamed' }),
  archiveKpiAction: (t) => ({ kpiId: t.looseKpi.id, version: t.looseKpi.version }),
  linkKpiAction: (t) => ({
    kpiId: t.looseKpi.id,
    parentId: t.parentKpi.id,
    version: t.looseKpi.version,
  }),
  unlinkKpiAction: (t) => ({ kpiId: t.childKpi.id, version: t.childKpi.version }),
  addKpiLeadAction: (t) => ({ leadKpiId: t.companyKpi.id, laggingKpiId: t.looseKpi.id }),
  removeKpiLeadAction: (t) => ({ leadKpiId: t.parentKpi.id, laggingKpiId: t.looseKpi.id }),
  setNorthStarAction: (t) => ({ kpiId: t.companyKpi.id, isNorthStar: true }),
  assignKpiOwnerAction: (t, org) => ({
    kpiId: t.looseKpi.id,
    ownerUserId: org.people.memberOther.userId,
  }),
  setTargetAction: (t) => ({ kpiId: t.childKpi.id, periodStart: t.monthStart, target: '12' }),
  clearTargetAction: (t) => ({ kpiId: t.childKpi.id, periodStart: t.monthStart }),
  saveTargetsAction: (t) => ({
    targets: [{ kpiId: t.childKpi.id, periodStart: t.monthStart, target: '12' }],
  }),
  splitTargetDownAction: (t) => ({
    parentId: t.parentKpi.id,
    targets: [{ kpiId: t.childKpi.id, periodStart: t.monthStart, target: '12' }],
  }),
  previewFormulaAction: (t, org) => ({
    kpiId: t.childKpi.id,
    unitId: org.salesTeamId,
    formula: '2 * 3',
    cadence: 'month',
    timeAggregation: 'sum',
    missingPolicy: 'strict',
    measureUnit: 'count',
  }),
  saveKpiFormAction: (t, org) => ({
    mode: 'edit',
    kpiId: t.childKpi.id,
    version: t.childKpi.version,
    name: 'Renamed',
    ownerUserId: org.people.memberOther.userId,
    targets: [{ periodStart: t.monthStart, target: '12' }],
  }),
  saveCheckinsAction: (t) => ({
    items: [
      { kind: 'record', kpiId: t.childKpi.id, observedOn: t.monthStart, value: '2' },
      {
        kind: 'update',
        checkinId: t.checkin.id,
        version: t.checkin.version,
        observedOn: t.checkin.observedOn,
        value: '4',
      },
    ],
  }),
  recordCheckinAction: (t) => ({ kpiId: t.childKpi.id, observedOn: t.monthStart, value: '2' }),
  updateCheckinAction: (t) => ({ checkinId: t.checkin.id, version: t.checkin.version, value: '4' }),
  deleteCheckinAction: (t) => ({ checkinId: t.checkin.id, version: t.checkin.version }),
  createUnitAction: (_t, org) => ({ parentId: org.salesId, kind: 'team', name: 'Another team' }),
  renameUnitAction: (t) => ({ unitId: t.spareTeamId, name: 'Renamed team' }),
  moveUnitAction: (t, org) => ({ unitId: t.spareTeamId, parentId: org.engId }),
  archiveUnitAction: (t) => ({ unitId: t.spareTeamId }),
  setUnitLeadAction: (t, org) => ({
    unitId: t.spareTeamId,
    leadUserId: org.people.memberOther.userId,
  }),
  inviteMemberAction: (t) => ({
    email: `new-${randomUUID().slice(0, 6)}@example.test`,
    role: 'member',
    homeUnitId: t.spareTeamId,
  }),
  revokeInvitationAction: (t) => ({ invitationId: t.invitationId }),
  changeMemberRoleAction: (t) => ({ userId: t.spareMember.userId, role: 'admin' }),
  changeHomeUnitAction: (t, org) => ({ userId: t.spareMember.userId, homeUnitId: org.engId }),
  removeMemberAction: (t) => ({ userId: t.spareMember.userId }),
  transferOwnershipAction: (t) => ({ userId: t.spareMember.userId }),
  saveKpiCommentaryAction: (t) => ({
    kpiId: t.childKpi.id,
    periodStart: t.monthStart,
    analysis: 'Two deals slipped.',
  }),
  createReportShareAction: (t, org) => ({ scope: org.salesId, period: `month-${t.monthStart}` }),
  revokeReportShareAction: (t) => ({ shareId: t.shareId }),
  createReportScheduleAction: (_t, org) => ({
    scope: org.salesId,
    frequency: 'weekly',
    weekday: 1,
    recipientUserIds: [org.people.memberOther.userId],
  }),
  deleteReportScheduleAction: (t) => ({ scheduleId: t.scheduleId }),
  saveKpiTemplateAction: (t) => ({
    kpiId: t.childKpi.id,
    department: 'sales',
    name: `Saved ${randomUUID().slice(0, 8)}`,
  }),
  deleteKpiTemplateAction: (t) => ({ templateId: t.templateId }),
  // Keeps the matrix organization's limits out of the way of the cases that follow.
  updateKpiLimitsAction: () => ({ maxKpisPerUnit: 1000, maxKpisPerPerson: 1000 }),
  createApiKeyAction: () => ({ name: 'Another key', scope: 'write' }),
  markNotificationsReadAction: () => ({ all: true }),
  setEmailPreferenceAction: () => ({ kind: 'checkin_reminder', email: false }),
  updateReminderSettingsAction: () => ({ reminderDaysBefore: 4, reminderGraceDays: 1 }),
  // The matrix organization keeps its fiscal year and time zone (nothing to regroup).
  previewOrgGeneralSettingsAction: () => ({
    name: 'Matrix Org',
    timeZone: 'UTC',
    fyStartMonth: 1,
    locale: 'en-GB',
  }),
  updateOrgGeneralSettingsAction: () => ({
    name: 'Matrix Org',
    timeZone: 'UTC',
    fyStartMonth: 1,
    locale: 'en-GB',
  }),
  updateStatusThresholdsAction: () => ({
    onTrackPercent: 100,
    atRiskPercent: 85,
    gradeAfterPercent: 33,
  }),
  // The child KPI has this month's value, so an allowed nudge finds nothing to send.
  remindOwnerAction: (t, org) => ({
    ownerUserId: org.people.memberOwner.userId,
    items: [{ kpiId: t.childKpi.id, periodStart: t.monthStart }],
  }),
  revokeApiKeyAction: (t) => ({ apiKeyId: t.apiKeyId }),
  // A fresh domain each time: a domain belongs to one organization only.
  saveSsoConfigAction: () => ({
    issuer: 'https://login.example.com',
    clientId: 'matrix',
    clientSecret: 'matrix-secret',
    allowedDomains: `matrix-${randomUUID().slice(0, 8)}.test`,
    requireSso: false,
  }),
  // Nothing listens there: the report says so, the action itself succeeds.
  testSsoConnectionAction: () => ({ issuer: 'http://127.0.0.1:9' }),
  deleteSsoConfigAction: () => ({}),
  startTotpEnrolmentAction: () => ({}),
  confirmTotpEnrolmentAction: () => ({ code: '000000' }),
  disableTotpAction: () => ({ code: '000000' }),
  // Off: turning it on needs the actor's own factor, and would gate the cases that follow.
  updateRequireAdminTotpAction: () => ({ requireAdminTotp: false }),
  createSqlSourceAction: () => ({
    name: `Matrix ${randomUUID().slice(0, 8)}`,
    url: process.env.TEST_DATABASE_URL,
  }),
  deleteSqlSourceAction: (t) => ({ sourceId: t.sourceId }),
  previewKpiSqlPullAction: (t) => ({
    kpiId: t.childKpi.id,
    sourceId: t.sourceId,
    query: MATRIX_QUERY,
  }),
  saveKpiSqlPullAction: (t) => ({
    kpiId: t.childKpi.id,
    sourceId: t.sourceId,
    query: MATRIX_QUERY,
    schedule: 'daily',
  }),
  deleteKpiSqlPullAction: (t) => ({ kpiId: t.childKpi.id }),
  runKpiSqlPullAction: (t) => ({ kpiId: t.childKpi.id }),
  createWebhookEndpointAction: () => ({
    url: 'http://127.0.0.1:9/matrix-new',
    events: ['period.closed'],
  }),
  updateWebhookEndpointAction: (t) => ({
    endpointId: t.webhookEndpointId,
    description: 'Renamed',
  }),
  deleteWebhookEndpointAction: (t) => ({ endpointId: t.webhookEndpointId }),
  resendWebhookDeliveryAction: (t) => ({ deliveryId: t.webhookDeliveryId }),
};

/** Random ids in place of every id in an input (same shape, nothing that exists). */
function randomized(input: unknown, keepIds: Set<string>): unknown {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return JSON.parse(JSON.stringify(input), (_key, value: unknown) =>
    typeof value === 'string' && uuid.test(value) && !keepIds.has(value) ? randomUUID() : value,
  );
}

const TENANT_TABLES = [
  'units',
  'memberships',
  'kpis',
  'kpi_targets',
  'kpi_leads',
  'checkins',
  'kpi_period_values',
  'audit_log',
  'invitations',
  'kpi_commentaries',
  'report_shares',
  'report_schedules',
  'report_schedule_recipients',
  'kpi_templates',
  'api_keys',
  'org_sso_configs',
  'org_sso_domains',
  'sql_sources',
  'kpi_sql_pulls',
  'sql_pull_runs',
  'webhook_endpoints',
  'webhook_deliveries',
];

/**
 * A digest of every row the two organizations own, to prove a refusal changed nothing (but the
 * audit record of the refusal itself, `authz.denied`).
 */
/**
 * How the digest reads a table's row: whole, except a report share's snapshot (tens of kilobytes
 * of JSON written once with the share), read by its stored size: serializing every snapshot twice
 * per case took seconds per digest as the matrix's shares accumulated.
 */
const ROW_TEXT: Record<string, string> = {
  report_shares: `(t.id, t.org_id, t.token_hash, t.scope_unit_id, t.period_key, t.title,
    pg_column_size(t.snapshot), t.created_by_user_id, t.created_at, t.expires_at, t.revoked_at)::text`,
};

async function digest(orgIds: string[]): Promise<Record<string, string>> {
  const db = await getOwnerDb();
  const out: Record<string, string> = {};
  for (const table of TENANT_TABLES) {
    const notDenied = table === 'audit_log' ? ` and action <> 'authz.denied'` : '';
    const [row] = await execRows<{ d: string }>(
      db,
      sql.raw(`select count(*) || ':' || coalesce(md5(string_agg(r, '|' order by r)), '') as d
        from (select ${ROW_TEXT[table] ?? 't::text'} as r from ${table} t
          where org_id in (${orgIds.map((id) => `'${id}'`).join(',')})${notDenied}) rows`),
    );
    out[table] = row!.d;
  }
  return out;
}

function claimsOf(org: Org, other: Org, actor: Actor): SessionClaims | null {
  if (actor === 'anonymous') return null;
  if (actor === 'outsider') return other.owner;
  if (actor === 'owner') return org.owner;
  return org.people[actor];
}

function stripVolatile(result: Result<unknown>) {
  return result.ok
    ? result
    : {
        ok: false,
        error: {
          code: result.error.code,
          message: result.error.message,
          fieldErrors: result.error.fieldErrors,
        },
      };
}

describe('authorization matrix', () => {
  let a: Org;
  let b: Org;
  let bTargets: Targets;

  beforeAll(async () => {
    a = await buildOrg();
    b = await buildOrg();
    bTargets = await prepare(b);
  }, 120_000);

  for (const [name, allowed] of Object.entries(EXPECTED)) {
    if (SQL_SOURCE_ACTIONS.has(name) && !realPostgres) continue;
    describe(name, () => {
      for (const actor of ACTORS) {
        const allow = allowed.includes(actor);
        it(`${actor}: ${allow ? 'allowed' : 'denied'} in own org; another org's id looks like a random one`, async () => {
          // Ownership transfer changes who the owner is: give it an organization of its own.
          const org = name === 'transferOwnershipAction' ? await buildOrg() : a;
          const targets = await prepare(org);
          const action = ACTIONS[name]!;
          const claims = claimsOf(org, b, actor);
          const call = (input: unknown) =>
            runWithSession(claims, () => action(org.slug, input as never));

          // 1. A target in another organization, and the same input with random ids.
          if (!ORG_SETTINGS_ACTIONS.has(name)) {
            const before = await digest([org.orgId, b.orgId]);
            const foreignInput = INPUTS[name]!(bTargets, b);
            const foreign = await call(foreignInput);
            const random = await call(randomized(foreignInput, new Set()));
            expect(foreign.ok, 'a target in another org must never succeed').toBe(false);
            expect(stripVolatile(foreign)).toEqual(stripVolatile(random));
            if (!foreign.ok)
              expect(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']).toContain(foreign.error.code);
            expect(await digest([org.orgId, b.orgId])).toEqual(before);
          }

          // 2. The target in the actor's own organization.
          const beforeOwn = await digest([org.orgId, b.orgId]);
          const own = await call(INPUTS[name]!(targets, org));
          if (allow && OWN_FACTOR_ACTIONS.has(name)) {
            expect(
              own.ok || !['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'].includes(own.error.code),
            ).toBe(true);
          } else if (allow) {
            expect(own.ok ? 'ok' : `${own.error.code}: ${own.error.message}`).toBe('ok');
          } else {
            expect(own.ok, `${actor} must be refused`).toBe(false);
            if (!own.ok) {
              const expectedCode =
                actor === 'anonymous'
                  ? 'UNAUTHENTICATED'
                  : actor === 'outsider'
                    ? 'NOT_FOUND'
                    : undefined;
              if (expectedCode) expect(own.error.code).toBe(expectedCode);
              else expect(['FORBIDDEN', 'NOT_FOUND']).toContain(own.error.code);
            }
            expect(await digest([org.orgId, b.orgId]), 'a refused write changes nothing').toEqual(
              beforeOwn,
            );
          }
        }, 60_000);
      }
    });
  }
});

describe('matrix coverage', () => {
  it('covers every exported server action', async () => {
    const dir = path.join(process.cwd(), 'lib', 'actions');
    const exported: string[] = [];
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
      for (const [key, value] of Object.entries(mod))
        if (typeof value === 'function') exported.push(key);
    }
    const uncovered = exported.filter(
      (n) => !(n in EXPECTED) && !PUBLIC_ACTIONS.has(n) && !ROW_VERDICT_ACTIONS.has(n),
    );
    expect(uncovered, 'add these actions to the authorization matrix').toEqual([]);
    expect(Object.keys(EXPECTED).filter((n) => !(n in INPUTS))).toEqual([]);
  });
});
