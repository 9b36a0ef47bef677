import { listOrganizationsForJobs, type JobOrgScope } from '@/lib/dal/notifications/job-orgs';
import { getJobOrgContext } from '@/lib/dal/notifications/job-context';
import { claimDueSqlPulls, runKpiSqlPull } from '@/lib/dal/sql-sources/run-pull';
import { nextPullAt, PULL_SCHEDULES, type PullSchedule } from '@/lib/domain/sql-pull';
import { AppError } from '@/lib/errors';

/**
 * Runs every KPI pull due at `now`, organization by organization: each is claimed (its next run
 * set from `now` by its schedule) before it runs, so a retried or doubled job pulls nothing
 * twice, and a pull writes by (KPI, date), so running one again changes nothing. Scheduled
 * pulls run as the organization's owner (the job context). Returns how many ran and failed.
 * `scope` (tests only): see JobOrgScope.
 */
export async function runDueSqlPulls(
  now: Date,
  scope?: JobOrgScope,
): Promise<{ pulled: number; failed: number }> {
  let pulled = 0;
  let failed = 0;
  const nextAt = (schedule: string) =>
    nextPullAt(
      (PULL_SCHEDULES as readonly string[]).includes(schedule)
        ? (schedule as PullSchedule)
        : 'daily',
      now,
    );
  for (const org of await listOrganizationsForJobs(scope)) {
    const kpiIds = await claimDueSqlPulls(org.id, now, nextAt);
    if (kpiIds.length === 0) continue;
    const ctx = await getJobOrgContext(org);
    if (!ctx) continue;
    for (const kpiId of kpiIds) {
      try {
        const outcome = await runKpiSqlPull(ctx, kpiId, 'schedule');
        if (outcome.status === 'ok') pulled += 1;
        else failed += 1;
      } catch (error) {
        // Deleted since it was claimed: nothing to pull.
        if (error instanceof AppError && error.code === 'NOT_FOUND') continue;
        // Anything else unexpected fails this pull only; the others still run.
        console.error(`[sql-pulls] ${org.slug} ${kpiId}: ${(error as Error).message}`);
        failed += 1;
      }
    }
  }
  return { pulled, failed };
}
