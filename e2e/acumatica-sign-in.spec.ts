import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACUMATICA_DEMO, startAcumaticaEmulator } from '../core/connectors/acumatica/emulator/index.js';
import { demoClient, freeLoopbackPort } from '../core/host/testing/sign-in-harness.js';
import { VaultSecretStore, defaultVaultPath } from '../core/secrets/vault-store.js';
import { expect, ferryCli, test } from './ferry-serve.js';
import { filesContaining, recordApiAnswers } from './secret-scan.js';

// The vault, fixed by the environment: no keychain on a CI box.
const VAULT_PASSPHRASE = 'e2e sign-in vault passphrase';
test.use({
  serveEnv: {
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/ferry-e2e-bus',
    FERRY_SECRETS: 'vault',
    FERRY_VAULT_PASSPHRASE: VAULT_PASSPHRASE,
  },
});

const ACCOUNT = 'examples/acumatica-oauth/refreshToken';

/** Customers from the connection into a CSV file: proof that runs sign in with the stored token. */
const customersFlow = {
  schemaVersion: 2,
  id: 'acu-customers',
  name: 'Acumatica customers',
  nodes: [
    { id: 'acu', kind: 'source', type: 'acumatica', typeVersion: 1, position: { x: 0, y: 0 }, config: { connection: 'acumatica-oauth', entity: 'Customer', fields: ['CustomerID'] } }, // prettier-ignore
    { id: 'csv', kind: 'destination', type: 'file', typeVersion: 1, position: { x: 300, y: 0 }, config: { path: 'out/customers.csv' } }, // prettier-ignore
  ],
  edges: [{ from: { node: 'acu', port: 'out' }, to: { node: 'csv', port: 'in' } }],
};

test('authorize an Acumatica connection in the browser; the refresh token never leaves the store', async ({
  page,
  served,
}) => {
  const port = await freeLoopbackPort();
  // The connected application registers Ferry's redirect URI on that port, as an administrator would (SM303010).
  const acu = await startAcumaticaEmulator({ clients: [demoClient(port)], signInPage: true });
  try {
    await writeFile(join(served.workspace, 'flows/acu-customers.flow.json'), JSON.stringify(customersFlow));
    const answers = recordApiAnswers(page);
    await page.goto(served.url);

    // A new oauth-code connection: the test checks the instance (nothing to sign in with yet); saving it offers the
    // browser sign-in, which needs the saved settings.
    await page.getByRole('button', { name: 'New connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connection' });
    await dialog.locator('[data-field="connector"] select').selectOption({ label: 'Acumatica' });
    await dialog.locator('[data-field="name"] input').fill('Acumatica OAuth');
    await dialog.locator('[data-field="instanceUrl"] input').fill(acu.instanceUrl);
    await dialog.locator('[data-field="auth"] select').selectOption({ label: 'oauth-code' });
    await dialog.locator('[data-field="clientId"] input').fill(ACUMATICA_DEMO.clientId);
    await dialog.locator('[data-field="clientSecret"] input').fill(ACUMATICA_DEMO.clientSecret);
    await dialog.locator('[data-field="redirectPort"] input').fill(String(port));
    await expect(dialog.getByTestId('sign-in')).toHaveText('Save the connection, then authorize Ferry in the browser.');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const result = dialog.getByTestId('connection-test-result');
    await expect(result).toContainText('not signed in yet: save the connection, then Authorize…');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(result).toHaveText('Saved');
    const refreshToken = dialog.locator('[data-field="refreshToken"] input');
    await expect(refreshToken).toHaveAttribute('placeholder', '');
    await expect(dialog.locator('[data-field="clientSecret"] input')).toHaveAttribute('placeholder', 'stored in vault');

    // Authorize…: a window opens on the instance's sign-in page; Ferry waits for the browser.
    const popupOpened = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Authorize…' }).click();
    const popup = await popupOpened;
    await popup.waitForURL((url) => url.pathname.endsWith('/identity/connect/authorize'));
    const status = dialog.getByTestId('sign-in-status');
    await expect(status).toContainText('Waiting for the browser…');
    expect(await popup.evaluate(() => window.opener)).toBeNull();

    // Signing in there sends the browser back to Ferry, which says so and closes its listener.
    await popup.getByLabel('Username').fill(ACUMATICA_DEMO.userName);
    await popup.getByLabel('Password').fill(ACUMATICA_DEMO.password);
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await expect(popup.locator('h1')).toHaveText('Ferry is signed in to Acumatica OAuth');
    await expect(popup.locator('p')).toHaveText('Ferry is signed in to Acumatica OAuth. You can close this tab.');
    expect(new URL(popup.url()).origin).toBe(`http://127.0.0.1:${port}`);
    await expect(status).toContainText(`Signed in to Acumatica at ${acu.instanceUrl} (tenant "MyStore")`);
    await expect(refreshToken).toHaveAttribute('placeholder', 'stored in vault');
    await expect(dialog.getByRole('button', { name: 'Sign in again' })).toBeVisible();
    await expect(popup.request.get(`http://127.0.0.1:${port}/callback`)).rejects.toThrow();

    const vault = new VaultSecretStore({ path: defaultVaultPath(served.dataDir), passphrase: VAULT_PASSPHRASE });
    const token = await vault.get(ACCOUNT);
    expect(token).toEqual(expect.any(String));
    const file = JSON.parse(
      await readFile(join(served.workspace, 'connections/acumatica-oauth.connection.json'), 'utf8'),
    );
    expect(file.secrets).toEqual({
      clientSecret: { secret: 'examples/acumatica-oauth/clientSecret' },
      refreshToken: { secret: ACCOUNT },
    });
    expect(acu.stats.openSessions).toBe(0);

    // `ferry run` signs in with it and stores the token Acumatica rotated.
    const run = await ferryCli(['run', served.workspace, 'acu-customers'], served.env);
    expect(run.code, run.output).toBe(0);
    const rotated = await vault.get(ACCOUNT);
    expect(rotated).not.toBe(token);
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });

    // No token nor the client secret in any file written (the vault is encrypted), API answer, or Ferry's output.
    const sent = await answers.text();
    expect(sent.length).toBeGreaterThan(0);
    for (const secret of [token!, rotated!, ACUMATICA_DEMO.clientSecret]) {
      expect(await filesContaining([served.workspace, served.dataDir], secret)).toEqual([]);
      expect(sent).not.toContain(secret);
      expect(served.output()).not.toContain(secret);
      expect(run.output).not.toContain(secret);
    }
  } finally {
    await acu.close();
  }
});
