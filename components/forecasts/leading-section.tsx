import Link from 'next/link';
import { CardSection } from '@/components/ui/card-section';
import { listLeadPairs } from '@/lib/dal/kpis/leading-indicators';
import { leadSentence } from '@/lib/domain/forecast/leading';
import { AppError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';

/*
 * "Does it lead?" on the KPI page (issue 24, item 3): for each leading KPI feeding this one, or
 * each KPI this leading one feeds, what the history says (correlation of period changes at lags
 * 0 to 3, over how many periods). A leading KPI that predicts nothing is flagged in words.
 * Self-contained: it reads its own data; nothing when the KPI is in no such pair.
 */

const PERIOD_WORD = {
  month: { one: 'month', many: 'months' },
  quarter: { one: 'quarter', many: 'quarters' },
  year: { one: 'year', many: 'years' },
} as const;

/** The leading-indicator section of a KPI's page. */
export async function LeadingSection({ ctx, kpiId }: { ctx: OrgContext; kpiId: string }) {
  const pairs = await listLeadPairs(ctx, kpiId).catch((error: unknown) => {
    if (error instanceof AppError) return [];
    throw error;
  });
  if (pairs.length === 0) return null;
  return (
    <CardSection
      id="leading"
      title="Do its leading indicators lead?"
      description="Correlation of period-on-period changes, the leading KPI taken 0 to 3 periods earlier, over its complete periods."
    >
      <ul className="space-y-2 text-sm" data-testid="lead-pairs">
        {pairs.map((p) => (
          <li key={`${p.leading.id}-${p.lagging.id}`} className="flex gap-2">
            <span aria-hidden className="text-gray-500">
              {p.verdict.kind === 'leads' ? '↗' : p.verdict.kind === 'predicts_nothing' ? '⚠' : '·'}
            </span>
            <span>
              {leadSentence(p.leading.name, p.lagging.name, p.verdict, PERIOD_WORD[p.cadence])}.
              {p.verdict.kind === 'predicts_nothing' ? (
                <span className="ml-1 font-medium text-amber-800">
                  Worth reconsidering as a leading KPI.
                </span>
              ) : null}{' '}
              <Link
                href={`/o/${ctx.org.slug}/kpis/${p.leading.id === kpiId ? p.lagging.id : p.leading.id}`}
                className="text-indigo-700 underline hover:text-indigo-900"
              >
                Open {p.leading.id === kpiId ? p.lagging.name : p.leading.name}
              </Link>
            </span>
          </li>
        ))}
      </ul>
    </CardSection>
  );
}
