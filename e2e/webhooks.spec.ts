import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { shootWidths, signUp, uniqueAccount } from './helpers';

/**
 * Webhooks out: the owner of a new organization registers an endpoint (a receiver on loopback in
 * this process; the server runs with WEBHOOKS_ALLOW_PRIVATE=1) and copies its secret, shown once;
 * records a check-in; the job worker inside the server delivers it signed; the log shows the
 * delivery; Resend sends the same message again; deleting the endpoint ends it.
 */

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** Verifies a Standard Webhooks signature independently of the app's code. */
function signatureOk(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(
      `${String(r.headers['webhook-id'])}.${String(r.headers['webhook-timestamp'])}.${r.body}`,
    )
    .digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

/** Reloads the page until `check` passes (the worker sends within a minute or two). */
async function waitForLog(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 200_000, intervals: [5_000] });
}

test('an admin registers a webhook, sees a check-in delivered signed, and resends it', async ({
  page,
}, testInfo) => {
  test.setTimeout(600_000);
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kpi-hooks`;

  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    const base = await signUp(page, uniqueAccount('Hooks'));

    // A KPI to record on.
    await page.goto(`${base}/kpis/new`);
    const kpiForm = page.getByRole('form', { name: 'New KPI' });
    await kpiForm.getByLabel('Name', { exact: true }).fill('Qualified leads');
    await kpiForm.getByRole('button', { name: 'Create KPI' }).click();
    await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
    const kpiPath = new URL(page.url()).pathname;

    // Settings → Webhooks.
    await page.goto(`${base}/settings`);
    await page.getByRole('link', { name: 'Manage webhooks' }).click();
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await expect(page.getByText('No endpoint yet.')).toBeVisible();
    const form = page.getByRole('form', { name: 'Add a webhook endpoint' });
    // Nothing chosen: refused in the form.
    await form.getByRole('checkbox', { name: /checkin\.recorded/ }).uncheck();
    await form.getByLabel('Endpoint URL').fill(url);
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(form.getByText('Choose at least one event')).toBeVisible();
    await form.getByRole('checkbox', { name: /checkin\.recorded/ }).check();
    await form.getByLabel('Description (optional)').fill('Lead scoring service');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secretBox = form.getByTestId('webhook-secret');
    await expect(secretBox).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const secret = (await secretBox.textContent())!;
    const endpoint = page.getByTestId('webhook-endpoint');
    await expect(endpoint).toHaveCount(1);
    await expect(endpoint).toContainText(url);
    await expect(endpoint).toContainText('Nothing sent yet.');
    await shootWidths(page, testInfo, 'webhooks-secret', [1280, 390]);
    // Shown once: not on the page after a reload.
    await page.reload();
    await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
    expect(await page.content()).not.toContain(secret.slice(6));

    // A check-in.
    await page.goto(kpiPath);
    const checkin = page.getByRole('form', { name: 'Record a value' });
    // A new KPI adds up its values within a period ("Amount to add").
    await checkin.getByLabel(/^(Value|Amount to add)/).fill('17');
    await checkin.getByRole('button', { name: 'Record value' }).click();
    await expect(checkin.getByRole('status')).toContainText('Recorded 17');

    // Delivered by the worker, signed with the secret; the log shows it.
    await page.goto(`${base}/settings/webhooks`);
    const delivery = page.getByTestId('webhook-delivery');
    await waitForLog(page, async () => {
      await expect(delivery).toHaveCount(1);
      await expect(delivery).toContainText('Delivered');
    });
    await expect(delivery).toContainText('checkin.recorded');
    await expect(delivery.getByTestId('webhook-attempt')).toHaveCount(1);
    await expect(delivery.getByTestId('webhook-attempt')).toContainText('HTTP 204');
    expect(received).toHaveLength(1);
    expect(signatureOk(secret, received[0]!)).toBe(true);
    const body = JSON.parse(received[0]!.body) as {
      type: string;
      data: { checkin: { value: string }; kpi: { name: string } };
    };
    expect(body.type).toBe('checkin.recorded');
    expect(body.data.checkin.value).toBe('17');
    expect(body.data.kpi.name).toBe('Qualified leads');
    await shootWidths(page, testInfo, 'webhooks-log', [1280, 390]);

    // Resend: the same message again, a second attempt in the log.
    page.once('dialog', (dialog) => void dialog.accept());
    await delivery.getByRole('button', { name: /^Resend/ }).click();
    await waitForLog(page, async () => {
      await expect(delivery.getByTestId('webhook-attempt')).toHaveCount(2);
    });
    expect(received).toHaveLength(2);
    expect(received[1]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(signatureOk(secret, received[1]!)).toBe(true);
    await shootWidths(page, testInfo, 'webhooks-resent', [1280, 390]);

    // Deleting the endpoint removes it with its log.
    page.once('dialog', (dialog) => void dialog.accept());
    await endpoint.getByRole('button', { name: `Delete ${url}` }).click();
    await expect(page.getByText('No endpoint yet.')).toBeVisible();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
