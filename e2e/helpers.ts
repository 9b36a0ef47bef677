import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
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

/**
 * Picks in a search-as-you-type picker (the KPI form's owner and parent, the leading-KPI picker):
 * types `text`, waits for the server's matches and clicks the first option whose name starts
 * with it; the input then shows it.
 */
export async function pickByTyping(combobox: Locator, text: string) {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await combobox.fill(text);
  const list = combobox.page().locator(`#${await combobox.getAttribute('aria-controls')}`);
  await list.getByRole('option').filter({ hasText: new RegExp(`^${escaped}`) }).first().click();
  await expect(combobox).toHaveValue(new RegExp(`^${escaped}`));
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
  if (kpi.owner) await pickByTyping(form.getByRole('combobox', { name: 'Owner' }), kpi.owner);
  if (kpi.parent) {
    await pickByTyping(form.getByRole('combobox', { name: 'Rolls up into' }), kpi.parent);
  }
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

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe and fails (softly, so every page of a test is reported in one run) on any serious or
 * critical violation, printing its id, impact, help and target selectors.
 */
export async function expectNoSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  const report = serious
    .map(
      (v) =>
        `- ${v.id} [${v.impact}] ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .map(
            (n) =>
              `    ${n.target.join(' >> ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
          )
          .join('\n'),
    )
    .join('\n');
  const minor = results.violations.filter((v) => !serious.includes(v));
  if (minor.length > 0) {
    // Not failing, but worth knowing about.
    console.log(
      `axe on ${name}: ${minor.map((v) => `${v.id} [${v.impact}] x${v.nodes.length}`).join(', ')}`,
    );
  }
  expect
    .soft(
      serious.map((v) => v.id),
      `serious/critical axe violations on ${name} (${page.url()}):\n${report}`,
    )
    .toEqual([]);
}

/** The demo organization every persona belongs to. */
export const DEMO_ORG = '/o/northwind-cloud';

/** The demo personas, by their button on the sign-in page. */
export const DEMO_PERSONAS = [
  'Owner: Morgan Blake',
  'Admin: Priya Raman',
  'Department head: Daniel Okafor',
  'Team lead: Sofia Martinez',
  'Member: Liam Chen',
] as const;

/** Pages reached from the account menu and the bell, not the navigation. */
const ALWAYS_REACHABLE = ['/notifications', '/account/security'];

/**
 * One page per route: ids become `:id`, and filters and periods in the query do not make a new
 * page, except `unit` (a unit's dashboard lays out differently from the company's).
 */
export function routeKey(href: string): string {
  const url = new URL(href, 'http://x');
  const path = url.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id');
  return url.searchParams.has('unit') && path === DEMO_ORG ? `${path}?unit` : path;
}

/** The organization's links on the current page (no API routes, no anchors). */
async function orgLinks(page: Page): Promise<string[]> {
  const hrefs = await page
    .locator(`a[href^="${DEMO_ORG}"]`)
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.filter((h) => !h.includes('#'));
}

/**
 * Every page the signed-in persona on `page` can reach, found by following its own links: the
 * sections of the `nav` navigation (`Main` at desktop widths, `Main (mobile)` on a phone), the
 * account menu's pages, and one level of links from each section (a KPI page, a unit's dashboard,
 * settings' sub-pages), one page per route (`routeKey`). `visit(href)` opens each page on `page`
 * (and checks what the caller checks) before its links are read. Returns the hrefs visited.
 */
export async function visitReachablePages(
  page: Page,
  nav: 'Main' | 'Main (mobile)',
  visit: (href: string) => Promise<void>,
): Promise<string[]> {
  await page.goto(DEMO_ORG);
  const sections = await page
    .getByRole('navigation', { name: nav, exact: true })
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(sections.length).toBeGreaterThanOrEqual(4);
  const seen = new Set<string>();
  const queue: string[] = [];
  const add = (href: string) => {
    const key = routeKey(href);
    if (seen.has(key)) return;
    seen.add(key);
    queue.push(href);
  };
  for (const href of [...sections, ...ALWAYS_REACHABLE.map((p) => `${DEMO_ORG}${p}`)]) add(href);
  // The sections first, then one level of links found on them.
  const firstLevel = queue.length;
  for (let i = 0; i < queue.length; i += 1) {
    await visit(queue[i]!);
    if (i < firstLevel) for (const href of await orgLinks(page)) add(href);
  }
  // A KPI page and a unit's dashboard are among them for everyone.
  expect([...seen].some((k) => k === `${DEMO_ORG}/kpis/:id`)).toBe(true);
  return queue;
}
