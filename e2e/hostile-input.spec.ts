import { expect, test, type Page } from '@playwright/test';
import postgres from 'postgres';
import { createKpi, signUp, uniqueAccount } from './helpers';

/**
 * Hostile input against the production build: broken percent-escapes and NUL characters in URL
 * paths answer 400/404 (never 500); period keys of year 0000/0001 fall back with a notice on the
 * dashboard and report pages and are a 400 from the export routes; zero-width and bidi-control
 * names are refused by the sign-up form; a 1.5 MB CSV file imports through the form; an
 * oversized server-action body is a 413 and a malformed one a 400; a page that fails under an
 * organization shows the error boundary with a retry and a way home. Screenshots at 1440 and
 * 390 px of the refused form and the error boundary.
 */

const DEMO = '/o/northwind-cloud';
const WIDTHS = [1440, 390] as const;

async function signInAs(page: Page, persona: string) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: persona }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
}

async function shoot(page: Page, name: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
  }
}

test('broken escapes and NUL characters in a path answer 400 or 404, never 500', async ({
  request,
}) => {
  const cases: [string, number][] = [
    ['/share/%ff', 400],
    ['/api/v1/kpis/%ff', 400],
    ['/invite/%ff', 400],
    ['/o/%ff', 400],
    ['/o/%00', 404],
    ['/share/%00', 404],
    ['/api/v1/kpis/%00', 404],
    [`${DEMO}/kpis/%00`, 404],
    [`/api/o/a%00b/dashboard`, 404],
  ];
  for (const [path, status] of cases) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(status);
  }
});

test('period keys of year 0000 and 0001 fall back with a notice on pages and are a 400 for exports', async ({
  page,
}) => {
  test.setTimeout(240_000); // six renders of the demo's dashboard and report, twelve exports
  await signInAs(page, 'Owner: Morgan Blake');
  for (const period of ['month-0000-01-01', 'year-0001-01-01', 'quarter-0001-04-01']) {
    for (const path of [DEMO, `${DEMO}/reports`]) {
      const response = await page.goto(`${path}?period=${period}`);
      expect(response?.status(), `${path} ${period}`).toBe(200);
      await expect(page.getByTestId('period-notice')).toBeVisible();
      await expect(page.getByText('Loading', { exact: false })).toHaveCount(0);
    }
    for (const api of ['reports/csv', 'reports/pdf', 'dashboard', 'me']) {
      const response = await page.request.get(`/api/o/northwind-cloud/${api}?period=${period}`);
      expect(response.status(), `${api} ${period}`).toBe(400);
    }
  }
  // A good link shows no notice.
  await page.goto(DEMO);
  await expect(page.getByTestId('period-notice')).toHaveCount(0);
});

test('the sign-up form refuses zero-width and bidi-control names with a clear message', async ({
  page,
}) => {
  const account = uniqueAccount('Spoof');
  await page.goto('/sign-up');
  await page.getByLabel('Name', { exact: true }).fill('\u200b\u200b');
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Organization name').fill('Sales \u202eECNANIF');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(
    page.getByText('Remove the invisible or control characters from the name', { exact: true }),
  ).toBeVisible();
  await expect(
    page.getByText('Remove the invisible or control characters from the organization name'),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
  await shoot(page, 'refused-name');
});

test('a 1.5 MB CSV file imports through the form (the action body limit is 1 MB)', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const base = await signUp(page, uniqueAccount('Bigcsv'));
  await createKpi(page, base, { name: 'Imported deals', rollup: 'manual', target: '100' });
  const kpiId = new URL(page.url()).pathname.split('/').pop()!;
  const today = new Date();
  const rows = Array.from({ length: 800 }, (_, i) => {
    const day = new Date(today.getTime() - (i + 2) * 86_400_000).toISOString().slice(0, 10);
    return `${kpiId},${day},${100 + (i % 5)},${`row ${i} `.padEnd(1900, 'x')}`;
  });
  const csv = `kpi,observed_on,value,note\n${rows.join('\n')}\n`;
  expect(csv.length).toBeGreaterThan(1.4 * 1024 * 1024);
  await page.goto(`${base}/data`);
  await page.getByLabel('CSV file').setInputFiles({
    name: 'big.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  });
  await expect(page.getByTestId('import-preview')).toContainText('800 to record');
  await page.getByRole('button', { name: 'Import 800 check-ins' }).click();
  await expect(page.getByTestId('import-message')).toHaveText(/^Imported 800 check-ins/, {
    timeout: 60_000,
  });
});

test('an oversized server-action body is a 413 and a malformed one a 400', async ({
  page,
  baseURL,
}) => {
  // The sign-up page's action id, as the browser sends it.
  let actionId: string | null = null;
  page.on('request', (r) => {
    actionId ??= r.headers()['next-action'] ?? null;
  });
  const account = uniqueAccount('Body');
  await page.goto('/sign-up');
  await page.getByLabel('Name', { exact: true }).fill('\u200b');
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Organization name').fill(account.orgName);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect.poll(() => actionId).not.toBeNull();
  const headers = {
    origin: baseURL!,
    'next-action': actionId!,
    'content-type': 'text/plain;charset=UTF-8',
    accept: 'text/x-component',
  };
  const big = await page.request.post('/sign-up', {
    headers,
    data: JSON.stringify([{ name: 'x'.repeat(1_500_000) }]),
  });
  expect(big.status()).toBe(413);
  const broken = await page.request.post('/sign-up', { headers, data: '[not json' });
  expect(broken.status()).toBe(400);
  const form = await page.request.post('/sign-up', {
    headers: { ...headers, 'content-type': 'multipart/form-data; boundary=zz' },
    data: 'garbage',
  });
  expect(form.status()).toBe(400);
});

test('a page that fails under an organization shows the error boundary, with a retry and a way home', async ({
  page,
}) => {
  // Real Postgres only: the fault is an organization row the pages cannot work with.
  test.skip(
    !process.env.TEST_DATABASE_URL && !process.env.CI,
    'needs TEST_DATABASE_URL (the embedded database is held by the server)',
  );
  const base = await signUp(page, uniqueAccount('Broken'));
  const slug = base.split('/').pop()!;
  const sql = postgres(process.env.TEST_DATABASE_URL!, { max: 1 });
  try {
    await sql`update organizations set time_zone = 'Nowhere/Nothing' where slug = ${slug}`;
    await page.goto(`${base}/reports`);
    const boundary = page.getByTestId('org-error');
    await expect(boundary).toBeVisible();
    await expect(boundary).toContainText('This page could not be shown');
    await expect(boundary).not.toContainText('RangeError');
    await expect(boundary).not.toContainText('Nowhere');
    await expect(page.getByRole('link', { name: 'Go home' })).toHaveAttribute('href', '/');
    await shoot(page, 'org-error-boundary');
    // Once the fault is gone, "Try again" renders the page.
    await sql`update organizations set time_zone = 'UTC' where slug = ${slug}`;
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(boundary).toHaveCount(0);
    await expect(page.getByRole('form', { name: 'Report options' })).toBeVisible();
  } finally {
    await sql.end();
  }
});
