import { StatusBadge } from '@/components/kpis/status-badge';
import { getKpiProjection, type KpiLeadNote } from '@/lib/dal/kpis/projection';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import { LEAD_MARGIN, LEAD_MIN_SCORED } from '@/lib/domain/forecast/lead-informed';
import { projectionPhrase } from '@/lib/domain/forecast/projection-text';
import { PROJECTION_HISTORY, type ProjectionMethod } from '@/lib/domain/forecast/projection';
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
      {data.lead ? (
        <p className="mt-1 text-xs text-gray-500" data-testid="kpi-projection-lead">
          {leadPhrase(data.lead, fmt, locale)}
        </p>
      ) : null}
    </section>
  );
}

/**
 * What the KPI's leads did to the projection, in words: "Uses Pipeline value's lead (2 months):
 * +$40,000 on the trend; …" where a lead earned it on this KPI's own past, else the proven lead
 * named and why the projection does not use it (per this KPI's own past).
 */
function leadPhrase(lead: KpiLeadNote, fmt: (v: string | null) => string, locale: string): string {
  const word = PERIOD_WORD[lead.cadence];
  const periods = (k: number) => `${k} ${k === 1 ? word.one : word.many}`;
  const amount = (x: number) => fmt(String(x));
  if (lead.kind === 'used') {
    const sign = lead.shift.startsWith('-') ? '−' : '+';
    const shift = fmt(lead.shift.replace(/^-/, ''));
    const who = lead.name === null ? 'a leading KPI you may not see' : `${lead.name}’s`;
    const less = Math.round((1 - lead.record.leadMae / lead.record.trendMae) * 100);
    return `Uses ${who} lead (${periods(lead.lag)}): ${sign}${shift} on the trend. On this KPI’s past ${periods(lead.record.scored)}, forecasts informed by it were off by ${amount(lead.record.leadMae)} on average, the trend by ${amount(lead.record.trendMae)} (${less}% less).`;
  }
  const r = formatFixedDecimal(lead.r.toFixed(2), locale);
  const named = `${lead.name} leads it by ${periods(lead.lag)} (r = ${r} over ${periods(lead.n)}), but the projection does not use it`;
  const why = lead.why;
  if (why === 'from_parts') {
    return `${named}: this KPI is projected from its parts’ projections (its children’s or its formula’s inputs’), so that the projections add up.`;
  }
  switch (why?.kind) {
    case 'not_proven':
      return `${named}: over the last ${periods(PROJECTION_HISTORY[lead.cadence])} the projection reads, it does not lead it by a ${word.one} or more.`;
    case 'no_signal':
      return `${named}: its change that would land in this ${word.one} is not known yet.`;
    case 'too_few_scored':
      return `${named}: too little of this KPI’s own past to judge it (${periods(why.record.scored)} could be forecast with it from what came before; ${LEAD_MIN_SCORED} are needed).`;
    case 'not_better':
      return `${named}: on this KPI’s own past ${periods(why.record.scored)}, forecasts informed by it were off by ${amount(why.record.leadMae)} on average against the trend’s ${amount(why.record.trendMae)}, not at least ${Math.round(LEAD_MARGIN * 100)}% better.`;
    default:
      return `${named}.`;
  }
}
