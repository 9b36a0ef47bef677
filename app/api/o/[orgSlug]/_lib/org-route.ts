import { NextResponse } from 'next/server';
import { AppError } from '@/lib/errors';
import { resolveOrgContext, type OrgContext } from '@/lib/server/org-context';
import { assertSecondFactorReady } from '@/lib/server/second-factor-gate';
import { toResultError } from '@/lib/server/errors';

const STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

/** The HTTP status of an error code (INTERNAL and anything unknown: 500). */
export function statusOfError(code: string): number {
  return STATUS[code] ?? 500;
}

/** JSON-serializable data, or a ready Response (a CSV download). */
type Handler = (ctx: OrgContext, request: Request) => Promise<unknown>;

/**
 * GET route handlers for React Query: the org context comes from the session and the database
 * exactly as for pages (another org's slug and a missing one both answer 404), the handler reads
 * through the DAL, and the answer (JSON, or a Response the handler builds) is private and never
 * cached.
 */
export function orgGetRoute(handler: Handler) {
  return async function GET(
    request: Request,
    { params }: { params: Promise<{ orgSlug: string }> },
  ) {
    const headers = { 'cache-control': 'private, no-store' };
    let requestId: string | undefined;
    try {
      const { orgSlug } = await params;
      const ctx = await resolveOrgContext(orgSlug);
      requestId = ctx.requestId;
      assertSecondFactorReady(ctx);
      const result = await handler(ctx, request);
      // A handler may answer with a file (a report PDF or CSV): still private and never cached.
      if (result instanceof Response) {
        result.headers.set('cache-control', headers['cache-control']);
        return result;
      }
      return NextResponse.json(result, { headers });
    } catch (error) {
      const safe = toResultError(error, requestId);
      const status = error instanceof AppError ? (STATUS[error.code] ?? 500) : 500;
      return NextResponse.json(
        { error: { code: safe.code, message: safe.message } },
        { status, headers },
      );
    }
  };
}
