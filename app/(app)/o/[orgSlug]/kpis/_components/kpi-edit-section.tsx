'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { KpiEditBodyProps } from './kpi-edit-body';

/** The ids of the edit form's fields that the SMART checklist links to (see SmartFixLink). */
const FIX_TARGETS = [
  'kpi-description',
  'kpi-measure',
  'kpi-cadence',
  'kpi-owner',
  'kpi-default-target',
  'kpi-parent',
  'kpi-north-star',
].join(' ');

const loading = (
  <p className="text-sm text-gray-500" role="status">
    Loading the form…
  </p>
);

const KpiEditBody = dynamic<KpiEditBodyProps>(
  () => import('./kpi-edit-body').then((m) => m.KpiEditBody),
  { ssr: false, loading: () => loading },
);

/**
 * "Edit KPI" on the KPI page, folded: its form, the cascade controls and the template form (and
 * the organization's units, people and every KPI it may link to) load only once it is opened, so
 * the page's first load neither ships nor hydrates them. Opened once, it stays mounted (drafts
 * survive folding it again).
 */
export function KpiEditSection(props: KpiEditBodyProps) {
  const [opened, setOpened] = useState(false);
  return (
    <section
      className="rounded-xl border border-gray-200 bg-white shadow-sm"
      aria-labelledby="edit-heading"
    >
      <details
        data-fix-targets={FIX_TARGETS}
        onToggle={(e) => {
          if (e.currentTarget.open) setOpened(true);
        }}
      >
        <summary className="cursor-pointer list-none px-4 py-3 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
          <h2 id="edit-heading" className="inline font-semibold">
            Edit KPI
          </h2>
          <span className="ml-2 text-xs text-gray-500">
            fields, targets, owner, north star, place in the cascade, archive
          </span>
        </summary>
        <div className="space-y-6 border-t border-gray-200 p-4">
          {opened ? <KpiEditBody {...props} /> : null}
        </div>
      </details>
    </section>
  );
}
