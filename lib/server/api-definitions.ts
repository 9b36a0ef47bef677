import type { Tx } from '@/db/client';
import type { ApiRequestContext } from '@/lib/dal/api-keys/authenticate';
import { runIdempotent } from '@/lib/dal/api-keys/idempotency';
import { getKpiVersion, resolveKpiRef } from '@/lib/dal/kpis/refs';
import { AppError } from '@/lib/errors';
import {
  idempotencyKeyOf,
  jsonBody,
  parseOrThrow,
  requestFingerprint,
  VersionConflictError,
} from './api-route';
import type { z } from 'zod';

/*
 * What every definition write of the API shares (`write:definitions` keys): the body parsed with
 * the route's schema (the KPI form's fields and checks), KPI references resolved (id or key;
 * unknown: 404), the write run once per Idempotency-Key in one tenant transaction through the
 * DAL function the form's action calls, and a stale `version` answered 409 with the current one.
 */

/** The body of a definition write, parsed: VALIDATION (422) naming every refused field. */
export async function definitionBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<{ raw: unknown; input: z.output<T> }> {
  const raw = await jsonBody(request);
  return { raw, input: parseOrThrow(schema, raw) };
}

/** A KPI reference of a body field (id or key); null and undefined pass through; unknown: 404. */
export async function optionalKpiRef<T extends string | null | undefined>(
  api: ApiRequestContext,
  ref: T,
): Promise<T | string> {
  return typeof ref === 'string' ? resolveKpiRef(api.ctx, ref) : ref;
}

/**
 * Runs one definition write at most once per Idempotency-Key (a replay answers the stored
 * response with `Idempotent-Replayed: true`). The fingerprint is the method, the path and the raw
 * body. With `versionOf` (the KPI the write was checked against and the version the client sent),
 * a CONFLICT while the KPI has another version becomes a VersionConflictError (409 with
 * `currentVersion`).
 */
export async function runDefinitionWrite(
  api: ApiRequestContext,
  request: Request,
  raw: unknown,
  write: (tx: Tx) => Promise<{ status: number; body: unknown }>,
  versionOf?: { kpiId: string; version: number },
) {
  const idempotencyKey = idempotencyKeyOf(request);
  const path = new URL(request.url).pathname;
  const fingerprint = requestFingerprint(request.method, path, raw);
  try {
    const result = await runIdempotent(api, idempotencyKey, fingerprint, write);
    return {
      status: result.status,
      body: result.body,
      headers: result.replayed ? { 'idempotent-replayed': 'true' } : undefined,
    };
  } catch (error) {
    if (versionOf && error instanceof AppError && error.code === 'CONFLICT') {
      const current = await getKpiVersion(api.ctx, versionOf.kpiId);
      if (current !== null && current !== versionOf.version)
        throw new VersionConflictError(current);
    }
    throw error;
  }
}
