// GET /api/v1/webhooks/{id}: one endpoint; PATCH: change its URL, description, events or whether it is on; DELETE: remove it with its log.
import { runIdempotent } from '@/lib/dal/api-keys/idempotency';
import {
  checkWebhookUrl,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  updateWebhookEndpoint,
} from '@/lib/dal/webhooks/endpoints';
import { apiRoute, jsonBody, otherMethods, parseOrThrow } from '@/lib/server/api-route';
import { webhookEndpointPatchSchema, webhookPathParams } from '@/lib/validation/webhooks';

export const dynamic = 'force-dynamic';

type Params = { id: string };

export const { POST, PUT } = otherMethods('GET', 'PATCH', 'DELETE');

export const GET = apiRoute<Params>('write:definitions', async ({ ctx }, _request, params) => {
  const { id } = parseOrThrow(webhookPathParams, params);
  return { body: { data: await getWebhookEndpoint(ctx, id) } };
});

export const PATCH = apiRoute<Params>('write:definitions', async (api, request, params) => {
  const { id } = parseOrThrow(webhookPathParams, params);
  const patch = parseOrThrow(webhookEndpointPatchSchema, await jsonBody(request, 20_000));
  if (patch.url !== undefined) await checkWebhookUrl(patch.url);
  const result = await runIdempotent(api, null, '', async (tx) => ({
    status: 200,
    body: { data: await updateWebhookEndpoint(api.ctx, tx, { ...patch, endpointId: id }) },
  }));
  return { status: result.status, body: result.body };
});

export const DELETE = apiRoute<Params>('write:definitions', async (api, _request, params) => {
  const { id } = parseOrThrow(webhookPathParams, params);
  const result = await runIdempotent(api, null, '', async (tx) => ({
    status: 200,
    body: { data: await deleteWebhookEndpoint(api.ctx, tx, { endpointId: id }) },
  }));
  return { status: result.status, body: result.body };
});
