/**
 * Security headers. The Content-Security-Policy is per request (a fresh nonce, set by proxy.ts
 * on the request too, where Next reads it and puts it on its own inline scripts); the static
 * ones (nosniff, Referrer-Policy, HSTS in production, ...) come from next.config.mjs.
 */

/** A fresh base64 nonce (16 random bytes) for one response. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The CSP of a page: scripts only with this response's nonce (and what they load:
 * 'strict-dynamic'), nothing framing us, forms and connections to ourselves only. Styles allow
 * inline style attributes (React and the chart library set them; they cannot carry a nonce).
 * Development adds what the dev server's hot reload needs.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === 'development'): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/**
 * Whether a state-changing request to a page (a server action POST) comes from our own origin:
 * its Origin must name the host the request was sent to. A missing Origin, `null` (sandboxed or
 * opaque contexts) and any other site are refused. Next refuses a foreign Origin itself but lets
 * a missing one through; this closes that gap too.
 */
export function isSameOriginRequest(headers: Headers): boolean {
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  const host = forwarded || headers.get('host');
  return Boolean(host) && originHost === host;
}
