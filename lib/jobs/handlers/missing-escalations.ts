// Job: escalate values still missing after their due date to the owner's lead, then one lead up
// per further delay. Idempotent by `escalation:<local date>` per lead and organization.
import { createDueEscalations } from '@/lib/notify/escalations';
import type { JobHandler } from '../registry';

export const missingEscalationsJob: JobHandler = {
  queue: 'missing-escalations',
  cron: '*/15 * * * *',
  run: async (now, config, scope) => createDueEscalations(now, config, scope),
  then: 'mail-delivery',
};
