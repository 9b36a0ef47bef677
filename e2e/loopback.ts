import http from 'node:http';

/*
 * A bare HTTP client that connects from a chosen loopback address (127.0.0.2, 127.0.0.3, ...) so
 * the app sees requests from several clients, with its own cookie jar. Browsers cannot pick their
 * source address; the address-sensitive probes use this instead.
 */

export type LoopbackResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

export class LoopbackClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseURL: string,
    readonly localAddress: string,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  request(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string; cookie?: string } = {},
  ): Promise<LoopbackResponse> {
    const url = new URL(path, this.baseURL);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method,
          localAddress: this.localAddress,
          headers: {
            ...(options.body !== undefined
              ? {
                  'content-type': 'application/x-www-form-urlencoded',
                  'content-length': Buffer.byteLength(options.body),
                }
              : {}),
            cookie: options.cookie ?? this.cookieHeader(),
            ...options.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            for (const line of res.headers['set-cookie'] ?? []) {
              const [pair = ''] = line.split(';');
              const at = pair.indexOf('=');
              const name = pair.slice(0, at);
              const value = pair.slice(at + 1);
              if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '')
                this.cookies.delete(name);
              else this.cookies.set(name, value);
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      req.on('error', reject);
      if (options.body !== undefined) req.write(options.body);
      req.end();
    });
  }

  async csrfToken(headers: Record<string, string> = {}): Promise<string> {
    const res = await this.request('GET', '/api/auth/csrf', { headers });
    return (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
  }

  /**
   * Signs in through next-auth's credentials endpoint, as the sign-in form does. Returns the
   * error code next-auth put in the redirect (null on success) and the raw redirect URL.
   */
  async signIn(
    email: string,
    password: string,
    headers: Record<string, string> = {},
  ): Promise<{ error: string | null; url: string }> {
    const csrfToken = await this.csrfToken(headers);
    const body = new URLSearchParams({
      csrfToken,
      email,
      password,
      json: 'true',
      callbackUrl: '/',
    }).toString();
    const res = await this.request('POST', '/api/auth/callback/credentials', { body, headers });
    // next-auth answers {url} as JSON (200 on success, 401 on a refused sign-in), or redirects.
    const url = String(res.headers['content-type'] ?? '').includes('json')
      ? (JSON.parse(res.body) as { url: string }).url
      : String(res.headers.location ?? '');
    return { error: new URL(url, this.baseURL).searchParams.get('error'), url };
  }

  async signOut(): Promise<void> {
    const csrfToken = await this.csrfToken();
    const body = new URLSearchParams({
      csrfToken,
      json: 'true',
      callbackUrl: '/sign-in',
    }).toString();
    await this.request('POST', '/api/auth/signout', { body });
  }

  /** The session next-auth reports for this jar (or another cookie header): the user's email or null. */
  async sessionEmail(cookie?: string): Promise<string | null> {
    const res = await this.request(
      'GET',
      '/api/auth/session',
      cookie === undefined ? {} : { cookie },
    );
    const session = JSON.parse(res.body || '{}') as { user?: { email?: string } };
    return session.user?.email ?? null;
  }
}
