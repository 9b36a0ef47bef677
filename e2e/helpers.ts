import { expect, type Page } from '@playwright/test';

/** A unique identity per test run, so reruns against one database never collide. */
export function uniqueAccount(prefix: string) {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return {
    name: `${prefix} Tester`,
    email: `${prefix.toLowerCase()}-${id}@example.com`,
    password: `correct horse ${id} battery`,
    orgName: `${prefix} Org ${id}`,
  };
}

export async function signUp(page: Page, account: ReturnType<typeof uniqueAccount>) {
  await page.goto('/sign-up');
  await page.getByLabel('Name', { exact: true }).fill(account.name);
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Organization name').fill(account.orgName);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+$/);
  await expect(page.getByRole('heading', { name: `Welcome to ${account.orgName}` })).toBeVisible();
  return new URL(page.url()).pathname;
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page) {
  await page.getByLabel('Account menu').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}
