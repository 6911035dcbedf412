import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIGHTSPEED_DEMO } from '../connectors/lightspeed/emulator/index.js';
import { ferry } from './testing/cli-harness.js';
import { startEmulate } from './testing/emulate-harness.js';

describe('ferry emulate lightspeed', () => {
  it('runs the Lightspeed store until Ctrl+C, printing what a connection needs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-emulate-ls-'));
    const emulate = await startEmulate(['lightspeed', '--port', '0', '--data', 'ls.json'], dir);
    const { stdout } = emulate;
    try {
      for (const text of [
        LIGHTSPEED_DEMO.personalToken,
        LIGHTSPEED_DEMO.clientId,
        LIGHTSPEED_DEMO.clientSecret,
        LIGHTSPEED_DEMO.domainPrefix,
        '300 × 4 registers + 50 = 1250 requests per 5 minutes',
      ]) {
        // prettier-ignore
        expect(stdout).toContain(text);
      }
      const api = /API\s+(http\S+)/.exec(stdout)![1]!;
      const answer = await fetch(`${api}/retailer`, { headers: { Authorization: `Bearer ${LIGHTSPEED_DEMO.personalToken}` } }); // prettier-ignore
      expect(((await answer.json()) as { data: { name: string } }).data.name).toBe(LIGHTSPEED_DEMO.storeName);
      expect((await fetch(`${api}/retailer`)).status).toBe(401);
      expect((await stat(path.join(dir, 'ls.json'))).isFile()).toBe(true);
      expect(await emulate.stop()).toBe(0);
    } finally {
      await emulate.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is listed in the help', async () => {
    expect((await ferry(['emulate', '--help'], { cwd: tmpdir() })).stdout).toContain('lightspeed         Lightspeed Retail (X-Series)'); // prettier-ignore
    expect((await ferry(['--help'], { cwd: tmpdir() })).stdout).toMatch(/business-central, acumatica,\s+lightspeed\)/);
  });
});
