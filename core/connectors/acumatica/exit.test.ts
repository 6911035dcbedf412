/**
 * The bundled `ferry run` ended by a signal while a request to Acumatica is under way (the emulator holds it):
 * SIGTERM cancels the run, whose close signs out; a second Ctrl+C exits at once after the process registry signed
 * the session out. `ferry serve` ended by SIGTERM while a run it started waits on Acumatica signs it out too. Either
 * way the emulator counts no session left open.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../cli/testing/cli-harness.js';
import { chainEdges, flowNode, putFile } from '../../cli/testing/workspace-files.js';
import { ACUMATICA_DEMO, type AcumaticaEmulator, startAcumaticaEmulator } from './emulator/index.js';
import { demoSettings } from './test-support.js';

let root: string;
let acu: AcumaticaEmulator;
let child: ChildProcess | undefined;

// The signal handling lives in the bundle's entry: build it from the current sources.
beforeAll(() => {
  const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT_DIR, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-acu-exit-'));
  acu = await startAcumaticaEmulator({ size: { stockItems: 500 } });
  const ws = join(root, 'ws');
  await putFile(ws, 'ferry.workspace.json', { schemaVersion: 1, id: 'acu-exit', name: 'Exit' });
  await putFile(ws, 'connections/acu.connection.json', {
    schemaVersion: 1,
    id: 'acu',
    name: 'Acumatica',
    connector: 'acumatica',
    settings: demoSettings(acu.instanceUrl),
    secrets: { password: { secret: 'acu-exit/acu/password' } },
  });
  await putFile(ws, 'flows/items.flow.json', {
    schemaVersion: 2,
    id: 'items',
    name: 'Items',
    nodes: [
      flowNode('items', 'source', 'acumatica', 0, { connection: 'acu', entity: 'StockItem', fields: ['InventoryID'], pageSize: 50 }), // prettier-ignore
      flowNode('csv', 'destination', 'file', 200, { path: 'items.csv' }),
    ],
    edges: chainEdges('items', 'csv'),
  });
});

afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  acu.resume();
  await acu.close();
  await rm(root, { recursive: true, force: true });
});

/** Starts the run and resolves once it has signed in and the emulator holds its next request. */
async function runUntilHeld(): Promise<{ exited: Promise<number | null> }> {
  child = spawn(process.execPath, [join(ROOT_DIR, 'bin/ferry.mjs'), 'run', join(root, 'ws'), 'items'], {
    env: {
      ...process.env,
      FERRY_DATA_DIR: join(root, 'data'),
      FERRY_SECRETS: 'env',
      FERRY_SECRET_ACU_PASSWORD: ACUMATICA_DEMO.password,
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  while (acu.stats.requests < 3) await new Promise((r) => setTimeout(r, 10));
  acu.pause();
  while (acu.stats.inFlight === 0) await new Promise((r) => setTimeout(r, 10));
  expect(acu.stats.openSessions).toBe(1);
  return { exited };
}

/** Starts `ferry serve` on the workspace and, through its API, the flow; resolves once the emulator holds a request. */
async function serveRunUntilHeld(): Promise<{ exited: Promise<number | null>; output: () => string }> {
  const renderer = join(root, 'renderer');
  await putFile(renderer, 'index.html', '<!doctype html>');
  child = spawn(process.execPath, [join(ROOT_DIR, 'bin/ferry.mjs'), 'serve', join(root, 'ws'), '--port', '0'], {
    env: {
      ...process.env,
      FERRY_DATA_DIR: join(root, 'data'),
      FERRY_RENDERER_DIR: renderer,
      FERRY_SECRETS: 'env',
      FERRY_SECRET_ACU_PASSWORD: ACUMATICA_DEMO.password,
    },
    stdio: 'pipe',
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  let url: URL | undefined;
  for (let i = 0; i < 500 && !url; i++) {
    const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
    if (match) url = new URL(match[0]);
    else await new Promise((r) => setTimeout(r, 20));
  }
  if (!url) throw new Error(`ferry serve printed no URL:\n${output}`);
  const started = await fetch(`${url.origin}/api/startRun`, {
    method: 'POST',
    headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ flowId: 'items', dryRun: false }),
  });
  expect(started.status, await started.clone().text()).toBe(200);
  while (acu.stats.requests < 3) await new Promise((r) => setTimeout(r, 10));
  acu.pause();
  while (acu.stats.inFlight === 0) await new Promise((r) => setTimeout(r, 10));
  expect(acu.stats.openSessions).toBe(1);
  return { exited, output: () => output };
}

describe('ferry run ended by a signal', () => {
  it('SIGTERM: the run is cancelled and its session signed out', async () => {
    const { exited } = await runUntilHeld();
    child!.kill('SIGTERM');
    await exited;
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });
  });

  it('Ctrl+C twice: exits at once (130) and leaves no session open', async () => {
    const { exited } = await runUntilHeld();
    child!.kill('SIGINT');
    child!.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });
  });
});

describe('ferry serve ended by a signal', () => {
  it('SIGTERM while a run waits on Acumatica: the run is cancelled, its session signed out, serve exits', async () => {
    const { exited, output } = await serveRunUntilHeld();
    child!.kill('SIGTERM');
    await exited;
    expect(acu.stats, output()).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });
  });
});
