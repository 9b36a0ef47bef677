import { WorkspaceLink } from '@/components/layout/workspace-link';
import { CardSection } from '@/components/ui/card-section';
import { listLeadPairs } from '@/lib/dal/kpis/leading-indicators';
import { leadSentence } from '@/lib/domain/forecast/leading';
import { AppError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { AddLeadForm, RemoveLeadButton } from './lead-link-controls';

/*
 * "Does it lead?" on the KPI page (issue 24, item 3): for each leading KPI feeding this one, or
 * each KPI this leading one feeds, or linked explicitly as "leads" either way, what the history
 * says (correlation of period changes at lags 0 to 3, over how many periods). A leading KPI that
 * predicts nothing is flagged in words. Whoever may edit the KPI can link a KPI believed to lead
 * it, and remove such links. Self-contained: it reads its own data; nothing when the KPI is in
 * no such pair and the actor may not link one.
 */

export const PERIOD_WORD = {
  month: { one: 'month', many: 'months' },
  quarter: { one: 'quarter', many: 'quarters' },
  year: { one: 'year', many: 'years' },
} as const;

/** The leading-indicator section of a KPI's page; `canLink`: the actor may edit this KPI. */
export async function LeadingSection({
  ctx,
  kpiId,
  canLink,
}: {
  ctx: OrgContext;
  kpiId: string;
  canLink: boolean;
}) {
  const hidden = (error: unknown) => {
    if (error instanceof AppError) return [];
    throw error;
  };
  const pairs = await listLeadPairs(ctx, kpiId).catch(hidden);
  if (pairs.length === 0 && !canLink) return null;
  return (
    <CardSection
      id="leading"
      title="Do its leading indicators lead?"
      description="Correlation of period-on-period changes, the leading KPI taken 0 to 3 periods earlier, over its complete periods."
    >
      {pairs.length === 0 ? (
        <p className="text-sm text-gray-600">
          No leading indicator feeds this KPI or is linked to it yet.
        </p>
      ) : (
        <ul className="space-y-3 text-sm" data-testid="lead-pairs">
          {pairs.map((p) => (
            <li
              key={`${p.leading.id}-${p.lagging.id}`}
              className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between"
            >
              <div className="flex gap-2">
                <span aria-hidden className="text-gray-500">
                  {p.verdict.kind === 'leads'
                    ? '↗'
                    : p.verdict.kind === 'predicts_nothing'
                      ? '⚠'
                      : '·'}
                </span>
                <span>
                  {leadSentence(p.leading.name, p.lagging.name, p.verdict, PERIOD_WORD[p.cadence])}.
                  {p.verdict.kind === 'predicts_nothing' ? (
                    <span className="ml-1 font-medium text-amber-800">
                      Worth reconsidering as a leading KPI.
                    </span>
                  ) : null}{' '}
                  {p.explicit ? (
                    <span className="mr-1 rounded bg-gray-100 px-1.5 py-0.5 text-xs text-gray-700">
                      linked as leading
                    </span>
                  ) : null}
                  <WorkspaceLink
                    href={`/o/${ctx.org.slug}/kpis/${p.leading.id === kpiId ? p.lagging.id : p.leading.id}`}
                    className="text-indigo-700 underline hover:text-indigo-900"
                  >
                    Open {p.leading.id === kpiId ? p.lagging.name : p.leading.name}
                  </WorkspaceLink>
                </span>
              </div>
              {p.canUnlink ? (
                <RemoveLeadButton orgSlug={ctx.org.slug} lead={p.leading} lagging={p.lagging} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canLink ? (
        <div className="mt-4 border-t border-gray-100 pt-4">
          <AddLeadForm orgSlug={ctx.org.slug} laggingKpiId={kpiId} />
        </div>
      ) : null}
    </CardSection>
  );
}
