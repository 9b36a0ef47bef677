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
  periodValuesQuerySchema,
  periodValuesResponseSchema,
} from '@/lib/validation/api';
import {
  attributionQuerySchema,
  attributionResponseSchema,
} from '@/lib/validation/api-attribution';
import { webhookPaths } from './openapi-webhooks';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(apiErrorSchema) });
const commonErrors = {
  '401': error('No valid API key'),
  '404': error("No such KPI in this organization (another organization's id looks the same)"),
  '422': error('Invalid parameters: every refused field is named in `details`'),
  '429': {
    ...error('Too many requests for this key'),
    headers: {
      'Retry-After': {
        description: 'Seconds until the key may call again',
        schema: { type: 'integer' as const },
      },
    },
  },
};

/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the zod schemas the routes parse with.
 * Built once per process.
 */
export const openApiDocument = (() => {
  let doc: ReturnType<typeof createDocument> | undefined;
  return () =>
    (doc ??= createDocument({
      openapi: '3.1.0',
      info: {
        title: 'Cascade KPI API',
        version: '1.0.0',
        description:
          'Read KPIs and their period values, and record check-ins. Authenticate with an API key of the organization (`Authorization: Bearer kpik_...`). Values are exact decimals sent as strings.',
      },
      servers: [{ url: '/api/v1' }],
      security: [{ apiKey: [] }],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key created under Settings > API keys',
          },
        },
      },
      paths: {
        '/kpis': {
          get: {
            summary: 'List KPIs with their current period',
            requestParams: { query: kpiListQuerySchema },
            responses: {
              '200': {
                description: 'The KPIs the key may see',
                content: json(kpiListResponseSchema),
              },
              ...commonErrors,
            },
          },
        },
        '/kpis/{kpi}': {
          get: {
            summary: 'One KPI, by id or key, with its current period value and status',
            requestParams: { path: kpiPathParams },
            responses: {
              '200': { description: 'The KPI', content: json(kpiResponseSchema) },
              ...commonErrors,
            },
          },
        },
        '/kpis/{kpi}/values': {
          get: {
            summary: "A KPI's value, target and status for each period in a date range",
            description:
              "For a formula KPI: the computed values (from its inputs' stored values, exactly as stored), each period's input coverage (`childrenReported` of `childrenExpected` inputs; for a period without a value, `missingInputs` and `noValueReason`), and, for a period without a target of its own, the target implied by its inputs' targets (`targetImplied`).",
            requestParams: { path: kpiPathParams, query: periodValuesQuerySchema },
            responses: {
              '200': {
                description: 'Periods, oldest first',
                content: json(periodValuesResponseSchema),
              },
              ...commonErrors,
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
              ...commonErrors,
            },
          },
        },
        '/checkins': {
          post: {
            summary: 'Record a check-in, or a batch of up to 1,000 (all or nothing)',
            requestParams: {
              header: z.object({
                'Idempotency-Key': z.string().max(255).optional().meta({
                  description:
                    'Replays of the same request return the stored response and write nothing',
                }),
              }),
            },
            requestBody: { content: json(apiCheckinRequestSchema) },
            responses: {
              '201': {
                description: 'Recorded; parent KPIs rolled up in the same transaction',
                content: json(checkinCreatedResponseSchema),
              },
              '403': error('The key is read-only'),
              '409': error('This Idempotency-Key was used for a different request'),
              ...commonErrors,
            },
          },
        },
        ...webhookPaths({ json, error, commonErrors }),
      },
    }));
})();
