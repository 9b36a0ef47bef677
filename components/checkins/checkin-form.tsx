'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { parseDecimalInput } from '@/lib/domain/decimal';
import { asksToConfirm, UnusualConfirm, UnusualValueQuestion } from './unusual-confirm';

type Errors = Partial<Record<'value' | 'observedOn' | 'note' | '_form', string>>;

class FieldError extends Error {
  constructor(readonly errors: Errors) {
    super(errors._form ?? Object.values(errors)[0] ?? 'Could not save.');
  }
}

/** Records one value on a KPI (date, value, note); the rollup follows on the server. */
export function CheckinForm({
  orgSlug,
  kpiId,
  today,
  unitSuffix,
}: {
  orgSlug: string;
  kpiId: string;
  today: string;
  unitSuffix: string;
}) {
  const afterSave = useSaved();
  const [value, setValue] = useState('');
  const [observedOn, setObservedOn] = useState(today);
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: async (confirmUnusual: boolean) => {
      const parsed = parseDecimalInput(value);
      if (!parsed.ok) throw new FieldError({ value: parsed.error });
      const input = { kpiId, observedOn, value: parsed.value, note };
      const result = await recordCheckinAction(orgSlug, confirmUnusual ? { ...input, confirmUnusual } : input);
      if (!result.ok) {
        const fe = result.error.fieldErrors ?? {};
        const question = asksToConfirm(fe);
        if (question) throw new UnusualValueQuestion(question);
        throw new FieldError({
          value: fe.value?.[0],
          observedOn: fe.observedOn?.[0],
          note: fe.note?.[0],
          _form: Object.keys(fe).length === 0 ? result.error.message : undefined,
        });
      }
      return parsed.value;
    },
    onSuccess: (v) => {
      setSaved(`Recorded ${v}${unitSuffix} on ${observedOn}.`);
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

  return (
    <form onSubmit={submit} noValidate className="grid grid-cols-2 gap-3 p-4" aria-label="Record a value">
      <Field label={`Value${unitSuffix ? ` (${unitSuffix.trim()})` : ''}`} inputMode="decimal" value={value} onChange={(e) => { setValue(e.target.value); if (question) mutation.reset(); }} error={errors.value} required autoComplete="off" />
      <Field label="Date" type="date" max={today} value={observedOn} onChange={(e) => setObservedOn(e.target.value)} error={errors.observedOn} required />
      <Field label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} error={errors.note} maxLength={2000} className="col-span-2" />
      {question ? (
        <div className="col-span-2">
          <UnusualConfirm questions={[question]} pending={mutation.isPending} onConfirm={() => mutation.mutate(true)} onCancel={() => mutation.reset()} />
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
          {mutation.isPending ? 'Saving…' : 'Record value'}
        </Button>
      </div>
    </form>
  );
}
