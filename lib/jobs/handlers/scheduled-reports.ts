// Job: e-mail each scheduled report whose occurrence is due (its weekday or day of the month,
// from 09:00 local), with the PDF. Idempotent by `report:<schedule>:<local date>` per recipient.
import { createScheduledReports } from '@/lib/notify/scheduled-reports';
import type { JobHandler } from '../registry';

export const scheduledReportsJob: JobHandler = {
  queue: 'scheduled-reports',
  cron: '*/15 * * * *',
  run: async (now, config, scope) => createScheduledReports(now, config, scope),
  then: 'mail-delivery',
};
