'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { useState, type FormEvent } from 'react';
import { ProgressBar } from '@/components/kpis/progress-bar';
import { ProjectedLine } from '@/components/dashboards/projected-end';
import { SeeAll } from '@/components/dashboards/section-card';
import { StatusBadge } from '@/components/kpis/status-badge';
import { useSaved } from '@/components/layout/use-saved';
import { saveCheckinsAction } from '@/lib/actions/checkins';
import type {
  CheckinRowDto,
  MyDashboardDto,
  MyTargetDto,
} from '@/lib/domain/dashboard/my-dashboard';
import { formatDay } from '@/lib/domain/dates';
import { Dec, toPlainString } from '@/lib/domain/decimal';
import { formatProgress, formatValue } from '@/lib/domain/format';
import { planReading } from '@/lib/domain/readings';
import { toLocaleInput } from '@/lib/domain/locale-number';
import { UnusualConfirm, unusualQuestions } from './unusual-confirm';
import { useOrgLocale } from '@/components/locale/org-locale';

/** One row to save: a new reading, or a correction of the KPI's reading of the screen's date. */
type Draft = {
  kpiId: string;
  value: string;
  kind: 'record' | 'update';
  reading?: { id: string; version: number };
  confirmUnusual?: true;
};
/**
 * The save's outcome: all rows saved, or none and an error per refused row (by KPI id); `unusual`
 * when the only refusals are values to confirm (their questions, by KPI id).
 */
type Outcome =
  | { ok: true }
  | {
      ok: false;
      message: string;
      rowErrors: Record<string, string>;
      unusual?: Map<string, string>;
    };

/** The query key of the member's section for one period. */
export function myDashboardKey(orgSlug: string, periodKey: string) {
  return ['my-dashboard', orgSlug, periodKey] as const;
}

async function fetchMyDashboard(orgSlug: string, periodKey: string): Promise<MyDashboardDto> {
  const res = await fetch(
    `/api/o/${encodeURIComponent(orgSlug)}/me?period=${encodeURIComponent(periodKey)}`,
    {
      headers: { accept: 'application/json' },
      cache: 'no-store',
    },
  );
  if (!res.ok) throw new Error(`Could not load your targets (${res.status}).`);
  return (await res.json()) as MyDashboardDto;
}

/** True for flows (sum): each check-in adds to the period's total instead of replacing it. */
function adds(row: CheckinRowDto): boolean {
  return row.timeAggregation === 'sum';
}

/** The KPI's reading of the screen's date, when it has one (a level's or a rate's is corrected). */
function todaysReading(row: CheckinRowDto, today: string) {
  return row.inPeriod?.observedOn === today ? row.inPeriod : null;
}

type RowPlan = {
  kind: 'skip' | 'record' | 'update';
  value?: string;
  error?: string;
  reading?: Draft['reading'];
};

/**
 * What saving this row would do: nothing, record a new reading dated `today`, or correct the
 * KPI's reading of `today` (never a reading of another date: see lib/domain/readings).
 */
function plan(row: CheckinRowDto, text: string, today: string, locale: string): RowPlan {
  const p = planReading({
    timeAggregation: row.timeAggregation,
    date: today,
    text,
    locale,
    readings: [todaysReading(row, today)],
  });
  if (p.kind !== 'correct') return p;
  return {
    kind: 'update',
    value: p.value,
    reading: { id: p.reading.id, version: p.reading.version },
  };
}

/** The period value the server will compute after this change, where it can be known exactly. */
function optimisticPeriodValue(row: CheckinRowDto, draft: Draft): string | null {
  switch (row.timeAggregation) {
    case 'last':
      return draft.value;
    case 'sum':
      return toPlainString(new Dec(row.periodValue ?? '0').plus(new Dec(draft.value)));
    case 'average':
      return row.periodValue;
  }
}

/** The first error of each row, from field errors keyed `items.<index>.<field>`. */
function rowErrorsOf(
  fieldErrors: Record<string, string[]> | undefined,
  drafts: readonly Draft[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, messages] of Object.entries(fieldErrors ?? {})) {
    const match = /^items\.(\d+)\./.exec(key);
    const kpiId = match ? drafts[Number(match[1])]?.kpiId : undefined;
    if (kpiId && messages[0]) out[kpiId] ??= messages[0];
  }
  return out;
}

/**
 * The member's targets for the selected period and, for the current one, every check-in due on
 * one screen: each row shows its last reading as a hint and saves a new reading dated as the
 * screen says (a level's reading of that same date is corrected), all in one action and one
 * transaction with optimistic updates. When any row is refused nothing is saved: the optimistic
 * values roll back, each refused row shows its error and every typed value stays. Polls its GET
 * route so values stay current.
 */
export function MyTargetsPanel({
  orgSlug,
  initial,
  showTargets = true,
  seeAllHref,
}: {
  orgSlug: string;
  initial: MyDashboardDto;
  showTargets?: boolean;
  /** The explorer filtered to all my KPIs, when there are more than the panel lists. */
  seeAllHref?: string;
}) {
  const locale = useOrgLocale();
  const queryClient = useQueryClient();
  const afterSave = useSaved();
  const key = myDashboardKey(orgSlug, initial.period.key);
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => fetchMyDashboard(orgSlug, initial.period.key),
    initialData: initial,
    refetchInterval: 60_000,
  });
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [pendingIds, setPendingIds] = useState<Set<string>>(new Set());
  // Values far from their recent readings, awaiting the person's confirmation (nothing saved yet).
  const [confirming, setConfirming] = useState<{
    drafts: Draft[];
    questions: Map<string, string>;
  } | null>(null);

  const rows = data.checkins;
  const textOf = (row: CheckinRowDto) => edits[row.kpiId] ?? '';
  const plans = rows.map((row) => ({ row, plan: plan(row, textOf(row), data.today, locale) }));
  const toSave = plans.filter((p) => p.plan.kind !== 'skip');
  const invalid = plans.filter((p) => p.plan.error);
  // Rows the person touched, valid or not: the button counts them so a typo is reported, not ignored.
  const pendingCount = toSave.length + invalid.length;

  const mutation = useMutation({
    mutationFn: async (drafts: Draft[]): Promise<Outcome> => {
      // Every row is dated as the screen says; a correction names the reading of that date.
      const items = drafts.map((draft) =>
        draft.kind === 'update' && draft.reading
          ? {
              kind: 'update' as const,
              checkinId: draft.reading.id,
              version: draft.reading.version,
              observedOn: data.today,
              value: toLocaleInput(draft.value, locale),
              ...(draft.confirmUnusual ? { confirmUnusual: true } : {}),
            }
          : {
              kind: 'record' as const,
              kpiId: draft.kpiId,
              observedOn: data.today,
              value: toLocaleInput(draft.value, locale),
              ...(draft.confirmUnusual ? { confirmUnusual: true } : {}),
            },
      );
      const result = await saveCheckinsAction(orgSlug, { items });
      if (result.ok) return { ok: true };
      const asked = unusualQuestions(result.error.fieldErrors);
      return {
        ok: false,
        message: result.error.message,
        rowErrors: rowErrorsOf(result.error.fieldErrors, drafts),
        ...(asked
          ? { unusual: new Map([...asked].map(([i, q]) => [drafts[i]?.kpiId ?? '', q])) }
          : {}),
      };
    },
    onMutate: async (drafts) => {
      setMessage(null);
      setConfirming(null);
      setRowErrors({});
      setPendingIds(new Set(drafts.map((d) => d.kpiId)));
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<MyDashboardDto>(key);
      queryClient.setQueryData<MyDashboardDto>(key, (old) =>
        old ? applyOptimistic(old, drafts) : old,
      );
      return { previous };
    },
    onSuccess: (outcome, drafts, context) => {
      if (!outcome.ok) {
        // Nothing was saved: every optimistic value rolls back, every typed value stays.
        if (context?.previous) queryClient.setQueryData(key, context.previous);
        if (outcome.unusual) {
          setConfirming({ drafts, questions: outcome.unusual });
          return;
        }
        const bad = Object.keys(outcome.rowErrors).length;
        setRowErrors(outcome.rowErrors);
        setMessage({
          tone: 'error',
          text:
            bad > 0
              ? `${bad} could not be saved, so nothing was saved. Fix the highlighted ${bad === 1 ? 'row' : 'rows'} and save again.`
              : outcome.message,
        });
        return;
      }
      setEdits((prev) => {
        const next = { ...prev };
        for (const d of drafts) delete next[d.kpiId];
        return next;
      });
      setMessage({
        tone: 'ok',
        text: `Saved ${drafts.length} check-in${drafts.length === 1 ? '' : 's'} dated ${formatDay(data.today, locale)}.`,
      });
    },
    onError: (_error, _drafts, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
      setMessage({
        tone: 'error',
        text: 'Your check-ins could not be saved. Check your connection and try again.',
      });
    },
    onSettled: async () => {
      setPendingIds(new Set());
      await afterSave();
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid.length > 0) {
      setRowErrors(Object.fromEntries(invalid.map((p) => [p.row.kpiId, p.plan.error ?? ''])));
      setMessage({
        tone: 'error',
        text: 'Some values are not numbers we can save. Fix the highlighted rows.',
      });
      return;
    }
    mutation.mutate(
      toSave.map((p) => ({
        kpiId: p.row.kpiId,
        value: p.plan.value!,
        kind: p.plan.kind === 'update' ? 'update' : 'record',
        reading: p.plan.reading,
      })),
    );
  }

  return (
    <div className="space-y-6">
      {showTargets ? (
        <section
          aria-labelledby="my-targets-heading"
          className="rounded-xl border border-gray-200 bg-white shadow-sm"
        >
          <div className="border-b border-gray-200 px-4 py-3">
            <h3 id="my-targets-heading" className="font-semibold text-gray-900">
              My targets
            </h3>
            <p className="mt-0.5 text-xs text-gray-500">
              {data.period.label} · how each one feeds the north star
            </p>
          </div>
          {data.targets.length === 0 ? (
            <p className="px-4 py-6 text-sm text-gray-600">
              You do not own any KPIs yet. Your lead assigns them; once they do, your targets show
              up here.
            </p>
          ) : (
            <ul className="divide-y divide-gray-100" aria-label="My targets">
              {data.targets.map((t) => (
                <TargetRow
                  key={t.kpiId}
                  orgSlug={orgSlug}
                  target={t}
                  pending={pendingIds.has(t.kpiId)}
                />
              ))}
            </ul>
          )}
          {seeAllHref ? (
            <SeeAll
              shown={data.targets.length}
              total={data.targetCount}
              href={seeAllHref}
              noun="of my KPIs"
            />
          ) : null}
        </section>
      ) : null}

      {data.period.isCurrent ? (
        <section
          aria-labelledby="checkins-heading"
          className="rounded-xl border border-gray-200 bg-white shadow-sm"
        >
          <div className="border-b border-gray-200 px-4 py-3">
            <h3 id="checkins-heading" className="font-semibold text-gray-900">
              Check-ins due
            </h3>
            <p className="mt-1 text-sm font-medium text-gray-900" data-testid="checkin-date">
              Readings are dated {formatDay(data.today, locale)}
            </p>
            <p className="mt-0.5 text-xs text-gray-500">
              Each value you save is a new reading; earlier ones are kept. For flows, type the
              amount to add to the period&apos;s total. Save them all at once.
            </p>
          </div>
          {rows.length === 0 ? (
            <p className="px-4 py-6 text-sm text-gray-600">
              Nothing to record: none of your KPIs is entered by hand.
            </p>
          ) : (
            <form onSubmit={submit} noValidate aria-label="Check-ins due">
              <ul className="divide-y divide-gray-100">
                {rows.map((row) => {
                  const text = textOf(row);
                  const p = plan(row, text, data.today, locale);
                  const error = rowErrors[row.kpiId];
                  const inputId = `checkin-${row.kpiId}`;
                  return (
                    <li
                      key={row.kpiId}
                      className="grid gap-2 px-4 py-3 sm:grid-cols-[1fr_12rem] sm:items-start"
                      data-testid="checkin-row"
                    >
                      <div className="min-w-0">
                        <label
                          htmlFor={inputId}
                          className="block text-sm font-medium text-gray-900"
                        >
                          {row.name}
                        </label>
                        <p className="text-xs text-gray-500">
                          {row.periodLabel} so far:{' '}
                          <span className="tabular-nums text-gray-700">
                            {formatValue(row.periodValue, row.measure, locale)}
                          </span>
                          {row.target !== null ? (
                            <>
                              {' '}
                              of{' '}
                              <span className="tabular-nums">
                                {formatValue(row.target, row.measure, locale)}
                              </span>
                            </>
                          ) : null}
                        </p>
                        <p className="text-xs text-gray-500" id={`${inputId}-hint`}>
                          {rowHint(row, p.kind, data.today, locale)}
                        </p>
                      </div>
                      <div>
                        <div className="flex items-center gap-2">
                          {adds(row) ? (
                            <span className="w-3 shrink-0 text-sm text-gray-500" aria-hidden>
                              +
                            </span>
                          ) : null}
                          <input
                            id={inputId}
                            inputMode="decimal"
                            autoComplete="off"
                            value={text}
                            placeholder={placeholderOf(row, data.today, locale)}
                            onChange={(e) => {
                              setEdits((prev) => ({ ...prev, [row.kpiId]: e.target.value }));
                              setConfirming(null);
                            }}
                            aria-invalid={error ? true : undefined}
                            aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ''}`}
                            className={`block w-full rounded-md border px-3 py-1.5 text-right text-sm tabular-nums shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 ${
                              error ? 'border-red-400' : 'border-gray-300'
                            }`}
                          />
                          <span className="w-10 shrink-0 text-xs text-gray-500">
                            {unitSuffix(row)}
                          </span>
                        </div>
                        {error ? (
                          <p id={`${inputId}-error`} className="mt-1 text-xs text-red-600">
                            {error}
                          </p>
                        ) : null}
                      </div>
                    </li>
                  );
                })}
              </ul>
              {confirming ? (
                <div className="border-t border-gray-200 px-4 py-3">
                  <UnusualConfirm
                    questions={rows
                      .filter((r) => confirming.questions.has(r.kpiId))
                      .map((r) => `${r.name}: ${confirming.questions.get(r.kpiId)}`)}
                    pending={mutation.isPending}
                    onConfirm={() =>
                      mutation.mutate(
                        confirming.drafts.map((d) =>
                          confirming.questions.has(d.kpiId)
                            ? { ...d, confirmUnusual: true as const }
                            : d,
                        ),
                      )
                    }
                    onCancel={() => setConfirming(null)}
                  />
                </div>
              ) : null}
              <div className="flex flex-wrap items-center justify-between gap-3 border-t border-gray-200 px-4 py-3">
                <div aria-live="polite" className="min-h-5 text-sm">
                  {message ? (
                    <span
                      role={message.tone === 'error' ? 'alert' : 'status'}
                      data-testid="checkin-message"
                      className={message.tone === 'ok' ? 'text-emerald-700' : 'text-red-700'}
                    >
                      {message.text}
                    </span>
                  ) : null}
                </div>
                <button
                  type="submit"
                  disabled={mutation.isPending || pendingCount === 0}
                  className="inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:bg-indigo-300"
                >
                  {mutation.isPending
                    ? 'Saving…'
                    : pendingCount === 0
                      ? 'Nothing to save'
                      : `Save ${pendingCount} check-in${pendingCount === 1 ? '' : 's'}`}
                </button>
              </div>
            </form>
          )}
        </section>
      ) : (
        <p className="rounded-xl border border-dashed border-gray-300 bg-white px-4 py-3 text-sm text-gray-600">
          You are looking at a past period. Check-ins are recorded for the current one.
        </p>
      )}
    </div>
  );
}

function applyOptimistic(data: MyDashboardDto, drafts: Draft[]): MyDashboardDto {
  const next = new Map<string, { periodValue: string | null; periodLabel: string }>();
  const checkins = data.checkins.map((row) => {
    const draft = drafts.find((d) => d.kpiId === row.kpiId);
    if (!draft) return row;
    const periodValue = optimisticPeriodValue(row, draft);
    next.set(row.kpiId, { periodValue, periodLabel: row.periodLabel });
    return {
      ...row,
      periodValue,
      last: { value: draft.value, observedOn: data.today },
      inPeriod: {
        id: draft.reading?.id ?? `pending-${row.kpiId}`,
        version: draft.reading?.version ?? 1,
        value: draft.value,
        observedOn: data.today,
      },
    };
  });
  const targets = data.targets.map((t) => {
    const change = next.get(t.kpiId);
    // Only where the target shows the same period the check-in lands in.
    return change && change.periodLabel === t.periodLabel ? { ...t, value: change.periodValue } : t;
  });
  return { ...data, checkins, targets };
}

/** The last reading as people read it: "806,405 USD (4 Dec)". */
function lastReading(row: CheckinRowDto, locale: string): string | null {
  if (!row.last) return null;
  const day = formatDay(row.last.observedOn, locale, { year: false });
  return `${formatValue(row.last.value, row.measure, locale)} (${day})`;
}

/** What the empty field shows: a level's or rate's last reading as a hint; a flow's prompt. */
function placeholderOf(row: CheckinRowDto, today: string, locale: string): string {
  if (adds(row)) return 'amount';
  const reading = todaysReading(row, today) ?? row.last;
  return reading
    ? formatValue(reading.value, { ...row.measure, measureUnit: 'count' }, locale)
    : '';
}

/** The line under a row: the last reading, and what saving what was typed will do. */
function rowHint(
  row: CheckinRowDto,
  kind: 'skip' | 'record' | 'update',
  today: string,
  locale: string,
): string {
  const last = lastReading(row, locale);
  const day = formatDay(today, locale, { year: false });
  if (adds(row)) {
    if (kind === 'record') {
      return `Adds this amount to ${row.periodLabel}'s total, as a new entry dated ${day}.`;
    }
    return `Type an amount to add to ${row.periodLabel}'s total${last ? ` · last entry ${last}` : ''}.`;
  }
  const todays = todaysReading(row, today);
  if (kind === 'update' && todays) {
    return `Saving corrects today's reading (${formatValue(todays.value, row.measure, locale)}).`;
  }
  if (kind === 'record') {
    return last
      ? `Saving records a new reading dated ${day}; last reading ${last} is kept.`
      : `Saving records the first reading, dated ${day}.`;
  }
  if (todays) {
    return `Today's reading ${formatValue(todays.value, row.measure, locale)} (${day}). Type a value to correct it.`;
  }
  return last ? `Last reading ${last}.` : 'No reading yet.';
}

function unitSuffix(row: CheckinRowDto): string {
  switch (row.measure.measureUnit) {
    case 'currency':
      return row.measure.currency ?? '';
    case 'percent':
      return '%';
    case 'ratio':
      return '×';
    default:
      return '';
  }
}

function TargetRow({
  orgSlug,
  target: t,
  pending,
}: {
  orgSlug: string;
  target: MyTargetDto;
  pending: boolean;
}) {
  const locale = useOrgLocale();
  return (
    <li
      className={`grid gap-x-6 gap-y-2 px-4 py-3 md:grid-cols-[minmax(0,1fr)_15rem_19rem] md:items-center ${pending ? 'opacity-70' : ''}`}
      data-testid="my-target"
    >
      <div className="min-w-0">
        <div className="flex items-start justify-between gap-2 md:block">
          <WorkspaceLink
            href={`/o/${orgSlug}/kpis/${t.kpiId}`}
            className="font-medium text-gray-900 hover:text-indigo-700"
          >
            {t.name}
          </WorkspaceLink>
          <span className="shrink-0 md:hidden">
            <StatusBadge status={t.status} pace={t.paceProgress} locale={locale} />
          </span>
        </div>
        <p className="text-xs text-gray-500">
          {t.unitName} · {t.periodLabel}
          {t.isIndividual ? ' · personal' : ''}
          {t.coverage ? ` · ${t.coverage}` : ''}
        </p>
        {t.line.length > 0 ? (
          <p className="mt-1 text-xs text-gray-500">
            <span className="sr-only">Feeds into: </span>
            {t.line.map((step, i) => (
              <span key={step.id}>
                <span aria-hidden>{i === 0 ? '↳ ' : ' → '}</span>
                <WorkspaceLink href={`/o/${orgSlug}/kpis/${step.id}`} className="hover:text-indigo-700">
                  {step.isNorthStar ? <span className="text-amber-500">★ </span> : null}
                  {step.name}
                </WorkspaceLink>
              </span>
            ))}
          </p>
        ) : null}
        {/* the dashboard's projection of the period, its phrase and icon; moves after a save */}
        <ProjectedLine kpi={t.measure} projected={t.projected} locale={locale} className="mt-1" />
      </div>
      <p className="text-sm tabular-nums text-gray-900 md:text-right">
        <span className="font-semibold" data-testid="my-target-value">
          {formatValue(t.value, t.measure, locale)}
        </span>{' '}
        <span className="whitespace-nowrap text-gray-500">
          of {formatValue(t.target, t.measure, locale)}
        </span>
      </p>
      <div className="flex items-center gap-3">
        <div className="min-w-0 flex-1">
          <ProgressBar
            locale={locale}
            share={t.share}
            status={t.status}
            label={`${t.name}, % of target`}
          />
          {t.showPace ? (
            <p className="mt-0.5 text-[11px] text-gray-500">
              Pace {formatProgress(t.paceProgress, locale)} of plan to date
            </p>
          ) : null}
        </div>
        <span className="hidden shrink-0 md:inline">
          <StatusBadge status={t.status} pace={t.paceProgress} locale={locale} />
        </span>
      </div>
    </li>
  );
}
