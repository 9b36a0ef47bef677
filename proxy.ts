import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { withAuth, type NextRequestWithAuth } from 'next-auth/middleware';
import { sessionCookieName } from '@/lib/auth/cookies';
import { decodeSessionJwt, sessionClaimsOf } from '@/lib/auth/jwt-codec';
import { readOrgPageFrame } from '@/lib/dal/org-page-frame';
import { getAuthSecret } from '@/lib/auth/secret';
import { actionBodyProblem, isServerActionRequest } from '@/lib/security/action-body';
import { contentSecurityPolicy, createNonce, isSameOriginRequest } from '@/lib/security/headers';
import { cachedPage, PAGE_CACHE_HEADER } from '@/lib/server/page-cache';

/**
 * Every page gets a per-request Content-Security-Policy with a fresh nonce: set on the request
 * (Next reads it and puts the nonce on its inline scripts) and on the response. Static headers
 * (HSTS, nosniff, Referrer-Policy, ...) come from next.config.mjs.
 */
function withCsp(request: NextRequest): NextResponse {
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

// Convenience only: signed-out visitors to a workspace go to sign-in. Every page, action and
// route handler still authenticates and authorizes itself. A dashboard rendered before from the
// same frame is answered from the page cache (lib/server/page-cache.ts), which reads the frame
// (the membership among it) itself.
const workspace = withAuth(
  async (request) => {
    const token = request.nextauth.token;
    const claims = token ? sessionClaimsOf(token) : null;
    const cached = await cachedPage(request, claims, readOrgPageFrame);
    if (cached instanceof Response) return cached;
    const response = withCsp(request);
    if (cached) response.headers.set(PAGE_CACHE_HEADER, cached);
    return response;
  },
  {
    secret: getAuthSecret(),
    pages: { signIn: '/sign-in' },
    cookies: { sessionToken: { name: sessionCookieName() } },
    jwt: { decode: decodeSessionJwt },
  },
);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * A path Next cannot or should not route: a broken percent-escape (`/share/%ff`, which Next's
 * own parameter decoding turns into a 500) is a 400; a decoded control character (`%00`) is
 * a 404, before any page or route handler (and so any query) sees it.
 */
function refusePath(pathname: string): NextResponse | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return new NextResponse('Bad request: the address has a broken percent-escape.', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  if (!CONTROL_CHARACTER.test(decoded)) return null;
  return new NextResponse('Not found.', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  // Pages change state only through server actions (POST): refuse one from another origin, a
  // `null` origin or none at all before it reaches the action. API routes authenticate with keys
  // (/api/v1) or next-auth's own CSRF token (/api/auth) and are left alone.
  const { pathname } = request.nextUrl;
  const refused = refusePath(pathname);
  if (refused) return refused;
  if (
    !SAFE_METHODS.has(request.method) &&
    !pathname.startsWith('/api/') &&
    !isSameOriginRequest(request.headers)
  ) {
    return new NextResponse('Cross-origin request refused.', {
      status: 403,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  if (!pathname.startsWith('/api/') && isServerActionRequest(request.method, request.headers)) {
    const problem = await actionBodyProblem(request);
    if (problem) {
      const text = problem === 413 ? 'The request is too large.' : 'The request could not be read.';
      return new NextResponse(text, {
        status: problem,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
  }
  if (pathname === '/o' || pathname.startsWith('/o/')) {
    return workspace(request as NextRequestWithAuth, event);
  }
  return withCsp(request);
}

export const config = {
  // Everything but Next's static assets (API routes pass through with a harmless CSP).
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
