import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CardSection } from '@/components/ui/card-section';
import { can } from '@/lib/authz/can';
import { listKpiTemplates } from '@/lib/dal/kpi-quality/templates';
import { getReminderSettings } from '@/lib/dal/notifications/reminder-settings';
import { ESCALATION_AFTER_DAYS } from '@/lib/domain/escalation';
import { REMINDER_LOCAL_HOUR } from '@/lib/domain/reminders';
import { DEPARTMENT_LABELS } from '@/lib/domain/kpi-templates';
import { requireOrgPage } from '@/lib/server/page-context';
import { securityPagePath } from '@/lib/server/second-factor-gate';
import { DeleteTemplateButton } from './_components/delete-template-button';
import { KpiLimitsForm } from './_components/kpi-limits-form';
import { ReminderSettingsForm } from './_components/reminder-settings-form';
import { RequireTwoFactorForm } from './_components/require-two-factor-form';

export const metadata: Metadata = { title: 'Settings' };

/**
 * Organization settings (admins): the KPI guard rails, check-in reminders (with the link to the
 * mail deliveries log) and the organization's KPI templates.
 */
export default async function SettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPage(orgSlug);
  if (!can(ctx, 'settings.manage')) notFound();
  const [templates, reminders] = await Promise.all([
    listKpiTemplates(ctx),
    getReminderSettings(ctx),
  ]);

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="mt-1 text-sm text-gray-600">
          How {ctx.org.name} keeps its KPIs few and good, its check-ins on time and its sign-ins
          safe.
        </p>
      </div>

      <section
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
        aria-labelledby="limits-heading"
      >
        <div className="border-b border-gray-200 px-4 py-3">
          <h2 id="limits-heading" className="font-semibold">
            KPI limits
          </h2>
          <p className="mt-0.5 text-xs text-gray-500">
            A handful per level keeps focus. Past a limit, admins are warned and may go ahead; unit
            leads cannot exceed it. Individual KPIs count toward their owner, not the unit.
          </p>
        </div>
        <div className="p-4">
          <KpiLimitsForm
            orgSlug={ctx.org.slug}
            initial={{
              maxKpisPerUnit: ctx.org.maxKpisPerUnit,
              maxKpisPerPerson: ctx.org.maxKpisPerPerson,
            }}
          />
        </div>
      </section>

      <section
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
        aria-labelledby="reminders-heading"
      >
        <div className="border-b border-gray-200 px-4 py-3">
          <h2 id="reminders-heading" className="font-semibold">
            Check-in reminders
          </h2>
          <p className="mt-0.5 text-xs text-gray-500">
            Owners of KPIs without a value for the period get one message listing all of them, at{' '}
            {String(REMINDER_LOCAL_HOUR).padStart(2, '0')}:00 {ctx.org.timeZone}: before the period
            ends and on its due date. A value still missing {ESCALATION_AFTER_DAYS} days later goes
            to the owner&apos;s unit lead, then one lead up every {ESCALATION_AFTER_DAYS} days. See
            what was sent in the{' '}
            <Link
              href={`/o/${ctx.org.slug}/settings/mail`}
              className="font-medium text-indigo-700 hover:underline"
            >
              mail deliveries log
            </Link>
            .
          </p>
        </div>
        <div className="p-4">
          <ReminderSettingsForm
            orgSlug={ctx.org.slug}
            initial={{
              reminderDaysBefore: reminders.daysBefore,
              reminderGraceDays: reminders.graceDays,
            }}
          />
        </div>
      </section>

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

      <section
        className="rounded-xl border border-gray-200 bg-white shadow-sm"
        aria-labelledby="templates-heading"
      >
        <div className="border-b border-gray-200 px-4 py-3">
          <h2 id="templates-heading" className="font-semibold">
            Your KPI templates
          </h2>
          <p className="mt-0.5 text-xs text-gray-500">
            Saved from a KPI&apos;s page (Edit KPI → Template); offered first when anyone creates a
            KPI. Removing one leaves the KPIs made from it as they are.
          </p>
        </div>
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
      </section>
    </div>
  );
}
