import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACUMATICA_DEMO } from '../connectors/acumatica/emulator/index.js';
import { ferry } from './testing/cli-harness.js';
import { startEmulate } from './testing/emulate-harness.js';

describe('ferry emulate acumatica', () => {
  it('runs the Acumatica emulator until Ctrl+C, printing what a connection needs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-emulate-acu-'));
    const emulate = await startEmulate(['acumatica', '--port', '0', '--data', 'acu.json'], dir);
    const { stdout } = emulate;
    try {
      for (const text of [
        ACUMATICA_DEMO.userName,
        ACUMATICA_DEMO.password,
        ACUMATICA_DEMO.tenant,
        ACUMATICA_DEMO.clientId,
        ACUMATICA_DEMO.clientSecret,
      ]) {
        // prettier-ignore
        expect(stdout).toContain(text);
      }
      const instance = /Instance\s+(http\S+)/.exec(stdout)![1]!;
      const login = await fetch(`${instance}/entity/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: ACUMATICA_DEMO.userName, password: ACUMATICA_DEMO.password, tenant: ACUMATICA_DEMO.tenant }), // prettier-ignore
      });
      expect(login.status).toBe(204);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const customer = await fetch(`${instance}/entity/Default/24.200.001/Customer/${ACUMATICA_DEMO.keys.customer}`, { headers: { Cookie: cookie } }); // prettier-ignore
      expect(customer.status).toBe(200);
      expect(((await customer.json()) as { CustomerID: unknown }).CustomerID).toEqual({
        value: ACUMATICA_DEMO.keys.customer,
      });
      expect((await fetch(`${instance}/entity/auth/logout`, { method: 'POST', headers: { Cookie: cookie } })).status).toBe(204); // prettier-ignore
      expect((await stat(path.join(dir, 'acu.json'))).isFile()).toBe(true);
      expect(await emulate.stop()).toBe(0);
    } finally {
      await emulate.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is listed in the help', async () => {
    expect((await ferry(['emulate', '--help'], { cwd: tmpdir() })).stdout).toContain('acumatica');
    expect((await ferry(['--help'], { cwd: tmpdir() })).stdout).toContain('business-central, acumatica');
  });
});
