// Job: run the KPI pulls from SQL sources that are due (hourly, daily or weekly each). Idempotent
// by (KPI, date): each pull is claimed before it runs, and a re-pull of the same rows writes nothing.
import { runDueSqlPulls } from '@/lib/integrations/sql-pulls';
import type { JobHandler } from '../registry';

export const sqlPullsJob: JobHandler = {
  queue: 'sql-pulls',
  cron: '*/5 * * * *',
  run: async (now, _config, scope) => runDueSqlPulls(now, scope),
  then: 'status-alerts',
};
