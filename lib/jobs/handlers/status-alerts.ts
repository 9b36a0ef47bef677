// Job: turn the value changes writes recorded in `kpi_value_events` (their outbox) into
// off-track and recovery alerts. Idempotent by `status:<kpi>:<period>:<from>-><to>:<event id>`
// per recipient and organization; handled events are deleted in the same transaction.
import { createStatusAlerts } from '@/lib/notify/status-alerts';
import type { JobHandler } from '../registry';

export const statusAlertsJob: JobHandler = {
  queue: 'status-alerts',
  cron: '* * * * *',
  run: async (now, config, scope) => createStatusAlerts(now, config, scope),
  then: 'mail-delivery',
};
