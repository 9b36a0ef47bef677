import { z } from 'zod';
import { isoDateString } from './fields';

/**
 * Request and response shapes of `GET /api/v1/kpis/{kpi}/attribution` (variance attribution,
 * lib/domain/attribution/). The route parses with the query schema and the OpenAPI document is
 * generated from both.
 */

export const attributionQuerySchema = z
  .object({
    period: isoDateString.meta({
      type: 'string',
      format: 'date',
      description: "The first day of one of the KPI's periods, such as `2026-10-01`",
      example: '2026-10-01',
    }),
  })
  .strict();

const decimal = z.string().meta({ description: 'An exact decimal as a string' });

export const attributionLineSchema = z
  .object({
    kind: z.enum(['child', 'driver', 'target_difference']).meta({
      description:
        "`child`: a KPI linked under a rollup; `driver`: a KPI a formula reads; `target_difference`: the part of the gap that comes from the KPI's own target differing from what its children's (or inputs') targets add up to",
    }),
    id: z.uuid().nullable().meta({
      description: 'The KPI (null for a target difference, or a KPI the key may not see)',
    }),
    key: z.string().nullable(),
    name: z.string(),
    read: z.string().nullable().meta({
      description: 'For a formula input read in an earlier period: `prev(key)` or `prev(key, n)`',
    }),
    actual: decimal.nullable().meta({ description: "Its value in the KPI's period" }),
    target: decimal.nullable().meta({ description: "Its target in the KPI's period" }),
    contribution: decimal.meta({
      description: 'Its part of the gap; the contributions add up exactly to `gap`',
    }),
    missing: z.boolean().meta({ description: 'It has no value in the period' }),
  })
  .meta({ id: 'AttributionLine' });

export const attributionResponseSchema = z
  .object({
    data: z.object({
      kpi: z.object({ id: z.uuid(), key: z.string().nullable(), name: z.string() }),
      period: z.object({ start: z.string().meta({ format: 'date' }), label: z.string() }),
      actual: decimal.nullable(),
      target: decimal.nullable(),
      targetImplied: z.boolean(),
      gap: decimal.nullable().meta({ description: '`actual - target`; null without both' }),
      method: z.enum(['rollup', 'shapley', 'sequential']).nullable().meta({
        description:
          'How the gap was split: `rollup` (children: actual minus target, weighted for averages), `shapley` (formula inputs moving from target to actual, Shapley values), `sequential` (more than 12 moving inputs: one at a time, in reading order)',
      }),
      reason: z
        .enum(['no value', 'no target', 'not computed', 'not attributable'])
        .nullable()
        .meta({ description: 'Why there are no contributions; null when there are' }),
      contributions: z.array(attributionLineSchema),
    }),
  })
  .meta({ id: 'Attribution' });
