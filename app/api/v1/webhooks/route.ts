// GET /api/v1/webhooks: the organization's webhook endpoints. POST: register one (its signing secret is in this answer only).
import {
  checkWebhookUrl,
  createWebhookEndpoint,
  listWebhookEndpoints,
} from '@/lib/dal/webhooks/endpoints';
import { AppError } from '@/lib/errors';
import { openSecret, sealSecret } from '@/lib/security/secret-box';
import { secretKeyFor } from '@/lib/security/secret-key';
import { runDefinitionWrite } from '@/lib/server/api-definitions';
import { apiRoute, jsonBody, otherMethods, parseOrThrow } from '@/lib/server/api-route';
import { createWebhookEndpointSchema } from '@/lib/validation/webhooks';

export const dynamic = 'force-dynamic';

export const { PUT, PATCH, DELETE } = otherMethods('GET', 'POST');

export const GET = apiRoute('write:definitions', async ({ ctx }) => ({
  body: { data: await listWebhookEndpoints(ctx) },
}));

type Created = { data: Record<string, unknown> & { secret: string } };

/**
 * Registers an endpoint, at most once per Idempotency-Key like every definition write. The
 * answer kept for a replay holds the signing secret sealed (never in the clear at rest): a replay
 * opens it, so the client that lost the first answer still gets the secret.
 */
export const POST = apiRoute('write:definitions', async (api, request) => {
  const raw = await jsonBody(request, 20_000);
  const input = parseOrThrow(createWebhookEndpointSchema, raw);
  await checkWebhookUrl(input.url);
  const key = secretKeyFor('integrations');
  const result = await runDefinitionWrite(api, request, raw, async (tx) => {
    const { endpoint, secret } = await createWebhookEndpoint(api.ctx, tx, input);
    return { status: 201, body: { data: { ...endpoint, secret: sealSecret(secret, key) } } };
  });
  const stored = result.body as Created;
  const secret = openSecret(stored.data.secret, key);
  if (secret === null) {
    throw new AppError(
      'CONFLICT',
      'This Idempotency-Key registered an endpoint whose secret no longer opens (the key changed): read the endpoint and rotate by registering it again.',
    );
  }
  return { ...result, body: { data: { ...stored.data, secret } } };
});
