import fs from 'node:fs';
import path from 'node:path';
import { expect, type Browser, type Locator, type Page, type TestInfo } from '@playwright/test';

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

/** Signs in as a demo persona by its button on the sign-in page (demo mode), e.g. `Owner: Morgan Blake`. */
export async function signInAsPersona(page: Page, persona: string) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: persona }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
}

export async function signOut(page: Page) {
  await page.getByLabel('Account menu').click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Picks the option of a select whose text contains `text` (option labels carry unit names). */
export async function selectByText(select: Locator, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  if (!value) throw new Error(`no option "${text}"`);
  await select.selectOption(value);
}

export async function createKpi(
  page: Page,
  base: string,
  kpi: {
    name: string;
    unit?: string;
    owner?: string;
    parent?: string;
    rollup: string;
    target: string;
    northStar?: boolean;
    individual?: boolean;
    aggregation?: 'sum' | 'last';
  },
) {
  await page.goto(`${base}/kpis/new${kpi.northStar ? '?northStar=1' : ''}`);
  const form = page.getByRole('form', { name: 'New KPI' });
  await form.getByLabel('Name', { exact: true }).fill(kpi.name);
  await form.getByLabel('Values within a period').selectOption(kpi.aggregation ?? 'sum');
  await form.getByLabel('Rollup').selectOption(kpi.rollup);
  await form.getByLabel('Default target').fill(kpi.target);
  if (kpi.unit) await selectByText(form.getByLabel('Unit', { exact: true }), kpi.unit);
  if (kpi.individual) await form.getByLabel('Individual KPI').check();
  if (kpi.owner) await selectByText(form.getByLabel('Owner'), kpi.owner);
  if (kpi.parent) await selectByText(form.getByLabel('Rolls up into'), kpi.parent);
  if (kpi.northStar) await expect(form.getByLabel('North star')).toBeChecked();
  await form.getByRole('button', { name: 'Create KPI' }).click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(kpi.name);
}

/**
 * Invites `account` from the People page of `base` (as the signed-in admin on `adminPage`) with
 * the member role and `homeUnit`, accepts in a fresh browser context as a new person, and returns
 * that person's page, signed in and on the organization's dashboard.
 */
export async function inviteAndJoin(
  browser: Browser,
  adminPage: Page,
  base: string,
  account: ReturnType<typeof uniqueAccount>,
  homeUnit: string,
  viewport = { width: 1280, height: 900 },
) {
  await adminPage.goto(`${base}/people`);
  await adminPage.getByLabel('Email', { exact: true }).fill(account.email);
  await adminPage.getByLabel('Role', { exact: true }).selectOption('member');
  await selectByText(adminPage.getByLabel('Home unit', { exact: true }), homeUnit);
  await adminPage.getByRole('button', { name: 'Invite', exact: true }).click();
  const link = await adminPage
    .getByTestId('invite-result')
    .getByLabel('Invitation link')
    .inputValue();
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel('Name', { exact: true }).fill(account.name);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page).toHaveURL(new RegExp(`${base}$`));
  return page;
}

/** The account a seed script wrote for its journey (`.data/<file>`, see e2e/seed-journey.ts). */
export function readSeeded<
  T = { email: string; password: string; orgSlug: string; orgName: string },
>(file: string): T {
  return JSON.parse(fs.readFileSync(path.resolve('.data', file), 'utf8')) as T;
}

/** Full-page screenshots at each width (a phone's height at 390 and below), then back to 1280. */
export async function shootWidths(
  page: Page,
  testInfo: TestInfo,
  name: string,
  widths: readonly number[],
) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: width <= 390 ? 844 : 900 });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
