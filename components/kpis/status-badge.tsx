import type { Status } from '@/lib/domain/progress';

const STYLES: Record<Status, { label: string; dot: string; badge: string }> = {
  on_track: { label: 'On track', dot: 'bg-emerald-500', badge: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20' },
  at_risk: { label: 'At risk', dot: 'bg-amber-500', badge: 'bg-amber-50 text-amber-800 ring-amber-600/20' },
  off_track: { label: 'Off track', dot: 'bg-red-500', badge: 'bg-red-50 text-red-700 ring-red-600/20' },
  no_data: { label: 'No data', dot: 'bg-gray-300', badge: 'bg-gray-50 text-gray-600 ring-gray-500/20' },
};

export function statusLabel(status: Status): string {
  return STYLES[status].label;
}

/** A status dot, for dense trees. */
export function StatusDot({ status }: { status: Status }) {
  return (
    <span
      role="img"
      aria-label={STYLES[status].label}
      title={STYLES[status].label}
      className={`inline-block h-2.5 w-2.5 shrink-0 rounded-full ${STYLES[status].dot}`}
    />
  );
}

/** A status pill with its label. */
export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status].badge}`}>
      <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${STYLES[status].dot}`} />
      {STYLES[status].label}
    </span>
  );
}
