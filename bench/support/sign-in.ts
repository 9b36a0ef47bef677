// Signs in through next-auth's credentials endpoint, as the sign-in form does, for a session cookie.

/** Cookie header value (`name=value; ...`) from a response's Set-Cookie headers. */
function cookiesOf(res: Response, jar: Map<string, string>): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

const header = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * GET /api/auth/csrf, POST /api/auth/callback/credentials; returns the Cookie header to send.
 * Throws when no session cookie comes back, with the status and where next-auth sent the client
 * (its `?error=` code, such as RateLimited). `onResponse` sees each of the two responses.
 */
export async function signIn(
  baseUrl: string,
  email: string,
  password: string,
  opts: { signal?: AbortSignal; onResponse?: (res: Response) => void } = {},
): Promise<string> {
  const jar = new Map<string, string>();
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`, { signal: opts.signal });
  opts.onResponse?.(csrfRes);
  if (!csrfRes.ok) {
    throw new Error(
      `sign-in: /api/auth/csrf answered HTTP ${csrfRes.status}: ${(await csrfRes.text()).slice(0, 200)}`,
    );
  }
  cookiesOf(csrfRes, jar);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    signal: opts.signal,
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: header(jar) },
    body: new URLSearchParams({
      csrfToken,
      email,
      password,
      callbackUrl: `${baseUrl}/`,
      json: 'true',
    }),
  });
  opts.onResponse?.(res);
  cookiesOf(res, jar);
  if (![...jar.keys()].some((k) => k.endsWith('next-auth.session-token'))) {
    const answer = (await res.text()).slice(0, 200);
    const location = res.headers.get('location');
    throw new Error(
      `sign-in failed for ${email} (HTTP ${res.status}${location ? `, to ${location}` : ''}): ${answer}`,
    );
  }
  await res.arrayBuffer().catch(() => undefined);
  return header(jar);
}
