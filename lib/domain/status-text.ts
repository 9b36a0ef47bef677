import { formatProgress } from '@/lib/domain/format';
import type { Status } from '@/lib/domain/progress';

/* The words for every status, shared by badges, filters, exports and the CSV (one vocabulary). */

/** A status as people read it. */
export const STATUS_LABEL: Record<Status, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  in_progress: 'In progress',
  no_data: 'No data',
};

/**
 * A status with what it rests on when it is not graded yet: "In progress · 41% of pace" for a
 * flow early in its open period (pace known), else the status label alone.
 */
export function statusText(status: Status, paceProgress: number | null, locale: string): string {
  if (status === 'in_progress' && paceProgress !== null && Number.isFinite(paceProgress)) {
    return `${STATUS_LABEL.in_progress} · ${formatProgress(paceProgress, locale)} of pace`;
  }
  return STATUS_LABEL[status];
}
