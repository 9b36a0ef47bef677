'use client';

import { useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert, FormStatus } from '@/components/ui/form-alert';
import { resultFieldErrors } from '@/components/ui/form-errors';
import { createSqlSourceAction } from '@/lib/actions/sql-sources';

/**
 * Registers a SQL source: a name and a connection URL, tested by the server before it is saved
 * (the server validates; this form stays free of zod, as the settings pages share a budget).
 */
export function SqlSourceForm({ orgSlug }: { orgSlug: string }) {
  const afterSave = useSaved();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(null);
    setAlert(null);
    setSaving(true);
    try {
      const result = await createSqlSourceAction(orgSlug, { name, url });
      if (!result.ok) {
        setErrors(resultFieldErrors(result.error.fieldErrors));
        setAlert(result.error.message);
        return;
      }
      setErrors({});
      setName('');
      setUrl('');
      setSaved(`Connected and saved "${result.data.name}".`);
      void afterSave();
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Register a SQL source">
      <FormAlert message={alert} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          maxLength={80}
          autoComplete="off"
        />
        <Field
          className="sm:col-span-2"
          label="Connection URL"
          name="url"
          type="password"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url}
          hint="postgres://reader:password@host:5432/database — a role that may only read. Stored encrypted; never shown again."
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={saving}>
          {saving ? 'Testing the connection…' : 'Test and save'}
        </Button>
        <FormStatus message={saved} />
      </div>
    </form>
  );
}
