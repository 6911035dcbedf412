import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BC_DEMO } from '../connectors/business-central/emulator/index.js';
import { ferry } from './testing/cli-harness.js';
import { startEmulate } from './testing/emulate-harness.js';

describe('ferry emulate', () => {
  it('runs the Business Central emulator until Ctrl+C, printing what a connection needs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-emulate-'));
    const emulate = await startEmulate(['business-central', '--port', '0', '--data', 'bc.json'], dir);
    const { stdout } = emulate;
    try {
      for (const text of [
        BC_DEMO.clientId,
        BC_DEMO.clientSecret,
        BC_DEMO.userName,
        BC_DEMO.password,
        BC_DEMO.companies.usa.id,
      ]) {
        // prettier-ignore
        expect(stdout).toContain(text);
      }
      const api = /On premises[\s\S]*?API\s+(http\S+)/.exec(stdout)![1]!;
      const auth = `Basic ${Buffer.from(`${BC_DEMO.userName}:${BC_DEMO.password}`).toString('base64')}`;
      const answer = await fetch(`${api}/companies`, { headers: { Authorization: auth } });
      expect(answer.status).toBe(200);
      // Without credentials BC14 asks for Basic or Windows (NTLM), as a server with both credential types does.
      const challenge = await fetch(`${api}/companies`);
      expect(challenge.status).toBe(401);
      expect(challenge.headers.get('www-authenticate')).toMatch(/Basic.*NTLM|NTLM.*Basic/);
      expect((await stat(path.join(dir, 'bc.json'))).isFile()).toBe(true);
      expect(await emulate.stop()).toBe(0);
    } finally {
      await emulate.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explains itself and refuses unknown systems', async () => {
    const help = await ferry(['emulate', '--help'], { cwd: tmpdir() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('ferry emulate <system> [--port N] [--data <file>]');
    expect((await ferry(['--help'], { cwd: tmpdir() })).stdout).toContain('ferry emulate <system>');
    const unknown = await ferry(['emulate', 'sap'], { cwd: tmpdir() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown system "sap"');
    expect((await ferry(['emulate'], { cwd: tmpdir() })).code).toBe(2);
  });
});
