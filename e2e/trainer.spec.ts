import { expect, test } from './ferry-serve.js';

// The demo systems listen on ports the OS picks: tests never take the fixed demo ports.
test.use({ serveEnv: { FERRY_DEMO_PORTS: '0' } });

// The demo store's web orders in progress (written last by the Lightspeed seed, so their invoice numbers are fixed),
// and the one sale in progress that sells products Business Central lacks.
const WEB_ORDERS = ['WEB-1045', 'WEB-1046', 'WEB-1047'];
const MISSING_SKUS = 'items not in Business Central: GEN-0013, GEN-0016';

test('a trainer’s BC ⇄ Lightspeed demo: web orders become BC sales orders, stock skips products Lightspeed lacks', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  const flows = page.getByTestId('flow-list');
  await expect(flows).toBeVisible();

  await page.getByRole('button', { name: 'Start demo systems' }).click();
  const systems = page.getByTestId('demo-systems');
  await expect(systems).toContainText('Lightspeed');
  await expect(page.getByTestId('demo-messages')).toContainText(
    'Created the flow "Lightspeed orders → Business Central sales orders"',
  );

  // Template 1's flow, as the demo made it.
  await flows.getByRole('button', { name: 'Lightspeed orders → Business Central sales orders', exact: true }).click();
  await expect(page.getByTestId('flow-title')).toHaveText('Lightspeed orders → Business Central sales orders');
  await expect(page.getByTestId('node-bc-orders')).toBeVisible();

  // The audience watches Business Central's sales orders: the seeded ones only.
  await systems.locator('li', { hasText: 'Business Central' }).getByRole('button', { name: 'Browse', exact: true }).click(); // prettier-ignore
  const browser = page.getByRole('complementary', { name: 'Data browser' });
  await browser.getByLabel('Entity', { exact: true }).selectOption('salesOrders');
  await expect(browser.getByTestId('data-browser-range')).toHaveText('1–10 of 10');

  // Dry run: three customers and three orders would be created, the sale with unknown SKUs fails, the 20 sales not
  // in progress are filtered out and so is the person customer at the contact persons' company filter (the two new
  // company customers have no company contact yet, so no contact person would be made); nothing is written.
  const summary = page.getByTestId('run-summary');
  await page.getByRole('button', { name: 'Dry run', exact: true }).click();
  await expect(summary).toContainText('Dry run');
  await expect(page.getByTestId('summary-created')).toContainText('would be created');
  await expect(page.getByTestId('summary-created')).toContainText('6');
  await expect(page.getByTestId('summary-failed')).toContainText('1');
  await expect(page.getByTestId('summary-filtered')).toContainText('21');
  await expect(page.getByTestId('failures')).toContainText(MISSING_SKUS);
  await expect(browser.getByTestId('data-browser-range')).toHaveText('1–10 of 10');

  // Run: the same outcomes, written, plus the two company customers' contact persons.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(summary).toContainText('succeeded');
  await expect(summary).not.toContainText('Dry run');
  await expect(page.getByTestId('summary-created')).toContainText('8');
  await expect(page.getByTestId('summary-failed')).toContainText('1');
  const failures = page.getByTestId('failures');
  await expect(failures.locator('tbody tr')).toHaveCount(1);
  await expect(failures).toContainText('items');
  await expect(failures).toContainText(MISSING_SKUS);

  // Per-record outcomes at the orders' destination: one created order per web order.
  await page.getByTestId('node-bc-orders').click();
  await page.getByRole('tab', { name: 'Records', exact: true }).click();
  const runPanel = page.getByRole('region', { name: 'Run', exact: true });
  await runPanel.getByRole('button', { name: 'Out (3)', exact: true }).click();
  const outcomes = runPanel.getByTestId('preview-table').locator('tbody tr');
  await expect(outcomes).toHaveCount(3);
  for (const [i, invoice] of WEB_ORDERS.entries()) {
    await expect(outcomes.nth(i)).toContainText('created');
    await expect(outcomes.nth(i)).toContainText(invoice);
  }

  // The new sales orders on top of the data browser, newest first, by the web orders' invoice numbers.
  await expect(browser.getByTestId('data-browser-range')).toHaveText('1–13 of 13');
  const rows = browser.getByTestId('data-browser-table').locator('tbody tr');
  for (const [i, invoice] of [...WEB_ORDERS].reverse().entries()) await expect(rows.nth(i)).toContainText(invoice);

  // Template 3 before BC's items exist in Lightspeed: each of the 27 stock items is skipped, never created, and the
  // run's warning says so.
  await flows.getByRole('button', { name: 'Business Central inventory → Lightspeed', exact: true }).click();
  await expect(page.getByTestId('flow-title')).toHaveText('Business Central inventory → Lightspeed');
  await page.getByRole('tab', { name: 'Run', exact: true }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(summary).toContainText('succeeded');
  await expect(page.getByTestId('run-warnings')).toContainText('do not exist in the target and were skipped');
  await expect(page.getByTestId('summary-skipped')).toContainText('27');
  await expect(page.getByTestId('summary-updated')).toContainText('0');
});
