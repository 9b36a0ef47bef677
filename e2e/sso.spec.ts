import { expect, test, type Browser, type Page } from '@playwright/test';
import { signUp, uniqueAccount } from './helpers';
import { startTestIdp, type TestIdp } from './oidc-idp';

/*
 * Per-organization single sign-on against a real OpenID provider (oidc-provider) running in this
 * test process on loopback: an admin configures it through the settings page, then people sign in
 * through it in fresh browser contexts (next-auth's code flow with PKCE, state and nonce).
 */

// Each journey signs in through two apps; on a busy machine that takes minutes.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

let idp: TestIdp | undefined;
const owner = uniqueAccount('Sso');
const domain = `sso-${owner.email.split('@')[0]!.split('-')[1]}.test`;
let orgPath = '';

test.afterAll(async () => {
  await idp?.close();
});

async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Signs in through the provider in a fresh browser context, as `login` at the provider. */
async function ssoSignIn(browser: Browser, typed: string, login: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The provider's development pages import a web font: nothing leaves the machine.
  await page.route(/fonts\.googleapis\.com|fonts\.gstatic\.com/, (route) => route.abort());
  await page.goto('/sign-in');
  await page.getByLabel('Work e-mail or organization').fill(typed);
  await page.getByRole('button', { name: 'Continue with SSO' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp!.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('anything at all');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  return page;
}

test('an admin configures the provider and tests the connection', async ({ page }) => {
  orgPath = await signUp(page, owner);
  await page.goto(`${orgPath}/settings`);
  await page.getByRole('link', { name: 'Set up single sign-on' }).click();
  await expect(page.getByRole('heading', { name: 'Single sign-on', level: 1 })).toBeVisible();
  const callback = page.getByTestId('sso-callback-url');
  await expect(callback).toContainText(/^http:\/\/127\.0\.0\.1:\d+\/api\/auth\/callback\/sso-[0-9a-f-]{36}$/);
  idp = await startTestIdp((await callback.textContent())!.trim());

  const form = page.getByRole('form', { name: 'Single sign-on provider' });
  // A wrong issuer: the exact problem.
  await form.getByLabel('Issuer URL').fill(`${idp.issuer}/nothing-here`);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('sso-test-result')).toContainText('answered HTTP 404');
  await form.getByLabel('Issuer URL').fill(idp.issuer);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('sso-test-result')).toContainText(`Connected to ${idp.issuer}`);

  await form.getByLabel('Client ID').fill(idp.clientId);
  await form.getByLabel('Client secret').fill(idp.clientSecret);
  await form.getByLabel('Allowed e-mail domains').fill(`not a domain`);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('"not" is not a domain name.')).toBeVisible();
  await form.getByLabel('Allowed e-mail domains').fill(domain);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByTestId('sso-status')).toContainText('Single sign-on is on');
  // The secret is never sent back: the field is blank, the placeholder says it is stored.
  await page.reload();
  await expect(form.getByLabel('Client secret')).toHaveValue('');
  await expect(form.getByLabel('Client secret')).toHaveAttribute('placeholder', /Stored/);
  expect(await page.content()).not.toContain(idp.clientSecret);
  await shoot(page, 'sso-settings');
});

test('a new person of an allowed domain signs in through the provider and joins as a member', async ({
  browser,
  page,
}) => {
  const email = `jit-${Date.now().toString(36)}@${domain}`;
  const member = await ssoSignIn(browser, email, email);
  await expect(member).toHaveURL(new RegExp(`${orgPath}$`));
  await expect(member.getByRole('heading', { name: `Welcome to ${owner.orgName}` })).toBeVisible();
  // The session opens this organization only: the switcher says so instead of offering a new one.
  await member.locator('summary', { hasText: 'Switch organization' }).click();
  await expect(member.getByTestId('sso-session-scope')).toContainText('single sign-on');
  await expect(member.getByText('+ New organization')).toHaveCount(0);
  await member.context().close();

  // Created just in time: the owner sees them among the members, as a member.
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(owner.email);
  await page.getByLabel('Password', { exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${orgPath}$`));
  await page.goto(`${orgPath}/people`);
  const row = page.getByTestId('member-row').filter({ hasText: email });
  await expect(row).toContainText(`SSO jit-`);
  await expect(row.getByRole('combobox').first()).toHaveValue('member');

  // The organization's slug finds the provider too; the same person signs in again.
  const again = await ssoSignIn(browser, orgPath.split('/').pop()!, email);
  await expect(again).toHaveURL(new RegExp(`${orgPath}$`));
  await again.context().close();
});

test('an address outside the allowed domains is refused with a clear message', async ({ browser }) => {
  const page = await ssoSignIn(browser, `someone@${domain}`, 'intruder@elsewhere.test');
  await expect(page).toHaveURL(/\/sign-in\?.*error=SsoDomainNotAllowed/);
  await expect(page.getByTestId('form-alert')).toContainText(
    'not in a domain this organization allows for single sign-on',
  );
  await shoot(page, 'sso-refused');
  await page.context().close();

  const unverified = await ssoSignIn(browser, `someone@${domain}`, `unverified-x@${domain}`);
  await expect(unverified).toHaveURL(/error=SsoEmailUnverified/);
  await unverified.context().close();
});

test('a single sign-on session opening an invitation to another organization is asked to sign in with a password', async ({
  browser,
}) => {
  const email = `invited-${Date.now().toString(36)}@${domain}`;
  const member = await ssoSignIn(browser, email, email);
  await expect(member).toHaveURL(new RegExp(`${orgPath}$`));

  // Another organization invites the same address.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  const otherOwner = uniqueAccount('SsoOther');
  const otherPath = await signUp(other, otherOwner);
  await other.goto(`${otherPath}/people`);
  await other.getByLabel('Email', { exact: true }).fill(email);
  await other.getByLabel('Role', { exact: true }).selectOption('member');
  await other.getByRole('button', { name: 'Invite', exact: true }).click();
  const result = other.getByTestId('invite-result');
  await expect(result).toContainText(`Invitation ready for ${email}`);
  const link = await result.getByLabel('Invitation link').inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await otherContext.close();

  // The session opens its own organization only: the page says how to join, and offers no accept.
  await member.goto(new URL(link).pathname);
  await expect(member.getByRole('heading', { name: `Join ${otherOwner.orgName}` })).toBeVisible();
  await expect(member.getByTestId('invite-sso-session')).toContainText(
    `To join ${otherOwner.orgName}, sign out, open this link again and sign in with your email and password.`,
  );
  await expect(member.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(member.getByRole('button', { name: /accept|join/i })).toHaveCount(0);
  await shoot(member, 'invite-sso-session');
  await member.context().close();
});
