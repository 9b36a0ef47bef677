import { z } from 'zod';
import type {
  ZodOpenApiContentObject,
  ZodOpenApiPathsObject,
  ZodOpenApiResponseObject,
} from 'zod-openapi';
import { WEBHOOK_EVENT_TYPES } from '@/lib/domain/webhook-policy';
import {
  createWebhookEndpointSchema,
  webhookEndpointPatchSchema,
  webhookPathParams,
} from '@/lib/validation/webhooks';

/*
 * The `/webhooks` part of the OpenAPI document (issue 23, item 2), kept apart so the document's
 * other parts change independently. lib/server/openapi.ts spreads `webhookPaths(...)` into its
 * paths and passes its own helpers.
 */

const webhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string().meta({ example: 'https://hooks.example.com/kpi' }),
    description: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    disabledReason: z
      .string()
      .nullable()
      .meta({ description: 'Why the app turned it off (a day of failed deliveries)' }),
    failingSince: z
      .string()
      .nullable()
      .meta({ description: 'First failed attempt since the last success (ISO instant)' }),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });

const endpointResponse = z.object({ data: webhookEndpointSchema });
const createdResponse = z.object({
  data: webhookEndpointSchema.extend({
    secret: z.string().meta({
      description:
        'The Standard Webhooks signing secret (`whsec_` + base64). Shown in this answer (and its replays) only.',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
  }),
});

type Helpers = {
  json: (schema: z.ZodType) => ZodOpenApiContentObject;
  error: (description: string) => ZodOpenApiResponseObject;
  commonErrors: Record<string, ZodOpenApiResponseObject>;
  /** The optional Idempotency-Key request header and the replay answer's header. */
  idempotency: {
    header: z.ZodObject;
    replayed: NonNullable<ZodOpenApiResponseObject['headers']>;
  };
};

const SCOPE_NOTE =
  'Needs a key with the `write:definitions` scope. Every delivery is signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`); the URL must be https and resolve to public addresses only.';

/** The `/webhooks` and `/webhooks/{id}` operations. */
export function webhookPaths({
  json,
  error,
  commonErrors,
  idempotency,
}: Helpers): ZodOpenApiPathsObject {
  const forbidden = error('The key lacks the write:definitions scope');
  return {
    '/webhooks': {
      get: {
        operationId: 'listWebhookEndpoints',
        tags: ['Webhooks'],
        summary: "The organization's webhook endpoints",
        description: SCOPE_NOTE,
        responses: {
          '200': {
            description: 'Endpoints, oldest first',
            content: json(z.object({ data: z.array(webhookEndpointSchema) })),
          },
          '403': forbidden,
          ...commonErrors,
        },
      },
      post: {
        operationId: 'createWebhookEndpoint',
        tags: ['Webhooks'],
        summary: 'Register a webhook endpoint for some events',
        description: `${SCOPE_NOTE} The answer carries the signing secret; a replay with the same Idempotency-Key answers the same endpoint and secret (kept sealed for it) and registers nothing.`,
        requestParams: { header: idempotency.header },
        requestBody: { content: json(createWebhookEndpointSchema) },
        responses: {
          '201': {
            description: 'Registered',
            headers: idempotency.replayed,
            content: json(createdResponse),
          },
          '403': forbidden,
          '409': error(
            'This Idempotency-Key was used for a different request, or its first request is still running',
          ),
          ...commonErrors,
        },
      },
    },
    '/webhooks/{id}': {
      get: {
        operationId: 'getWebhookEndpoint',
        tags: ['Webhooks'],
        summary: 'One webhook endpoint',
        description: SCOPE_NOTE,
        requestParams: { path: webhookPathParams },
        responses: {
          '200': { description: 'The endpoint', content: json(endpointResponse) },
          '403': forbidden,
          ...commonErrors,
        },
      },
      patch: {
        operationId: 'updateWebhookEndpoint',
        tags: ['Webhooks'],
        summary: "Change an endpoint's URL, description, events, or turn it on or off",
        description: `${SCOPE_NOTE} Turning an endpoint on clears its failure record.`,
        requestParams: { path: webhookPathParams },
        requestBody: { content: json(webhookEndpointPatchSchema) },
        responses: {
          '200': { description: 'The endpoint as changed', content: json(endpointResponse) },
          '403': forbidden,
          ...commonErrors,
        },
      },
      delete: {
        operationId: 'deleteWebhookEndpoint',
        tags: ['Webhooks'],
        summary: 'Delete an endpoint with its delivery log',
        description: SCOPE_NOTE,
        requestParams: { path: webhookPathParams },
        responses: {
          '200': {
            description: 'Deleted',
            content: json(z.object({ data: z.object({ id: z.uuid() }) })),
          },
          '403': forbidden,
          ...commonErrors,
        },
      },
    },
  };
}
