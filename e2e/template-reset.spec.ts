import { expect, test } from './ferry-serve.js';

// The demo systems listen on ports the OS picks: tests never take the fixed demo ports.
test.use({ serveEnv: { FERRY_DEMO_PORTS: '0' } });

const TEMPLATE = 'Lightspeed customers → Business Central customers';
const MAP_NODE = 'Map to Business Central customer';

test('reset to defaults on a template-made flow restores the template’s mapping', async ({ page, served }) => {
  await page.goto(served.url);
  const flows = page.getByTestId('flow-list');
  await expect(flows).toBeVisible();

  // The demo makes the template flows.
  await page.getByRole('button', { name: 'Start demo systems' }).click();
  await expect(page.getByTestId('demo-messages')).toContainText(`Created the flow "${TEMPLATE}"`);

  await flows.getByRole('button', { name: TEMPLATE, exact: true }).click();
  await expect(page.getByTestId('flow-title')).toHaveText(TEMPLATE);
  await page.getByTestId('node-to-bc-customer').click();
  await page.getByRole('button', { name: 'Open mapper', exact: true }).click();
  const mapper = page.getByRole('dialog', { name: `Mapper: ${MAP_NODE}`, exact: true });
  await expect(mapper).toBeVisible();

  // Change one mapping's expression.
  const phone = mapper.getByLabel('Expression for phoneNumber', { exact: true });
  await expect(phone).toHaveValue('phone ? phone : mobile');
  await phone.fill('mobile');
  await expect(phone).toHaveValue('mobile');

  // The confirmation names the template's mapping, not a shipped pair file.
  await mapper.getByRole('button', { name: 'Reset to defaults', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Reset to the default mapping?', exact: true });
  await expect(confirm).toContainText(`are replaced by the template's mapping (from “${TEMPLATE}”)`);
  await expect(confirm).not.toContainText('the shipped mapping');
  await confirm.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(confirm).toBeHidden();

  // The template's expression is back.
  await expect(phone).toHaveValue('phone ? phone : mobile');
  await expect(mapper.getByLabel('Expression for email', { exact: true })).toHaveValue('$lowercase($trim(email))');
});
