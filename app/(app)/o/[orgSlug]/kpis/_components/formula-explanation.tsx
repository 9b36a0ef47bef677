import { WorkspaceLink } from '@/components/layout/workspace-link';
import type { FormulaExplanation } from '@/lib/dal/kpis/formula-explanation';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import { coverageLabel } from '@/lib/domain/formula/evaluate';
import { formulaSegments } from '@/lib/domain/formula/substitute';

type Measure = { measureUnit: MeasureUnit; currency: string | null; decimals: number };

/**
 * The formula with this period's values put in: each input's value in its own unit, linked to
 * that KPI's page (a prev() read names its earlier period in its title), then the result or the
 * reason there is none. Server-rendered; `self` is the formula KPI itself (its own prev()).
 */
export function FormulaExplanationView({
  orgSlug,
  formula,
  explanation,
  self,
  locale,
}: {
  orgSlug: string;
  formula: string;
  explanation: FormulaExplanation;
  self: Measure & { id: string; key: string | null; name: string };
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  const segments = formulaSegments(formula);
  if (!segments) return null;
  const { period, inputs } = explanation;
  const readOf = (key: string, back: number) =>
    period.reads.find((r) => r.key === key && r.periodsBack === back);
  const missing = period.reads
    .filter((r) => r.value === null)
    .map((r) => (r.periodsBack > 0 ? `${r.key} (${r.periodLabel})` : r.key));

  return (
    <div className="border-b border-gray-100 px-4 py-3 text-sm" data-testid="formula-explanation">
      <p className="text-xs font-medium uppercase tracking-wide text-gray-500">{period.label}</p>
      <p className="mt-1 break-words font-mono leading-7">
        <span className="font-semibold" data-testid="formula-result">
          {period.value === null ? '—' : formatValue(period.value, self, locale)}
        </span>{' '}
        ={' '}
        {segments.map((seg, i) => {
          if (seg.kind === 'text') return <span key={i}>{seg.text}</span>;
          const read = readOf(seg.key, seg.periodsBack);
          const input = seg.key === self.key ? self : inputs[seg.key];
          if (!input || !read) {
            return (
              <span key={i} className="text-gray-500" title={`${seg.key}: not visible to you`}>
                {seg.text}
              </span>
            );
          }
          const shown = read.value === null ? 'missing' : formatValue(read.value, input, locale);
          const when =
            read.periodsBack > 0
              ? `${read.periodLabel}${read.fromBaseline ? ', opening balance' : ''}`
              : read.periodLabel;
          return (
            <WorkspaceLink
              key={i}
              href={`/o/${orgSlug}/kpis/${input.id}`}
              // The visible value is the link's name; which input and period it is, its title.
              title={`${seg.text} · ${input.name} · ${when}: ${shown}`}
              data-key={seg.key}
              className={`whitespace-nowrap rounded px-1 underline decoration-dotted underline-offset-4 hover:bg-indigo-50 hover:text-indigo-800 ${
                read.value === null ? 'bg-amber-50 text-amber-800' : 'bg-gray-50 text-indigo-700'
              }`}
            >
              {shown}
              {read.periodsBack > 0 ? (
                <sub className="ml-0.5 font-sans text-[10px] text-gray-500">{read.periodLabel}</sub>
              ) : null}
            </WorkspaceLink>
          );
        })}
      </p>
      {period.value === null ? (
        <p className="mt-1 text-xs text-amber-800" data-testid="formula-reason">
          No value for {period.label}:{' '}
          {period.reason === 'division by zero'
            ? 'division by zero.'
            : period.reason === 'missing inputs'
              ? `${coverageLabel(period)}; missing ${missing.join(', ')}.`
              : 'none of its inputs has a value yet.'}
        </p>
      ) : null}
    </div>
  );
}
