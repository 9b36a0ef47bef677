import { discoveryUrl } from '@/lib/domain/sso';

/** The result of "Test connection": what was found, or the exact problem. */
export type DiscoveryReport =
  | { ok: true; message: string; issuer: string; authorizationEndpoint: string }
  | { ok: false; message: string };

const TIMEOUT_MS = 5000;
const MAX_BYTES = 256 * 1024;

function errorText(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

/**
 * Fetches an issuer's OpenID Connect discovery document and checks what next-auth needs from it:
 * the same issuer, the authorization, token and key endpoints, the code flow and PKCE (S256).
 * Never throws; an external effect, so never call it inside a database transaction.
 */
export async function checkDiscovery(issuer: string): Promise<DiscoveryReport> {
  const url = discoveryUrl(issuer);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      return { ok: false, message: `No answer from ${url} within ${TIMEOUT_MS / 1000} seconds.` };
    }
    return { ok: false, message: `Could not reach ${url} (${errorText(error)}).` };
  }
  if (response.status !== 200) {
    return { ok: false, message: `${url} answered HTTP ${response.status}, not the discovery document.` };
  }
  const text = await response.text();
  if (text.length > MAX_BYTES) return { ok: false, message: `${url} returned more than 256 KB.` };
  let doc: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    doc = parsed as Record<string, unknown>;
  } catch {
    return { ok: false, message: `${url} did not return a JSON discovery document.` };
  }
  if (doc.issuer !== issuer) {
    return typeof doc.issuer === 'string'
      ? {
          ok: false,
          message: `The provider names its issuer "${doc.issuer.slice(0, 300)}", not "${issuer}". Enter exactly "${doc.issuer.slice(0, 300)}".`,
        }
      : { ok: false, message: `The discovery document at ${url} names no issuer.` };
  }
  const missing = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'].filter(
    (key) => typeof doc[key] !== 'string',
  );
  if (missing.length > 0) {
    return { ok: false, message: `The discovery document has no ${missing.join(', ')}.` };
  }
  const list = (key: string) => (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : null);
  if (!list('response_types_supported')?.includes('code')) {
    return { ok: false, message: 'The provider does not offer the authorization code flow (response type "code").' };
  }
  const pkce = list('code_challenge_methods_supported');
  if (pkce && !pkce.includes('S256')) {
    return { ok: false, message: 'The provider does not offer PKCE with S256.' };
  }
  return {
    ok: true,
    message: `Connected to ${issuer}: sign-in, token and key endpoints found.`,
    issuer,
    authorizationEndpoint: String(doc.authorization_endpoint),
  };
}
