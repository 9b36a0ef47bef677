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

describe('cachedPage', () => {
  beforeEach(() => {
    vi.stubEnv('PAGE_RENDER_ORIGIN', 'http://render.test');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it('renders a dashboard once per frame, then answers with it under a fresh nonce', async () => {
    let frame = frameOf('10');
    const { calls, fetchStub } = renderer(
      () => frame,
      () => ann,
    );
    vi.stubGlobal('fetch', fetchStub);
    const read = vi.fn(async () => frame);

    const first = (await cachedPage(request('/o/acme-p1'), ann, read))!;
    expect(first.headers.get(PAGE_CACHE_HEADER)).toBe('miss');
    // The render was asked of this server, as the visitor, marked as the proxy's own.
    expect(calls[0]!.url).toBe('http://render.test/o/acme-p1');
    expect(calls[0]!.headers.get(PAGE_RENDER_HEADER)).toBe('1');
    expect(calls[0]!.headers.get('cookie')).toBe('session=abc');
    expect(first.headers.getSetCookie()).toEqual(['rendered=1; Path=/']);
    const firstHtml = await first.text();
    expect(firstHtml).toContain('render 1');

    const second = (await cachedPage(request('/o/acme-p1'), ann, read))!;
    expect(second.headers.get(PAGE_CACHE_HEADER)).toBe('hit');
    expect(fetchStub).toHaveBeenCalledTimes(1);
    const html = await second.text();
    expect(html).toContain('render 1');
    const nonce = nonceOfPolicy(second.headers.get('content-security-policy'))!;
    expect(nonce).not.toBe('nonce1AAAAAAAAAAAAAAA==');
    // Every script of the stored page carries the new nonce, none the old one.
    expect(html.split(`nonce="${nonce}"`)).toHaveLength(3);
    expect(html).not.toContain('nonce1AAAAAAAAAAAAAAA==');
    // The render's headers again, but not its cookies.
    expect(second.headers.get('cache-control')).toContain('no-store');
    expect(second.headers.getSetCookie()).toEqual([]);
    expect(read).toHaveBeenCalledTimes(2);

    // A write (a new data version) renders again; the older page is not kept beside it.
    frame = frameOf('11');
    const third = (await cachedPage(request('/o/acme-p1'), ann, read))!;
    expect(third.headers.get(PAGE_CACHE_HEADER)).toBe('miss');
    expect(await third.text()).toContain('render 2');
    frame = frameOf('10');
    const back = (await cachedPage(request('/o/acme-p1'), ann, read))!;
    expect(back.headers.get(PAGE_CACHE_HEADER)).toBe('miss');
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
    const how = async (path: string) =>
      (await cachedPage(request(path), claims, read))!.headers.get(PAGE_CACHE_HEADER);

    expect(await how('/o/acme-p2')).toBe('miss');
    expect(await how('/o/acme-p2')).toBe('hit');
    expect(await how('/o/acme-p2?period=2026-Q3')).toBe('miss');
    expect(await how('/o/acme-p2')).toBe('hit');
    claims = bob;
    expect(await how('/o/acme-p2')).toBe('miss');
    claims = ann;
    frame = frameOf('20', { unread: 1 });
    expect(await how('/o/acme-p2')).toBe('miss');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.now() + 86_400_000));
    expect(await how('/o/acme-p2')).toBe('miss');
    expect(await how('/o/acme-p2')).toBe('hit');
    expect(fetchStub).toHaveBeenCalledTimes(5);
  });

  it('files a page under the frame its render read, not the one the proxy read before it', async () => {
    let renderFrame = frameOf('31');
    const { fetchStub } = renderer(
      () => renderFrame,
      () => ann,
    );
    vi.stubGlobal('fetch', fetchStub);
    const how = async (proxyFrame: OrgPageFrame) =>
      (await cachedPage(request('/o/acme-p3'), ann, async () => proxyFrame))!.headers.get(
        PAGE_CACHE_HEADER,
      );
    // A write landed between the proxy's read (30) and the render's (31): the page is the 31 one.
    expect(await how(frameOf('30'))).toBe('miss');
    expect(await how(frameOf('30'))).toBe('miss');
    expect(await how(frameOf('31'))).toBe('hit');
    renderFrame = frameOf('32');
    expect(await how(frameOf('32'))).toBe('miss');
    expect(await how(frameOf('32'))).toBe('hit');
    expect(await how(frameOf('31'))).toBe('miss');
    expect(fetchStub).toHaveBeenCalledTimes(4);
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
    for (let i = 0; i < 2; i += 1) {
      const res = (await cachedPage(request('/o/acme-p4'), ann, read))!;
      expect(res.status).toBe(307);
      expect(res.headers.get('location')).toBe('/o/acme/account/security?required=1');
      expect(res.headers.getSetCookie()).toEqual(['a=1']);
      expect(res.headers.get(PAGE_CACHE_HEADER)).toBe('render');
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
    const res = (await cachedPage(request('/o/acme-p4b'), ann, read))!;
    expect(res.headers.get(PAGE_CACHE_HEADER)).toBe('render');
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
    ];
    expect(await Promise.all(none)).toEqual([null, null, null, null, null, null]);
    expect(read).not.toHaveBeenCalled();

    // No membership (the render answers 404 or sign-in), or a first visit (the render records it).
    const noOne = { ...frameOf('50'), found: null } as OrgPageFrame;
    expect(await cachedPage(request('/o/acme'), ann, async () => noOne)).toBeNull();
    const firstVisit = frameOf('50', { lastOrgCurrent: false });
    expect(await cachedPage(request('/o/acme'), ann, async () => firstVisit)).toBeNull();
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
    expect(await cachedPage(request('/o/acme'), ann, read)).toBeNull();
    expect(fetchStub).not.toHaveBeenCalled();
  });
});
