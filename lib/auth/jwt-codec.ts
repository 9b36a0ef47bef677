import { hkdf, randomUUID } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { JWTDecodeParams, JWTEncodeParams, JWT } from 'next-auth/jwt';

/*
 * next-auth's session JWT (an encrypted JWE: `dir` + A256GCM, the key derived from the secret
 * with HKDF-SHA256), with the derived key computed once per secret and salt instead of on every
 * encode and decode. A dashboard request decoded the cookie twice (proxy, getServerSession) and
 * re-encoded it once (getServerSession), three HKDF derivations a request (2% of its CPU in the
 * profiles of issue 21). The format is next-auth's own (next-auth/jwt encode and decode, v4): a
 * cookie written by either side reads on the other (lib/auth/jwt-codec.test.ts).
 */

const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;

/** Derived keys by salt and secret; a handful at most (one secret, one salt in this app). */
const keys = new Map<string, Promise<Uint8Array>>();

function derivedKey(secret: string | Buffer, salt: string): Promise<Uint8Array> {
  const id = `${salt}\u0000${typeof secret === 'string' ? secret : secret.toString('base64')}`;
  let key = keys.get(id);
  if (!key) {
    const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ''}`;
    key = new Promise<Uint8Array>((resolve, reject) =>
      hkdf('sha256', secret, salt, info, 32, (error, bytes) =>
        error ? reject(error) : resolve(new Uint8Array(bytes)),
      ),
    );
    // A failed derivation is not remembered.
    key.catch(() => keys.delete(id));
    if (keys.size >= 8) keys.clear();
    keys.set(id, key);
  }
  return key;
}

const now = () => (Date.now() / 1000) | 0;

/** next-auth's `jwt.encode`, with the cached key. */
export async function encodeSessionJwt({
  token = {},
  secret,
  maxAge = DEFAULT_MAX_AGE,
  salt = '',
}: JWTEncodeParams): Promise<string> {
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(now() + maxAge)
    .setJti(randomUUID())
    .encrypt(await derivedKey(secret, salt));
}

/** next-auth's `jwt.decode`, with the cached key: the token's claims, or a throw when invalid. */
export async function decodeSessionJwt({
  token,
  secret,
  salt = '',
}: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, await derivedKey(secret, salt), {
    clockTolerance: 15,
  });
  return payload as JWT;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The claims this app puts in a session JWT (lib/auth/options.ts `jwt` callback): who, which
 * session version, which session row. Null for a malformed token or one from before sessions had
 * ids.
 */
export function sessionClaimsOf(
  token: JWT,
): { userId: string; sessionVersion: number; sessionId: string } | null {
  const { uid, sv, sid } = token as { uid?: unknown; sv?: unknown; sid?: unknown };
  if (typeof uid !== 'string' || typeof sv !== 'number' || typeof sid !== 'string') return null;
  if (!UUID.test(uid) || !UUID.test(sid)) return null;
  return { userId: uid, sessionVersion: sv, sessionId: sid };
}
