import type { Page } from '@playwright/test';
import { expect, test } from './ferry-serve.js';

// The demo systems listen on ports the OS picks: tests never take the fixed demo ports.
test.use({ serveEnv: { FERRY_DEMO_PORTS: '0' } });

async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('flow-list')).toBeVisible();
}

test('a trainer’s demo: start the demo systems, a flow from a template, dry run, run, the records in BC', async ({
  page,
  served,
}) => {
  await openApp(page, served.url);

  // Start demo systems: the emulators start in the host, the workspace gets their connections and template flows.
  await page.getByRole('button', { name: 'Start demo systems' }).click();
  const systems = page.getByTestId('demo-systems');
  for (const name of ['Shop API', 'Business Central', 'Acumatica', 'Lightspeed']) {
    await expect(systems).toContainText(name);
  }
  const messages = page.getByTestId('demo-messages');
  await expect(messages).toContainText('Created the connection "Acumatica (demo)"');
  await expect(messages).toContainText('Pointed "Business Central (demo)" at http://127.0.0.1:');
  await expect(page.getByTestId('flow-list')).toContainText('Acumatica stock items → Business Central items');

  // New flow from template: the connections are the demo's (one of each connector), the settings a generated form.
  await page.getByRole('button', { name: 'New flow from template' }).click();
  const dialog = page.getByRole('dialog', { name: 'New flow from template' });
  await dialog.getByRole('button', { name: /Acumatica stock items/ }).click();
  await expect(dialog.locator('[data-field="connections.source"] select')).toHaveValue('acumatica-demo');
  await expect(dialog.locator('[data-field="connections.destination"] select')).toHaveValue('bc-demo');
  await expect(dialog.getByText('Gen. product posting group')).toBeVisible();
  await dialog.getByLabel('Flow name').fill('Stock items for the class');
  await dialog.getByRole('button', { name: 'Create flow' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('flow-title')).toHaveText('Stock items for the class');
  await expect(page.getByTestId('node-bc-items')).toBeVisible();

  // The data browser on Business Central's items: the 30 seeded ones.
  await systems.locator('li', { hasText: 'Business Central' }).getByRole('button', { name: 'Browse' }).click();
  const browser = page.getByRole('complementary', { name: 'Data browser' });
  await browser.getByLabel('Entity').selectOption('items');
  await expect(browser.getByTestId('data-browser-range')).toHaveText('1–25 of 30');

  // Dry run: what would be created, nothing written.
  await page.getByRole('button', { name: 'Dry run' }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Dry run');
  await expect(page.getByTestId('summary-created')).toContainText('would be created');
  await expect(page.getByTestId('summary-created')).toContainText('35');
  await expect(browser.getByTestId('data-browser-range')).toHaveText('1–25 of 30');

  // Run: 35 items created, one outcome per record at the destination, and the new items on top in the browser.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-summary')).toContainText('succeeded');
  await expect(page.getByTestId('summary-created')).toContainText('35');
  await expect(page.getByTestId('summary-failed')).toContainText('0');
  await page.getByTestId('node-bc-items').click();
  await page.getByRole('tab', { name: 'Records' }).click();
  const runPanel = page.locator('.run-panel');
  await runPanel.getByRole('button', { name: /^Out/ }).click();
  const outcomes = runPanel.getByTestId('preview-table');
  await expect(outcomes.locator('tbody tr')).toHaveCount(20);
  await expect(outcomes.locator('tbody tr').first()).toContainText('created');

  await expect(browser.getByTestId('data-browser-range')).toHaveText('1–25 of 65');
  const newest = browser.getByTestId('data-browser-table').locator('tbody tr').first();
  await expect(newest).toContainText(/ITEM\d{5}|AA[A-Z0-9]+|CONGRILL/);
  await expect(newest).toContainText('RETAIL');
  await expect(browser.getByLabel('Entity')).toContainText('items (65)');

  // The stock template before its products exist in Lightspeed: every item skipped, and the run's warning says so.
  await page.getByTestId('flow-list').getByRole('button', { name: 'Business Central inventory → Lightspeed' }).click();
  await expect(page.getByTestId('flow-title')).toHaveText('Business Central inventory → Lightspeed');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-summary')).toContainText('succeeded');
  await expect(page.getByTestId('run-warnings')).toContainText('do not exist in the target and were skipped');
  await expect(page.getByTestId('summary-skipped')).toContainText('62');
});
