import { CardSection } from '@/components/ui/card-section';
import { getKpiAttribution, type KpiAttribution } from '@/lib/dal/kpis/attribution';
import {
  attributionSentence,
  gapIsGood,
  signedAmount,
  significantLines,
} from '@/lib/domain/attribution/text';
import { waterfallBars } from '@/lib/domain/attribution/waterfall';
import { formatValue } from '@/lib/domain/format';
import { AppError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { AttributionLines } from './attribution-lines';

/*
 * "Why is it off target": the KPI page's variance attribution (issue 24, item 2) for one period,
 * as a sentence, a waterfall of plain CSS bars (target -> each contribution -> actual; no client
 * JavaScript) and the list of contributions down the cascade (loaded when opened). Whether a part helps or hurts is
 * said in words and by an arrow, never by colour alone. Self-contained: it reads its own data.
 */

const NO_SPLIT: Record<string, string> = {
  'no value': 'It has no value for this period yet.',
  'no target': 'It has no target for this period, so there is no gap to explain.',
  'not attributable':
    'Its formula has no value for some mix of its inputs at target and at actual (a division by zero or a missing input), so no split adds up.',
};

/** The attribution section of a computed KPI's page for the period starting `start`. */
export async function AttributionSection({
  ctx,
  kpiId,
  start,
}: {
  ctx: OrgContext;
  kpiId: string;
  start: string;
}) {
  const data = await getKpiAttribution(ctx, kpiId, start).catch((error: unknown) => {
    if (error instanceof AppError) return null;
    throw error;
  });
  if (!data || data.attribution.reason === 'not computed') return null;
  return (
    <CardSection
      id="attribution"
      title={`Why it is where it is · ${data.period.label}`}
      description="The gap to target split into what each part of the cascade contributed; the parts add up exactly to the gap."
    >
      <AttributionBody orgSlug={ctx.org.slug} data={data} locale={ctx.org.locale} />
    </CardSection>
  );
}

function AttributionBody({
  orgSlug,
  data,
  locale,
}: {
  orgSlug: string;
  data: KpiAttribution;
  locale: string;
}) {
  const { kpi, attribution: a } = data;
  const fmt = (v: string) => formatValue(v, kpi, locale);
  if (a.gap === null || a.actual === null || a.target === null || a.reason !== null) {
    return (
      <p className="text-sm text-gray-600" data-testid="attribution-none">
        {NO_SPLIT[a.reason ?? 'no value']}
      </p>
    );
  }
  const lines = significantLines(a.lines);
  const sentence = attributionSentence(kpi.name, a, kpi.direction, fmt);
  const { bars, axisFromZero } = waterfallBars(
    a.target,
    a.actual,
    lines.map((l) => ({ label: l.read ?? l.name, amount: l.contribution })),
    kpi.direction,
    { target: a.targetImplied ? 'Target (implied)' : 'Target', actual: 'Actual' },
  );
  const good = gapIsGood(a.gap, kpi.direction);
  return (
    <div className="space-y-4">
      <p className="text-sm font-medium text-gray-900" data-testid="attribution-sentence">
        <span aria-hidden className={good ? 'text-emerald-700' : 'text-red-700'}>
          {good ? '▲ ' : '▼ '}
        </span>
        {sentence}
      </p>
      <figure aria-labelledby="waterfall-caption" data-testid="attribution-waterfall">
        <figcaption id="waterfall-caption" className="sr-only">
          Waterfall from the target through each contribution to the actual
        </figcaption>
        <ol className="space-y-1.5">
          {bars.map((bar, i) => (
            <li
              key={`${bar.label}-${i}`}
              className="grid grid-cols-[minmax(0,9rem)_1fr_auto] items-center gap-2 text-xs sm:grid-cols-[minmax(0,14rem)_1fr_auto]"
            >
              <span className="truncate text-gray-700" title={bar.label}>
                {bar.label}
              </span>
              <span className="relative h-4 rounded bg-gray-50" aria-hidden>
                <span
                  className={`absolute inset-y-0 rounded-sm ${
                    bar.kind === 'total'
                      ? 'bg-slate-500'
                      : bar.good === false
                        ? 'bg-red-500'
                        : bar.good
                          ? 'bg-emerald-500'
                          : 'bg-gray-300'
                  }`}
                  style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
                />
              </span>
              <span className="whitespace-nowrap text-right tabular-nums text-gray-900">
                {bar.kind === 'total' ? (
                  fmt(bar.amount)
                ) : (
                  <>
                    {signedAmount(bar.amount, fmt)}
                    <span className="ml-1 text-gray-500">
                      {bar.good === null ? '' : bar.good ? '▲ helps' : '▼ hurts'}
                    </span>
                  </>
                )}
              </span>
            </li>
          ))}
        </ol>
        {!axisFromZero ? (
          <p className="mt-1 text-[11px] text-gray-500">
            The axis starts above zero so that the contributions are visible.
          </p>
        ) : null}
      </figure>
      <AttributionLines
        orgSlug={orgSlug}
        kpiId={kpi.id}
        period={data.period.start}
        measure={{ measureUnit: kpi.measureUnit, currency: kpi.currency, decimals: kpi.decimals }}
        direction={kpi.direction}
      />
    </div>
  );
}
