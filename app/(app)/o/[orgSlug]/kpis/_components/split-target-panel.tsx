'use client';

import { useState, useTransition } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { FormAlert, FormStatus } from '@/components/ui/form-alert';
import { splitTargetDownAction } from '@/lib/actions/targets';
import { sumDec, toPlainString } from '@/lib/domain/decimal';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import { parseGridNumber } from '@/lib/domain/target-grid';
import { decimalPlacesOf, distributeExactly } from '@/lib/domain/target-phasing';
import type { PlanChild, PlanPeriod } from '@/lib/dal/kpis/target-planning';
import { useOrgLocale } from '@/components/locale/org-locale';

export type SplitTargetPanelProps = {
  orgSlug: string;
  parentId: string;
  measure: { measureUnit: MeasureUnit; currency: string | null; decimals: number };
  periods: PlanPeriod[];
  childKpis: PlanChild[];
};

type Basis = 'equal' | 'last_year';

/**
 * "Split the target down": the parent's target of the chosen periods distributed over its
 * children by weights (equal, or last year's actuals), each amount editable, written as the
 * children's per-period targets in one save.
 */
export function SplitTargetPanel({
  orgSlug,
  parentId,
  measure,
  periods,
  childKpis,
}: SplitTargetPanelProps) {
  const locale = useOrgLocale();
  const eligible = childKpis.filter((c) => c.sameCadence);
  const refused = eligible.filter((c) => !c.canWrite);
  const withTarget = periods.filter((p) => p.target !== null);
  const [chosen, setChosen] = useState<string[]>(withTarget.map((p) => p.start));
  const lastYearWeight = (c: PlanChild) => {
    const vals = periods.map((p, i) => (chosen.includes(p.start) ? c.lastYear[i] : '0'));
    return vals.every((v) => v !== null) ? toPlainString(sumDec(vals as string[])) : null;
  };
  const lastYearKnown = eligible.length > 0 && eligible.every((c) => lastYearWeight(c) !== null);
  const [basis, setBasis] = useState<Basis>('equal');
  const [weightEdits, setWeightEdits] = useState<Record<string, string>>({});
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startSave] = useTransition();
  const afterSave = useSaved();
  const fmt = (v: string | null) => formatValue(v, measure, locale);

  const weights = eligible.map((c) => {
    const text = weightEdits[c.id] ?? (basis === 'last_year' ? (lastYearWeight(c) ?? '0') : '1');
    const parsed = parseGridNumber(text, locale);
    return { text, value: parsed.ok ? parsed.value : null };
  });
  const shownPeriods = periods.filter((p) => chosen.includes(p.start) && p.target !== null);
  const decimals = Math.min(measure.decimals, ...eligible.map((c) => c.decimals));

  const proposal = (() => {
    const out = new Map<string, string>();
    if (weights.some((w) => w.value === null)) return out;
    for (const p of shownPeriods) {
      const t = p.target as string;
      const parts = distributeExactly(
        t,
        weights.map((w) => w.value as string),
        Math.max(decimals, decimalPlacesOf(t)),
      );
      parts?.forEach((v, i) => out.set(`${eligible[i]?.id}|${p.start}`, v));
    }
    return out;
  })();

  const cellText = (childId: string, start: string) =>
    edits[`${childId}|${start}`] ?? proposal.get(`${childId}|${start}`) ?? '';

  function save() {
    const targets: { kpiId: string; periodStart: string; target: string }[] = [];
    for (const c of eligible) {
      for (const p of shownPeriods) {
        const parsed = parseGridNumber(cellText(c.id, p.start), locale);
        if (!parsed.ok || parsed.value === null) {
          setError(`Give ${c.name} a number for ${p.label}.`);
          return;
        }
        targets.push({ kpiId: c.id, periodStart: p.start, target: parsed.value });
      }
    }
    setError(null);
    startSave(async () => {
      const result = await splitTargetDownAction(orgSlug, { parentId, targets });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setMessage(`Split down: ${result.data.saved} targets written.`);
      setEdits({});
      await afterSave();
    });
  }

  if (eligible.length === 0) {
    return (
      <p className="text-sm text-gray-600">
        No child KPI of the same cadence to split the target over.
      </p>
    );
  }
  return (
    <div className="space-y-3" data-testid="split-target">
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">Periods</legend>
        <div className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
          {withTarget.map((p) => (
            <label key={p.start} className="inline-flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={chosen.includes(p.start)}
                onChange={(e) =>
                  setChosen(
                    e.target.checked ? [...chosen, p.start] : chosen.filter((s) => s !== p.start),
                  )
                }
              />
              {p.label}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="block text-sm font-medium text-gray-700">
        Weights
        <select
          value={basis}
          onChange={(e) => {
            setBasis(e.target.value as Basis);
            setWeightEdits({});
            setEdits({});
          }}
          className="mt-1 block rounded-md border border-gray-300 bg-white px-2 py-1 text-sm"
        >
          <option value="equal">Equal</option>
          <option value="last_year" disabled={!lastYearKnown}>
            Last year’s actuals{lastYearKnown ? '' : ' (not all recorded)'}
          </option>
        </select>
      </label>
      <div className="overflow-x-auto">
        <table className="stack-table w-full text-sm" aria-label="Split of the target">
          <thead className="text-left text-xs uppercase tracking-wide text-gray-500">
            <tr>
              <th className="py-1 pr-2">Child KPI</th>
              <th className="px-2 py-1 text-right">Weight</th>
              {shownPeriods.map((p) => (
                <th key={p.start} className="px-2 py-1 text-right">
                  {p.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {eligible.map((c, i) => (
              <tr key={c.id} className="border-t border-gray-100">
                <td className="stack-full min-w-[9rem] py-1 pr-2">
                  <span className="font-medium">{c.name}</span>
                  <span className="block text-xs text-gray-500">{c.unitName}</span>
                </td>
                <td data-label="Weight" className="px-2 py-1">
                  <input
                    aria-label={`Weight of ${c.name}`}
                    inputMode="decimal"
                    value={weights[i]?.text ?? ''}
                    onChange={(e) => {
                      setWeightEdits({ ...weightEdits, [c.id]: e.target.value });
                      setEdits({});
                    }}
                    className="ml-auto block w-20 rounded-md border border-gray-300 px-2 py-1 text-right tabular-nums"
                  />
                </td>
                {shownPeriods.map((p) => (
                  <td key={p.start} data-label={p.label} className="px-2 py-1">
                    <input
                      aria-label={`${c.name}, ${p.label}`}
                      inputMode="decimal"
                      value={cellText(c.id, p.start)}
                      onChange={(e) =>
                        setEdits({ ...edits, [`${c.id}|${p.start}`]: e.target.value })
                      }
                      className="ml-auto block w-24 rounded-md border border-gray-300 px-2 py-1 text-right tabular-nums"
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="border-t border-gray-200 text-xs text-gray-600">
              <td className="stack-full py-1 pr-2" colSpan={2}>
                Parent’s target
              </td>
              {shownPeriods.map((p) => (
                <td
                  key={p.start}
                  data-label={p.label}
                  className="px-2 py-1 text-right tabular-nums"
                >
                  {fmt(p.target)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      {refused.length > 0 ? (
        <p className="text-sm text-amber-800">
          You may not set targets of {refused.map((c) => c.name).join(', ')}: ask the lead of their
          unit, or an admin, to split this target.
        </p>
      ) : null}
      <FormAlert message={error} />
      <FormStatus message={message} />
      <Button
        type="button"
        onClick={save}
        disabled={pending || shownPeriods.length === 0 || refused.length > 0}
      >
        {pending ? 'Writing…' : 'Write the children’s targets'}
      </Button>
    </div>
  );
}
