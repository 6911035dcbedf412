import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './ferry-serve.js';

/**
 * The mapper on the examples' "Web shop customers to Business Central" flow, whose map node holds the shipped
 * file → Business Central customers default mapping. The sample is read from the CSV, so no system needs to run.
 */
test('build a mapping by dragging fields, add an expression and a value map, preview, reset to defaults', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  await page.getByTestId('flow-list').getByText('Web shop customers to Business Central').click();
  await page.getByTestId('node-to-bc-customer').click();
  await page.getByRole('button', { name: 'Open mapper' }).click();
  const mapper = page.getByRole('dialog', { name: 'Mapper: Map to BC customer' });
  await expect(mapper.getByText('file → business-central · customers')).toBeVisible();

  // A sample from the source: its fields appear, the preview maps its records.
  await mapper.getByRole('button', { name: 'Fetch sample' }).click();
  await expect(mapper.getByTestId('source-field-segment')).toBeVisible();
  const preview = mapper.getByTestId('mapping-preview');
  await expect(preview).toContainText('6 records from the fetched sample');
  await expect(preview.getByTestId('preview-row-1').locator('[data-column="displayName"]')).toHaveText('Harbor Cycles');

  // Build: take two mappings away (the required display name is flagged), then drag fields back and onto new targets.
  await mapper.getByRole('button', { name: 'Remove mapping for displayName' }).click();
  await mapper.getByRole('button', { name: 'Remove mapping for email' }).click();
  await expect(mapper.getByTestId('target-field-displayName')).toHaveClass(/unmapped-required/);
  await mapper.getByTestId('source-field-displayName').dragTo(mapper.getByTestId('target-field-displayName'));
  await mapper.getByTestId('source-field-email').dragTo(mapper.getByTestId('target-field-email'));
  await mapper.getByTestId('source-field-segment').dragTo(mapper.getByTestId('target-field-type'));
  await expect(mapper.getByTestId('target-field-displayName')).not.toHaveClass(/unmapped-required/);
  await expect(mapper.getByLabel('Expression for displayName')).toHaveValue('displayName');
  await expect(mapper.getByLabel('Expression for type')).toHaveValue('segment');

  // An expression, typed with completion of a function and a field.
  const expression = mapper.getByLabel('Expression for displayName');
  await expression.fill('');
  await expression.pressSequentially('$upp');
  const suggestions = mapper.getByRole('listbox', { name: 'Suggestions' });
  await expect(suggestions.getByRole('option', { name: /\$uppercase/ })).toBeVisible();
  await expression.press('Enter');
  await expression.pressSequentially('displ');
  await expect(suggestions.getByRole('option', { name: /^displayName/ })).toBeVisible();
  await expression.press('Enter');
  await expression.pressSequentially(')');
  await expect(expression).toHaveValue('$uppercase(displayName)');
  await expect(preview.getByTestId('preview-row-1').locator('[data-column="displayName"]')).toHaveText('HARBOR CYCLES');

  // The shop's segment is not a Business Central customer type: a value map translates it.
  await expect(preview.getByTestId('preview-row-1').locator('[data-column="type"]')).toHaveText('business');
  await mapper.getByRole('button', { name: 'Value maps…' }).click();
  const valueMaps = page.getByRole('dialog', { name: 'Value maps' });
  await valueMaps.getByRole('button', { name: '+ New value map' }).click();
  await valueMaps.getByLabel('Name').fill('Customer types');
  await valueMaps.getByLabel('From 1').fill('business');
  await valueMaps.getByLabel('To 1').fill('Company');
  await valueMaps.getByRole('button', { name: '+ Add row' }).click();
  await valueMaps.getByLabel('From 2').fill('consumer');
  await valueMaps.getByLabel('To 2').fill('Person');
  await valueMaps.getByRole('button', { name: 'Save' }).click();
  await expect(valueMaps.getByRole('status')).toHaveText('Saved Customer types');
  await valueMaps.getByRole('button', { name: 'Close' }).click();
  await mapper.getByLabel('Value map for type').selectOption({ label: 'Customer types' });
  const firstType = preview.getByTestId('preview-row-1').locator('[data-column="type"]');
  await expect(firstType).toHaveText('Company');
  await expect(preview.getByTestId('preview-row-2').locator('[data-column="type"]')).toHaveText('Person');
  const stored = JSON.parse(await readFile(join(served.workspace, 'value-maps/customer-types.value-map.json'), 'utf8'));
  expect(stored.entries).toEqual([
    { from: 'business', to: 'Company' },
    { from: 'consumer', to: 'Person' },
  ]);
  await page.screenshot({ path: test.info().outputPath('mapper.png') });

  // Reset to defaults, after a confirmation: the shipped mapping is back.
  await mapper.getByRole('button', { name: 'Reset to defaults' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Reset to the default mapping?' });
  await confirm.getByRole('button', { name: 'Reset' }).click();
  await expect(mapper.getByLabel('Expression for displayName')).toHaveValue('displayName');
  await expect(mapper.getByLabel('Expression for email')).toHaveValue('email');
  await expect(mapper.getByLabel('Expression for type', { exact: true })).toHaveCount(0);
  await expect(mapper.getByLabel('Expression for currencyCode')).toHaveValue('currencyCode');
  await expect(mapper.getByLabel('When to write currencyCode')).toHaveValue('createOnly');
  await expect(preview.getByTestId('preview-row-1').locator('[data-column="displayName"]')).toHaveText('Harbor Cycles');

  // The mapping is the flow's: saved with it, equal to the shipped file's.
  await mapper.getByRole('button', { name: 'Done' }).click();
  await page.keyboard.press('Control+s');
  await expect(page.locator('.toolbar .unsaved')).toHaveCount(0);
  const file = join(served.workspace, 'flows/web-customers-to-business-central.flow.json');
  const flow = JSON.parse(await readFile(file, 'utf8'));
  const shipped = JSON.parse(
    await readFile(
      join(import.meta.dirname, '../resources/default-mappings/file--business-central.customers.json'),
      'utf8',
    ),
  );
  expect(flow.nodes[1].config).toEqual(shipped.mapping);
});
