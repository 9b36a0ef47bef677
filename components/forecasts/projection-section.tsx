import { StatusBadge } from '@/components/kpis/status-badge';
import { getKpiProjection, type KpiProvenLead } from '@/lib/dal/kpis/projection';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import { projectionPhrase } from '@/lib/domain/forecast/projection-text';
import type { ProjectionMethod } from '@/lib/domain/forecast/projection';
import { formatFixedDecimal } from '@/lib/domain/locale-number';
import { AppError } from '@/lib/errors';
import { PERIOD_WORD } from './leading-section';
import type { OrgContext } from '@/lib/server/org-context';

/*
 * "Projected period end" on the KPI page (issue 24, item 1): where the open period is heading,
 * its range from past errors and the projected status (icon and words, never colour alone).
 * Self-contained: it reads its own data; nothing for a closed period or without a projection.
 */

const METHOD_TEXT: Record<ProjectionMethod, string> = {
  actual: 'the period has ended',
  run_rate: 'the run rate so far (no history yet)',
  run_rate_and_trend: 'the value so far plus the rest of the period on the trend of recent periods',
  trend: 'the trend of recent periods, blended with the value so far',
  rollup: 'its rollup over its children’s projections',
  formula: 'its formula over its inputs’ projections',
  periods: 'its own periods in it, the complete ones as they are and the others projected',
};

/** The projection section of a KPI's page for its current period. */
export async function ProjectionSection({
  ctx,
  kpiId,
  unit,
}: {
  ctx: OrgContext;
  kpiId: string;
  unit: { measureUnit: MeasureUnit; currency: string | null; decimals: number };
}) {
  const data = await getKpiProjection(ctx, kpiId).catch((error: unknown) => {
    if (error instanceof AppError) return null;
    throw error;
  });
  if (!data || data.projection.value === null || data.projection.method === 'actual') return null;
  const p = data.projection;
  const locale = ctx.org.locale;
  const fmt = (v: string | null) => formatValue(v, unit, locale);
  const ranged = p.low !== null && p.high !== null && p.low !== p.high;
  return (
    <section
      className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm"
      aria-labelledby="projection-heading"
      data-testid="kpi-projection"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="projection-heading" className="font-semibold">
          Projected end of {data.label}
        </h2>
        {p.target !== null ? <StatusBadge status={p.status} locale={locale} /> : null}
      </div>
      <p className="mt-2 text-2xl font-semibold tabular-nums">{fmt(p.value)}</p>
      <p className="mt-1 text-sm text-gray-700" data-testid="kpi-projection-phrase">
        {projectionPhrase(p, locale)}
        {p.target !== null ? ` (target ${fmt(p.target)})` : ''}
        {ranged ? `; likely between ${fmt(p.low)} and ${fmt(p.high)}` : ''}.
      </p>
      <p className="mt-1 text-xs text-gray-500">
        {Math.round(p.elapsed * 100)}% of the period has passed. From{' '}
        {p.method ? METHOD_TEXT[p.method] : 'its history'}
        {p.errorsUsed > 0
          ? `; the range holds 8 in 10 of its past ${p.errorsUsed} forecasts’ errors`
          : '; too little history for a range'}
        .
      </p>
      {data.provenLead ? (
        <p className="mt-1 text-xs text-gray-500" data-testid="kpi-projection-lead">
          {provenLeadPhrase(data.provenLead, locale)}
        </p>
      ) : null}
    </section>
  );
}

/**
 * "Pipeline leads it by 2 months (r = 0.71 over 20 months), but the projection does not use it:
 * …": a proven lead is named, and why it does not inform the projection (the backtest's verdict).
 */
function provenLeadPhrase(lead: KpiProvenLead, locale: string): string {
  const word = PERIOD_WORD[lead.cadence];
  const periods = (k: number) => `${k} ${k === 1 ? word.one : word.many}`;
  const r = formatFixedDecimal(lead.r.toFixed(2), locale);
  return `${lead.name} leads it by ${periods(lead.lag)} (r = ${r} over ${periods(lead.n)}), but the projection does not use it: informed by proven leads, forecasts were less accurate than the trend in the backtest.`;
}
