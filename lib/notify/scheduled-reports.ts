import { createNotificationsInOrg } from '@/lib/dal/notifications/create';
import { getJobOrgContext } from '@/lib/dal/notifications/job-context';
import { listOrganizationsForJobs, type JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import { listDueReportSchedules } from '@/lib/dal/notifications/scheduled-reports';
import { getReport } from '@/lib/dal/reports/report';
import { lastCompletePeriod, openPeriod } from '@/lib/domain/dashboard/periods';
import { formatDay } from '@/lib/domain/dates';
import { reminderDateAt } from '@/lib/domain/reminders';
import { AppError } from '@/lib/errors';
import { reportFileName } from '@/lib/server/report-export/naming';
import { reportToPdf } from '@/lib/server/report-export/pdf';
import type { NotifyConfig } from './config';
import { absoluteUrl, messageIdHost } from './links';
import { renderDraftMail } from './render-mail';

/*
 * Scheduled reports (issue 19, item 5): each schedule's occurrence (a weekday, or a day of the
 * month) goes out from 09:00 in the organization's time zone, that local day only, to its
 * recipients, with the period report of its scope as a PDF (the export's own): a weekly one
 * covers the open month so far, a monthly one the last complete month. Team KPIs only, like
 * share links. Idempotent by `report:<schedule>:<local date>` per recipient; the PDF is made once
 * an occurrence, and only while someone is still waiting for it.
 */

const KIND = 'scheduled_report' as const;

/** Creates the scheduled report e-mails due at `now` in every organization. */
export async function createScheduledReports(
  now: Date,
  config: NotifyConfig,
  scope?: JobOrgScope,
): Promise<{ created: number }> {
  let created = 0;
  for (const org of await listOrganizationsForJobs(scope)) {
    const date = reminderDateAt(now, org.timeZone);
    if (!date) continue;
    const due = await listDueReportSchedules(org.id, date);
    if (due.length === 0) continue;
    const ctx = await getJobOrgContext(org);
    if (!ctx) continue;
    for (const schedule of due) {
      const period =
        schedule.frequency === 'weekly'
          ? openPeriod('month', org, date)
          : lastCompletePeriod('month', org, date);
      let report;
      try {
        report = await getReport(ctx, {
          scope: schedule.scopeKey,
          period,
          includeIndividual: false,
          today: date,
        });
      } catch (error) {
        // Its unit was archived: nothing to report on (the schedule stays, listed for admins).
        if (error instanceof AppError && error.code === 'NOT_FOUND') continue;
        throw error;
      }
      const pdf = await reportToPdf(report);
      const attachment = {
        filename: reportFileName(org.slug, report, 'pdf'),
        contentType: 'application/pdf',
        content: new Uint8Array(pdf),
      };
      const title = `${report.scope.name}, ${report.period.label}`;
      const reportPath = `/o/${org.slug}/reports?${new URLSearchParams({
        ...(schedule.scopeKey === 'company' ? {} : { scope: schedule.scopeKey }),
        period: report.period.key,
      }).toString()}`;
      const reportUrl = absoluteUrl(config, reportPath);
      const counts = report.summary.counts;
      created += await createNotificationsInOrg(
        org.id,
        schedule.recipientUserIds.map((userId) => ({
          recipientUserId: userId,
          kind: KIND,
          dedupKey: schedule.dedupKey,
          subject: `Report: ${title}`,
          body: `The ${report.period.label} report of ${report.scope.name}, as of ${formatDay(date, org.locale)} (PDF attached to the e-mail).`,
          link: reportPath,
          kpiId: null,
          scope: `schedule:${schedule.id}`,
        })),
        {
          now,
          smtpConfigured: Boolean(config.smtpUrl),
          messageIdHost: messageIdHost(config),
          renderMail: (draft, recipient) => ({
            ...renderDraftMail(config, org, draft, recipient, {
              intro: `The ${report.period.label} report of ${report.scope.name} is attached as a PDF (${attachment.filename}), as of ${formatDay(date, org.locale)}.`,
              sections: [
                {
                  heading: 'At a glance',
                  items: [
                    {
                      label: `${report.scope.name}, ${report.period.label}`,
                      detail: `${counts.on_track} on track, ${counts.at_risk} at risk, ${counts.off_track} off track, ${counts.no_data} without a value`,
                      url: reportUrl,
                    },
                  ],
                },
              ],
              action: { label: 'Open the report', url: reportUrl },
            }),
            attachment,
          }),
        },
      );
    }
  }
  return { created };
}
