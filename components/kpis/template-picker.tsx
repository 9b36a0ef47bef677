'use client';

import { useId, useMemo, useState } from 'react';
import {
  DEPARTMENT_LABELS,
  groupTemplates,
  searchTemplates,
  TEMPLATE_DEPARTMENTS,
  type KpiTemplate,
  type TemplateDepartment,
} from '@/lib/domain/kpi-templates';

const UNIT_TEXT: Record<KpiTemplate['measureUnit'], string> = {
  count: 'count',
  currency: 'currency',
  percent: '%',
  ratio: 'ratio',
  duration: 'duration',
};
const CADENCE_TEXT: Record<KpiTemplate['cadence'], string> = {
  month: 'monthly',
  quarter: 'quarterly',
  year: 'yearly',
};

/**
 * The KPI template library: searchable, grouped by department, the organization's own templates
 * first. Choosing one hands it to `onPick` (the form fills its fields from it).
 */
export function TemplatePicker({
  templates,
  picked,
  onPick,
}: {
  templates: readonly KpiTemplate[];
  picked: string | null;
  onPick: (template: KpiTemplate) => void;
}) {
  const [query, setQuery] = useState('');
  const [department, setDepartment] = useState<TemplateDepartment | ''>('');
  const searchId = useId();
  const found = useMemo(
    () =>
      searchTemplates(templates, query).filter((t) => !department || t.department === department),
    [templates, query, department],
  );
  const own = found.filter((t) => t.source === 'org');
  const groups = groupTemplates(found.filter((t) => t.source === 'builtin'));

  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-2 sm:flex-row">
        <div className="flex-1">
          <label htmlFor={searchId} className="sr-only">
            Search templates
          </label>
          <input
            id={searchId}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Search templates: churn, pipeline, CSAT…"
            className="block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
          />
        </div>
        <label className="flex items-center gap-2 text-sm text-gray-700">
          <span className="sr-only sm:not-sr-only">Department</span>
          <select
            value={department}
            onChange={(e) => setDepartment(e.target.value as TemplateDepartment | '')}
            aria-label="Template department"
            className="w-full rounded-md border border-gray-300 bg-white px-2 py-2 text-sm sm:w-auto"
          >
            <option value="">All departments</option>
            {TEMPLATE_DEPARTMENTS.map((d) => (
              <option key={d} value={d}>
                {DEPARTMENT_LABELS[d]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div
        className="max-h-80 space-y-4 overflow-y-auto rounded-md border border-gray-200 bg-gray-50 p-2"
        role="region"
        aria-label="KPI templates"
        tabIndex={0}
      >
        {found.length === 0 ? (
          <p className="p-2 text-sm text-gray-600">No template matches. Try another word.</p>
        ) : null}
        {own.length > 0 ? (
          <TemplateGroup
            label="Saved by your organization"
            templates={own}
            picked={picked}
            onPick={onPick}
          />
        ) : null}
        {groups.map((g) => (
          <TemplateGroup
            key={g.department}
            label={g.label}
            templates={g.templates}
            picked={picked}
            onPick={onPick}
          />
        ))}
      </div>
    </div>
  );
}

function TemplateGroup({
  label,
  templates,
  picked,
  onPick,
}: {
  label: string;
  templates: readonly KpiTemplate[];
  picked: string | null;
  onPick: (template: KpiTemplate) => void;
}) {
  return (
    <div>
      <h3 className="px-1 pb-1 text-xs font-semibold uppercase tracking-wide text-gray-500">
        {label}
      </h3>
      <ul className="grid gap-2 sm:grid-cols-2">
        {templates.map((t) => {
          const selected = picked === t.id;
          return (
            <li key={t.id}>
              <button
                type="button"
                onClick={() => onPick(t)}
                aria-pressed={selected}
                className={`h-full w-full rounded-md border bg-white p-2 text-left text-sm shadow-sm hover:border-indigo-400 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                  selected ? 'border-indigo-500 ring-1 ring-indigo-500' : 'border-gray-200'
                }`}
              >
                <span className="block font-medium text-gray-900">{t.name}</span>
                <span className="mt-0.5 block text-xs text-gray-600">{t.description}</span>
                <span className="mt-1 block text-xs text-gray-500">
                  {t.measureUnit === 'currency'
                    ? (t.currency ?? 'currency')
                    : UNIT_TEXT[t.measureUnit]}{' '}
                  · {t.direction === 'increase' ? 'higher is better' : 'lower is better'} ·{' '}
                  {CADENCE_TEXT[t.cadence]}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
