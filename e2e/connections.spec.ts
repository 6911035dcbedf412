import { readFile, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, ferryCli, test } from './ferry-serve.js';
import { filesContaining, recordApiAnswers } from './secret-scan.js';

const PASSWORD = 'e2e-Pa55word-4d1f';
const USER = 'ada';

// By default the server gets a D-Bus address that leads nowhere: no keychain, so the UI says so and the test
// chooses the encrypted vault there, as a user on such a machine would. FERRY_E2E_SECRETS=keychain runs the same
// spec against the OS keychain (a desktop session, or dbus-run-session with an unlocked gnome-keyring).
const useKeychain = process.env.FERRY_E2E_SECRETS === 'keychain';
const VAULT_PASSPHRASE = 'e2e vault passphrase';
test.use({
  serveEnv: useKeychain ? {} : { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/ferry-e2e-bus' },
});
/** What `ferry run` needs to read the same store: the keychain as is, the vault by its passphrase. */
const cliSecrets = useKeychain ? {} : { FERRY_SECRETS: 'vault', FERRY_VAULT_PASSPHRASE: VAULT_PASSPHRASE };

/** A local API that wants basic auth: 401 with its own error text, else a JSON array of items. */
async function startBasicAuthApi(): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="e2e"' });
      res.end(JSON.stringify({ error: 'invalid user name or password' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify([
        { id: 1, name: 'Anchor' },
        { id: 2, name: 'Buoy' },
      ]),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A flow reading the API through the connection the test creates (by id) into a CSV file. */
function itemsFlow() {
  return {
    schemaVersion: 2,
    id: 'items-from-api',
    name: 'Items from API',
    nodes: [
      {
        id: 'items',
        kind: 'source',
        type: 'http',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        config: { connection: 'local-api', path: '/items', key: 'id' },
      },
      {
        id: 'csv',
        kind: 'destination',
        type: 'file',
        typeVersion: 1,
        position: { x: 300, y: 0 },
        config: { path: 'out/items.csv' },
      },
    ],
    edges: [{ from: { node: 'items', port: 'out' }, to: { node: 'csv', port: 'in' } }],
  };
}

test('create, test, save and use an http connection with basic auth; the secret never leaves the store', async ({
  page,
  served,
}) => {
  const api = await startBasicAuthApi();
  try {
    await writeFile(join(served.workspace, 'flows/items-from-api.flow.json'), JSON.stringify(itemsFlow(), null, 2));
    // Every API answer the page receives is kept: none may carry the password.
    const answers = recordApiAnswers(page);
    await page.goto(served.url);
    await expect(page.getByTestId('flow-list')).toBeVisible();

    await page.getByRole('button', { name: 'New connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connection' });
    await expect(dialog).toBeVisible();
    if (!useKeychain) {
      // No keychain here: the editor says so and offers the vault; nothing falls back to plain text.
      const banner = dialog.getByTestId('secret-store-banner');
      await expect(banner).toContainText('the system keychain is not available');
      const [first, repeat] = [banner.getByLabel('New vault passphrase'), banner.getByLabel('Repeat passphrase')];
      await first.fill(VAULT_PASSPHRASE);
      await repeat.fill(VAULT_PASSPHRASE);
      await banner.getByRole('button', { name: 'Create vault' }).click();
      await expect(banner).toContainText('Secrets are kept in the encrypted vault');
    }
    const save = dialog.getByRole('button', { name: 'Save', exact: true });
    const saveClose = dialog.getByRole('button', { name: 'Save & close' });
    await expect(save).toBeDisabled();
    await dialog.locator('[data-field="name"] input').fill('Local API');
    await dialog.locator('[data-field="baseUrl"] input').fill(api.url);
    await dialog.locator('[data-field="auth"] select').selectOption({ label: 'basic' });
    await dialog.locator('[data-field="username"] input').fill(USER);
    const password = dialog.locator('[data-field="password"] input');
    await expect(password).toHaveAttribute('type', 'password');

    // Wrong password: the precise error, Save stays disabled.
    await password.fill('not-the-password');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const result = dialog.getByTestId('connection-test-result');
    await expect(result).toContainText('Test failed');
    await expect(result).toContainText('HTTP 401');
    await expect(result).toContainText('check the username and password');
    await expect(save).toBeDisabled();

    // Right password: the test passes, Save is enabled; saving does not call the API again.
    await password.fill(PASSWORD);
    await expect(result).toHaveCount(0); // the change invalidated the old result
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(result).toContainText('Connection works');
    await expect(result).toContainText('HTTP 200');
    await expect(save).toBeEnabled();
    const callsBeforeSave = api.requests.length;
    await saveClose.click();
    await expect(dialog).toHaveCount(0);
    expect(api.requests.length).toBe(callsBeforeSave);
    const item = page.getByTestId('connection-list').getByRole('button', { name: /Local API/ });
    await expect(item).toBeVisible();

    // The file references the secret; the value is only in the (encrypted) vault.
    const fileText = await readFile(join(served.workspace, 'connections/local-api.connection.json'), 'utf8');
    expect(fileText).not.toContain(PASSWORD);
    const file = JSON.parse(fileText);
    expect(file.settings).toEqual({ auth: 'basic', baseUrl: api.url, username: USER });
    expect(file.secrets.password.secret).toMatch(/\/local-api\/password$/);

    // Reopen: the secret shows as stored, never its value.
    await item.click();
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('[data-field="name"] input')).toHaveValue('Local API');
    await expect(password).toHaveValue('');
    await expect(password).toHaveAttribute('placeholder', `stored in ${useKeychain ? 'keychain' : 'vault'}`);
    await expect(save).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);

    // A flow using the connection runs in the UI.
    await page.getByTestId('flow-list').getByRole('button', { name: 'Items from API' }).click();
    await expect(page.getByTestId('flow-title')).toHaveText('Items from API');
    // It named a connection that did not exist yet: saving it re-validated the open flow.
    await expect(page.locator('.ferry-node.invalid')).toHaveCount(0);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByTestId('run-summary')).toContainText('succeeded');
    await expect(page.getByTestId('summary-created')).toContainText('2');
    expect(await readFile(join(served.workspace, 'out/items.csv'), 'utf8')).toMatch(/^id,name\n1,Anchor\n2,Buoy\n?$/);

    // ... and from `ferry run`, reading the same store.
    const cli = await ferryCli(['run', served.workspace, 'items-from-api'], { ...served.env, ...cliSecrets });
    expect(cli.output).not.toContain(PASSWORD);
    expect(cli.code, cli.output).toBe(0);

    // Delete: the confirmation names the flow using it; the file and the stored secret go (the keychain stays clean).
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await item.click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(dialog).toHaveCount(0);
    expect(asked).toContain('flow "Items from API"');
    await expect(item).toHaveCount(0);
    const names = await readdir(join(served.workspace, 'connections'));
    expect(names).not.toContain('local-api.connection.json');
    const after = await ferryCli(['run', served.workspace, 'items-from-api'], { ...served.env, ...cliSecrets });
    expect(after.code).not.toBe(0);

    // Every file written anywhere (workspace, output, app data: run history, settings, vault) is free of it.
    expect(await filesContaining([served.workspace, served.dataDir], PASSWORD)).toEqual([]);
    const sent = await answers.text();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent).not.toContain(PASSWORD);
    expect(served.output()).not.toContain(PASSWORD);
  } finally {
    await api.close();
  }
});
