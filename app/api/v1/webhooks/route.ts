// GET /api/v1/webhooks: the organization's webhook endpoints. POST: register one (its signing secret is in this answer only).
import { runIdempotent } from '@/lib/dal/api-keys/idempotency';
import {
  checkWebhookUrl,
  createWebhookEndpoint,
  listWebhookEndpoints,
} from '@/lib/dal/webhooks/endpoints';
import { apiRoute, jsonBody, otherMethods, parseOrThrow } from '@/lib/server/api-route';
import { createWebhookEndpointSchema } from '@/lib/validation/webhooks';

export const dynamic = 'force-dynamic';

export const { PUT, PATCH, DELETE } = otherMethods('GET', 'POST');

export const GET = apiRoute('write:definitions', async ({ ctx }) => ({
  body: { data: await listWebhookEndpoints(ctx) },
}));

export const POST = apiRoute('write:definitions', async (api, request) => {
  const input = parseOrThrow(createWebhookEndpointSchema, await jsonBody(request, 20_000));
  await checkWebhookUrl(input.url);
  // No Idempotency-Key here: a replay would have to store the secret.
  const result = await runIdempotent(api, null, '', async (tx) => {
    const { endpoint, secret } = await createWebhookEndpoint(api.ctx, tx, input);
    return { status: 201, body: { data: { ...endpoint, secret } } };
  });
  return { status: result.status, body: result.body };
});
