import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionClaims } from '@/lib/auth/session';
import type { OrgPageFrame } from '@/lib/dal/org-page-frame';
import {
  cachedPage,
  FRAME_DIGEST_ATTRIBUTE,
  frameDigest,
  nonceOfPolicy,
  PAGE_CACHE_HEADER,
  PAGE_RENDER_HEADER,
} from './page-cache';

// The proxy's logic around a real render: the frame read and this server's answer are given
// here (the e2e test `page-cache` drives the whole thing against a production build).

const ann: SessionClaims = { userId: 'user-ann', sessionVersion: 1, sessionId: 'session-ann' };
const bob: SessionClaims = { userId: 'user-bob', sessionVersion: 1, sessionId: 'session-bob' };

function frameOf(dataVersion: string, extra: { lastOrgCurrent?: boolean; unread?: number } = {}) {
  return {
    found: {
      org: { id: 'org-1', slug: 'acme', timeZone: 'UTC' },
      actor: { userId: 'x', role: 'owner' },
      user: { lastOrgCurrent: extra.lastOrgCurrent ?? true },
      unitParentOf: new Map([['u1', null]]),
    },
    chrome: { orgs: [], unread: extra.unread ?? 0 },
    dataVersion,
  } as unknown as OrgPageFrame;
}

/** A render of this server: its HTML carries the digest of `renderFrame` and the nonce it got. */
function renderer(renderFrame: () => OrgPageFrame, claims: () => SessionClaims) {
  const calls: { url: string; headers: Headers }[] = [];
  let n = 0;
  const fetchStub = vi.fn(async (url: string, init: { headers: Headers }) => {
    calls.push({ url, headers: init.headers });
    n += 1;
    const nonce = `nonce${n}AAAAAAAAAAAAAAA==`;
    const digest = frameDigest(claims(), renderFrame());
    const html = `<html><script nonce="${nonce}">1</script><span hidden="" ${FRAME_DIGEST_ATTRIBUTE}="${digest}"></span><p>render ${n}</p><script nonce="${nonce}">2</script></html>`;
    return new Response(html, {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
        'cache-control': 'private, no-cache, no-store, max-age=0, must-revalidate',
        'set-cookie': 'rendered=1; Path=/',
      },
    });
  });
  return { calls, fetchStub };
}

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return {
    nextUrl: new URL(`http://app.test${path}`),
    headers: new Headers({ cookie: 'session=abc', ...init.headers }),
    method: init.method ?? 'GET',
  };
}

/** How the proxy answered: `first` (Next renders), a Response's PAGE_CACHE_HEADER, or null. */
function howOf(answer: Response | 'first' | null): string | null {
  return answer instanceof Response ? answer.headers.get(PAGE_CACHE_HEADER) : answer;
}

describe('cachedPage', () => {
  beforeEach(() => {
    vi.stubEnv('PAGE_RENDER_ORIGIN', 'http://render.test');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it('leaves a first request to Next, keeps the page asked for again, then answers with it under a fresh nonce', async () => {
    let frame = frameOf('10');
    const { calls, fetchStub } = renderer(
      () => frame,
      () => ann,
    );
    vi.stubGlobal('fetch', fetchStub);
    const read = vi.fn(async () => frame);
    const ask = () =>
      cachedPage(request('/o/acme-p1', { headers: { 'if-none-match': '"abc"' } }), ann, read);

    // Asked once: Next renders it as any page, nothing is asked of this server.
    expect(await ask()).toBe('first');
    expect(fetchStub).not.toHaveBeenCalled();

    // Asked again under the same frame: rendered through this server and kept.
    const second = (await ask()) as Response;
    expect(howOf(second)).toBe('miss');
    // The render was asked of this server, as the visitor, marked as the proxy's own.
    expect(calls[0]!.url).toBe('http://render.test/o/acme-p1');
    expect(calls[0]!.headers.get(PAGE_RENDER_HEADER)).toBe('1');
    expect(calls[0]!.headers.get('cookie')).toBe('session=abc');
    expect(calls[0]!.headers.has('if-none-match')).toBe(false);
    expect(calls[0]!.headers.get('accept-encoding')).toBe('identity');
    expect(second.headers.getSetCookie()).toEqual(['rendered=1; Path=/']);
    expect(await second.text()).toContain('render 1');

    const third = (await ask()) as Response;
    expect(howOf(third)).toBe('hit');
    expect(fetchStub).toHaveBeenCalledTimes(1);
    const html = await third.text();
    expect(html).toContain('render 1');
    const nonce = nonceOfPolicy(third.headers.get('content-security-policy'))!;
    expect(nonce).not.toBe('nonce1AAAAAAAAAAAAAAA==');
    // Every script of the stored page carries the new nonce, none the old one.
    expect(html.split(`nonce="${nonce}"`)).toHaveLength(3);
    expect(html).not.toContain('nonce1AAAAAAAAAAAAAAA==');
    // The render's headers again, but not its cookies.
    expect(third.headers.get('cache-control')).toContain('no-store');
    expect(third.headers.getSetCookie()).toEqual([]);
    expect(read).toHaveBeenCalledTimes(3);

    // A write (a new data version): Next renders, then it is kept again; the older page is not
    // kept beside it.
    frame = frameOf('11');
    expect(await ask()).toBe('first');
    const fourth = (await ask()) as Response;
    expect(howOf(fourth)).toBe('miss');
    expect(await fourth.text()).toContain('render 2');
    expect(howOf(await ask())).toBe('hit');
    frame = frameOf('10');
    expect(howOf(await ask())).toBe('miss');
  });

  it('keeps pages apart by person, address, bell and day', async () => {
    let claims = ann;
    let frame = frameOf('20');
    const { fetchStub } = renderer(
      () => frame,
      () => claims,
    );
    vi.stubGlobal('fetch', fetchStub);
    const read = async () => frame;
    const how = async (path: string) => howOf(await cachedPage(request(path), claims, read));

    expect(await how('/o/acme-p2')).toBe('first');
    expect(await how('/o/acme-p2')).toBe('miss');
    expect(await how('/o/acme-p2')).toBe('hit');
    expect(await how('/o/acme-p2?period=2026-Q3')).toBe('first');
    expect(await how('/o/acme-p2')).toBe('hit');
    claims = bob;
    expect(await how('/o/acme-p2')).toBe('first');
    claims = ann;
    frame = frameOf('20', { unread: 1 });
    expect(await how('/o/acme-p2')).toBe('first');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.now() + 86_400_000));
    expect(await how('/o/acme-p2')).toBe('first');
    expect(await how('/o/acme-p2')).toBe('miss');
    expect(await how('/o/acme-p2')).toBe('hit');
    expect(fetchStub).toHaveBeenCalledTimes(2);
  });

  it('files a page under the frame its render read, not the one the proxy read before it', async () => {
    let renderFrame = frameOf('31');
    const { fetchStub } = renderer(
      () => renderFrame,
      () => ann,
    );
    vi.stubGlobal('fetch', fetchStub);
    const how = async (proxyFrame: OrgPageFrame) =>
      howOf(await cachedPage(request('/o/acme-p3'), ann, async () => proxyFrame));
    // A write landed between the proxy's read (30) and the render's (31): the page is the 31 one.
    expect(await how(frameOf('30'))).toBe('first');
    expect(await how(frameOf('30'))).toBe('miss');
    expect(await how(frameOf('30'))).toBe('miss');
    expect(await how(frameOf('31'))).toBe('hit');
    renderFrame = frameOf('32');
    expect(await how(frameOf('32'))).toBe('first');
    expect(await how(frameOf('32'))).toBe('miss');
    expect(await how(frameOf('32'))).toBe('hit');
    // The 31 page was replaced by the 32 one.
    expect(await how(frameOf('31'))).toBe('first');
    expect(fetchStub).toHaveBeenCalledTimes(3);
  });

  it('passes on, unkept, what is not a complete page', async () => {
    const fetchStub = vi.fn(
      async () =>
        new Response(null, {
          status: 307,
          headers: { location: '/o/acme/account/security?required=1', 'set-cookie': 'a=1' },
        }),
    );
    vi.stubGlobal('fetch', fetchStub);
    const read = async () => frameOf('40');
    expect(await cachedPage(request('/o/acme-p4'), ann, read)).toBe('first');
    for (let i = 0; i < 2; i += 1) {
      const res = (await cachedPage(request('/o/acme-p4'), ann, read)) as Response;
      expect(res.status).toBe(307);
      expect(res.headers.get('location')).toBe('/o/acme/account/security?required=1');
      expect(res.headers.getSetCookie()).toEqual(['a=1']);
      expect(howOf(res)).toBe('render');
    }
    expect(fetchStub).toHaveBeenCalledTimes(2);

    // A page without the frame's digest in it (another page, an error page) is not kept either.
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response('<p>oops</p><script nonce="n1AAAAAAAAAAAAAAAAAAAA==">x</script>', {
            status: 200,
            headers: {
              'content-type': 'text/html',
              'content-security-policy': `script-src 'nonce-n1AAAAAAAAAAAAAAAAAAAA=='`,
            },
          }),
      ),
    );
    expect(await cachedPage(request('/o/acme-p4b'), ann, read)).toBe('first');
    expect(howOf(await cachedPage(request('/o/acme-p4b'), ann, read))).toBe('render');
    expect(howOf(await cachedPage(request('/o/acme-p4b'), ann, read))).toBe('render');
  });

  it('leaves to Next what it may not answer, most without reading the frame', async () => {
    const fetchStub = vi.fn();
    vi.stubGlobal('fetch', fetchStub);
    const read = vi.fn(async () => frameOf('50'));
    const none = [
      cachedPage(request('/o/acme/kpis'), ann, read),
      cachedPage(request('/o/acme', { method: 'POST' }), ann, read),
      cachedPage(request('/o/acme', { headers: { rsc: '1' } }), ann, read),
      cachedPage(request('/o/acme?_rsc=abc'), ann, read),
      cachedPage(request('/o/acme', { headers: { [PAGE_RENDER_HEADER]: '1' } }), ann, read),
      cachedPage(request('/o/acme'), null, read),
      cachedPage(request('/o/Not%20a%20slug'), ann, read),
    ];
    expect(await Promise.all(none)).toEqual([null, null, null, null, null, null, null]);
    expect(read).not.toHaveBeenCalled();

    // No membership (the render answers 404 or sign-in), or a first visit (the render records it).
    const noOne = { ...frameOf('50'), found: null } as OrgPageFrame;
    expect(await cachedPage(request('/o/acme'), ann, async () => noOne)).toBeNull();
    const firstVisit = frameOf('50', { lastOrgCurrent: false });
    expect(await cachedPage(request('/o/acme'), ann, async () => firstVisit)).toBeNull();
    expect(await cachedPage(request('/o/acme'), ann, async () => firstVisit)).toBeNull();
    // The frame unreadable (the database away): the render tries and shows the error page.
    const failing = async (): Promise<OrgPageFrame> => {
      throw new Error('connection refused');
    };
    expect(await cachedPage(request('/o/acme'), ann, failing)).toBeNull();
    // This server's address unknown, or the render unreachable: Next renders as usual.
    vi.stubEnv('PAGE_RENDER_ORIGIN', '');
    vi.stubEnv('__NEXT_PRIVATE_ORIGIN', '');
    vi.stubEnv('PORT', '');
    expect(await cachedPage(request('/o/acme'), ann, read)).toBeNull();
    vi.stubEnv('PAGE_RENDER_ORIGIN', 'http://render.test');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('fetch failed');
      }),
    );
    expect(await cachedPage(request('/o/acme-p5'), ann, read)).toBe('first');
    expect(await cachedPage(request('/o/acme-p5'), ann, read)).toBeNull();
    expect(fetchStub).not.toHaveBeenCalled();
  });
});
