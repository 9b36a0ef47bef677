import { expect, test } from '@playwright/test';
import { signUp, uniqueAccount } from './helpers';

test('an owner invites a member by link, the member joins, and loses access when removed', async ({
  browser,
}) => {
  const owner = uniqueAccount('Owner');
  const ownerContext = await browser.newContext({
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await ownerContext.newPage();
  const workspacePath = await signUp(page, owner);

  // The owner invites a member from the People page and copies the link.
  await page
    .getByRole('navigation', { name: 'Main', exact: true })
    .getByRole('link', { name: 'People' })
    .click();
  await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
  const invitee = uniqueAccount('Invitee');
  await page.getByLabel('Email', { exact: true }).fill(invitee.email);
  await page.getByLabel('Role', { exact: true }).selectOption('member');
  await expect(page.getByLabel('Home unit', { exact: true })).toHaveValue(/.+/);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const result = page.getByTestId('invite-result');
  await expect(result).toContainText(`Invitation ready for ${invitee.email}`);
  await result.getByRole('button', { name: 'Copy link' }).click();
  await expect(result.getByRole('button', { name: 'Copied' })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(result.getByLabel('Invitation link')).toHaveValue(link);
  await expect(page.getByTestId('invitation-row').filter({ hasText: invitee.email })).toBeVisible();

  // A fresh browser accepts it as a new person and lands in the organization.
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await memberPage.goto(link);
  await expect(memberPage.getByRole('heading', { name: `Join ${owner.orgName}` })).toBeVisible();
  await expect(memberPage.getByLabel('Email', { exact: true })).toHaveValue(invitee.email);
  await memberPage.getByLabel('Name', { exact: true }).fill(invitee.name);
  await memberPage.getByLabel('Password', { exact: true }).fill(invitee.password);
  await memberPage.getByRole('button', { name: 'Create account and join' }).click();
  await expect(memberPage).toHaveURL(new RegExp(`${workspacePath}$`));
  await expect(
    memberPage.getByRole('heading', { name: `Welcome to ${owner.orgName}` }),
  ).toBeVisible();

  // The link is single use.
  const reuse = await browser.newContext();
  const reusePage = await reuse.newPage();
  await reusePage.goto(link);
  await expect(reusePage.getByTestId('invite-problem')).toContainText('already been used');
  await reuse.close();

  // The owner sees the new member and removes them.
  await page.reload();
  const row = page.getByTestId('member-row').filter({ hasText: invitee.email });
  await expect(row).toContainText(invitee.name);
  await expect(page.getByTestId('invitation-row')).toHaveCount(0);
  await row.getByRole('button', { name: `Remove ${invitee.name}` }).click();
  await row.getByRole('button', { name: 'Confirm removal' }).click();
  await expect(page.getByTestId('member-row').filter({ hasText: invitee.email })).toHaveCount(0);

  // Removed from their only organization, the member is signed out at the very next navigation.
  await memberPage
    .getByRole('navigation', { name: 'Main', exact: true })
    .getByRole('link', { name: 'People' })
    .click();
  await expect(memberPage).toHaveURL(/\/sign-in/);
  await memberPage.goto(workspacePath);
  await expect(memberPage).toHaveURL(/\/sign-in/);

  await memberContext.close();
  await ownerContext.close();
});
