import { Fragment } from 'react';
import { FormulaLinks, FormulaMark } from '@/components/kpis/formula-links';
import { ProgressBar } from '@/components/kpis/progress-bar';
import { KpiKindBadges } from '@/components/kpis/kpi-kind-badges';
import { StatusBadge } from '@/components/kpis/status-badge';
import type { DashboardKpiDto } from '@/lib/domain/dashboard/types';
import { coverageText, valueText } from './display';
import { ProjectedLine } from './projected-end';
import { SeeAll } from './section-card';

/**
 * A KPI table for the selected period: name, owner, actual, target, progress and status, and
 * under the name its formula links (drivers, formulas fed). Each KPI is one table row, rendered
 * once: from the `sm` breakpoint it lays out as a table (owner from `md`, the progress bar from
 * `lg`); on a phone the same rows lay out as stacked cards (`.kpi-scorecard` in globals.css: name
 * and status, then its details, then actual "of" target beside the bar).
 */
export function KpiScorecard({
  orgSlug,
  kpis,
  caption,
  showUnit = true,
  emptyText = 'No KPIs here yet.',
  total,
  seeAllHref,
  locale,
}: {
  orgSlug: string;
  /** The first rows (the DAL bounds them); `total` counts all, `seeAllHref` lists all. */
  kpis: DashboardKpiDto[];
  caption: string;
  showUnit?: boolean;
  emptyText?: string;
  total: number;
  seeAllHref: string;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  if (kpis.length === 0) return <p className="px-4 py-6 text-sm text-gray-600">{emptyText}</p>;
  return (
    <>
      <div className="overflow-x-auto">
        <table className="kpi-scorecard w-full text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="text-left text-xs uppercase tracking-wide text-gray-500">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                KPI
              </th>
              <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">
                Owner
              </th>
              <th scope="col" className="px-4 py-2 text-right font-medium">
                Actual
              </th>
              <th scope="col" className="px-4 py-2 text-right font-medium">
                Target
              </th>
              <th scope="col" className="hidden w-40 px-4 py-2 font-medium lg:table-cell">
                % of target
              </th>
              <th scope="col" className="px-4 py-2 text-right font-medium">
                Status
              </th>
            </tr>
          </thead>
          <tbody>
            {kpis.map((kpi) => (
              <KpiScorecardRow
                key={kpi.id}
                orgSlug={orgSlug}
                kpi={kpi}
                showUnit={showUnit}
                locale={locale}
              />
            ))}
          </tbody>
        </table>
      </div>
      <SeeAll shown={kpis.length} total={total} href={seeAllHref} noun="KPIs" />
    </>
  );
}

/**
 * One KPI of a scorecard: a table row, laid out as a card on a phone (see KpiScorecard). The
 * cells' `sc-*` classes place them in the card; the phone reads the target after the actual.
 */
export function KpiScorecardRow({
  orgSlug,
  kpi,
  showUnit,
  locale,
}: {
  orgSlug: string;
  kpi: DashboardKpiDto;
  showUnit: boolean;
  locale: string;
}) {
  const coverage = coverageText(kpi, kpi.view);
  const target = valueText(kpi, kpi.view.target, locale);
  return (
    <tr className="border-t border-gray-100 align-top">
      <td className="sc-name px-4 py-2">
        <KpiNameLink orgSlug={orgSlug} kpi={kpi} />
        <p className="text-xs text-gray-500">
          <KpiKindBadges category={kpi.category} indicator={kpi.indicator} className="mr-1" />
          <RowFacts
            parts={[
              showUnit ? { text: kpi.unitName, on: 'pmw' } : null,
              { text: kpi.view.label, on: 'mw' },
              coverage ? { text: coverage, on: 'pmw' } : null,
              { text: kpi.ownerName ?? 'No owner', on: 'pm' },
            ]}
          />
        </p>
        <FormulaLinks orgSlug={orgSlug} links={kpi.links} />
        <ProjectedLine kpi={kpi} projected={kpi.projected} locale={locale} />
      </td>
      <td className="sc-owner hidden px-4 py-2 text-gray-700 md:table-cell">
        {kpi.ownerName ?? <span className="text-gray-500">No owner</span>}
      </td>
      <td className="sc-actual whitespace-nowrap px-4 py-2 text-right tabular-nums text-gray-900">
        {valueText(kpi, kpi.view.value, locale)}
        <span className="text-gray-500 sm:hidden">
          {` of ${target}${kpi.view.targetImplied ? ' (implied)' : ''}`}
        </span>
      </td>
      <td className="sc-target whitespace-nowrap px-4 py-2 text-right tabular-nums text-gray-600">
        {target}
        {kpi.view.targetImplied ? (
          <span className="block text-[11px] text-gray-500">implied</span>
        ) : null}
      </td>
      <td className="sc-bar hidden px-4 py-2 lg:table-cell">
        <ProgressBar
          locale={locale}
          share={kpi.view.share}
          status={kpi.view.status}
          label={`${kpi.name}, % of target`}
        />
      </td>
      <td className="sc-status whitespace-nowrap px-4 py-2 text-right">
        <StatusBadge status={kpi.view.status} pace={kpi.view.paceProgress} locale={locale} />
      </td>
    </tr>
  );
}

/** The KPI's name linking to its page, with a star for a north star. */
function KpiNameLink({ orgSlug, kpi }: { orgSlug: string; kpi: DashboardKpiDto }) {
  return (
    <a href={`/o/${orgSlug}/kpis/${kpi.id}`} className="kpi-link">
      {kpi.isNorthStar ? (
        <span className="mr-1 text-amber-500" aria-label="North star">
          ★
        </span>
      ) : null}
      {kpi.rollup === 'formula' ? <FormulaMark /> : null}
      {kpi.name}
    </a>
  );
}

/** Between two facts; the no-break space keeps the dot with the fact before it when a line wraps. */
const SEPARATOR = '\u00a0· ';

/** Where a part of a row's facts shows: p phone (< sm), m sm to md, w md and wider. */
export type Widths = 'pmw' | 'mw' | 'pm' | 'pw' | 'p' | 'm' | 'w' | '';

/** The classes that show an element at exactly those widths (literal, for Tailwind). */
const SHOWN_AT: Record<Widths, string> = {
  pmw: '',
  mw: 'max-sm:hidden',
  pm: 'md:hidden',
  pw: 'sm:max-md:hidden',
  p: 'sm:hidden',
  m: 'hidden sm:inline md:hidden',
  w: 'hidden md:inline',
  '': 'hidden',
};

/**
 * A row's facts joined by " · ", each shown only at some widths (the owner has its own column on
 * wide screens, the cadence label has no room on a phone): a part's separator shows at the widths
 * where another part shows before it, so no width reads "a · · b" or "ab". Elements only where a
 * width rule needs one (a dashboard has hundreds of rows).
 */
export function RowFacts({ parts }: { parts: ({ text: string; on: Widths } | null)[] }) {
  const shown = parts.filter((p): p is { text: string; on: Widths } => p !== null);
  return shown.map((part, i) => {
    const before = new Set(shown.slice(0, i).flatMap((p) => [...p.on]));
    const sepOn = [...part.on].filter((w) => before.has(w)).join('') as Widths;
    const sep =
      sepOn === '' ? null : sepOn === part.on ? (
        SEPARATOR
      ) : (
        <span className={SHOWN_AT[sepOn]}>{SEPARATOR}</span>
      );
    const partClass = SHOWN_AT[part.on];
    return partClass ? (
      <span key={i} className={partClass}>
        {sep}
        {part.text}
      </span>
    ) : (
      <Fragment key={i}>
        {sep}
        {part.text}
      </Fragment>
    );
  });
}
