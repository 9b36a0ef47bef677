import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { readSeeded, shootWidths, signIn } from './helpers';

/**
 * "Remind" and the missing-values list: the owner of an organization (seeded by
 * e2e/seed-remind.ts) sees Mia in the dashboard's not-reported list, reminds her (a confirmation;
 * a second click the same day is refused), opens the missing-values list from the navigation,
 * reminds from there, and sees the escalation delay as the reminder form's third field.
 */

const shoot = (page: Page, testInfo: TestInfo, name: string) =>
  shootWidths(page, testInfo, name, [1280, 390]);

// Whatever day the journey runs: on a reminder day the app's own worker may have reminded Mia
// already, and the nudge then says so instead of sending again.
const SENT_OR_SCHEDULED =
  /Reminder sent to Mia Missing about 1 KPI\.|Mia Missing got today's scheduled reminder/;

test('remind from a not-reported list and from the missing-values list', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const seeded = readSeeded('e2e-remind.json');
  const base = `/o/${seeded.orgSlug}`;
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, seeded.email, seeded.password);
  await expect(page).toHaveURL(/\/o\//);
  await page.goto(base);

  // 1. The dashboard's not-reported list: Mia, with a Remind button; Max reported.
  const list = page.locator('#admin-not-reported');
  const mia = list.getByTestId('not-reported').filter({ hasText: 'Mia Missing' });
  await expect(mia).toContainText('Support tickets closed');
  await expect(list).not.toContainText('Max Reported');
  await mia.getByRole('button', { name: 'Remind Mia Missing' }).click();
  await expect(mia.getByTestId('remind-result')).toHaveText(SENT_OR_SCHEDULED);
  await list.scrollIntoViewIfNeeded();
  await shoot(page, testInfo, 'dashboard-remind');

  // 2. Again the same day: refused, saying why.
  await page.reload();
  const again = page
    .locator('#admin-not-reported')
    .getByTestId('not-reported')
    .filter({ hasText: 'Mia Missing' });
  await again.getByRole('button', { name: 'Remind Mia Missing' }).click();
  await expect(again.getByTestId('remind-result')).toHaveText(
    /already reminded about this KPI today|got today's scheduled reminder/,
  );

  // 3. The missing-values list, from the navigation.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Missing' })
    .click();
  await expect(page).toHaveURL(`${base}/missing`);
  await expect(page.getByRole('heading', { name: 'Missing values', level: 1 })).toBeVisible();
  const card = page.getByTestId('missing-person').filter({ hasText: 'Mia Missing' });
  await expect(card).toContainText('Support tickets closed');
  await expect(card).toContainText(/overdue|due today|due in/);
  await expect(page.getByTestId('missing-person')).toHaveCount(1);
  await card.getByRole('button', { name: 'Remind Mia Missing' }).click();
  await expect(card.getByTestId('remind-result')).toHaveText(
    /Reminder sent to Mia Missing|already reminded|got today's scheduled reminder/,
  );
  await page.reload();
  await expect(page.getByTestId('missing-person').filter({ hasText: 'Mia Missing' })).toContainText(
    /Nudged|Reminded/,
  );
  await shoot(page, testInfo, 'missing-values');

  // 4. The escalation delay: the reminder form's third field, 1 to 30 days.
  await page.goto(`${base}/settings`);
  const form = page.getByRole('form', { name: 'Check-in reminders' });
  await expect(form.getByLabel('Days before escalating')).toHaveValue('3');
  await form.getByLabel('Days before escalating').fill('31');
  await form.getByRole('button', { name: 'Save reminders' }).click();
  await expect(form).toContainText('Days before escalating must be at most 30');
  await form.getByLabel('Days before escalating').fill('5');
  await form.getByRole('button', { name: 'Save reminders' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await expect(
    page.getByRole('form', { name: 'Check-in reminders' }).getByLabel('Days before escalating'),
  ).toHaveValue('5');
  await expect(page.getByText('A value still missing 5 days later')).toBeVisible();
  await page.getByRole('form', { name: 'Check-in reminders' }).scrollIntoViewIfNeeded();
  await shoot(page, testInfo, 'settings-escalation');
});
