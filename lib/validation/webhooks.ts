import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '@/lib/domain/webhook-policy';
import { idString } from './fields';
import { safeText } from './text';

/*
 * Webhook endpoints (issue 23, item 2): the settings page and `/api/v1/webhooks` parse with
 * these. The URL's form is checked here; where it points (https, public addresses) is checked
 * by the DAL with the address guard, which resolves the host.
 */

const urlString = z
  .string({ error: 'Enter the endpoint URL' })
  .trim()
  .min(1, 'Enter the endpoint URL')
  .max(2000, 'Use at most 2000 characters')
  .refine((value) => URL.canParse(value), 'Enter an absolute URL, such as https://example.com/hooks');

const eventsArray = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `Events are ${WEBHOOK_EVENT_TYPES.join(', ')}` }), {
    error: 'Choose the events to send',
  })
  .min(1, 'Choose at least one event')
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((events) => [...new Set(events)]);

const descriptionString = safeText('description')
  .trim()
  .max(200, 'Use at most 200 characters');

export const createWebhookEndpointSchema = z
  .object({
    url: urlString,
    description: descriptionString.optional().default(''),
    events: eventsArray,
  })
  .strict();
export type CreateWebhookEndpointInput = z.output<typeof createWebhookEndpointSchema>;

/** What an update may change (only the given fields); `enabled: true` turns it back on. */
export const webhookEndpointPatchSchema = z
  .object({
    url: urlString.optional(),
    description: descriptionString.optional(),
    events: eventsArray.optional(),
    enabled: z.boolean({ error: 'enabled is true or false' }).optional(),
  })
  .strict();

export const updateWebhookEndpointSchema = webhookEndpointPatchSchema
  .extend({ endpointId: idString })
  .strict();
export type UpdateWebhookEndpointInput = z.output<typeof updateWebhookEndpointSchema>;

export const deleteWebhookEndpointSchema = z.object({ endpointId: idString }).strict();
export type DeleteWebhookEndpointInput = z.output<typeof deleteWebhookEndpointSchema>;

export const resendWebhookDeliverySchema = z.object({ deliveryId: idString }).strict();
export type ResendWebhookDeliveryInput = z.output<typeof resendWebhookDeliverySchema>;

/** `/api/v1/webhooks/{id}` path parameters. */
export const webhookPathParams = z.object({ id: idString }).strict();
