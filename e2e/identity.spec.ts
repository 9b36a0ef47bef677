import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { signIn, signUp, uniqueAccount } from './helpers';
import { LoopbackClient } from './loopback';

/*
 * Identity under attack (issue 20), against the production build: requests come from several
 * loopback addresses (127.x.y.z), as several clients would.
 */

test.describe.configure({ mode: 'serial' });

/**
 * A loopback address of its own for each client (all of 127.0.0.0/8 reaches the server): a rerun
 * against the same database starts from counters of its own.
 */
function loopback(): string {
  const b = randomBytes(3);
  return `127.${(b[0]! % 250) + 1}.${b[1]}.${(b[2]! % 250) + 2}`;
}

function randomXff(): string {
  const b = randomBytes(4);
  return `${(b[0]! % 223) + 1}.${b[1]}.${b[2]}.${b[3]}`;
}

test('six wrong passwords from one address do not lock the owner out from another', async ({
  page,
  baseURL,
}) => {
  const account = uniqueAccount('Lockout');
  const orgPath = await signUp(page, account);
  const attacker = new LoopbackClient(baseURL!, loopback());
  for (let i = 0; i < 6; i += 1) {
    expect((await attacker.signIn(account.email, `wrong guess ${i} here`)).error).toBe(
      'CredentialsSignin',
    );
  }
  // The failing address now waits, even with the right password...
  expect((await attacker.signIn(account.email, account.password)).error).toBe('RateLimited');
  // ...the owner, from their own address, signs in at once.
  const owner = new LoopbackClient(baseURL!, loopback());
  expect((await owner.signIn(account.email, account.password)).error).toBeNull();
  expect((await owner.request('GET', orgPath)).status).toBe(200);
});

test('a different X-Forwarded-For on every request does not dodge the per-address limit', async ({
  baseURL,
}) => {
  const sprayer = new LoopbackClient(baseURL!, loopback());
  const answers: (string | null)[] = [];
  for (let i = 0; i < 24; i += 1) {
    const email = `spray-${i}-${randomBytes(4).toString('hex')}@example.com`;
    answers.push(
      (await sprayer.signIn(email, 'guess guess guess', { 'x-forwarded-for': randomXff() })).error,
    );
  }
  expect(answers.slice(0, 21).every((a) => a === 'CredentialsSignin')).toBe(true);
  expect(answers.slice(21)).toEqual(['RateLimited', 'RateLimited', 'RateLimited']);
});

test('a 15 KB X-Forwarded-For is capped: sign-in works and the error never carries SQL', async ({
  page,
  baseURL,
}) => {
  const account = uniqueAccount('Header');
  await signUp(page, account);
  // 15 KB: under Node's 16 KB limit on all headers together (past it Node answers 431 itself).
  let huge = randomXff();
  while (huge.length < 15_000) huge += `, ${randomXff()}`;
  expect(huge.length).toBeGreaterThanOrEqual(15_000);
  const client = new LoopbackClient(baseURL!, loopback());
  const wrong = await client.signIn(account.email, 'not the password at all', {
    'x-forwarded-for': huge,
  });
  expect(wrong.error).toBe('CredentialsSignin');
  expect(decodeURIComponent(wrong.url)).not.toMatch(/insert|select|params|sign_in_attempts/i);
  const right = await client.signIn(account.email, account.password, { 'x-forwarded-for': huge });
  expect(right.error).toBeNull();
  expect(await client.sessionEmail()).toBe(account.email);
});

test('sign-out ends the session: the old cookie replayed from elsewhere is signed out', async ({
  page,
  baseURL,
}) => {
  const account = uniqueAccount('Replay');
  const orgPath = await signUp(page, account);
  const client = new LoopbackClient(baseURL!, loopback());
  expect((await client.signIn(account.email, account.password)).error).toBeNull();
  const stolen = client.cookieHeader();
  expect((await client.request('GET', orgPath)).status).toBe(200);
  await client.signOut();
  const thief = new LoopbackClient(baseURL!, loopback());
  const replay = await thief.request('GET', orgPath, { cookie: stolen });
  expect(replay.status).toBe(307);
  expect(String(replay.headers.location)).toContain('/sign-in');
  const api = await thief.request('GET', `/api${orgPath}/assignees`, { cookie: stolen });
  expect(api.status).toBe(401);
});

test('"Sign out everywhere" ends the sessions of every browser at their next request', async ({
  browser,
  baseURL,
}) => {
  const account = uniqueAccount('Everywhere');
  const first = await browser.newPage();
  const orgPath = await signUp(first, account);
  const second = new LoopbackClient(baseURL!, loopback());
  expect((await second.signIn(account.email, account.password)).error).toBeNull();
  expect((await second.request('GET', orgPath)).status).toBe(200);
  await first.getByLabel('Account menu').click();
  await first.getByRole('button', { name: /Sign out everywhere/ }).click();
  await expect(first).toHaveURL(/\/sign-in/);
  expect((await second.request('GET', orgPath)).status).toBe(307);
  // Signing in again works as ever.
  await signIn(first, account.email, account.password);
  await expect(first).toHaveURL(new RegExp(`${orgPath}$`));
  await first.close();
});

/**
 * A reverse proxy on loopback that connects to the app from 127.0.0.10 (the address the e2e
 * server trusts through TRUSTED_PROXIES) and appends the client's socket address to
 * X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for does.
 */
async function startProxy(baseURL: string): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(baseURL);
  const server = http.createServer((req, res) => {
    const prior = req.headers['x-forwarded-for'];
    const forwarded = [prior, req.socket.remoteAddress].filter(Boolean).join(', ');
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        localAddress: '127.0.0.10',
        headers: { ...req.headers, host: upstream.host, 'x-forwarded-for': forwarded },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('behind a trusted proxy, clients are told apart by the address the proxy saw', async ({
  page,
  baseURL,
}) => {
  const account = uniqueAccount('Proxied');
  await signUp(page, account);
  const proxy = await startProxy(baseURL!);
  try {
    const attacker = new LoopbackClient(proxy.url, loopback());
    for (let i = 0; i < 6; i += 1) {
      // A forged header in front changes nothing: the proxy appends what it saw.
      const forged = { 'x-forwarded-for': randomXff() };
      expect((await attacker.signIn(account.email, `wrong guess ${i} here`, forged)).error).toBe(
        'CredentialsSignin',
      );
    }
    expect((await attacker.signIn(account.email, account.password)).error).toBe('RateLimited');
    // Same proxy, another client: not refused (without TRUSTED_PROXIES both would be 127.0.0.10).
    const owner = new LoopbackClient(proxy.url, loopback());
    expect((await owner.signIn(account.email, account.password)).error).toBeNull();
  } finally {
    await proxy.close();
  }
});

async function shoot(page: Page, name: string) {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width === 1440 ? 900 : 844 });
    await page.screenshot({ path: `test-results/identity-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test('forgot password answers alike for any address; a bad reset link says so', async ({
  page,
}) => {
  const account = uniqueAccount('Forgot');
  await signUp(page, account);
  await page.context().clearCookies();
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await shoot(page, 'forgot');
  const answers: string[] = [];
  for (const email of [account.email, `nobody-${Date.now()}@example.com`]) {
    await page.goto('/forgot-password');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Check your inbox' });
    await expect(status).toBeVisible();
    answers.push((await status.innerText()).replace(email, '<email>'));
  }
  expect(answers[0]).toBe(answers[1]);
  await shoot(page, 'forgot-sent');
  await page.goto(`/reset-password/${'x'.repeat(43)}`);
  await expect(page.getByRole('heading', { name: 'This link does not work' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Send me a new link' })).toBeVisible();
  await shoot(page, 'reset-invalid');
  await page.goto(`/verify-email/${'y'.repeat(43)}`);
  await expect(page.getByRole('heading', { name: 'This link does not work' })).toBeVisible();
});

test('sign-up with a taken address creates nothing and offers sign-in and reset; new accounts see the banner', async ({
  page,
}) => {
  const account = uniqueAccount('Taken');
  await signUp(page, account);
  const banner = page.getByRole('region', { name: 'Confirm your e-mail address' });
  await expect(banner).toContainText(account.email);
  await shoot(page, 'banner');
  await banner.getByRole('button', { name: 'Send the link again' }).click();
  // The e2e server sends no mail (no SMTP_URL), and the banner says so rather than pretend.
  await expect(banner.getByRole('status')).toContainText('E-mail is not set up on this server');
  await page.context().clearCookies();
  await page.goto('/sign-up');
  await page.getByLabel('Name', { exact: true }).fill('Someone Else');
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill('another long passphrase here');
  await page.getByLabel('Organization name').fill(`Copycat ${Date.now()}`);
  await page.getByRole('button', { name: 'Create organization' }).click();
  const offer = page.getByTestId('email-taken');
  await expect(offer.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(offer.getByRole('link', { name: 'Reset your password' })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
  await shoot(page, 'sign-up-taken');
  await offer.getByRole('link', { name: 'Reset your password' }).click();
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue(account.email);
});
