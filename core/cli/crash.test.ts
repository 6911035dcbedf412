import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RunStateStore } from '../store/run-state.js';
import { ROOT_DIR, ensureBuilt } from './testing/cli-harness.js';

const ROWS = 300;
/** Sorted by updatedAt with ties: groups of three records share a timestamp. */
const stamp = (i: number) => new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3) * 1000).toISOString();

let dir: string;
let server: Server | undefined;
let child: ChildProcess | undefined;

beforeAll(ensureBuilt);
afterEach(async () => {
  child?.kill('SIGKILL');
  if (server) await new Promise((r) => server!.close(r));
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function workspace(port: number): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'ferry-crash-'));
  const ws = join(dir, 'ws');
  await mkdir(join(ws, 'flows'), { recursive: true });
  await mkdir(join(ws, 'connections'));
  await writeFile(
    join(ws, 'ferry.workspace.json'),
    JSON.stringify({ schemaVersion: 1, id: 'crash', name: 'Crash', defaults: { pageSize: 20 } }),
  );
  const rows = Array.from({ length: ROWS }, (_, i) => `${i + 1},${stamp(i)}`);
  await writeFile(join(ws, 'items.csv'), `id,updatedAt\n${rows.join('\n')}\n`);
  await writeFile(
    join(ws, 'connections/api.connection.json'),
    JSON.stringify({
      schemaVersion: 1,
      id: 'api',
      name: 'API',
      connector: 'http',
      settings: { baseUrl: `http://127.0.0.1:${port}`, concurrency: 2 },
    }),
  );
  const node = (id: string, kind: string, type: string, config: object) => ({
    id,
    kind,
    type,
    typeVersion: 1,
    position: { x: 0, y: 0 },
    config,
  });
  await writeFile(
    join(ws, 'flows/sync.flow.json'),
    JSON.stringify({
      schemaVersion: 2,
      id: 'sync',
      name: 'Sync',
      nodes: [
        node('items', 'source', 'file', { path: 'items.csv', key: 'id', deltaField: 'updatedAt', deltaOrdered: true }),
        node('api', 'destination', 'http', { connection: 'api', method: 'POST', path: '/items', batchSize: 4 }),
      ],
      edges: [{ from: { node: 'items', port: 'out' }, to: { node: 'api', port: 'in' } }],
    }),
  );
  return ws;
}

function runCli(ws: string, dataDir: string): ChildProcess {
  return spawn(process.execPath, [join(ROOT_DIR, 'bin/ferry.mjs'), 'run', ws, 'sync'], {
    env: { ...process.env, FERRY_DATA_DIR: dataDir },
    stdio: 'ignore',
  });
}

describe('a killed run', () => {
  it('never leaves the watermark ahead of an unacknowledged record, and the next run delivers the rest', async () => {
    /** Records whose response the server finished sending (the only ones the engine can know are done). */
    const acknowledged = new Set<string>();
    const received = new Set<string>();
    let killAfter = 120;
    let onKill: (() => void) | undefined;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const id = String(JSON.parse(body).id);
        received.add(id);
        if (received.size >= killAfter && onKill) {
          onKill();
          return; // never answers: the run dies with this request in flight
        }
        setTimeout(
          () => res.writeHead(201, { 'content-type': 'application/json' }).end('{}', () => acknowledged.add(id)),
          1,
        );
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const ws = await workspace((server.address() as { port: number }).port);
    const dataDir = join(dir, 'data');

    child = runCli(ws, dataDir);
    const exited = new Promise((r) => child!.once('exit', r));
    onKill = () => {
      onKill = undefined;
      child!.kill('SIGKILL');
    };
    await exited;
    expect(received.size).toBeGreaterThanOrEqual(killAfter);
    expect(acknowledged.size).toBeLessThan(ROWS);

    const store = new RunStateStore(join(dataDir, 'run-state.sqlite'));
    expect(store.listRuns('crash', 'sync')[0]?.status).toBe('interrupted');
    const mark = store.getWatermarks('crash', 'sync').items;
    store.close();
    expect(mark).toBeDefined();
    for (let i = 0; i < ROWS; i++) {
      if (!acknowledged.has(String(i + 1)))
        expect(mark! < stamp(i), `watermark ${mark} vs unacknowledged record ${i + 1}`).toBe(true);
    }

    killAfter = Infinity;
    child = runCli(ws, dataDir);
    const code = await new Promise((r) => child!.once('exit', r));
    expect(code).toBe(0);
    expect(acknowledged.size).toBe(ROWS);
  });
});
