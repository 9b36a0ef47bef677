'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { saveCheckinsAction } from '@/lib/actions/checkins';
import type { TimeAggregation } from '@/lib/domain/aggregation';
import { formatDay } from '@/lib/domain/dates';
import { toDec } from '@/lib/domain/decimal';
import { parseLocaleDecimal, toLocaleInput } from '@/lib/domain/locale-number';
import { formatValue, type MeasureUnit } from '@/lib/domain/format';
import { planReading, sameDateReading, type Reading } from '@/lib/domain/readings';
import { UnusualConfirm, UnusualValueQuestion, unusualQuestions } from './unusual-confirm';
import { useOrgLocale } from '@/components/locale/org-locale';

type Errors = Partial<Record<'value' | 'observedOn' | 'note' | '_form', string>>;

class FieldError extends Error {
  constructor(readonly errors: Errors) {
    super(errors._form ?? Object.values(errors)[0] ?? 'Could not save.');
  }
}

/** The field of an error keyed `items.0.<field>` (the save takes one row here). */
function fieldOf(fieldErrors: Record<string, string[]>, field: string): string | undefined {
  return fieldErrors[`items.0.${field}`]?.[0];
}

/**
 * Records one value on a KPI as a new reading dated as the form says (today unless another date
 * is chosen); a level's or rate's reading of that same date is corrected in place, shown before
 * saving. Readings of other dates are edited from the history, never from here. The rollup
 * follows on the server.
 */
export function CheckinForm({
  orgSlug,
  kpiId,
  today,
  unitSuffix,
  timeAggregation,
  readings,
  measure,
}: {
  orgSlug: string;
  kpiId: string;
  today: string;
  unitSuffix: string;
  timeAggregation: TimeAggregation;
  /** The KPI's latest readings, latest first. */
  readings: readonly Reading[];
  measure: { measureUnit: MeasureUnit; currency: string | null; decimals: number };
}) {
  const locale = useOrgLocale();
  const afterSave = useSaved();
  const [value, setValue] = useState('');
  const [observedOn, setObservedOn] = useState(today);
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const sameDate = sameDateReading(timeAggregation, observedOn, readings);
  const last = readings[0] ?? null;
  const mutation = useMutation({
    mutationFn: async (confirmUnusual: boolean) => {
      const parsed = parseLocaleDecimal(value, locale);
      if (!parsed.ok) throw new FieldError({ value: parsed.error });
      const plan = planReading({
        timeAggregation,
        date: observedOn,
        text: value,
        readings,
        locale,
      });
      if (plan.kind === 'skip') {
        throw new FieldError({
          value: `The reading of ${formatDay(observedOn, locale)} already has this value.`,
        });
      }
      const item =
        plan.kind === 'correct'
          ? {
              kind: 'update' as const,
              checkinId: plan.reading.id,
              version: plan.reading.version,
              observedOn,
              value: toLocaleInput(plan.value, locale),
              ...(note.trim() ? { note } : {}),
              ...(confirmUnusual ? { confirmUnusual } : {}),
            }
          : {
              kind: 'record' as const,
              kpiId,
              observedOn,
              value: toLocaleInput(plan.value, locale),
              note,
              ...(confirmUnusual ? { confirmUnusual } : {}),
            };
      const result = await saveCheckinsAction(orgSlug, { items: [item] });
      if (!result.ok) {
        const fe = result.error.fieldErrors ?? {};
        const question = unusualQuestions(fe)?.get(0);
        if (question) throw new UnusualValueQuestion(question);
        const errors: Errors = {
          value: fieldOf(fe, 'value') ?? fieldOf(fe, 'checkinId'),
          observedOn: fieldOf(fe, 'observedOn'),
          note: fieldOf(fe, 'note'),
        };
        const shown = Object.values(errors).some(Boolean);
        throw new FieldError({ ...errors, _form: shown ? undefined : result.error.message });
      }
      return {
        value: formatValue(
          parsed.value,
          { ...measure, measureUnit: 'count', decimals: toDec(parsed.value).decimalPlaces() },
          locale,
        ),
        corrected: plan.kind === 'correct',
      };
    },
    onSuccess: ({ value: v, corrected }) => {
      const day = formatDay(observedOn, locale);
      setSaved(
        corrected
          ? `Corrected the reading of ${day}: ${v}${unitSuffix}.`
          : `Recorded ${v}${unitSuffix} on ${day}.`,
      );
      setValue('');
      setNote('');
      void afterSave();
    },
    onMutate: () => setSaved(null),
  });
  const errors: Errors = mutation.error instanceof FieldError ? mutation.error.errors : {};
  const question = mutation.error instanceof UnusualValueQuestion ? mutation.error.message : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    mutation.mutate(false);
  }

  const day = /^\d{4}-\d{2}-\d{2}$/.test(observedOn) ? formatDay(observedOn, locale) : null;
  const flow = timeAggregation === 'sum';
  const lastText = last
    ? `last ${flow ? 'entry' : 'reading'} ${formatValue(last.value, measure, locale)} (${formatDay(last.observedOn, locale, { year: false })})`
    : `no ${flow ? 'entry' : 'reading'} yet`;
  const explains = !day
    ? 'Choose the date of this reading.'
    : sameDate
      ? `Corrects the reading of ${day} (${formatValue(sameDate.value, measure, locale)}); other readings are kept.`
      : flow
        ? `New entry dated ${day}: adds this amount to the period's total · ${lastText}.`
        : `New reading dated ${day}; earlier ones are kept · ${lastText}.`;

  return (
    <form
      onSubmit={submit}
      noValidate
      className="grid gap-3 p-4 sm:grid-cols-2"
      aria-label="Record a value"
    >
      <p className="text-sm text-gray-700 sm:col-span-2" data-testid="checkin-form-date">
        {explains}
      </p>
      <Field
        label={`${timeAggregation === 'sum' ? 'Amount to add' : 'Value'}${unitSuffix ? ` (${unitSuffix.trim()})` : ''}`}
        inputMode="decimal"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          if (question) mutation.reset();
        }}
        error={errors.value}
        required
        autoComplete="off"
        placeholder={
          timeAggregation !== 'sum' && last
            ? formatValue(last.value, { ...measure, measureUnit: 'count' }, locale)
            : undefined
        }
      />
      <Field
        label="Date"
        type="date"
        max={today}
        value={observedOn}
        onChange={(e) => setObservedOn(e.target.value)}
        error={errors.observedOn}
        required
      />
      <Field
        label="Note (optional)"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={errors.note}
        maxLength={2000}
        className="sm:col-span-2"
      />
      {question ? (
        <div className="sm:col-span-2">
          <UnusualConfirm
            questions={[question]}
            pending={mutation.isPending}
            onConfirm={() => mutation.mutate(true)}
            onCancel={() => mutation.reset()}
          />
        </div>
      ) : null}
      <div aria-live="polite" className="self-center">
        {errors._form ? (
          <p role="alert" className="text-sm text-red-700">
            {errors._form}
          </p>
        ) : saved ? (
          <p role="status" className="text-sm text-emerald-700">
            {saved}
          </p>
        ) : null}
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={mutation.isPending || value.trim() === ''}>
          {mutation.isPending ? 'Saving…' : sameDate ? 'Correct reading' : 'Record value'}
        </Button>
      </div>
    </form>
  );
}
