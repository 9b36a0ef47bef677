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

type Shape = {
  d: string;
  fill?: 'white' | 'currentColor' | 'none';
  stroke?: 'white' | 'currentColor';
  width?: number;
  dash?: string;
  round?: boolean;
};

const CIRCLE = 'M16 8a8 8 0 1 1-16 0a8 8 0 1 1 16 0Z';
// Starts at three o'clock and runs clockwise, as <circle> does (the dashes fall where they did).
const RING = 'M14.8 8a6.8 6.8 0 1 1-13.6 0a6.8 6.8 0 1 1 13.6 0Z';

/**
 * Each status's shape as paths on a 16 px grid: a check on a disc for on track, a warning triangle
 * for at risk, a cross on a disc for off track, a half-filled ring for a flow not graded yet, a
 * dashed empty ring for no data. Colour comes from `currentColor`; white marks are cut-outs.
 */
const SHAPES: Record<Status, Shape[]> = {
  on_track: [
    { d: CIRCLE, fill: 'currentColor' },
    { d: 'M4.5 8.3 7 10.7 11.5 5.6', stroke: 'white', width: 2, round: true },
  ],
  at_risk: [
    { d: 'M8 1 15.5 14.5H.5Z', fill: 'currentColor' },
    { d: 'M8 5.5v4.2', stroke: 'white', width: 1.8, round: true },
    { d: 'M8 11.2a1 1 0 1 1 0 2a1 1 0 1 1 0-2Z', fill: 'white' },
  ],
  off_track: [
    { d: CIRCLE, fill: 'currentColor' },
    { d: 'M5.2 5.2 10.8 10.8M10.8 5.2 5.2 10.8', stroke: 'white', width: 2, round: true },
  ],
  in_progress: [
    { d: RING, stroke: 'currentColor', width: 2.2 },
    { d: 'M8 3.5a4.5 4.5 0 0 1 0 9Z', fill: 'currentColor' },
  ],
  no_data: [{ d: RING, stroke: 'currentColor', width: 2, dash: '3 2.3' }],
};

const symbolId = (status: Status) => `status-icon-${status}`;

/**
 * Every status's shape once, as SVG symbols the icons below point at (`<use>`): the root layout
 * puts this in every page's body, so a page of a hundred status icons sends each shape's paths
 * once instead of in every icon (HTML and React's payload alike). Hidden and out of the flow.
 */
export function StatusIconSymbols() {
  return (
    <svg aria-hidden width="0" height="0" className="absolute h-0 w-0 overflow-hidden">
      <defs>
        {(Object.keys(SHAPES) as Status[]).map((status) => (
          <symbol key={status} id={symbolId(status)} viewBox="0 0 16 16">
            {SHAPES[status].map((p, i) => (
              <path
                key={i}
                d={p.d}
                fill={p.fill ?? 'none'}
                stroke={p.stroke}
                strokeWidth={p.width}
                strokeDasharray={p.dash}
                strokeLinecap={p.round ? 'round' : undefined}
                strokeLinejoin={p.round ? 'round' : undefined}
              />
            ))}
          </symbol>
        ))}
      </defs>
    </svg>
  );
}

/**
 * A status as a small icon whose shape, not only its colour, tells the status apart (WCAG 1.4.1),
 * drawn from the shape table above (its symbol, see StatusIconSymbols). Decorative: the text or
 * label next to it names the status.
 */
export function StatusIcon({
  status,
  className = 'h-3.5 w-3.5',
}: {
  status: Status;
  className?: string;
}) {
  return (
    <svg viewBox="0 0 16 16" className={`shrink-0 ${className} ${STYLES[status].icon}`} aria-hidden>
      <use href={`#${symbolId(status)}`} />
    </svg>
  );
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
    <span className={`status-pill ${STYLES[status].badge}`}>
      <StatusIcon status={status} className="h-3 w-3" />
      {statusText(status, pace, locale)}
    </span>
  );
}
