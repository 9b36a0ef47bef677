import type { DashboardHealth } from '@/lib/dal/dashboards/types';
import { IDLE_PERIODS } from '@/lib/domain/kpi-limits';
import { SectionCard } from './section-card';

/**
 * Guard rails on the dashboard: units and people over the organization's KPI limits, and KPIs
 * nobody has measured for several periods (candidates to retire; archiving keeps history).
 */
export function KpiHealthCard({
  orgSlug,
  health,
  canManageSettings,
}: {
  orgSlug: string;
  health: DashboardHealth;
  canManageSettings: boolean;
}) {
  const base = `/o/${orgSlug}`;
  const clean =
    health.unitsOverLimit.length === 0 &&
    health.peopleOverLimit.length === 0 &&
    health.retireCandidates.length === 0;
  return (
    <SectionCard
      id="kpi-focus"
      title="KPI focus"
      description={`Limits: ${kpisText(health.limits.perUnit)} per unit, ${health.limits.perPerson} per person. No value for ${IDLE_PERIODS} periods: a candidate to retire.`}
      action={
        canManageSettings ? (
          <a
            href={`${base}/settings`}
            className="text-sm font-medium text-indigo-700 hover:text-indigo-900"
          >
            Change limits
          </a>
        ) : undefined
      }
    >
      {clean ? (
        <p className="px-4 py-3 text-sm text-gray-600">
          Every unit and person is within the limits, and every KPI is reporting.
        </p>
      ) : (
        <div className="grid gap-4 p-4 md:grid-cols-3">
          <FlagList
            title="Units over the limit"
            empty="None."
            total={health.counts.unitsOverLimit}
            items={health.unitsOverLimit.map((u) => ({
              key: u.unitId,
              main: u.unitName,
              sub: `${kpisText(u.count)} · limit ${health.limits.perUnit}`,
              href: `${base}/kpis`,
            }))}
          />
          <FlagList
            title="People over the limit"
            empty="None."
            total={health.counts.peopleOverLimit}
            items={health.peopleOverLimit.map((p) => ({
              key: p.userId,
              main: p.name,
              sub: `owns ${kpisText(p.count)} · limit ${health.limits.perPerson}`,
              href: `${base}/kpis`,
            }))}
          />
          <FlagList
            title="Candidates to retire"
            total={health.counts.retireCandidates}
            empty="None: every KPI has a recent value."
            items={health.retireCandidates.map((k) => ({
              key: k.id,
              main: k.name,
              sub: `${k.unitName} · ${k.lastValueLabel ? `last value ${k.lastValueLabel}` : 'never measured'}`,
              href: `${base}/kpis/${k.id}`,
            }))}
          />
        </div>
      )}
    </SectionCard>
  );
}

function kpisText(n: number): string {
  return `${n} KPI${n === 1 ? '' : 's'}`;
}

/** The first few flags of `total` (the dashboard's lists are bounded), with how many more. */
function FlagList({
  title,
  empty,
  items,
  total,
}: {
  title: string;
  empty: string;
  items: { key: string; main: string; sub: string; href: string }[];
  total: number;
}) {
  return (
    <div>
      <h4 className="text-xs font-semibold uppercase tracking-wide text-gray-500">
        {title}
        {total > 0 ? <span className="tabular-nums"> · {total}</span> : null}
      </h4>
      {items.length === 0 ? (
        <p className="mt-1 text-sm text-gray-600">{empty}</p>
      ) : (
        <ul className="mt-1 space-y-1.5">
          {items.map((item) => (
            <li key={item.key} className="text-sm">
              <a href={item.href} className="font-medium text-gray-900 hover:text-indigo-700">
                {item.main}
              </a>
              <p className="text-xs text-amber-800">{item.sub}</p>
            </li>
          ))}
          {total > items.length ? (
            <li className="text-xs text-gray-500">and {total - items.length} more</li>
          ) : null}
        </ul>
      )}
    </div>
  );
}
