'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { useActionForm } from '@/components/ui/use-action-form';
import { createWebhookEndpointAction } from '@/lib/actions/webhooks';
import {
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '@/lib/domain/webhook-policy';
import { createWebhookEndpointSchema } from '@/lib/validation/webhooks';

/**
 * Registers a webhook endpoint (validated by the shared schema; the server also checks where the
 * URL points) and shows its signing secret once.
 */
export function WebhookEndpointForm({ orgSlug }: { orgSlug: string }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['checkin.recorded']);
  const [secret, setSecret] = useState<string | null>(null);
  const { errors, alert, saving, submit } = useActionForm({
    schema: createWebhookEndpointSchema,
    action: (input) => createWebhookEndpointAction(orgSlug, input),
    onSuccess: (created) => {
      setUrl('');
      setDescription('');
      setSecret(created.secret);
    },
  });

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSecret(null);
    await submit({ url, description, events });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Add a webhook endpoint">
      <FormAlert message={alert} />
      {secret ? (
        <div
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
        >
          <p className="font-medium">
            Endpoint added. Copy its signing secret now: it is not shown again.
          </p>
          <code
            data-testid="webhook-secret"
            className="mt-2 block select-all break-all rounded bg-white px-2 py-1 font-mono text-xs text-gray-900"
          >
            {secret}
          </code>
        </div>
      ) : null}
      <Field
        label="Endpoint URL"
        type="url"
        inputMode="url"
        placeholder="https://hooks.example.com/kpi"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={errors.url}
        hint="https, reachable from the internet; no redirects are followed."
      />
      <Field
        label="Description (optional)"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.description}
        maxLength={200}
      />
      <fieldset>
        <legend className="text-sm font-medium text-gray-700">Events</legend>
        <div className="mt-1 space-y-1.5">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-0.5"
                checked={events.includes(type)}
                onChange={(e) =>
                  setEvents((current) =>
                    e.target.checked ? [...current, type] : current.filter((t) => t !== type),
                  )
                }
              />
              <span>
                <code className="font-mono text-xs">{type}</code>
                <span className="block text-xs text-gray-500">{WEBHOOK_EVENT_LABELS[type]}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.events ? <p className="mt-1 text-sm text-red-600">{errors.events}</p> : null}
      </fieldset>
      <Button type="submit" disabled={saving}>
        {saving ? 'Adding…' : 'Add endpoint'}
      </Button>
    </form>
  );
}
