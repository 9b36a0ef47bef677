import { NextResponse } from 'next/server';
import { AppError } from '@/lib/errors';
import { resolveOrgContext, type OrgContext } from '@/lib/server/org-context';
import { toResultError } from '@/lib/server/errors';

const STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

type Handler = (ctx: OrgContext, request: Request) => Promise<unknown>;

/**
 * GET route handlers for React Query: the org context comes from the session and the database
 * exactly as for pages (another org's slug and a missing one both answer 404), the handler reads
 * through the DAL, and the answer is private and never cached.
 */
export function orgGetRoute(handler: Handler) {
  return async function GET(request: Request, { params }: { params: Promise<{ orgSlug: string }> }) {
    const headers = { 'cache-control': 'private, no-store' };
    let requestId: string | undefined;
    try {
      const { orgSlug } = await params;
      const ctx = await resolveOrgContext(orgSlug);
      requestId = ctx.requestId;
      return NextResponse.json(await handler(ctx, request), { headers });
    } catch (error) {
      const safe = toResultError(error, requestId);
      const status = error instanceof AppError ? (STATUS[error.code] ?? 500) : 500;
      return NextResponse.json({ error: { code: safe.code, message: safe.message } }, { status, headers });
    }
  };
}
