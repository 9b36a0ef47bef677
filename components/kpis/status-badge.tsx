import type { Status } from '@/lib/domain/progress';
import { STATUS_LABEL, statusText } from '@/lib/domain/status-text';

/** Traffic lights for graded statuses; a neutral sky for `in_progress` (not graded yet). */
const STYLES: Record<Status, { dot: string; badge: string }> = {
  on_track: { dot: 'bg-emerald-500', badge: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20' },
  at_risk: { dot: 'bg-amber-500', badge: 'bg-amber-50 text-amber-800 ring-amber-600/20' },
  off_track: { dot: 'bg-red-500', badge: 'bg-red-50 text-red-700 ring-red-600/20' },
  in_progress: { dot: 'bg-sky-400', badge: 'bg-sky-50 text-sky-800 ring-sky-600/20' },
  no_data: { dot: 'bg-gray-300', badge: 'bg-gray-50 text-gray-600 ring-gray-500/20' },
};

export function statusLabel(status: Status): string {
  return STATUS_LABEL[status];
}

/** A status dot, for dense trees (an ungraded flow's dot names its pace). */
export function StatusDot({ status, pace = null }: { status: Status; pace?: number | null }) {
  const text = statusText(status, pace);
  return (
    <span
      role="img"
      aria-label={text}
      title={text}
      className={`inline-block h-2.5 w-2.5 shrink-0 rounded-full ${STYLES[status].dot}`}
    />
  );
}

/** A status pill with its label; `in_progress` shows its pace ("In progress · 41% of pace"). */
export function StatusBadge({ status, pace = null }: { status: Status; pace?: number | null }) {
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status].badge}`}>
      <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${STYLES[status].dot}`} />
      {statusText(status, pace)}
    </span>
  );
}
