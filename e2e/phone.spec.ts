import { expect, test } from '@playwright/test';

/**
 * At a phone's width (390 px) the main navigation reaches every section without sideways
 * scrolling, and marks the section you are in.
 */
const ORG = '/o/northwind-cloud';

test('on a phone every section is in view in the navigation, the current one marked', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Owner: Morgan Blake' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/o/'));
  await page.goto(ORG);
  const nav = page.getByRole('navigation', { name: 'Main (mobile)' });
  const links = nav.getByRole('link');
  const names = await links.allTextContents();
  expect(names).toEqual(expect.arrayContaining(['Dashboard', 'KPIs', 'Reports', 'Settings']));
  for (const name of names) {
    const box = (await nav.getByRole('link', { name, exact: true }).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  expect(await nav.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute(
    'aria-current',
    'page',
  );

  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/settings`));
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Dashboard' })).not.toHaveAttribute('aria-current');
  await page.screenshot({ path: test.info().outputPath('phone-nav-390.png') });
});
