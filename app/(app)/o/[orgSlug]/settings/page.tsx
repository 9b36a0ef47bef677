import type { Metadata } from 'next';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { notFound } from 'next/navigation';
import { CardSection } from '@/components/ui/card-section';
import { can } from '@/lib/authz/can';
import { listKpiTemplates } from '@/lib/dal/kpi-quality/templates';
import { getOrgGeneralSettings } from '@/lib/dal/org-general-settings';
import { getReminderSettings } from '@/lib/dal/notifications/reminder-settings';
import { REMINDER_LOCAL_HOUR } from '@/lib/domain/reminders';
import { DEPARTMENT_LABELS } from '@/lib/domain/kpi-templates';
import { timeZoneNames } from '@/lib/domain/org-settings';
import { requireOrgPage } from '@/lib/server/page-context';
import { securityPagePath } from '@/lib/server/second-factor-gate';
import { DeleteTemplateButton } from './_components/delete-template-button';
import { GeneralSettingsForm } from './_components/general-settings-form';
import { StatusThresholdsForm } from './_components/status-thresholds-form';
import { KpiLimitsForm } from './_components/kpi-limits-form';
import { ReminderSettingsForm } from './_components/reminder-settings-form';
import { RequireTwoFactorForm } from './_components/require-two-factor-form';

export const metadata: Metadata = { title: 'Settings' };

/**
 * Organization settings (owners and admins): name, time zone, fiscal year and locale (a change of
 * fiscal year or time zone is previewed before it is saved), status thresholds, the KPI guard
 * rails, check-in reminders (with the links to the mail deliveries log and scheduled reports),
 * the link to single sign-on and the organization's KPI templates.
 */
export default async function SettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  if (!can(ctx, 'settings.manage')) notFound();
  const [templates, reminders, general] = await Promise.all([
    listKpiTemplates(ctx),
    getReminderSettings(ctx),
    getOrgGeneralSettings(ctx),
  ]);

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="mt-1 text-sm text-gray-600">
          How {ctx.org.name} keeps time, grades its KPIs, keeps them few and good, its check-ins on
          time and its sign-ins safe.
        </p>
      </div>

      <CardSection
        padded={false}
        id="organization"
        title="Organization"
        description={
          <>
            The time zone decides &quot;today&quot; and the open period; quarters and years follow
            the fiscal year. A change of either is shown before it is saved.
          </>
        }
      >
        <div className="p-4">
          <GeneralSettingsForm
            orgSlug={ctx.org.slug}
            initial={{
              name: general.name,
              timeZone: general.timeZone,
              fyStartMonth: general.fyStartMonth,
              locale: general.locale,
            }}
            timeZones={timeZoneNames()}
          />
        </div>
      </CardSection>

      <CardSection
        padded={false}
        id="thresholds"
        title="Status thresholds"
        description={
          <>
            How progress against the target is graded everywhere: dashboards, lists, reports and
            alerts. Every status is graded again with the new thresholds.
          </>
        }
      >
        <div className="p-4">
          <StatusThresholdsForm
            orgSlug={ctx.org.slug}
            initial={{
              onTrackPercent: general.onTrackPercent,
              atRiskPercent: general.atRiskPercent,
              gradeAfterPercent: general.gradeAfterPercent,
            }}
          />
        </div>
      </CardSection>

      <CardSection
        padded={false}
        id="limits"
        title="KPI limits"
        description={
          <>
            A handful per level keeps focus. Past a limit, admins are warned and may go ahead; unit
            leads cannot exceed it. Individual KPIs count toward their owner, not the unit.
          </>
        }
      >
        <div className="p-4">
          <KpiLimitsForm
            orgSlug={ctx.org.slug}
            initial={{
              maxKpisPerUnit: ctx.org.maxKpisPerUnit,
              maxKpisPerPerson: ctx.org.maxKpisPerPerson,
            }}
          />
        </div>
      </CardSection>

      <CardSection
        padded={false}
        id="reminders"
        title="Check-in reminders"
        description={
          <>
            Owners of KPIs without a value for the period get one message listing all of them, at{' '}
            {String(REMINDER_LOCAL_HOUR).padStart(2, '0')}:00 {ctx.org.timeZone}: before the period
            ends and on its due date. A value still missing {reminders.escalationDelayDays} days
            later goes to the owner&apos;s unit lead, then one lead up every{' '}
            {reminders.escalationDelayDays} days. Who has not reported is on the{' '}
            <WorkspaceLink
              href={`/o/${ctx.org.slug}/missing`}
              className="font-medium text-indigo-700 hover:underline"
            >
              missing values
            </WorkspaceLink>{' '}
            list; see what was sent in the{' '}
            <WorkspaceLink
              href={`/o/${ctx.org.slug}/settings/mail`}
              className="font-medium text-indigo-700 hover:underline"
            >
              mail deliveries log
            </WorkspaceLink>
            . Unit leads and admins also get a weekly digest on Monday morning, and admins can{' '}
            <WorkspaceLink
              href={`/o/${ctx.org.slug}/settings/reports`}
              className="font-medium text-indigo-700 hover:underline"
            >
              schedule reports
            </WorkspaceLink>{' '}
            by e-mail.
          </>
        }
      >
        <div className="p-4">
          <ReminderSettingsForm
            orgSlug={ctx.org.slug}
            initial={{
              reminderDaysBefore: reminders.daysBefore,
              reminderGraceDays: reminders.graceDays,
              escalationDelayDays: reminders.escalationDelayDays,
            }}
          />
        </div>
      </CardSection>

      <CardSection
        id="sign-in"
        title="Sign-in security"
        description="Everyone may add an authenticator app to their own sign-in; this makes it a must for the people who can change everything."
      >
        <RequireTwoFactorForm
          orgSlug={ctx.org.slug}
          initial={ctx.org.requireAdminTotp}
          securityHref={securityPagePath(ctx.org.slug)}
        />
      </CardSection>

      <CardSection
        id="sso"
        title="Single sign-on"
        description="Let people sign in with your company's OpenID Connect provider, and require it."
        action={
          <WorkspaceLink
            href={`/o/${ctx.org.slug}/settings/sso`}
            className="text-sm font-medium text-indigo-700 hover:underline"
          >
            Set up single sign-on
          </WorkspaceLink>
        }
      />

      <CardSection
        id="sql-sources"
        title="SQL sources"
        description="Pull KPI values from your own PostgreSQL database on a schedule, read-only."
        action={
          <WorkspaceLink
            href={`/o/${ctx.org.slug}/settings/sql-sources`}
            className="text-sm font-medium text-indigo-700 hover:underline"
          >
            Manage SQL sources
          </WorkspaceLink>
        }
      />

      <CardSection
        id="webhooks"
        title="Webhooks"
        description="Send signed events to your systems when values are recorded, statuses change, KPIs are edited or periods close."
        action={
          <WorkspaceLink
            href={`/o/${ctx.org.slug}/settings/webhooks`}
            className="text-sm font-medium text-indigo-700 hover:underline"
          >
            Manage webhooks
          </WorkspaceLink>
        }
      />

      <CardSection
        padded={false}
        id="templates"
        title="Your KPI templates"
        description={
          <>
            Saved from a KPI&apos;s page (Edit KPI → Template); offered first when anyone creates a
            KPI. Removing one leaves the KPIs made from it as they are.
          </>
        }
      >
        {templates.length === 0 ? (
          <p className="p-4 text-sm text-gray-600">
            No templates yet. The built-in library covers the usual KPIs of every department.
          </p>
        ) : (
          <ul className="divide-y divide-gray-100">
            {templates.map((t) => (
              <li key={t.id} className="flex flex-wrap items-center gap-3 px-4 py-2.5">
                <div className="min-w-0 flex-1">
                  <p className="text-sm font-medium text-gray-900">{t.name}</p>
                  <p className="text-xs text-gray-500">
                    {DEPARTMENT_LABELS[t.department]} · {t.description || 'No description'}
                  </p>
                </div>
                <DeleteTemplateButton orgSlug={ctx.org.slug} templateId={t.id} name={t.name} />
              </li>
            ))}
          </ul>
        )}
      </CardSection>
    </div>
  );
}
