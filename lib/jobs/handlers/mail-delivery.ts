// Job: send the mail deliveries due now. Idempotent by each delivery's state: a claimed delivery
// is sent by its claimer only, a sent one never again (lib/dal/notifications/deliveries.ts).
import { deliverDueMail } from '@/lib/notify/deliver-mail';
import type { JobHandler } from '../registry';

export const mailDeliveryJob: JobHandler = {
  queue: 'mail-delivery',
  // Every minute: retries back off by minutes, and a dead worker's claims expire in five.
  cron: '* * * * *',
  run: async (now, config, scope) => deliverDueMail(now, config, { scope }),
};
