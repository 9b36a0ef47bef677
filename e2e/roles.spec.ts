import { expect, test } from '@playwright/test';
import { createKpi, inviteAndJoin, selectByText, signUp, uniqueAccount } from './helpers';

test('a department head assigns an owner, the member records on it, individual KPIs stay private, removal bites at once', async ({
  browser,
}) => {
  const admin = uniqueAccount('Admin');
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await adminContext.newPage();
  const base = await signUp(page, admin);

  // The admin adds Sales and invites its future head and a rep, both at home in Sales.
  await page.goto(`${base}/units`);
  await page.getByLabel('Department name').fill('Sales');
  await page.getByRole('button', { name: 'Add department' }).click();
  const salesRow = page.getByTestId('unit-row').filter({ hasText: 'Sales' });
  await expect(salesRow).toBeVisible();
  const head = uniqueAccount('Head');
  const rep = uniqueAccount('Rep');
  const headPage = await inviteAndJoin(browser, page, base, head, 'Sales');
  const repPage = await inviteAndJoin(browser, page, base, rep, 'Sales', {
    width: 390,
    height: 844,
  });

  // ... makes the head lead of Sales ...
  await page.goto(`${base}/units`);
  await salesRow.getByRole('button', { name: 'Edit Sales' }).click();
  // The lead is searched among the members as one types.
  const lead = salesRow.getByRole('combobox', { name: 'Lead' }).first();
  await expect(lead).toHaveValue('');
  await lead.fill(head.name);
  await salesRow.getByRole('option', { name: new RegExp(`^${head.name}`) }).click();
  await expect(lead).toHaveValue(head.name);
  await salesRow.getByRole('button', { name: 'Set lead' }).click();
  await expect(salesRow).toContainText(`Lead: ${head.name}`);

  // ... and creates a Sales KPI nobody owns yet, and the head's own individual target.
  await createKpi(page, base, {
    name: 'Demos booked',
    unit: 'Sales',
    rollup: 'manual',
    target: '20',
  });
  await createKpi(page, base, {
    name: 'Head quota',
    unit: 'Sales',
    owner: head.name,
    rollup: 'manual',
    target: '5',
    individual: true,
  });
  const individualPath = new URL(page.url()).pathname;

  // The explorer's Manage dialog exists only while open: it opens on its KPI with the cascade
  // controls, and Escape closes it and gives the focus back to its button.
  await page.goto(`${base}/kpis`);
  const manage = page.getByRole('button', { name: 'Manage Demos booked' });
  await expect(manage).toBeVisible();
  await expect(page.locator('dialog')).toHaveCount(0);
  await manage.click();
  const dialog = page.getByRole('dialog', { name: 'Demos booked' });
  await expect(dialog.getByRole('combobox', { name: 'Rolls up into' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('dialog')).toHaveCount(0);
  await expect(manage).toBeFocused();

  // The head finds the unowned KPI on their dashboard and assigns the rep in place; only people
  // at home in their area are offered.
  await headPage.goto(base);
  const unowned = headPage.getByTestId('unowned-kpi').filter({ hasText: 'Demos booked' });
  const picker = unowned.getByLabel('Owner for Demos booked');
  await expect(picker.locator('option', { hasText: admin.name })).toHaveCount(0);
  await selectByText(picker, rep.name);
  await unowned.getByRole('button', { name: 'Assign' }).click();
  await expect(headPage.getByTestId('unowned-kpi').filter({ hasText: 'Demos booked' })).toHaveCount(
    0,
  );
  // The head sees their own individual KPI.
  expect((await headPage.goto(individualPath))?.status()).toBe(200);
  await expect(headPage.getByRole('heading', { level: 1 })).toContainText('Head quota');

  // The rep sees the KPI under their own targets and records a value.
  await repPage.goto(base);
  const targets = repPage.getByRole('list', { name: 'My targets' });
  const mine = targets.getByTestId('my-target').filter({ hasText: 'Demos booked' });
  await expect(mine).toBeVisible();
  await expect(targets.getByTestId('my-target').filter({ hasText: 'Head quota' })).toHaveCount(0);
  const form = repPage.getByRole('form', { name: 'Check-ins due' });
  await form.getByLabel('Demos booked').fill('4');
  await form.getByRole('button', { name: 'Save 1 check-in' }).click();
  await expect(repPage.getByTestId('checkin-message')).toContainText('Saved 1 check-in dated');
  await expect(mine.getByTestId('my-target-value')).toHaveText('4');

  // Another person's individual KPI is simply not there for the rep.
  const hidden = await repPage.goto(individualPath);
  expect(hidden?.status()).toBe(404);
  await expect(repPage.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  // The head's area shows the KPI with its new owner and value, in the open period (the
  // dashboard leads with the last complete one).
  await headPage.goto(base);
  const open = await headPage
    .getByLabel('Period')
    .locator('option', { hasText: '(so far)' })
    .first()
    .getAttribute('value');
  await headPage.goto(`${base}?period=${open}`);
  await expect(headPage.getByTestId('unowned-kpi')).toHaveCount(0);
  const row = headPage.getByRole('row').filter({ hasText: 'Demos booked' });
  await expect(row).toContainText(rep.name);
  await expect(row.getByRole('cell').nth(2)).toHaveText('4', { useInnerText: true });

  // The admin removes the rep; the rep's open session loses access on the very next click.
  await repPage.goto(base);
  await page.goto(`${base}/people`);
  const memberRow = page.getByTestId('member-row').filter({ hasText: rep.email });
  // The rep's home unit picker holds only Sales until the admin reaches for it, then every unit;
  // the admin moves the rep to the company, which holds after a reload.
  const homeUnit = memberRow.getByLabel(`Home unit of ${rep.name}`);
  await expect(homeUnit.locator('option')).toHaveText(['Sales']);
  await homeUnit.focus();
  await expect(homeUnit.locator('option')).toHaveCount(2);
  const saved = page.waitForResponse((r) => r.request().method() === 'POST' && r.ok());
  await selectByText(homeUnit, admin.orgName);
  await saved;
  await page.reload();
  await expect(homeUnit.locator('option')).toHaveText([admin.orgName]);
  await memberRow.getByRole('button', { name: `Remove ${rep.name}` }).click();
  await memberRow.getByRole('button', { name: 'Confirm removal' }).click();
  await expect(page.getByTestId('member-row').filter({ hasText: rep.email })).toHaveCount(0);
  // On a phone the main links sit in the mobile navigation bar.
  await repPage
    .getByRole('navigation', { name: 'Main (mobile)' })
    .getByRole('link', { name: 'KPIs' })
    .click();
  // Removed from their only organization, the rep is signed out at the next navigation.
  await expect(repPage).toHaveURL(/\/sign-in/);

  await adminContext.close();
  await headPage.context().close();
  await repPage.context().close();
});
