import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { createKpi, pickByTyping, signUp, uniqueAccount } from './helpers';

/**
 * The KPI form's search-as-you-type pickers: an owner creates three KPIs (parent and owner
 * picked by typing), opens "Edit KPI" on one and finds its parent and owner shown by name, moves
 * it under another KPI with the keyboard only (type, arrows, Enter), gives it an owner by
 * typing, saves; the new parent's own picker then never offers it (no cycle); finally the
 * parent is cleared. Screenshots of the open picker at 1280 and 390 px; axe on the open picker.
 */

async function shoot(page: Page, testInfo: TestInfo, name: string, open: Locator) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await open.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`) });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name}: no sideways scrolling at ${width} px`).toBeLessThanOrEqual(0);
    const box = await open.boundingBox();
    expect(box, 'the open list is on screen').not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function openEdit(page: Page, base: string, name: string) {
  await page.goto(`${base}/kpis`);
  await page.getByRole('link', { name, exact: true }).first().click();
  await expect(page).toHaveURL(/\/kpis\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: 'Edit KPI' }).click();
  const edit = page.getByRole('form', { name: 'Edit KPI' });
  await expect(edit.getByRole('combobox', { name: 'Rolls up into' })).toBeVisible();
  return edit;
}

test('pick a parent and an owner by typing, never a cycle, clear the parent', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const owner = uniqueAccount('Picker');
  await page.setViewportSize({ width: 1280, height: 900 });
  const base = await signUp(page, owner);

  await createKpi(page, base, { name: 'Bookings total', rollup: 'sum', target: '100' });
  await createKpi(page, base, { name: 'Pipeline coverage', rollup: 'manual', target: '3' });
  await createKpi(page, base, {
    name: 'Demo calls',
    rollup: 'manual',
    target: '10',
    parent: 'Bookings total',
    owner: owner.name,
  });

  // 1. The form opens with the current parent and owner by name.
  const edit = await openEdit(page, base, 'Demo calls');
  const parent = edit.getByRole('combobox', { name: 'Rolls up into' });
  const ownerPicker = edit.getByRole('combobox', { name: 'Owner' });
  await expect(parent).toHaveValue('Bookings total');
  await expect(ownerPicker).toHaveValue(owner.name);

  // 2. Typing searches on the server: only matching KPIs it may roll up into, never itself.
  await parent.fill('demo');
  const parentList = page.getByRole('listbox', { name: 'Rolls up into' });
  await expect(parentList).toBeVisible();
  await expect(edit.getByText('No matches.', { exact: true }).first()).toBeVisible();
  await expect(parentList.getByRole('option', { name: /Demo calls/ })).toHaveCount(0);
  await parent.fill('PIPE');
  const pipeline = parentList.getByRole('option', { name: /Pipeline coverage/ });
  await expect(pipeline).toBeVisible();
  await expect(parentList.getByRole('option', { name: /Bookings total/ })).toHaveCount(0);
  await expect(parent).toHaveAttribute('aria-expanded', 'true');

  // 3. Keyboard only: the first option clears, the next is the match; Enter picks it.
  await parent.press('ArrowDown');
  await expect(pipeline).toHaveAttribute('aria-selected', 'true');
  const active = await parent.getAttribute('aria-activedescendant');
  expect(active).toBe(await pipeline.getAttribute('id'));
  await shoot(page, testInfo, 'kpi-parent-picker-open', parentList);
  const axe = await new AxeBuilder({ page })
    .include('form[aria-label="Edit KPI"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await parent.press('Enter');
  await expect(parent).toHaveValue('Pipeline coverage');
  await expect(parent).toHaveAttribute('aria-expanded', 'false');

  // Escape closes the list, then puts the chosen name back.
  await ownerPicker.fill('zzz');
  await ownerPicker.press('Escape');
  await expect(ownerPicker).toHaveValue(owner.name);
  // The owner by typing part of the name (the list shows it with its home unit).
  await ownerPicker.fill('');
  await ownerPicker.press('ArrowDown');
  await expect(page.getByRole('listbox', { name: 'Owner' })).toBeVisible();
  await shoot(
    page,
    testInfo,
    'kpi-owner-picker-open',
    page.getByRole('listbox', { name: 'Owner' }),
  );
  await pickByTyping(ownerPicker, owner.name.split(' ')[0]!);
  await expect(ownerPicker).toHaveValue(owner.name);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('status')).toHaveText('Saved.');

  // 4. Saved: the page names the new parent; its own picker never offers its child (a cycle).
  await page.reload();
  await page.getByRole('heading', { name: 'Edit KPI' }).click();
  await expect(parent).toHaveValue('Pipeline coverage');
  const pipelineEdit = await openEdit(page, base, 'Pipeline coverage');
  const itsParent = pipelineEdit.getByRole('combobox', { name: 'Rolls up into' });
  await expect(itsParent).toHaveValue('');
  await itsParent.fill('demo');
  await expect(pipelineEdit.getByText('No matches.', { exact: true }).first()).toBeVisible();
  await itsParent.fill('book');
  await expect(
    page.getByRole('listbox', { name: 'Rolls up into' }).getByRole('option', {
      name: /Bookings total/,
    }),
  ).toBeVisible();
  await itsParent.press('Escape');

  // 5. Clearing the parent: the first option, "Nothing (top level)".
  const demoEdit = await openEdit(page, base, 'Demo calls');
  const demoParent = demoEdit.getByRole('combobox', { name: 'Rolls up into' });
  await demoParent.click();
  await page
    .getByRole('listbox', { name: 'Rolls up into' })
    .getByRole('option', { name: 'Nothing (top level)' })
    .click();
  await expect(demoParent).toHaveValue('');
  await demoEdit.getByRole('button', { name: 'Save changes' }).click();
  await expect(demoEdit.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await page.getByRole('heading', { name: 'Edit KPI' }).click();
  await expect(demoParent).toHaveValue('');
  await expect(demoEdit.getByRole('combobox', { name: 'Owner' })).toHaveValue(owner.name);

  // 6. The explorer's Manage dialog moves a KPI with the same search (the page lists no KPIs
  // to pick from): Demo calls goes back under Bookings total, as the dialog shows after a reload.
  await page.goto(`${base}/kpis`);
  await page.getByRole('button', { name: 'Manage Demo calls' }).click();
  const dialog = page.getByRole('dialog', { name: 'Demo calls' });
  const move = dialog.getByRole('combobox', { name: 'Rolls up into' });
  await expect(move).toHaveValue('');
  await expect(dialog.getByRole('button', { name: 'Move' })).toBeDisabled();
  await move.fill('demo');
  await expect(dialog.getByText('No matches.', { exact: true }).first()).toBeVisible();
  await pickByTyping(move, 'Bookings');
  await expect(move).toHaveValue('Bookings total');
  await dialog.getByRole('button', { name: 'Move' }).click();
  // The dialog closes (the tree draws the KPI anew in its new place); what was done is said
  // above the tree, which takes the focus the dialog had.
  await expect(page.locator('dialog')).toHaveCount(0);
  const done = page.getByRole('status').filter({ hasText: 'Demo calls: Now rolls up into' });
  await expect(done).toHaveText('Demo calls: Now rolls up into Bookings total.');
  await expect(done).toBeFocused();
  await shoot(page, testInfo, 'explorer-moved', done);
  await page.reload();
  await page.getByRole('button', { name: 'Manage Demo calls' }).click();
  await expect(
    page
      .getByRole('dialog', { name: 'Demo calls' })
      .getByRole('combobox', { name: 'Rolls up into' }),
  ).toHaveValue('Bookings total');
});
