'use client';

import { useMemo, useState, useTransition } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { FormAlert, FormStatus } from '@/components/ui/form-alert';
import { saveTargetsAction } from '@/lib/actions/targets';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { sumDec, toPlainString } from '@/lib/domain/decimal';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import { parseGridNumber } from '@/lib/domain/target-grid';
import { phaseTarget, type Phasing, type PhasingMethod } from '@/lib/domain/target-phasing';
import { useOrgLocale } from '@/components/locale/org-locale';

/** A span that can be planned as one amount (a fiscal year or a quarter) and its periods. */
export type PlanScope = {
  key: string;
  label: string;
  periods: { start: string; label: string; target: string | null }[];
};

export type PlanTargetsPanelProps = {
  orgSlug: string;
  kpiId: string;
  aggregation: TimeAggregation;
  measure: { measureUnit: MeasureUnit; currency: string | null; decimals: number };
  scopes: PlanScope[];
};

const METHOD_TEXT: Record<PhasingMethod, string> = {
  even: 'Even',
  ramp: 'Linear ramp',
  growth: 'Growth step',
  seasonal: 'Seasonal profile',
};

const inputClass =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-2 py-1 text-sm tabular-nums focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

/**
 * "Plan targets": an amount for a year or quarter phased into the KPI's periods (see
 * lib/domain/target-phasing.ts), previewed and editable per period, saved as per-period targets
 * in one save.
 */
export function PlanTargetsPanel({
  orgSlug,
  kpiId,
  aggregation,
  measure,
  scopes,
}: PlanTargetsPanelProps) {
  const locale = useOrgLocale();
  const flow = aggregation === 'sum';
  const [scopeKey, setScopeKey] = useState(scopes[0]?.key ?? '');
  const scope = scopes.find((s) => s.key === scopeKey) ?? scopes[0];
  const n = scope?.periods.length ?? 0;
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PhasingMethod>('even');
  const [start, setStart] = useState(flow ? '100' : '');
  const [end, setEnd] = useState(flow ? '150' : '');
  const [step, setStep] = useState('5');
  const [weights, setWeights] = useState<string[]>([]);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startSave] = useTransition();
  const afterSave = useSaved();

  const preview = useMemo((): { values: string[] } | { error: string } | null => {
    if (!scope || amount.trim() === '') return null;
    const parsedAmount = parseGridNumber(amount, locale);
    if (!parsedAmount.ok || parsedAmount.value === null)
      return { error: parsedAmount.ok ? 'Enter an amount' : parsedAmount.error };
    const num = (text: string, what: string) => {
      const p = parseGridNumber(text, locale);
      if (!p.ok || p.value === null)
        throw new Error(`${what}: ${p.ok ? 'enter a number' : p.error}`);
      return p.value;
    };
    let phasing: Phasing;
    try {
      phasing =
        method === 'even'
          ? { method }
          : method === 'ramp'
            ? {
                method,
                start: num(start, flow ? 'Start share' : 'Start value'),
                end: flow ? num(end, 'End share') : '0',
              }
            : method === 'growth'
              ? { method, stepPercent: num(step, 'Growth step') }
              : { method, weights: scope.periods.map((_, i) => num(weights[i] ?? '1', 'Weight')) };
    } catch (e) {
      return { error: (e as Error).message };
    }
    const result = phaseTarget({
      amount: parsedAmount.value,
      periodCount: n,
      aggregation,
      decimals: measure.decimals,
      phasing,
    });
    return result.ok ? { values: result.values } : { error: result.error };
  }, [
    scope,
    amount,
    method,
    start,
    end,
    step,
    weights,
    flow,
    aggregation,
    n,
    measure.decimals,
    locale,
  ]);

  const planned = scope?.periods.map((p, i) => {
    const text = edits[p.start] ?? (preview && 'values' in preview ? preview.values[i] : '') ?? '';
    const parsed = parseGridNumber(text, locale);
    return {
      ...p,
      text,
      value: parsed.ok ? parsed.value : null,
      error: parsed.ok ? null : parsed.error,
    };
  });
  const plannedTotal =
    planned && planned.every((p) => p.value !== null)
      ? toPlainString(sumDec(planned.map((p) => p.value as string)))
      : null;
  const fmt = (v: string | null) => formatValue(v, measure, locale);
  const resetEdits = () => {
    setEdits({});
    setMessage(null);
  };

  function save() {
    if (!planned || planned.some((p) => p.error !== null || p.value === null)) {
      setError('Every period needs a number before saving.');
      return;
    }
    setError(null);
    startSave(async () => {
      const result = await saveTargetsAction(orgSlug, {
        targets: planned.map((p) => ({ kpiId, periodStart: p.start, target: p.value as string })),
      });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setMessage(`Saved ${result.data.saved} targets for ${scope?.label}.`);
      setEdits({});
      setAmount('');
      await afterSave();
    });
  }

  if (!scope) return null;
  return (
    <div className="space-y-4" data-testid="plan-targets">
      <p className="text-xs text-gray-500">
        {flow
          ? 'Spread an amount over the periods: they add up exactly to it, rounded to this KPI’s decimals.'
          : 'This KPI is a level: the amount is the target at the end of the span, and earlier periods are interpolated toward it.'}
      </p>
      <div className="grid gap-3 sm:grid-cols-3">
        <label className="block text-sm font-medium text-gray-700">
          Plan
          <select
            value={scope.key}
            onChange={(e) => {
              setScopeKey(e.target.value);
              setWeights([]);
              resetEdits();
            }}
            className={inputClass}
          >
            {scopes.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium text-gray-700">
          {flow ? `Target for ${scope.label}` : `Target at the end of ${scope.label}`}
          <input
            inputMode="decimal"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              resetEdits();
            }}
            placeholder="such as 120,000"
            className={`${inputClass} text-right`}
          />
        </label>
        <label className="block text-sm font-medium text-gray-700">
          Phasing
          <select
            value={method}
            onChange={(e) => {
              setMethod(e.target.value as PhasingMethod);
              resetEdits();
            }}
            className={inputClass}
          >
            {(Object.keys(METHOD_TEXT) as PhasingMethod[]).map((m) => (
              <option key={m} value={m}>
                {METHOD_TEXT[m]}
              </option>
            ))}
          </select>
        </label>
        {method === 'ramp' ? (
          <>
            <label className="block text-sm font-medium text-gray-700">
              {flow ? 'First period’s share' : 'First period’s value'}
              <input
                inputMode="decimal"
                value={start}
                onChange={(e) => {
                  setStart(e.target.value);
                  resetEdits();
                }}
                className={`${inputClass} text-right`}
              />
            </label>
            {flow ? (
              <label className="block text-sm font-medium text-gray-700">
                Last period’s share
                <input
                  inputMode="decimal"
                  value={end}
                  onChange={(e) => {
                    setEnd(e.target.value);
                    resetEdits();
                  }}
                  className={`${inputClass} text-right`}
                />
              </label>
            ) : null}
          </>
        ) : null}
        {method === 'growth' ? (
          <label className="block text-sm font-medium text-gray-700">
            Growth per period (%)
            <input
              inputMode="decimal"
              value={step}
              onChange={(e) => {
                setStep(e.target.value);
                resetEdits();
              }}
              className={`${inputClass} text-right`}
            />
          </label>
        ) : null}
      </div>

      {preview && 'error' in preview ? (
        <p className="text-sm text-red-600">{preview.error}</p>
      ) : null}

      <div className="overflow-x-auto">
        <table className="w-full min-w-[20rem] text-sm" aria-label="Planned targets">
          <thead className="text-left text-xs uppercase tracking-wide text-gray-500">
            <tr>
              <th className="py-1 pr-2">Period</th>
              <th className="px-2 py-1 text-right">Now</th>
              {method === 'seasonal' ? <th className="px-2 py-1 text-right">Weight</th> : null}
              <th className="py-1 pl-2 text-right">Planned</th>
            </tr>
          </thead>
          <tbody>
            {planned?.map((p, i) => (
              <tr key={p.start} className="border-t border-gray-100">
                <td className="py-1 pr-2">{p.label}</td>
                <td className="whitespace-nowrap px-2 py-1 text-right tabular-nums text-gray-500">
                  {fmt(p.target)}
                </td>
                {method === 'seasonal' ? (
                  <td className="px-2 py-1">
                    <input
                      aria-label={`Weight of ${p.label}`}
                      inputMode="decimal"
                      value={weights[i] ?? '1'}
                      onChange={(e) => {
                        const next = scope.periods.map((_, j) => weights[j] ?? '1');
                        next[i] = e.target.value;
                        setWeights(next);
                        resetEdits();
                      }}
                      className="w-16 rounded-md border border-gray-300 px-2 py-1 text-right text-sm tabular-nums sm:w-20"
                    />
                  </td>
                ) : null}
                <td className="py-1 pl-2">
                  <input
                    aria-label={`Planned target of ${p.label}`}
                    inputMode="decimal"
                    value={p.text}
                    onChange={(e) => setEdits({ ...edits, [p.start]: e.target.value })}
                    aria-invalid={p.error ? true : undefined}
                    className={`ml-auto block w-28 rounded-md border px-2 py-1 text-right text-sm tabular-nums sm:w-36 ${p.error ? 'border-red-400' : 'border-gray-300'}`}
                  />
                  {p.error ? <p className="text-right text-xs text-red-600">{p.error}</p> : null}
                </td>
              </tr>
            ))}
          </tbody>
          {flow && plannedTotal !== null ? (
            <tfoot>
              <tr className="border-t border-gray-200 font-medium">
                <td className="py-1 pr-2" colSpan={method === 'seasonal' ? 3 : 2}>
                  Total
                </td>
                <td className="py-1 pl-2 text-right tabular-nums" data-testid="plan-total">
                  {fmt(plannedTotal)}
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
      <FormAlert message={error} />
      <FormStatus message={message} />
      <Button
        type="button"
        onClick={save}
        disabled={pending || !planned?.some((p) => p.text !== '')}
      >
        {pending ? 'Saving…' : `Save ${n} targets`}
      </Button>
    </div>
  );
}
