'use client';

import { useState } from 'react';
import type { z } from 'zod';
import { useSaved } from '@/components/layout/use-saved';
import type { Result } from '@/lib/result';
import { issueErrors, resultFieldErrors } from './form-errors';

/**
 * The state every action form repeats: field errors, a message on top, "Saved." and "Saving…".
 * `submit(input)` checks the input with the action's own zod schema first (errors under their
 * fields, nothing sent), then calls the action, which validates again on the server: a refusal
 * shows its field errors and its message (on top only when no field carries it, with
 * `alertOnlyWithoutFields`); a success clears the errors, marks the form saved, refreshes the
 * org's data on screen and calls `onSuccess`. It resolves to whether the save went through.
 * `schema` may be a loader (`() => import(...).then((m) => m.schema)`): a form that is not used on
 * most visits then neither ships nor builds the zod schemas with the page, only on its first submit.
 */
export function useActionForm<TSchema extends z.ZodType, TOut>({
  schema,
  action,
  onSuccess,
  alertOnlyWithoutFields = false,
}: {
  schema: TSchema | (() => Promise<TSchema>);
  action: (input: z.input<TSchema>) => Promise<Result<TOut>>;
  onSuccess?: (data: TOut) => void;
  alertOnlyWithoutFields?: boolean;
}) {
  const afterSave = useSaved();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);

  async function submit(input: z.input<TSchema>): Promise<boolean> {
    setSaved(false);
    setAlert(null);
    const parsed = (typeof schema === 'function' ? await schema() : schema).safeParse(input);
    if (!parsed.success) {
      setErrors(issueErrors(parsed.error));
      return false;
    }
    setSaving(true);
    try {
      const result = await action(input);
      if (!result.ok) {
        const fields = resultFieldErrors(result.error.fieldErrors);
        setErrors(fields);
        setAlert(
          alertOnlyWithoutFields && Object.keys(fields).length > 0 ? null : result.error.message,
        );
        return false;
      }
      setErrors({});
      setSaved(true);
      onSuccess?.(result.data);
      void afterSave();
      return true;
    } finally {
      setSaving(false);
    }
  }

  return { errors, alert, saved, saving, submit, setAlert, setSaved };
}
