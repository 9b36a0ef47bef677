import { createDocument } from 'zod-openapi';
import { z } from 'zod';
import {
  apiCheckinRequestSchema,
  apiErrorSchema,
  checkinCreatedResponseSchema,
  kpiListQuerySchema,
  kpiListResponseSchema,
  kpiPathParams,
  kpiResponseSchema,
  MAX_BATCH_ITEMS,
  periodValuesQuerySchema,
  periodValuesResponseSchema,
} from '@/lib/validation/api';
import {
  attributionQuerySchema,
  attributionResponseSchema,
} from '@/lib/validation/api-attribution';
import {
  apiKpiArchiveSchema,
  apiKpiCreateSchema,
  apiKpiUpdateSchema,
  apiTargetsSchema,
  kpiDefinitionResponseSchema,
  MAX_TARGETS_PER_REQUEST,
  targetsSavedResponseSchema,
} from '@/lib/validation/api-definitions';
import { MAX_PERIODS_PER_REQUEST } from '@/lib/dal/kpis/period-values';
import { MAX_BODY_BYTES } from './api-route';
import { webhookPaths } from './openapi-webhooks';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(apiErrorSchema) });

const tooManyRequests = {
  ...error('Too many requests for this key (see "Limits")'),
  headers: {
    'Retry-After': {
      description: 'Seconds until the key may call again',
      schema: { type: 'integer' as const, minimum: 1 },
    },
  },
};
const unauthenticated = error('No valid API key (missing, malformed, unknown or revoked)');
const notFound = error(
  "No such KPI in this organization (another organization's id or key looks exactly the same)",
);
const invalid = error('Invalid parameters or body: every refused field is named in `details`');

const readErrors = {
  '401': unauthenticated,
  '404': notFound,
  '422': invalid,
  '429': tooManyRequests,
};

const definitionErrors = {
  '401': unauthenticated,
  '403': error(
    'The key lacks the `write:definitions` scope, or its creator may not make this change (the same permission rules as the KPI form)',
  ),
  '404': notFound,
  '409': error(
    'A stale `version` (someone changed the KPI since you read it: `currentVersion` tells the current one), or an Idempotency-Key reused for a different request or still running',
  ),
  '422': error(
    "Refused by the KPI form's checks (fields, formula, links, limits): every refused field is named in `details`; nothing was written",
  ),
  '429': tooManyRequests,
};

const idempotencyHeader = z.object({
  'Idempotency-Key': z.string().min(1).max(255).optional().meta({
    description:
      'Up to 255 visible ASCII characters. A replay of the same request (same method, path and body) within 24 hours returns the stored response with `Idempotent-Replayed: true` and writes nothing; concurrent twins wait for the first. The same key with another request: 409.',
    example: 'b1946ac9-2c4d-4a11-9f2b-0d7a1c6e5f30',
  }),
});

const replayedHeader = {
  'Idempotent-Replayed': {
    description:
      '`true` when this is the stored response of an earlier request with the same Idempotency-Key',
    schema: { type: 'string' as const, enum: ['true'] },
  },
};

const DEFINITIONS_NOTE =
  'Needs a key with the `write:definitions` scope. The key acts as its creator (an owner or admin): the same permission rules, KPI limits and checks as the KPI form apply, and the audit log records the key by name. Send `Idempotency-Key` to make a retry safe.';

const description = `Read KPIs and their period values, record check-ins, and manage KPI definitions (create, update, archive, targets, parent links, owners).

Authenticate with an API key of the organization: \`Authorization: Bearer kpik_...\`. Scopes include one another: \`read\` reads; \`write\` also records check-ins; \`write:definitions\` also changes definitions.

This document is public at \`GET /api/v1/openapi.json\`.

Values and targets are exact decimals sent as strings. Dates are \`YYYY-MM-DD\` calendar dates.

## Limits
- Rate: each key may make a configured number of requests a minute (\`API_RATE_LIMIT_PER_MINUTE\`, 600 by default); past it, 429 with \`Retry-After\`.
- Request bodies: at most ${MAX_BODY_BYTES.toLocaleString('en-US')} bytes (422 beyond).
- Check-in batches: 1 to ${MAX_BATCH_ITEMS.toLocaleString('en-US')} items, all or nothing.
- Period ranges (\`from\`/\`to\`): at most ${MAX_PERIODS_PER_REQUEST} periods of the KPI's cadence; a longer range is refused with 422, never cut.
- Targets: at most ${MAX_TARGETS_PER_REQUEST} per request.
- Lists are not paged: \`GET /kpis\` answers every KPI the key may see.
- Idempotency-Key records are kept 24 hours.

## Errors
Every error has the body \`{ "error": { "code", "message", "details"? } }\`. A method a path does not take answers 405 with code \`METHOD_NOT_ALLOWED\` and an \`Allow\` header.`;

/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the zod schemas the routes parse with.
 * Built once per process. Linted in CI (`npm run lint:openapi`, Redocly) and the contract tests
 * validate real responses against it.
 */
export const openApiDocument = (() => {
  let doc: ReturnType<typeof createDocument> | undefined;
  return () =>
    (doc ??= createDocument({
      openapi: '3.1.0',
      info: {
        title: 'Cascade KPI API',
        version: '1.1.0',
        description,
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      servers: [{ url: '/api/v1', description: 'This deployment' }],
      security: [{ apiKey: [] }],
      tags: [
        { name: 'KPIs', description: 'KPIs and their period values' },
        { name: 'Check-ins', description: 'Recording values' },
        {
          name: 'Definitions',
          description:
            'Creating and changing KPIs, targets, links and owners (`write:definitions`)',
        },
        {
          name: 'Webhooks',
          description: 'Endpoints that receive signed events (`write:definitions`)',
        },
      ],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API key created under Settings > API keys (or `npm run apikey:create`)',
          },
        },
      },
      paths: {
        '/kpis': {
          get: {
            operationId: 'listKpis',
            tags: ['KPIs'],
            summary: 'List KPIs with their current period',
            description:
              'Every KPI the key may see (not paged), each with its current period value, target and status. Filters combine.',
            requestParams: { query: kpiListQuerySchema },
            responses: {
              '200': {
                description: 'The KPIs the key may see',
                content: json(kpiListResponseSchema),
              },
              '401': unauthenticated,
              '422': invalid,
              '429': tooManyRequests,
            },
          },
          post: {
            operationId: 'createKpi',
            tags: ['Definitions'],
            summary: 'Create a KPI (formula KPIs included)',
            description: `Creates a KPI in a unit, optionally with an owner, a parent to roll up into (by id or key) and as north star, exactly as the KPI form does. ${DEFINITIONS_NOTE}`,
            requestParams: { header: idempotencyHeader },
            requestBody: { required: true, content: json(apiKpiCreateSchema) },
            responses: {
              '201': {
                description: 'Created',
                headers: replayedHeader,
                content: json(kpiDefinitionResponseSchema),
              },
              ...definitionErrors,
            },
          },
        },
        '/kpis/{kpi}': {
          get: {
            operationId: 'getKpi',
            tags: ['KPIs'],
            summary: 'One KPI, by id or key, with its current period value and status',
            description: 'Its `version` is what a definition write sends back.',
            requestParams: { path: kpiPathParams },
            responses: {
              '200': { description: 'The KPI', content: json(kpiResponseSchema) },
              ...readErrors,
            },
          },
          patch: {
            operationId: 'updateKpi',
            tags: ['Definitions'],
            summary: 'Change a KPI: fields, owner, parent link, north star, targets',
            description: `Changes only the fields given, of a KPI seen at \`version\` (a stale one: 409 with \`currentVersion\`), in one transaction: a refused part leaves nothing of the others. \`ownerUserId\` assigns (null: clears) the owner; \`parentId\` (id or key) links it under a parent (null: top level); \`targets\` sets (null: clears) per-period targets. ${DEFINITIONS_NOTE}`,
            requestParams: { path: kpiPathParams, header: idempotencyHeader },
            requestBody: { required: true, content: json(apiKpiUpdateSchema) },
            responses: {
              '200': {
                description: 'The KPI as saved, with its new version',
                headers: replayedHeader,
                content: json(kpiDefinitionResponseSchema),
              },
              ...definitionErrors,
            },
          },
        },
        '/kpis/{kpi}/archive': {
          post: {
            operationId: 'archiveKpi',
            tags: ['Definitions'],
            summary: 'Archive a KPI',
            description: `Archives a KPI seen at \`version\` from today: its history stays, it leaves its parent's rollup. A KPI that formulas read is refused unless \`replacementKpiId\` names the KPI they should read instead. ${DEFINITIONS_NOTE}`,
            requestParams: { path: kpiPathParams, header: idempotencyHeader },
            requestBody: { required: true, content: json(apiKpiArchiveSchema) },
            responses: {
              '200': {
                description: 'The KPI as archived',
                headers: replayedHeader,
                content: json(kpiDefinitionResponseSchema),
              },
              ...definitionErrors,
            },
          },
        },
        '/kpis/{kpi}/targets': {
          put: {
            operationId: 'setKpiTargets',
            tags: ['Definitions'],
            summary: "Set or clear a KPI's per-period targets",
            description: `Each \`periodStart\` must start one of the KPI's periods. All or nothing: one bad item and nothing is written. ${DEFINITIONS_NOTE}`,
            requestParams: { path: kpiPathParams, header: idempotencyHeader },
            requestBody: { required: true, content: json(apiTargetsSchema) },
            responses: {
              '200': {
                description: 'Saved',
                headers: replayedHeader,
                content: json(targetsSavedResponseSchema),
              },
              ...definitionErrors,
            },
          },
        },
        '/kpis/{kpi}/values': {
          get: {
            operationId: 'listKpiPeriodValues',
            tags: ['KPIs'],
            summary: "A KPI's value, target and status for each period in a date range",
            description: `At most ${MAX_PERIODS_PER_REQUEST} periods of the KPI's cadence: a longer range is refused with 422 on \`from\`. For a formula KPI: the computed values (from its inputs' stored values, exactly as stored), each period's input coverage (\`childrenReported\` of \`childrenExpected\` inputs; for a period without a value, \`missingInputs\` and \`noValueReason\`), and, for a period without a target of its own, the target implied by its inputs' targets (\`targetImplied\`).`,
            requestParams: { path: kpiPathParams, query: periodValuesQuerySchema },
            responses: {
              '200': {
                description: 'Periods, oldest first',
                content: json(periodValuesResponseSchema),
              },
              ...readErrors,
            },
          },
        },
        '/kpis/{kpi}/attribution': {
          get: {
            operationId: 'getKpiAttribution',
            tags: ['KPIs'],
            summary:
              "A KPI's gap to target in one period, split into its children's or drivers' contributions",
            description:
              "The actual, the target and the gap (`actual - target`) of the KPI in the period starting `period`, and each direct child's (rollups) or driver's (formulas) contribution to the gap, by id and key; the contributions add up exactly to the gap, in decimals. Sums: each child's actual minus its target; averages: each reporting child's weight share of its actual minus its target; formulas: Shapley values over the inputs moving from their targets to their actuals. A `target_difference` line carries the part that comes from the KPI's own target differing from what its children's or inputs' targets imply. A manual KPI has no contributions (`reason`: `not computed`).",
            requestParams: { path: kpiPathParams, query: attributionQuerySchema },
            responses: {
              '200': { description: 'The attribution', content: json(attributionResponseSchema) },
              ...readErrors,
            },
          },
        },
        '/checkins': {
          post: {
            operationId: 'recordCheckins',
            tags: ['Check-ins'],
            summary: `Record a check-in, or a batch of up to ${MAX_BATCH_ITEMS.toLocaleString('en-US')} (all or nothing)`,
            description:
              'Needs a `write` (or `write:definitions`) key. Each item names its KPI by id or key. An item naming no KPI the key can see: 404 (every refused item still named in `details`); other refusals: 422. Parent KPIs and formulas are recomputed in the same transaction.',
            requestParams: { header: idempotencyHeader },
            requestBody: { required: true, content: json(apiCheckinRequestSchema) },
            responses: {
              '201': {
                description: 'Recorded; parent KPIs rolled up in the same transaction',
                headers: replayedHeader,
                content: json(checkinCreatedResponseSchema),
              },
              '401': unauthenticated,
              '403': error('The key is read-only'),
              '404': error(
                "An item names no KPI of this organization (another organization's KPI looks the same); nothing was written",
              ),
              '409': error(
                'This Idempotency-Key was used for a different request, or is still running',
              ),
              '422': invalid,
              '429': tooManyRequests,
            },
          },
        },
        ...webhookPaths({
          json,
          error,
          commonErrors: {
            '401': unauthenticated,
            '404': error(
              "No such webhook endpoint in this organization (another organization's id looks exactly the same)",
            ),
            '422': invalid,
            '429': tooManyRequests,
          },
          idempotency: { header: idempotencyHeader, replayed: replayedHeader },
        }),
      },
    }));
})();
