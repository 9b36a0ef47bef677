'use client';

import { useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { useActionForm } from '@/components/ui/use-action-form';
import {
  deleteSsoConfigAction,
  saveSsoConfigAction,
  testSsoConnectionAction,
} from '@/lib/actions/sso';
import { saveSsoConfigSchema } from '@/lib/validation/sso';

type Initial = { issuer: string; clientId: string; allowedDomains: string; requireSso: boolean };

/**
 * The provider form: validated by the shared schema, saved by one action. The stored client
 * secret is never sent to the browser: a blank field keeps it.
 */
export function SsoConfigForm({ orgSlug, initial }: { orgSlug: string; initial: Initial | null }) {
  const afterSave = useSaved();
  const [values, setValues] = useState({
    issuer: initial?.issuer ?? '',
    clientId: initial?.clientId ?? '',
    clientSecret: '',
    allowedDomains: initial?.allowedDomains ?? '',
    requireSso: initial?.requireSso ?? false,
  });
  const [status, setStatus] = useState<string | null>(null);
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState<'save' | 'test' | 'remove' | null>(null);

  const set = (key: keyof typeof values) => (value: string | boolean) =>
    setValues((v) => ({ ...v, [key]: value }));

  const form = useActionForm({
    schema: saveSsoConfigSchema,
    action: (input) => saveSsoConfigAction(orgSlug, input),
    onSuccess: () => {
      setValues((v) => ({ ...v, clientSecret: '' }));
      setStatus('Saved.');
    },
  });
  const { errors, alert, setAlert } = form;

  async function save(e: FormEvent) {
    e.preventDefault();
    setStatus(null);
    setBusy('save');
    try {
      await form.submit(values);
    } finally {
      setBusy(null);
    }
  }

  async function testConnection() {
    setTest(null);
    setBusy('test');
    try {
      const result = await testSsoConnectionAction(orgSlug, { issuer: values.issuer.trim() });
      if (!result.ok) {
        setTest({
          ok: false,
          message: result.error.fieldErrors?.issuer?.[0] ?? result.error.message,
        });
        return;
      }
      setTest({ ok: result.data.ok, message: result.data.message });
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    if (!window.confirm('Remove single sign-on? Everyone signs in with a password again.')) return;
    setBusy('remove');
    try {
      const result = await deleteSsoConfigAction(orgSlug, {});
      if (!result.ok) {
        setAlert(result.error.message);
        return;
      }
      setValues({
        issuer: '',
        clientId: '',
        clientSecret: '',
        allowedDomains: '',
        requireSso: false,
      });
      setStatus('Single sign-on removed.');
      void afterSave();
    } finally {
      setBusy(null);
    }
  }

  return (
    <form onSubmit={save} noValidate className="space-y-4" aria-label="Single sign-on provider">
      <FormAlert message={alert} />
      <Field
        label="Issuer URL"
        name="issuer"
        type="url"
        autoComplete="off"
        placeholder="https://login.example.com"
        value={values.issuer}
        onChange={(e) => set('issuer')(e.target.value)}
        error={errors.issuer}
        hint="Exactly as your provider names itself; its discovery document is at <issuer>/.well-known/openid-configuration."
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Client ID"
          name="clientId"
          autoComplete="off"
          value={values.clientId}
          onChange={(e) => set('clientId')(e.target.value)}
          error={errors.clientId}
        />
        <Field
          label="Client secret"
          name="clientSecret"
          type="password"
          autoComplete="new-password"
          placeholder={initial ? 'Stored: leave blank to keep it' : ''}
          value={values.clientSecret}
          onChange={(e) => set('clientSecret')(e.target.value)}
          error={errors.clientSecret}
          hint="Stored encrypted; never shown again."
        />
      </div>
      <Field
        label="Allowed e-mail domains"
        name="allowedDomains"
        autoComplete="off"
        placeholder="example.com, example.co.uk"
        value={values.allowedDomains}
        onChange={(e) => set('allowedDomains')(e.target.value)}
        error={errors.allowedDomains}
        hint="Addresses of these domains sign in here; someone new joins as a member. A domain can belong to one organization only."
      />
      <label className="flex items-start gap-2 text-sm text-gray-700">
        <input
          type="checkbox"
          name="requireSso"
          className="mt-0.5 h-4 w-4 rounded border-gray-300 text-indigo-600 focus:ring-indigo-500"
          checked={values.requireSso}
          onChange={(e) => set('requireSso')(e.target.checked)}
        />
        <span>
          <span className="font-medium">Require single sign-on</span>
          <span className="block text-xs text-gray-500">
            Password sign-in is refused for every member but the owner (who keeps it, in case the
            provider is down).
          </span>
        </span>
      </label>
      {test ? (
        <p
          role="status"
          data-testid="sso-test-result"
          className={`rounded-md border px-3 py-2 text-sm ${
            test.ok
              ? 'border-emerald-200 bg-emerald-50 text-emerald-800'
              : 'border-amber-200 bg-amber-50 text-amber-900'
          }`}
        >
          {test.message}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center justify-end gap-3">
        {status ? (
          <p role="status" className="mr-auto text-sm text-emerald-700">
            {status}
          </p>
        ) : null}
        {initial ? (
          <Button type="button" variant="secondary" disabled={busy !== null} onClick={remove}>
            {busy === 'remove' ? 'Removing…' : 'Remove'}
          </Button>
        ) : null}
        <Button
          type="button"
          variant="secondary"
          disabled={busy !== null || values.issuer.trim() === ''}
          onClick={testConnection}
        >
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </Button>
        <Button type="submit" disabled={busy !== null}>
          {busy === 'save' ? 'Saving…' : 'Save'}
        </Button>
      </div>
    </form>
  );
}
