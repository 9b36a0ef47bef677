// Job: announce closed periods, fan the webhook outbox out to endpoints and send the deliveries
// due now. Idempotent by each delivery's state (claimed once, settled by its claimer) and by the
// period marks (lib/dal/webhooks).
import { deliverWebhooks } from '@/lib/integrations/webhooks/deliver';
import type { JobHandler } from '../registry';

export const webhookDeliveryJob: JobHandler = {
  queue: 'webhook-delivery',
  // Every minute: retries back off from 30 seconds, and a dead worker's claims expire in two.
  cron: '* * * * *',
  run: async (now, config, scope) => deliverWebhooks(now, config, { scope }),
  // A disabled endpoint's admins get an e-mail.
  then: 'mail-delivery',
};
