import type { SmartFix, SmartResult } from '@/lib/domain/smart';
import { SmartFixLink } from './smart-fix-link';

const FIX_TEXT: Record<SmartFix, string> = {
  description: 'Add a description',
  measure: 'Choose the measure',
  checkin: 'Record a value',
  children: 'Link KPIs under it',
  target: 'Set a target',
  parent: 'Link a parent',
  cadence: 'Choose a cadence',
  owner: 'Assign an owner',
};

const ICON = {
  met: { text: '✓', className: 'bg-emerald-100 text-emerald-700', sr: 'met' },
  missing: { text: '!', className: 'bg-amber-100 text-amber-800', sr: 'missing' },
  unknown: { text: '?', className: 'bg-gray-100 text-gray-600', sr: 'not judged yet' },
} as const;

/**
 * The SMART checklist of a KPI: each criterion with its state, and for a missing one a link to
 * the control that fixes it (`fixHref`; no link where the viewer may not fix it).
 */
export function SmartChecklist({
  result,
  fixHref,
}: {
  result: SmartResult;
  fixHref: Partial<Record<SmartFix, string>>;
}) {
  const missing = result.missing.length;
  return (
    <section
      className="rounded-xl border border-gray-200 bg-white shadow-sm"
      aria-labelledby="smart-heading"
      data-testid="smart-checklist"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-gray-200 px-4 py-3">
        <h2 id="smart-heading" className="font-semibold">
          SMART check
        </h2>
        <p className={`text-sm ${missing === 0 ? 'text-emerald-700' : 'text-amber-800'}`}>
          {missing === 0
            ? 'Specific, measurable, attainable, relevant, time-bound and owned.'
            : `${missing} of 6 to fix`}
        </p>
      </div>
      <ul className="grid divide-y divide-gray-100 sm:grid-cols-2 sm:divide-y-0">
        {result.items.map((item) => {
          const icon = ICON[item.state];
          const href = item.state === 'missing' && item.fix ? fixHref[item.fix] : undefined;
          return (
            <li
              key={item.criterion}
              className="flex items-start gap-3 px-4 py-2.5"
              data-smart={item.criterion}
              data-state={item.state}
            >
              <span
                aria-hidden="true"
                className={`mt-0.5 grid h-5 w-5 shrink-0 place-items-center rounded-full text-xs font-bold ${icon.className}`}
              >
                {icon.text}
              </span>
              <div className="min-w-0 flex-1">
                <p className="text-sm font-medium text-gray-900">
                  {item.label} <span className="sr-only">({icon.sr})</span>
                </p>
                <p className="text-xs text-gray-600">{item.detail}</p>
              </div>
              {href && item.fix ? (
                <SmartFixLink href={href} label={`${FIX_TEXT[item.fix]} (${item.label})`}>
                  {FIX_TEXT[item.fix]}
                </SmartFixLink>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
