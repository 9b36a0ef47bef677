import { createHash } from 'node:crypto';
import type { SessionClaims } from '@/lib/auth/session';
import { heapShareBytes, LruCache } from '@/lib/dal/read-cache';
import type { OrgPageFrame } from '@/lib/dal/org-page-frame';
import { todayInTimeZone } from '@/lib/domain/dates';
import { contentSecurityPolicy, createNonce } from '@/lib/security/headers';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '@/lib/validation/slug';
import { processWide } from './process-wide';

/*
 * Whole rendered dashboards, kept per person and served again while nothing they show changed.
 *
 * A page of an organization is a function of its frame (readOrgPageFrame: the session's claims,
 * the membership with the org's settings and the person's role, units and flags, the switcher's
 * organizations, the bell's unread count and the org's data version, which every write a
 * dashboard reads bumps in its own transaction), the day in the org's time zone and the address.
 * Everything else the dashboard reads is cached under those same inputs (the read model, the
 * sections' markup). So proxy.ts reads the frame (one round trip, as every page does first) and,
 * when a page was rendered from the same frame on the same day for the same address, answers
 * with it: Next's render (the layout, the page, their RSC payload and the HTML drawn from it) is
 * skipped. The response gets a fresh CSP nonce in place of the one the page was rendered with.
 *
 * A page asked for the first time under its frame is left to Next as any page (most views after
 * a write of a busy organization are never asked for again). Asked for a second time, the proxy
 * asks this same server for it (marked with PAGE_RENDER_HEADER, which the proxy lets through to
 * the render) and keeps it under the digest of the frame that render read: the page writes that
 * digest into its markup (FRAME_DIGEST_ATTRIBUTE), so a write that lands between the proxy's
 * read and the render's can never file a page under an older frame. Only a complete 200 HTML
 * answer is kept; any other (a redirect to sign-in or to the security page, a 404, an error) is
 * passed on as it came.
 *
 * Per process, bounded by bytes, one entry per person and address (a newer frame replaces the
 * older): nothing is shared between people or organizations, and instances need not agree on
 * anything (each reads the frame from the database on every request).
 */

/** Marks the proxy's own request for a page: rendered by Next, never served from the cache. */
export const PAGE_RENDER_HEADER = 'x-kpi-page-render';

/**
 * Says how the proxy answered: `hit`; `first`: rendered by Next as any page, the first request
 * for it; `miss`: asked again, rendered and kept; `render`: rendered, not kept.
 */
export const PAGE_CACHE_HEADER = 'x-page-cache';

/** The attribute that carries, in a rendered page, the digest of the frame it was rendered from. */
export const FRAME_DIGEST_ATTRIBUTE = 'data-frame-digest';

/** Dashboards only: `/o/<slug>`, with any query (the period). */
const CACHED_PATH = /^\/o\/([^/]+)$/;

const MB = 1024 * 1024;

type StoredPage = {
  /** The page's UTF-8 bytes, cut where the nonce it was rendered with stood (out of the heap). */
  parts: Buffer[];
  /** The render's response headers to send again (not its cookies, CSP, date or lengths). */
  headers: [string, string][];
  /** The bytes it holds. */
  bytes: number;
};

/** One cache per process, whichever bundle asks (the proxy stores, the proxy serves). */
function pages(): LruCache<StoredPage> {
  return processWide(
    'page-cache',
    () => new LruCache<StoredPage>(heapShareBytes(1 / 20, 64 * MB), 5_000),
  );
}

/**
 * The keys asked for once: a page is kept only when its key is asked for a second time, so a
 * view nobody opens again (after every write of a busy organization) costs its render alone,
 * without the loopback request and the copy that keeping it takes.
 */
function sightings(): LruCache<true> {
  return processWide('page-cache-sightings', () => new LruCache<true>(4 * MB, 20_000));
}

/**
 * A digest of everything a page's frame read, the session's claims with it. Maps (the unit tree
 * of a lead's membership) are written as their entries.
 */
export function frameDigest(claims: SessionClaims, frame: OrgPageFrame): string {
  const json = JSON.stringify([claims, frame], (_key, value: unknown) =>
    value instanceof Map ? [...value.entries()] : value,
  );
  return createHash('sha256').update(json).digest('base64url');
}

/** The organization slug of an address whose page may be cached, or null. */
export function cachedPageSlug(pathname: string): string | null {
  const slug = CACHED_PATH.exec(pathname)?.[1];
  // Of a slug's shape only (the page answers anything else as missing, before any query).
  if (!slug || slug.length > SLUG_MAX_LENGTH || !SLUG_PATTERN.test(slug)) return null;
  return slug;
}

/**
 * Whether a request asks for a whole document the cache may answer: a GET (never a server
 * action, which is a POST) that is not Next's router asking for RSC (a navigation or a prefetch)
 * or the proxy's own render.
 */
export function isCacheableDocumentRequest(
  method: string,
  headers: Headers,
  searchParams: URLSearchParams,
): boolean {
  if (method !== 'GET') return false;
  if (headers.has(PAGE_RENDER_HEADER)) return false;
  if (headers.has('rsc') || headers.has('next-router-prefetch')) return false;
  return !searchParams.has('_rsc');
}

/**
 * Where a person's page is kept: by person and address first (so a newer frame replaces the
 * older entry), then the frame's digest and the day.
 */
function keyOf(userId: string, address: string, digest: string, day: string): string {
  return `${userId}|${address}|${digest}|${day}`;
}

/**
 * Headers of one hop (the connection's, and the body's framing, set anew for a body passed on
 * decoded): never carried from the visitor's request to the render's, nor from the render's
 * response to the visitor's.
 */
const HOP_HEADERS: ReadonlySet<string> = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);

/** Headers not kept with a stored page: the hop's, and what each answer sets for itself. */
const UNSTORED_HEADERS: ReadonlySet<string> = new Set([
  ...HOP_HEADERS,
  'set-cookie',
  'content-security-policy',
  'date',
  PAGE_CACHE_HEADER,
]);

/** The nonce of a CSP's script-src, or null. */
export function nonceOfPolicy(policy: string | null): string | null {
  return policy ? (/'nonce-([^']+)'/.exec(policy)?.[1] ?? null) : null;
}

/** Bytes as a response body (a Buffer is one; its type names a wider buffer than BodyInit takes). */
function bodyOf(bytes: Buffer): BodyInit {
  return bytes as Uint8Array<ArrayBuffer>;
}

/** The stored page's bytes with a new nonce where the one it was rendered with stood. */
export function withNonce(page: StoredPage, nonce: string): Buffer {
  const value = Buffer.from(nonce);
  return Buffer.concat(page.parts.flatMap((part, i) => (i === 0 ? [part] : [value, part])));
}

/**
 * A response for a stored page: the render's headers, a fresh nonce in the HTML and the CSP,
 * and PAGE_CACHE_HEADER `hit`.
 */
export function responseFromStored(page: StoredPage): Response {
  const nonce = createNonce();
  const headers = new Headers(page.headers);
  headers.set('content-security-policy', contentSecurityPolicy(nonce));
  headers.set(PAGE_CACHE_HEADER, 'hit');
  return new Response(bodyOf(withNonce(page, nonce)), { status: 200, headers });
}

/** The page a render answered with, if it may be kept: a complete 200 HTML page with its nonce. */
export function storablePage(status: number, headers: Headers, body: Buffer): StoredPage | null {
  if (status !== 200) return null;
  if (!(headers.get('content-type') ?? '').startsWith('text/html')) return null;
  const nonce = nonceOfPolicy(headers.get('content-security-policy'));
  if (!nonce) return null;
  const needle = Buffer.from(nonce);
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, from)) {
    parts.push(body.subarray(from, at));
    from = at + needle.length;
  }
  if (parts.length === 0) return null;
  parts.push(body.subarray(from));
  const kept: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!UNSTORED_HEADERS.has(name.toLowerCase())) kept.push([name, value]);
  });
  return { parts, headers: kept, bytes: body.length };
}

const DIGEST_MARK = Buffer.from(`${FRAME_DIGEST_ATTRIBUTE}="`);

/** The digest a rendered page carries (FRAME_DIGEST_ATTRIBUTE), or null. */
export function renderedFrameDigest(body: Buffer): string | null {
  const at = body.indexOf(DIGEST_MARK);
  if (at === -1) return null;
  const start = at + DIGEST_MARK.length;
  const end = body.indexOf('"', start);
  if (end === -1 || end - start > 64) return null;
  const digest = body.toString('latin1', start, end);
  return /^[A-Za-z0-9_-]+$/.test(digest) ? digest : null;
}

/** This server's own address for the proxy's render requests (null: not known, no caching). */
function ownOrigin(): string | null {
  const explicit = process.env.PAGE_RENDER_ORIGIN || process.env.__NEXT_PRIVATE_ORIGIN;
  if (explicit) return explicit;
  return process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : null;
}

/** Headers of the proxy's render request: the visitor's, less the hop's own and Next's internals. */
function renderRequestHeaders(incoming: Headers): Headers {
  const headers = new Headers();
  incoming.forEach((value, name) => {
    const n = name.toLowerCase();
    if (n === 'host' || n === 'accept-encoding' || HOP_HEADERS.has(n)) return;
    // The whole page is wanted, never "not modified".
    if (n === 'if-none-match' || n === 'if-modified-since') return;
    if (n.startsWith('x-middleware-')) return;
    headers.set(name, value);
  });
  headers.set(PAGE_RENDER_HEADER, '1');
  // Uncompressed: fetch would otherwise ask for gzip, and Next would compress what this process
  // decompresses at once (the visitor's answer is compressed once, on its way out).
  headers.set('accept-encoding', 'identity');
  return headers;
}

/** The response of a render, passed on as it came (its cookies included), marked `how`. */
function passOn(res: Response, body: Buffer, how: 'miss' | 'render'): Response {
  const headers = new Headers();
  res.headers.forEach((value, name) => {
    const n = name.toLowerCase();
    if (n !== 'set-cookie' && !HOP_HEADERS.has(n)) headers.set(name, value);
  });
  for (const cookie of res.headers.getSetCookie()) headers.append('set-cookie', cookie);
  headers.set(PAGE_CACHE_HEADER, how);
  const empty = res.status === 204 || res.status === 205 || res.status === 304;
  return new Response(empty ? null : bodyOf(body), { status: res.status, headers });
}

/**
 * The proxy's answer for a dashboard request: a Response (from the cache, or the render it asked
 * for and kept), `first` when Next is to render a page asked for the first time under its frame
 * (kept when asked for again), or null to let Next render it as any other page: no session
 * claims, a frame that lets no one in (the render gives the 404 or the sign-in) or that could not
 * be read, a first visit to this organization (the render remembers it), or the server's own
 * address unknown or unreachable.
 */
export async function cachedPage(
  request: { nextUrl: URL; headers: Headers; method: string },
  claims: SessionClaims | null,
  readFrame: (claims: SessionClaims, slug: string) => Promise<OrgPageFrame>,
): Promise<Response | 'first' | null> {
  const { pathname, search, searchParams } = request.nextUrl;
  const slug = cachedPageSlug(pathname);
  if (!slug || !claims) return null;
  if (!isCacheableDocumentRequest(request.method, request.headers, searchParams)) return null;
  const origin = ownOrigin();
  if (!origin) return null;

  let frame: OrgPageFrame;
  try {
    frame = await readFrame(claims, slug);
  } catch {
    // The render reads it again and shows the app's own error page if it fails there too.
    return null;
  }
  if (!frame.found || !frame.found.user.lastOrgCurrent) return null;
  const timeZone = frame.found.org.timeZone;
  const day = todayInTimeZone(timeZone);
  const address = `${pathname}${search}`;
  const cache = pages();
  const key = keyOf(claims.userId, address, frameDigest(claims, frame), day);
  const stored = cache.get(key);
  if (stored) return responseFromStored(stored);
  const seen = sightings();
  if (!seen.get(key)) {
    seen.set(key, true, 2 * key.length);
    return 'first';
  }

  let res: Response;
  let body: Buffer;
  try {
    res = await fetch(`${origin}${address}`, {
      headers: renderRequestHeaders(request.headers),
      redirect: 'manual',
    });
    body = Buffer.from(await res.arrayBuffer());
  } catch {
    return null;
  }
  const page = storablePage(res.status, res.headers, body);
  const digest = page ? renderedFrameDigest(body) : null;
  // Kept under the frame the render read, on the day it ended in (a render across midnight is
  // not kept: its day is not known).
  if (page && digest && todayInTimeZone(timeZone) === day) {
    cache.deletePrefix(`${claims.userId}|${address}|`);
    cache.set(keyOf(claims.userId, address, digest, day), page, page.bytes);
    return passOn(res, body, 'miss');
  }
  return passOn(res, body, 'render');
}
