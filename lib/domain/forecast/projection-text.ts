import { formatProgress } from '@/lib/domain/format';
import type { Status } from '@/lib/domain/progress';

/* A projection in words, one phrase for the KPI page, dashboards, reports and exports. */

/** "projected 92% of target, at risk" (a projection without a share: "projected without a target"). */
export function projectionPhrase(
  p: { share: number | null; status: Status },
  locale: string,
): string {
  if (p.share === null) return 'projected without a target';
  const status =
    p.status === 'on_track' ? 'on track' : p.status === 'at_risk' ? 'at risk' : 'off track';
  return `projected ${formatProgress(p.share, locale)} of target, ${status}`;
}
