import { createHash } from 'node:crypto';
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { authenticateApiKey, type ApiRequestContext } from '@/lib/dal/api-keys/authenticate';
import type { ApiKeyScope } from '@/lib/dal/api-keys/keys';
import { scopeAllows } from '@/lib/validation/api-keys';
import { consumeApiRateLimit, RateLimitedError } from '@/lib/dal/api-keys/rate-limit';
import { env } from '@/lib/env';
import { appendDenied } from '@/lib/dal/audit';
import { AppError } from '@/lib/errors';
import { zodToAppError } from './org-action';
import { toResultError } from './errors';

const STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 422,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

const NO_STORE = { 'cache-control': 'no-store' };

/** The largest request body a route reads (bytes). */
export const MAX_BODY_BYTES = 2_000_000;

/**
 * A write refused because the record changed since the client read it: a CONFLICT that also
 * tells the current version (`error.currentVersion`), so the client can re-read and retry.
 */
export class VersionConflictError extends AppError {
  readonly currentVersion: number;
  constructor(currentVersion: number) {
    super(
      'CONFLICT',
      `Someone else changed this KPI in the meantime: its current version is ${currentVersion}. Read it again and retry.`,
      { version: [`The current version is ${currentVersion}`] },
    );
    this.currentVersion = currentVersion;
  }
}

/** The request's Idempotency-Key: null without one; VALIDATION when it is not 1-255 visible ASCII. */
export function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get('idempotency-key');
  if (key !== null && !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError('VALIDATION', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
      'Idempotency-Key': ['Use 1 to 255 visible ASCII characters'],
    });
  }
  return key;
}

/** Parses with a zod schema; a refusal is VALIDATION with every field named. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw zodToAppError(parsed.error);
  return parsed.data;
}

/** The query string as a plain object (repeated names: the last one; empty values left out). */
export function queryOf(request: Request): Record<string, string> {
  // An empty field (a form left blank) counts as absent.
  return Object.fromEntries(
    [...new URL(request.url).searchParams.entries()].filter(([, v]) => v !== ''),
  );
}

/** The JSON body, or VALIDATION when it is not JSON (bodies over `maxBytes` are refused). */
export async function jsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes)
    throw new AppError('VALIDATION', `The body is larger than ${maxBytes} bytes.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('VALIDATION', 'The body is not valid JSON.');
  }
}

/** sha256 of what makes two requests "the same" for Idempotency-Key. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body)}`)
    .digest('hex');
}

function errorResponse(error: unknown, requestId: string | undefined): NextResponse {
  const safe = toResultError(error, requestId);
  const status = error instanceof AppError ? (STATUS[error.code] ?? 500) : 500;
  const details = safe.fieldErrors
    ? Object.entries(safe.fieldErrors).flatMap(([path, messages]) =>
        messages.map((message) => ({ path, message })),
      )
    : undefined;
  const headers: Record<string, string> = { ...NO_STORE };
  if (error instanceof RateLimitedError) headers['retry-after'] = String(error.retryAfterSeconds);
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="api"';
  const currentVersion =
    error instanceof VersionConflictError ? { currentVersion: error.currentVersion } : {};
  return NextResponse.json(
    {
      error: {
        code: safe.code,
        message: safe.message,
        ...(details ? { details } : {}),
        ...currentVersion,
      },
    },
    { status, headers },
  );
}

type Handler<P> = (
  api: ApiRequestContext,
  request: Request,
  params: P,
) => Promise<{ status?: number; body: unknown; headers?: Record<string, string> }>;

/**
 * The one pipeline for every `/api/v1` route: Bearer key -> the org context of the key's creator
 * (re-read from the database on every request) -> scope (`read` keys cannot write) -> per-key rate
 * limit -> handler -> JSON. Errors come back as `{ error: { code, message, details } }` with the
 * matching status; another org's id and a missing id are both 404.
 */
export function apiRoute<P = Record<string, never>>(scope: ApiKeyScope, handler: Handler<P>) {
  return async function route(
    request: Request,
    segment: { params: Promise<P> },
  ): Promise<NextResponse> {
    let requestId: string | undefined;
    let api: Awaited<ReturnType<typeof authenticateApiKey>> = null;
    try {
      const header = request.headers.get('authorization') ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      api = match ? await authenticateApiKey(match[1]!) : null;
      if (!api)
        throw new AppError(
          'UNAUTHENTICATED',
          'Send a valid API key as "Authorization: Bearer <key>".',
        );
      requestId = api.ctx.requestId;
      if (!scopeAllows(api.key.scope, scope)) {
        throw new AppError(
          'FORBIDDEN',
          scope === 'write'
            ? 'This API key is read-only: create a write key to record values.'
            : 'This API key cannot change definitions: create a key with the write:definitions scope.',
        );
      }
      await consumeApiRateLimit(api.ctx.org.id, api.key.id, env().API_RATE_LIMIT_PER_MINUTE);
      const authenticated = api;
      const result = await handler(authenticated, request, await segment.params);
      return NextResponse.json(result.body, {
        status: result.status ?? 200,
        headers: { ...NO_STORE, ...result.headers },
      });
    } catch (error) {
      if (api && error instanceof AppError && error.code === 'FORBIDDEN') {
        await appendDenied({
          orgId: api.ctx.org.id,
          actorUserId: api.ctx.actor.userId,
          attempted: `api:${request.method} ${new URL(request.url).pathname}`,
          requestId,
          reason: error.message,
        });
      }
      return errorResponse(error, requestId);
    }
  };
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

/**
 * Handlers for the methods a route does not take: 405 with the JSON error body and an `Allow`
 * header (Next's own 405 has neither). A route exports the ones it lacks:
 * `export const { PUT, PATCH, DELETE } = otherMethods('GET', 'POST');`
 */
export function otherMethods(...allowed: Method[]): Record<Method, () => NextResponse> {
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const refuse = () =>
    NextResponse.json(
      {
        error: {
          code: 'METHOD_NOT_ALLOWED',
          message: `This route takes ${allowed.join(' and ')} only.`,
        },
      },
      { status: 405, headers: { ...NO_STORE, allow } },
    );
  return Object.fromEntries(METHODS.map((m) => [m, refuse])) as Record<Method, () => NextResponse>;
}
