'use client';

import { useQuery } from '@tanstack/react-query';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { useState } from 'react';
import { useOrgLocale } from '@/components/locale/org-locale';
import { gapIsGood, signedAmount } from '@/lib/domain/attribution/text';
import type { AttributionLine } from '@/lib/domain/attribution/tree';
import { toDec } from '@/lib/domain/decimal';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import type { Direction } from '@/lib/domain/progress';

async function fetchLines(orgSlug: string, kpiId: string, period: string) {
  const query = new URLSearchParams({ kpi: kpiId, period });
  const res = await fetch(`/api/o/${orgSlug}/attribution?${query}`, { cache: 'no-store' });
  if (!res.ok) throw new Error('Could not load the contributions.');
  return ((await res.json()) as { lines: AttributionLine[] }).lines;
}

/**
 * "Every contribution, down to its owners", folded: the whole cascade under a KPI (a thousand
 * lines under a company KPI of a large organization) is fetched when it is opened, so the KPI
 * page neither ships nor hydrates it.
 */
export function AttributionLines({
  orgSlug,
  kpiId,
  period,
  measure,
  direction,
}: {
  orgSlug: string;
  kpiId: string;
  /** The first day of the attributed period. */
  period: string;
  measure: { measureUnit: MeasureUnit; currency: string | null; decimals: number };
  direction: Direction;
}) {
  const locale = useOrgLocale();
  const [opened, setOpened] = useState(false);
  const lines = useQuery({
    queryKey: ['attribution-lines', orgSlug, kpiId, period],
    queryFn: () => fetchLines(orgSlug, kpiId, period),
    staleTime: 60_000,
    enabled: opened,
  });
  const fmt = (v: string) => formatValue(v, measure, locale);
  return (
    <details
      className="text-sm"
      onToggle={(e) => {
        if (e.currentTarget.open) setOpened(true);
      }}
    >
      <summary className="cursor-pointer text-indigo-700">
        Every contribution, down to its owners
      </summary>
      {lines.data ? (
        <LineList orgSlug={orgSlug} lines={lines.data} fmt={fmt} direction={direction} />
      ) : (
        <p
          className={`mt-2 text-xs ${lines.isError ? 'text-red-700' : 'text-gray-500'}`}
          role={lines.isError ? 'alert' : 'status'}
        >
          {lines.isError ? lines.error.message : 'Loading…'}
        </p>
      )}
    </details>
  );
}

function LineList({
  orgSlug,
  lines,
  fmt,
  direction,
}: {
  orgSlug: string;
  lines: readonly AttributionLine[];
  fmt: (v: string) => string;
  direction: Direction;
}) {
  return (
    <ul className="mt-2 space-y-1 border-l border-gray-200 pl-3" data-testid="attribution-lines">
      {lines.map((line, i) => (
        <li key={`${line.kpiId ?? line.name}-${i}`}>
          <div className="flex flex-wrap items-baseline justify-between gap-x-3">
            <span>
              {line.kpiId ? (
                <WorkspaceLink
                  href={`/o/${orgSlug}/kpis/${line.kpiId}`}
                  className="hover:text-indigo-700"
                >
                  {line.read ?? line.name}
                </WorkspaceLink>
              ) : (
                <span className="text-gray-700">{line.read ?? line.name}</span>
              )}
              <span className="ml-1 text-xs text-gray-500">
                {[
                  line.ownerName,
                  line.missing ? 'no value' : null,
                  line.noTarget && line.kind !== 'target_difference' ? 'no target' : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </span>
            <span className="tabular-nums">
              {signedAmount(line.contribution, fmt)}
              <span className="ml-1 text-xs text-gray-500">
                {toDec(line.contribution).isZero()
                  ? ''
                  : gapIsGood(line.contribution, direction)
                    ? 'helps'
                    : 'hurts'}
              </span>
            </span>
          </div>
          {line.parts.length > 0 ? (
            <LineList orgSlug={orgSlug} lines={line.parts} fmt={fmt} direction={direction} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
