import fs from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Contract tests of /api/v1 against the production build, with keys an admin creates on the Data
 * page; and the CSV import journey on the same page (preview, import, a second import adds nothing).
 */

const ORG = '/o/northwind-cloud';
const LEAF = 'sales.ent.liam_chen.new_arr';
const PARENT = 'sales.ent.new_arr';

/** A date in the demo organization's time zone (check-ins may not be dated after its today). */
function orgDate(daysAgo = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(
    new Date(Date.now() - daysAgo * 86_400_000),
  );
}

async function createKey(
  page: Page,
  name: string,
  access: 'Read and write check-ins' | 'Read only',
) {
  await page.getByLabel('Key name').fill(name);
  await page.getByLabel('Access').selectOption({ label: access });
  await page.getByRole('button', { name: 'Create key' }).click();
  const created = page.getByTestId('api-key-created');
  await expect(created).toContainText(`Copy the key for “${name}” now`);
  const secret = await created.getByLabel('API key').inputValue();
  expect(secret).toMatch(/^kpik_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId('api-key-row').filter({ hasText: name })).toContainText(
    'last used never',
  );
  return secret;
}

async function valueOf(api: APIRequestContext, secret: string, kpi: string): Promise<number> {
  const response = await api.get(`/api/v1/kpis/${kpi}`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(response.status()).toBe(200);
  return Number((await response.json()).data.current.value ?? 0);
}

test('an admin creates keys; the API reads, records with idempotency, rolls up, and refuses what it must', async ({
  page,
  playwright,
  baseURL,
}) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: /^Admin:/ }).click();
  await expect(page).toHaveURL(new RegExp(`${ORG}$`));
  await page
    .getByRole('navigation', { name: 'Main', exact: true })
    .getByRole('link', { name: 'Data' })
    .click();
  await expect(page.getByRole('heading', { name: 'Data in and out', level: 1 })).toBeVisible();
  const write = await createKey(page, `E2E write ${Date.now()}`, 'Read and write check-ins');
  const read = await createKey(page, `E2E read ${Date.now()}`, 'Read only');

  // A client with no cookies at all: only the key speaks for it.
  const api = await playwright.request.newContext({ baseURL });
  const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });

  const stars = await api.get('/api/v1/kpis?northStar=true', { headers: auth(read) });
  expect(stars.status()).toBe(200);
  expect(stars.headers()['cache-control']).toBe('no-store');
  const starBody = await stars.json();
  expect(starBody.data.map((k: { key: string }) => k.key)).toEqual(['company.arr']);
  expect(starBody.data[0]).toMatchObject({
    isNorthStar: true,
    measureUnit: 'currency',
    currency: 'USD',
    current: { status: expect.any(String) },
  });

  const before = await valueOf(api, read, PARENT);
  const today = orgDate();
  const body = { kpi: LEAF, observedOn: today, value: '1000', note: 'Booked through the API' };
  const idempotency = { ...auth(write), 'idempotency-key': `e2e-${Date.now()}` };
  const first = await api.post('/api/v1/checkins', { headers: idempotency, data: body });
  expect(first.status()).toBe(201);
  const replay = await api.post('/api/v1/checkins', { headers: idempotency, data: body });
  expect(replay.status()).toBe(201);
  expect(replay.headers()['idempotent-replayed']).toBe('true');
  expect(await replay.json()).toEqual(await first.json());
  const other = await api.post('/api/v1/checkins', {
    headers: idempotency,
    data: { ...body, value: '2000' },
  });
  expect(other.status()).toBe(409);
  // Exactly one effect, rolled up into the parent in the same transaction.
  expect((await valueOf(api, read, PARENT)) - before).toBe(1000);

  const bad = await api.post('/api/v1/checkins', {
    headers: auth(write),
    data: {
      items: [
        { kpi: LEAF, observedOn: today, value: '5' },
        { kpi: 'no.such_kpi', observedOn: today, value: 'abc' },
        { kpi: PARENT, observedOn: today, value: '1' },
      ],
    },
  });
  expect(bad.status()).toBe(422);
  const details = (await bad.json()).error.details.map((d: { path: string }) => d.path).sort();
  expect(details).toEqual(['items.1.value', 'items.2.kpi'].sort());
  expect((await valueOf(api, read, PARENT)) - before).toBe(1000);

  expect((await api.post('/api/v1/checkins', { headers: auth(read), data: body })).status()).toBe(
    403,
  );
  expect((await api.get('/api/v1/kpis')).status()).toBe(401);
  expect(
    (await api.get('/api/v1/kpis', { headers: auth(`${write.slice(0, -2)}xx`) })).status(),
  ).toBe(401);
  const missing = await api.get('/api/v1/kpis/00000000-0000-4000-8000-000000000000', {
    headers: auth(read),
  });
  expect(missing.status()).toBe(404);
  // A method a route lacks: 405 with the JSON error body and an Allow header (Next's own has neither).
  const notAllowed = await api.delete('/api/v1/kpis', { headers: auth(read) });
  expect(notAllowed.status()).toBe(405);
  expect(notAllowed.headers()['allow']).toBe('GET, POST, HEAD, OPTIONS');
  expect((await notAllowed.json()).error.code).toBe('METHOD_NOT_ALLOWED');

  const values = await api.get(`/api/v1/kpis/${PARENT}/values`, { headers: auth(read) });
  expect(values.status()).toBe(200);
  expect((await values.json()).data.periods.length).toBeGreaterThanOrEqual(12);

  const doc = await api.get('/api/v1/openapi.json');
  expect(doc.status()).toBe(200);
  const openapi = await doc.json();
  expect(openapi.openapi).toBe('3.1.0');
  expect(Object.keys(openapi.paths)).toContain('/checkins');

  // The Data page now shows when each key was last used.
  await page.reload();
  await expect(page.getByTestId('api-key-row').first()).not.toContainText('last used never');
  await api.dispose();
});

test('a member imports check-ins from a CSV file: preview, import, and a second import adds nothing', async ({
  page,
}, testInfo) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: /^Member:/ }).click();
  await expect(page).toHaveURL(new RegExp(`${ORG}$`));
  await page.goto(`${ORG}/data`);
  await expect(page.getByRole('heading', { name: 'API keys' })).toHaveCount(0);

  const template = await page.request.get(`/api${ORG}/checkins-template.csv`);
  expect(template.status()).toBe(200);
  expect(await template.text()).toContain(LEAF);

  const yesterday = orgDate(1);
  const csv = `\uFEFFkpi;observed_on;value;note\n${LEAF};${yesterday};1234,5;imported in e2e ${Date.now()}\n`;
  const file = { name: 'checkins.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };
  await page.getByLabel('CSV file').setInputFiles(file);
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('1 to record');
  await expect(preview.getByTestId('import-row')).toContainText('1234.5');
  await page.screenshot({ path: testInfo.outputPath('csv-preview-1280.png'), fullPage: true });
  await page.getByRole('button', { name: 'Import 1 check-in' }).click();
  // (the demo's values decide whether 1234.5 is flagged as unusual: imported either way)
  await expect(page.getByTestId('import-message')).toHaveText(/^Imported 1 check-in\./);

  await page.getByLabel('CSV file').setInputFiles(file);
  await expect(preview).toContainText('0 to record, 1 already recorded');
  await expect(page.getByRole('button', { name: 'Nothing to import' })).toBeDisabled();

  // A file with a bad row writes nothing and says which row and why.
  await page.getByLabel('CSV file').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `kpi,observed_on,value\n${LEAF},${yesterday},12\n${LEAF},2025-02-30,=1+2\n`,
    ),
  });
  await expect(preview).toContainText('1 to fix');
  await expect(preview.getByTestId('import-row').nth(1)).toContainText('observed_on:');
  // The valid row may be taken alone, by choice (not clicked here: nothing is written).
  await expect(
    page.getByRole('button', { name: 'Import the 1 valid row, leave 1 out' }),
  ).toBeEnabled();
  // The export of the period values the member can see, for the whole organization: a file, the
  // page stays, and the empty scope is not sent.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  const sent = new URL(download.url());
  expect(sent.pathname).toBe(`/api${ORG}/checkins.csv`);
  expect([...sent.searchParams.keys()]).toEqual(['from', 'to']);
  expect(download.suggestedFilename()).toMatch(/^northwind-cloud-period-values-.+\.csv$/);
  expect(fs.readFileSync((await download.path())!, 'utf8')).toContain(LEAF);
  await expect(page).toHaveURL(new RegExp(`${ORG}/data$`));
});
