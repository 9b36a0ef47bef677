import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * One-click unsubscribe tokens: `<payload>.<mac>`, the payload naming organization, person and
 * notification kind (base64url JSON), the MAC an HMAC-SHA256 of it with the app secret under
 * its own label, so the token is good for nothing else. No expiry: an old mail's link still
 * works (it can only turn e-mail off for that one person, organization and kind).
 */
export type UnsubscribeClaims = { orgId: string; userId: string; kind: string };

const LABEL = 'cascade-kpi/unsubscribe/v1';

const claimsSchema = z
  .object({ o: z.uuid(), u: z.uuid(), k: z.string().regex(/^[a-z_]{1,40}$/) })
  .strict();

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`${LABEL}\n${payload}`).digest('base64url');
}

/** Signs the claims into a URL-safe token. */
export function signUnsubscribeToken(claims: UnsubscribeClaims, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({ o: claims.orgId, u: claims.userId, k: claims.kind }),
  ).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** The claims of a valid token, or null for anything forged, altered or malformed. */
export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaims | null {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined) return null;
  const expected = Buffer.from(mac(payload, secret));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  try {
    const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
    if (!parsed.success) return null;
    return { orgId: parsed.data.o, userId: parsed.data.u, kind: parsed.data.k };
  } catch {
    return null;
  }
}
