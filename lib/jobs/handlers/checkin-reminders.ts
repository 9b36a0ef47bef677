// Job: create the check-in reminders due now. Idempotent by `reminder:<local date>` per person
// and organization (a unique key in `notifications`): any number of runs creates each once.
import { createDueCheckinReminders } from '@/lib/notify/checkin-reminders';
import type { JobHandler } from '../registry';

export const checkinRemindersJob: JobHandler = {
  queue: 'checkin-reminders',
  // Every 15 minutes: each organization's 09:00 passes within a quarter hour of its tick.
  cron: '*/15 * * * *',
  run: async (now, config, scope) => createDueCheckinReminders(now, config, scope),
  // New notifications may have mail to send.
  then: 'mail-delivery',
};
