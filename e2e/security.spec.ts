import { expect, test } from '@playwright/test';
import { DEMO_ORG, signInAsPersona, signUp, uniqueAccount } from './helpers';

// Security headers on every page of the production build, the session cookie's flags, and
// server actions refused from another origin.

const PAGES = ['/', '/sign-in', '/sign-up', '/share/not-a-real-token'];

test.describe('security headers', () => {
  for (const path of PAGES) {
    test(`${path} carries a nonce CSP, no framing, nosniff, a referrer policy and HSTS`, async ({ request }) => {
      const response = await request.get(path);
      const headers = response.headers();
      const csp = headers['content-security-policy'] ?? '';
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, csp).toBeTruthy();
      expect(csp).toContain(`frame-ancestors 'none'`);
      expect(csp).toContain(`object-src 'none'`);
      expect(csp).not.toContain('unsafe-eval');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
      // Next put this response's nonce on its inline scripts; no script goes without it.
      const html = await response.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      // A fresh nonce for every response.
      const again = (await request.get(path)).headers()['content-security-policy'];
      expect(again).not.toBe(csp);
    });
  }

  test('pages run under the policy without violations, and the session cookie is HttpOnly, Lax and Secure', async ({
    page,
    context,
  }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    // Sign-up is a server action: it runs (same origin) and lands in the new workspace.
    await signUp(page, uniqueAccount('Csp'));
    await page.reload();
    await expect(page.getByRole('heading', { name: /Welcome to/ })).toBeVisible();
    expect(violations).toEqual([]);
    const session = (await context.cookies()).find((c) => c.name.endsWith('next-auth.session-token'));
    expect(session).toBeDefined();
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true });
    expect(session?.name).toBe('__Secure-next-auth.session-token');
  });

  test('a KPI page, its forms built with zod on the client, runs without a CSP violation', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    // Console reports and the violation events themselves (a caught eval probe fires one too).
    const violations: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|Refused to/i.test(text)) violations.push(text);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`Refused to run: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await signInAsPersona(page, 'Owner: Morgan Blake');
    await page.goto(`${DEMO_ORG}/kpis`, { waitUntil: 'networkidle' });
    const hrefs = await page
      .locator(`a[href^="${DEMO_ORG}/kpis/"]`)
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    // The first KPI page with a check-in form (a formula KPI, such as the north star, has none).
    const form = page.getByRole('form', { name: 'Record a value' });
    for (const kpi of hrefs.filter((h) => /\/kpis\/[0-9a-f-]{36}$/.test(h)).slice(0, 8)) {
      await page.goto(kpi, { waitUntil: 'networkidle' });
      if ((await form.count()) > 0) break;
    }
    // The check-in form is hydrated (its schema built), and its client-side check runs.
    await expect(form).toBeVisible();
    await form.getByRole('textbox').first().fill('not a number');
    await form.locator('button[type="submit"]').click();
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
  });
});

test.describe('server actions and origins', () => {
  const action = (origin: string | undefined) => ({
    headers: {
      'Next-Action': '7f00000000000000000000000000000000000000aa',
      'Content-Type': 'text/plain;charset=UTF-8',
      Accept: 'text/x-component',
      ...(origin === undefined ? {} : { Origin: origin }),
    },
    data: '[]',
    maxRedirects: 0,
  });

  for (const [label, origin] of [
    ['another site', 'https://evil.example'],
    ['a null origin', 'null'],
    ['no origin at all', undefined],
  ] as const) {
    test(`a server action POST from ${label} is refused`, async ({ request }) => {
      for (const path of ['/sign-up', '/o/northwind-cloud']) {
        const response = await request.post(path, action(origin));
        expect(response.status(), path).toBe(403);
        expect(await response.text()).toBe('Cross-origin request refused.');
      }
    });
  }

  test('the same origin reaches Next (an unknown action is not refused by the origin check)', async ({
    request,
    baseURL,
  }) => {
    const response = await request.post('/sign-up', action(new URL(baseURL!).origin));
    expect(response.status()).not.toBe(403);
  });
});
