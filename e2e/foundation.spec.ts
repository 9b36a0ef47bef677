import { expect, test } from '@playwright/test';
import { signIn, signOut, signUp, uniqueAccount } from './helpers';

test('an organization signs up, signs out and in, and stays walled off from another', async ({
  browser,
}) => {
  const first = uniqueAccount('First');
  const page = await browser.newPage();

  const workspacePath = await signUp(page, first);
  expect(workspacePath).toMatch(/^\/o\/first-org-/);

  await signOut(page);

  await signIn(page, first.email, 'not the right password');
  await expect(page.getByTestId('form-alert')).toHaveText(
    'That email and password do not match an account.',
  );

  await signIn(page, 'nobody-here@example.com', first.password);
  await expect(page.getByTestId('form-alert')).toHaveText(
    'That email and password do not match an account.',
  );

  await signIn(page, first.email, first.password);
  await expect(page).toHaveURL(new RegExp(`${workspacePath}$`));
  await expect(page.getByRole('heading', { name: `Welcome to ${first.orgName}` })).toBeVisible();

  // A person of a second organization gets the same 404 as for a slug that does not exist.
  const second = uniqueAccount('Second');
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, second);
  const foreign = await otherPage.goto(workspacePath);
  expect(foreign?.status()).toBe(404);
  await expect(otherPage.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  const missing = await otherPage.goto('/o/no-such-organization-here');
  expect(missing?.status()).toBe(404);
  await other.close();
});

test('sign-up explains what to fix and keeps nothing half-made', async ({ page }) => {
  const account = uniqueAccount('Fix');
  await page.goto('/sign-up');
  await page.getByLabel('Name', { exact: true }).fill(account.name);
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill('password');
  await page.getByLabel('Organization name').fill(account.orgName);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByText('This password is too common.', { exact: false })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);

  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Create organization' }).click();
  // The password's hash, the organization and the sign-in: over 10 s once under CI's load.
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+$/, { timeout: 30_000 });
  await signOut(page);

  await page.goto('/sign-up');
  await page.getByLabel('Name', { exact: true }).fill('Someone Else');
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Organization name').fill('Another Org');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(
    page.getByText(
      'An account with this email already exists. Sign in, or reset your password if you forgot it.',
    ),
  ).toBeVisible();
});
