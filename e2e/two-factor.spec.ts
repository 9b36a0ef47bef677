import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { signIn, signOut, signUp, uniqueAccount } from './helpers';

/*
 * Two-factor sign-in (issue 20, item 7) as a person does it: set it up on the security page with
 * an authenticator (otpauth here, computing the codes an app would show), keep the recovery codes,
 * sign out, sign in with password then code. Screenshots of the security page and the code prompt
 * at 1280 and 390 px.
 */

test.describe.configure({ mode: 'serial' });

function authenticator(secret: string) {
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  return (offsetMs = 0) => totp.generate({ timestamp: Date.now() + offsetMs });
}

async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
    await page.screenshot({ path: `test-results/two-factor-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('turn on two-factor sign-in, sign out, sign in with a code', async ({ page }) => {
  // Three screens at two widths each, a sign-up and two sign-ins: longer than one journey step.
  test.setTimeout(180_000);
  const account = uniqueAccount('Totp');
  const orgPath = await signUp(page, account);

  await page.getByLabel(`${account.name}, account menu`).click();
  await page.getByRole('link', { name: /Security/ }).click();
  await expect(page).toHaveURL(`${orgPath}/account/security`);
  await expect(page.getByRole('heading', { name: 'Two-factor sign-in' })).toBeVisible();
  await expect(page.getByText('Only your password protects your account.')).toBeVisible();
  await shoot(page, 'off');

  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByAltText(/QR code/)).toBeVisible();
  await shoot(page, 'enrol');
  const code = authenticator(secret);

  // A wrong code is refused, the right one turns it on and shows ten recovery codes once.
  await page.getByLabel('Code from your app').fill(code() === '123456' ? '654321' : '123456');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('form-alert')).toContainText('not right');
  await page.getByLabel('Code from your app').fill(code());
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(codes).toHaveCount(10);
  await shoot(page, 'recovery-codes');
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByText('10 of 10 recovery codes left.')).toBeVisible();

  // The session cookie from before signing out (a fresh page: the account menu is closed).
  const before = await page.context().cookies();
  await page.reload();
  await signOut(page);
  const replay = await page.request.get('/api/auth/session', {
    headers: { cookie: before.map((c) => `${c.name}=${c.value}`).join('; ') },
  });
  expect(await replay.json()).toEqual({});

  await signIn(page, account.email, account.password);
  const prompt = page.getByLabel('Authentication code');
  await expect(prompt).toBeVisible();
  await expect(prompt).toHaveValue(''); // never the password carried over from the first step
  await shoot(page, 'code-prompt');
  await prompt.fill('000000' === code(30_000) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(page.getByTestId('form-alert')).toContainText('not right');
  // The next step's code: the enrolment already used this step's.
  await prompt.fill(code(30_000));
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${orgPath}$`));
  const session = await (await page.request.get('/api/auth/session')).json();
  expect(session.user.email).toBe(account.email);

  // With a factor of their own, the owner may require it of every owner and admin.
  await page.goto(`${orgPath}/settings`);
  const requirement = page.getByLabel(/Require two-factor sign-in for owners and admins/);
  await requirement.check();
  await expect(requirement).toBeEnabled(); // saved
  await page.reload();
  await expect(requirement).toBeChecked();
  await shoot(page, 'settings');
});
