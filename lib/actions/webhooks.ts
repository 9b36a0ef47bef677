'use server';
// Webhook actions (owners and admins): register an endpoint (its secret comes back once),
// change or delete it, and resend a delivery from its log.
import {
  checkWebhookUrl,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  updateWebhookEndpoint,
} from '@/lib/dal/webhooks/endpoints';
import { resendWebhookDelivery } from '@/lib/dal/webhooks/log';
import { orgAction } from '@/lib/server/org-action';
import {
  createWebhookEndpointSchema,
  deleteWebhookEndpointSchema,
  resendWebhookDeliverySchema,
  updateWebhookEndpointSchema,
} from '@/lib/validation/webhooks';
import { assertCan } from '@/lib/authz/can';

export const createWebhookEndpointAction = orgAction({
  permission: 'settings.manage',
  input: createWebhookEndpointSchema,
  // The URL's host is resolved and checked before the transaction opens.
  load: async ({ ctx, input }) => {
    assertCan(ctx, 'settings.manage');
    await checkWebhookUrl(input.url);
  },
  run: ({ ctx, input, tx }) => createWebhookEndpoint(ctx, tx, input),
});

export const updateWebhookEndpointAction = orgAction({
  permission: 'settings.manage',
  input: updateWebhookEndpointSchema,
  load: async ({ ctx, input }) => {
    assertCan(ctx, 'settings.manage');
    if (input.url !== undefined) await checkWebhookUrl(input.url);
  },
  run: ({ ctx, input, tx }) => updateWebhookEndpoint(ctx, tx, input),
});

export const deleteWebhookEndpointAction = orgAction({
  permission: 'settings.manage',
  input: deleteWebhookEndpointSchema,
  run: ({ ctx, input, tx }) => deleteWebhookEndpoint(ctx, tx, input),
});

export const resendWebhookDeliveryAction = orgAction({
  permission: 'settings.manage',
  input: resendWebhookDeliverySchema,
  run: ({ ctx, input, tx }) => resendWebhookDelivery(ctx, tx, input),
});
