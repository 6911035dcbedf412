import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base } from '@playwright/test';

export const ROOT = resolve(import.meta.dirname, '..');
const EXAMPLES = join(ROOT, 'resources/examples');

export interface Served {
  /** The temp copy of resources/examples the server works on. */
  workspace: string;
  url: string;
  token: string;
  origin: string;
  /** The server's FERRY_DATA_DIR (run state, settings, a secrets vault). */
  dataDir: string;
  /** The environment the server was started with (a spec's `serveEnv` included). */
  env: NodeJS.ProcessEnv;
  output: () => string;
}

/**
 * Starts the real `ferry serve` (the built binary) on a temp copy of the examples and a private data folder, and
 * stops it after the test. Port 0: the OS picks a free port; the URL comes from the server's own output.
 */
export async function startServe(
  extraEnv: Record<string, string> = {},
): Promise<{ served: Served; stop: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'ferry-e2e-'));
  const workspace = join(root, 'ws');
  const dataDir = join(root, 'data');
  const env = { ...process.env, FERRY_DATA_DIR: dataDir, ...extraEnv };
  await cp(EXAMPLES, workspace, { recursive: true, filter: (src) => src !== join(EXAMPLES, 'out') });
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [join(ROOT, 'bin/ferry.mjs'), 'serve', workspace, '--port', '0'],
    { env, stdio: 'pipe' },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`ferry serve did not print its URL:\n${output}`)), 20_000);
    const check = () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[0]);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => reject(new Error(`ferry serve exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(root, { recursive: true, force: true });
  };
  return {
    served: {
      workspace,
      url,
      token: parsed.searchParams.get('token')!,
      origin: parsed.origin,
      dataDir,
      env,
      output: () => output,
    },
    stop,
  };
}

export const test = base.extend<{ served: Served; serveEnv: Record<string, string> }>({
  /** Extra environment for `ferry serve` in one spec: `test.use({ serveEnv: { FERRY_SECRETS: 'vault', ... } })`. */
  serveEnv: [{}, { option: true }],
  served: async ({ serveEnv }, use) => {
    const { served, stop } = await startServe(serveEnv);
    await use(served);
    await stop();
  },
});

/** `ferry <args>` (the built binary) in a child process: its exit code and everything it printed. */
export function ferryCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/ferry.mjs'), ...args], { env, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

export { expect } from '@playwright/test';
