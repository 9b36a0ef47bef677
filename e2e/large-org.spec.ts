import { expect, test } from '@playwright/test';
import { readSeeded, signIn } from './helpers';

/**
 * An organization with more KPIs and people than its pages draw at once (521 monthly KPIs and 151
 * members, seeded by e2e/seed-large-org.ts).
 */
const seeded = () => readSeeded('e2e-large-org.json');

test('the explorer draws its first 500 rows and the rest on request', async ({ page }) => {
  const { email, password, orgSlug } = seeded();
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/o\//);
  await page.goto(`/o/${orgSlug}/kpis`);
  const rows = page.getByTestId('kpi-tree-name');
  const more = page.getByTestId('kpi-tree-more');
  await expect(more).toContainText('Showing the first 500 of 521 rows');
  await expect(rows).toHaveCount(500);
  // Tree order: the KPI made first, then its copies by name.
  await expect(rows.nth(0)).toHaveText('Tree KPI');
  await expect(rows.nth(499)).toHaveText('Tree KPI 499');

  await more.getByRole('button', { name: 'Show 21 more' }).click();
  await expect(rows).toHaveCount(521);
  await expect(rows.last()).toHaveText('Tree KPI 520');
  await expect(more).toHaveCount(0);

  // Every word of the search, anywhere in the name: 051, 151, 251, 351, 451 and 510 to 519.
  await page.getByTestId('kpi-tree-search').fill('Tree KPI 51');
  await expect(rows).toHaveCount(15);
  await expect(more).toHaveCount(0);
});

test('People lists a hundred members a page, pages on, and searches them all', async ({ page }) => {
  const { email, password, orgSlug } = seeded();
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/o\//);
  await page.goto(`/o/${orgSlug}/people`);
  const rows = page.getByTestId('member-row');
  const pages = page.getByRole('navigation', { name: 'Members pages' });
  await expect(page.getByTestId('members-count')).toHaveText('151 people');
  await expect(rows).toHaveCount(100);
  await expect(pages.getByTestId('pager-range')).toHaveText('1–100 of 151');
  await expect(rows.first()).toContainText('Lara Large');
  await expect(pages.getByRole('link', { name: 'Previous' })).toHaveCount(0);

  await pages.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/\/people\?page=2$/);
  await expect(rows).toHaveCount(51);
  await expect(pages.getByTestId('pager-range')).toHaveText('101–151 of 151');
  await expect(rows.last()).toContainText('Member 150');
  await expect(pages.getByRole('link', { name: 'Next' })).toHaveCount(0);

  // A search reaches every member, not only the page's, and starts from its first page.
  const search = page.getByRole('search', { name: 'Search members' });
  // Every word of it in the name or the email: member-010 to member-019.
  await search.getByLabel('Search').fill('MEMBER-01');
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/people\?q=MEMBER-01$/);
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toContainText('Member 010');
  await expect(page.getByTestId('members-count')).toHaveText('10 of 151 people');
  await expect(pages).toHaveCount(0);
  await search.getByRole('link', { name: 'Show everyone' }).click();
  await expect(rows).toHaveCount(100);

  // The new owner is searched among all the members as one types (no list of 150 to scroll):
  // chosen, confirmed or not; here the owner thinks better of it.
  const transfer = page.getByRole('region', { name: 'Transfer ownership' });
  const newOwner = transfer.getByRole('combobox', { name: 'New owner' });
  await newOwner.fill('member-01');
  const options = transfer.getByRole('option');
  await expect(options).toHaveCount(10);
  await expect(options.first()).toContainText('Member 010');
  await expect(newOwner).toHaveAccessibleDescription('10 matches.');
  await options.first().click();
  await expect(newOwner).toHaveValue(/^Member 010 \(member-010-/);
  await transfer.getByRole('button', { name: 'Transfer ownership' }).click();
  await expect(transfer).toContainText('Make Member 010 the owner?');
  await transfer.getByRole('button', { name: 'Cancel' }).click();
  await expect(transfer.getByRole('button', { name: 'Transfer ownership' })).toBeEnabled();
  // The owner is never among the matches.
  await newOwner.fill('Lara');
  await expect(newOwner).toHaveAccessibleDescription('No matches.');
});

test('the targets grid shows a hundred KPIs a page and pages on', async ({ page }) => {
  const { email, password, orgSlug } = seeded();
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/o\//);
  await page.goto(`/o/${orgSlug}/targets`);
  const grid = page.getByRole('table', { name: /^Targets by period/ });
  const rows = grid.locator('tbody tr');
  const pages = page.getByRole('navigation', { name: 'Target rows pages' });
  await expect(rows).toHaveCount(100);
  await expect(pages.getByTestId('pager-range')).toHaveText('1–100 of 521');
  await expect(rows.first()).toContainText('Tree KPI');
  await pages.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/\/targets\?cadence=month&page=2$/);
  await expect(pages.getByTestId('pager-range')).toHaveText('101–200 of 521');
  await expect(rows.first()).toContainText('Tree KPI 100');
  await expect(grid.getByLabel('Tree KPI 100, ', { exact: false }).first()).toBeVisible();
  // The cadence and year tabs start from the first page.
  await page.getByRole('link', { name: 'Next year' }).click();
  await expect(pages.getByTestId('pager-range')).toHaveText('1–100 of 521');
});
