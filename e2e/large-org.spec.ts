import { expect, test } from '@playwright/test';
import { readSeeded, signIn } from './helpers';

/**
 * An organization with more KPIs and people than its pages draw at once (521 monthly KPIs and 151
 * members, seeded by e2e/seed-large-org.ts).
 */
const seeded = () => readSeeded('e2e-large-org.json');

let orgSlug: string;

test.beforeEach(async ({ page }) => {
  const org = seeded();
  orgSlug = org.orgSlug;
  await signIn(page, org.email, org.password);
  await expect(page).toHaveURL(/\/o\//);
});

test('the explorer draws its first 500 rows and the rest on request', async ({ page }) => {
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

test('the history and a report schedule search the members instead of listing them', async ({
  page,
}) => {
  // The person filter: no list of 151 to scroll, every member reachable by typing.
  await page.goto(`/o/${orgSlug}/history`);
  const filters = page.getByRole('form', { name: 'Filter the history' });
  const person = filters.getByRole('combobox', { name: 'Person' });
  await person.fill('member-14');
  // "Everyone" first (it clears the filter), then the matches.
  const options = filters.getByRole('listbox', { name: 'Person' }).getByRole('option');
  await expect(person).toHaveAccessibleDescription('10 matches.');
  await expect(options).toHaveCount(11);
  await expect(options.first()).toHaveText('Everyone');
  await expect(options.nth(1)).toContainText('Member 140');
  await options.nth(1).click();
  await filters.getByRole('button', { name: 'Apply' }).click();
  // Only the chosen person: the empty kind and dates are not sent.
  await expect(page).toHaveURL(/\/history\?person=[0-9a-f-]{36}$/);
  await expect(person).toHaveValue('Member 140');

  // A schedule's recipients: searched, gathered, none of the 151 drawn until asked for.
  await page.goto(`/o/${orgSlug}/settings/reports`);
  const form = page.getByRole('form', { name: 'Schedule a report' });
  await expect(form.getByRole('checkbox')).toHaveCount(0);
  const to = form.getByRole('combobox', { name: 'To' });
  await to.fill('member-1'); // member-100 to member-150
  await expect(to).toHaveAccessibleDescription(
    'Each member picked is added to the recipients. 20 of 51 matches shown: type more to narrow.',
  );
  await to.fill('member-150');
  await form.getByRole('option', { name: /^Member 150/ }).click();
  await expect(form.getByRole('list', { name: 'Recipients' })).toContainText('Member 150');
});
