// Job: the weekly digests of owners, admins and unit leads, on Monday from 09:00 in each
// organization's time zone. Idempotent by `digest:<ISO week>` per person and organization.
import { createWeeklyDigests } from '@/lib/notify/digests';
import type { JobHandler } from '../registry';

export const weeklyDigestsJob: JobHandler = {
  queue: 'weekly-digests',
  // Every 15 minutes: each organization's Monday 09:00 passes within a quarter hour of a tick.
  cron: '*/15 * * * *',
  run: async (now, config, scope) => createWeeklyDigests(now, config, scope),
  then: 'mail-delivery',
};
