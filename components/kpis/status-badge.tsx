import type { Status } from '@/lib/domain/progress';
import { STATUS_LABEL, statusText } from '@/lib/domain/status-text';

/**
 * Traffic lights for graded statuses, a neutral sky for `in_progress` (not graded yet). `icon` is
 * the status's shape (`si-*` in app/globals.css: a check on a disc for on track, a warning
 * triangle for at risk, a cross on a disc for off track, a half-filled ring for a flow not graded
 * yet, a dashed empty ring for no data), drawn in its colour at 3:1 contrast or more.
 */
const STYLES: Record<Status, { icon: string; badge: string }> = {
  on_track: { icon: 'si-on_track', badge: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20' },
  at_risk: { icon: 'si-at_risk', badge: 'bg-amber-50 text-amber-800 ring-amber-600/20' },
  off_track: { icon: 'si-off_track', badge: 'bg-red-50 text-red-700 ring-red-600/20' },
  in_progress: { icon: 'si-in_progress', badge: 'bg-sky-50 text-sky-800 ring-sky-600/20' },
  no_data: { icon: 'si-no_data', badge: 'bg-gray-50 text-gray-600 ring-gray-500/20' },
};

/** The class of a status's icon shape, for an element that draws it as its ::before (`.count-label`). */
export function statusIconClass(status: Status): string {
  return STYLES[status].icon;
}

export function statusLabel(status: Status): string {
  return STATUS_LABEL[status];
}

/**
 * A status as a small icon whose shape, not only its colour, tells the status apart (WCAG 1.4.1):
 * one element drawn by CSS (`.status-icon`, see STYLES), since a page shows a hundred of them and
 * each element is rendered and sent twice (HTML and React's payload). Decorative: the text or
 * label next to it names the status.
 */
export function StatusIcon({
  status,
  className = 'h-3.5 w-3.5',
}: {
  status: Status;
  className?: string;
}) {
  return <span className={`status-icon ${STYLES[status].icon} ${className}`} aria-hidden />;
}

/** A status, the pace of an ungraded flow, and the organization's locale (the pace is written its way). */
type StatusProps = { status: Status; pace?: number | null; locale: string };

/** A status icon for dense trees and lists, named for screen readers (an ungraded flow's names its pace). */
export function StatusDot({ status, pace = null, locale }: StatusProps) {
  const text = statusText(status, pace, locale);
  return (
    <span
      role="img"
      aria-label={text}
      title={text}
      className={`status-icon ${STYLES[status].icon} h-3.5 w-3.5`}
    />
  );
}

/**
 * A status pill with its label; `in_progress` shows its pace ("In progress · 41% of pace"). Its
 * icon is the pill's ::before (app/globals.css).
 */
export function StatusBadge({ status, pace = null, locale }: StatusProps) {
  return (
    <span className={`status-pill ${STYLES[status].icon} ${STYLES[status].badge}`}>
      {statusText(status, pace, locale)}
    </span>
  );
}
