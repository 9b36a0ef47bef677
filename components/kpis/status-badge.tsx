import type { Status } from '@/lib/domain/progress';
import { STATUS_LABEL, statusText } from '@/lib/domain/status-text';

/** Traffic lights for graded statuses, a neutral sky for `in_progress` (not graded yet); icons at 3:1 contrast or more. */
const STYLES: Record<Status, { icon: string; badge: string }> = {
  on_track: {
    icon: 'text-emerald-600',
    badge: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  },
  at_risk: { icon: 'text-amber-600', badge: 'bg-amber-50 text-amber-800 ring-amber-600/20' },
  off_track: { icon: 'text-red-600', badge: 'bg-red-50 text-red-700 ring-red-600/20' },
  in_progress: { icon: 'text-sky-600', badge: 'bg-sky-50 text-sky-800 ring-sky-600/20' },
  no_data: { icon: 'text-gray-500', badge: 'bg-gray-50 text-gray-600 ring-gray-500/20' },
};

export function statusLabel(status: Status): string {
  return STATUS_LABEL[status];
}

/**
 * A status as a small icon whose shape, not only its colour, tells the status apart (WCAG 1.4.1):
 * a check for on track, a warning triangle for at risk, a cross for off track, a half-filled
 * circle for a flow not graded yet, a dashed empty circle for no data.
 */
function StatusIcon({ status, className = 'h-3.5 w-3.5' }: { status: Status; className?: string }) {
  const common = {
    viewBox: '0 0 16 16',
    className: `shrink-0 ${className} ${STYLES[status].icon}`,
    'aria-hidden': true,
  } as const;
  switch (status) {
    case 'on_track':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="8" fill="currentColor" />
          <path
            d="M4.5 8.3 7 10.7 11.5 5.6"
            fill="none"
            stroke="white"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      );
    case 'at_risk':
      return (
        <svg {...common}>
          <path d="M8 1 15.5 14.5H.5Z" fill="currentColor" strokeLinejoin="round" />
          <path d="M8 5.5v4.2" stroke="white" strokeWidth="1.8" strokeLinecap="round" />
          <circle cx="8" cy="12.2" r="1" fill="white" />
        </svg>
      );
    case 'off_track':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="8" fill="currentColor" />
          <path
            d="M5.2 5.2 10.8 10.8M10.8 5.2 5.2 10.8"
            stroke="white"
            strokeWidth="2"
            strokeLinecap="round"
          />
        </svg>
      );
    case 'in_progress':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.8" fill="none" stroke="currentColor" strokeWidth="2.2" />
          <path d="M8 3.5a4.5 4.5 0 0 1 0 9Z" fill="currentColor" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <circle
            cx="8"
            cy="8"
            r="6.8"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeDasharray="3 2.3"
          />
        </svg>
      );
  }
}

/** A status, the pace of an ungraded flow, and the organization's locale (the pace is written its way). */
type StatusProps = { status: Status; pace?: number | null; locale: string };

/** A status icon for dense trees and lists, named for screen readers (an ungraded flow's names its pace). */
export function StatusDot({ status, pace = null, locale }: StatusProps) {
  const text = statusText(status, pace, locale);
  return (
    <span role="img" aria-label={text} title={text} className="inline-flex shrink-0">
      <StatusIcon status={status} />
    </span>
  );
}

/** A status pill with its label; `in_progress` shows its pace ("In progress · 41% of pace"). */
export function StatusBadge({ status, pace = null, locale }: StatusProps) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status].badge}`}
    >
      <StatusIcon status={status} className="h-3 w-3" />
      {statusText(status, pace, locale)}
    </span>
  );
}
