import type { Status } from '@/lib/domain/progress';
import { formatProgress } from '@/lib/domain/format';

const FILL: Record<Status, string> = {
  on_track: 'bg-emerald-500',
  at_risk: 'bg-amber-500',
  off_track: 'bg-red-500',
  in_progress: 'bg-sky-400',
  no_data: 'bg-gray-300',
};

/**
 * The actual as a share of the full target, for both directions (11% of a churn budget fills 11%),
 * coloured by status (green there: the status knows the direction). The bar caps at 100%, the
 * number does not (compact past 999%).
 */
export function ProgressBar({
  share,
  status,
  label,
  locale,
}: {
  share: number | null;
  status: Status;
  label?: string;
  /** The organization's locale (the percent is written its way). */
  locale: string;
}) {
  const width = share === null ? 0 : Math.max(0, Math.min(1, share)) * 100;
  return (
    <div className="flex items-center gap-2">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label ?? 'Share of target'}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(width)}
      >
        <div className={`h-full rounded-full ${FILL[status]}`} style={{ width: `${width}%` }} />
      </div>
      <span className="progress-pct">{formatProgress(share, locale)}</span>
    </div>
  );
}
