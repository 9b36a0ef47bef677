import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { readSeeded, shootWidths, signIn } from './helpers';

/**
 * The in-app inbox: a KPI owner with two check-in reminders (seeded by e2e/seed-inbox.ts through
 * the job code) sees the bell's unread count, opens the inbox, marks one read, then all; the
 * reminder links to the check-in screen; the admin's mail log shows the outbox (no SMTP here).
 */

const shoot = (page: Page, testInfo: TestInfo, name: string) =>
  shootWidths(page, testInfo, name, [1440, 390]);

test('the bell, the inbox, mark read and mark all read, the outbox', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const seeded = readSeeded('e2e-inbox.json');
  const base = `/o/${seeded.orgSlug}`;
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, seeded.email, seeded.password);
  await expect(page).toHaveURL(/\/o\//);
  await page.goto(base);

  // 1. The bell shows two unread notifications.
  const bell = page.getByRole('link', { name: 'Notifications, 2 unread' });
  await expect(bell).toBeVisible();
  await expect(page.getByTestId('notification-count')).toHaveText('2');
  await shoot(page, testInfo, 'bell');

  // 2. The inbox lists both reminders, newest (overdue) first, unread.
  await bell.click();
  await expect(page).toHaveURL(`${base}/notifications`);
  await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
  const items = page.getByTestId('notification');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('Check-in overdue: 2 KPIs need a value');
  await expect(items.nth(0)).toContainText('Demo calls held (Nov 2026, was due 12/02/2026)');
  await expect(items.nth(1)).toContainText('Check-in reminder: 2 KPIs need a value');
  await expect(items.nth(0)).toHaveAttribute('data-read', 'false');
  await shoot(page, testInfo, 'inbox');

  // 3. Mark one read: the bell counts one.
  await items
    .nth(1)
    .getByRole('button', { name: /^Mark read: "Check-in reminder/ })
    .click();
  await expect(items.nth(1)).toHaveAttribute('data-read', 'true');
  await expect(page.getByRole('link', { name: 'Notifications, 1 unread' })).toBeVisible();

  // 4. Mark all read: no count on the bell.
  await page.getByRole('button', { name: 'Mark all read: every notification here' }).click();
  await expect(items.nth(0)).toHaveAttribute('data-read', 'true');
  await expect(page.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();
  await expect(page.getByTestId('notification-count')).toHaveCount(0);
  await shoot(page, testInfo, 'inbox-read');

  // 5. A reminder opens the one-screen check-in.
  await items
    .nth(1)
    .getByRole('link', { name: /Check-in reminder/ })
    .click();
  await expect(page).toHaveURL(`${base}#checkins-heading`);
  await expect(page.getByRole('heading', { name: 'Check-ins due' })).toBeVisible();

  // 6. Settings: the reminder days, and the outbox of what would have been sent.
  await page.goto(`${base}/settings`);
  const reminders = page.getByRole('form', { name: 'Check-in reminders' });
  await expect(reminders.getByLabel('Days before a period ends')).toHaveValue('3');
  await expect(reminders.getByLabel('Grace days after a period')).toHaveValue('2');
  await reminders.getByLabel('Days before a period ends').fill('0');
  await reminders.getByRole('button', { name: 'Save reminders' }).click();
  await expect(reminders).toContainText('Days before the period ends must be at least 1');
  await reminders.getByLabel('Days before a period ends').fill('4');
  await reminders.getByRole('button', { name: 'Save reminders' }).click();
  await expect(reminders.getByRole('status')).toHaveText('Saved.');
  await reminders.scrollIntoViewIfNeeded();
  await shoot(page, testInfo, 'settings-reminders');
  await page.reload();
  await expect(
    page.getByRole('form', { name: 'Check-in reminders' }).getByLabel('Days before a period ends'),
  ).toHaveValue('4');
  await page.getByRole('link', { name: 'mail deliveries log' }).click();
  await expect(page).toHaveURL(`${base}/settings/mail`);
  await expect(page.getByTestId('outbox-notice')).toBeVisible();
  const deliveries = page.getByTestId('delivery');
  await expect(deliveries).toHaveCount(2);
  await expect(deliveries.nth(0)).toContainText('Outbox');
  await expect(deliveries.nth(0)).toContainText(seeded.email);
  await deliveries.nth(0).getByText('The message').click();
  await expect(deliveries.nth(0)).toContainText(`${seeded.orgName} · dates in UTC`);
  await shoot(page, testInfo, 'mail-outbox');
});
