import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appDataDir } from './app-data.js';
import { RunStateStore } from './run-state.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-state-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const start = (store: RunStateStore, runId: string, startedAt = new Date().toISOString()) =>
  store.startRun({ runId, workspaceId: 'ws', flowId: 'f', dryRun: false, startedAt });

describe('RunStateStore', () => {
  it('keeps per-record outcomes in order, grouped rows expanded', () => {
    const store = new RunStateStore(join(dir, 'state.sqlite'));
    start(store, 'r1');
    store.recordOutcomes(
      'r1',
      [{ nodeId: 'dst', sourceNode: 'src', sourceKey: '3', status: 'failed', message: 'HTTP 400' }],
      [{ nodeId: 'dst', sourceNode: 'src', status: 'created', keys: ['1', '2'], targetKeys: ['A', null] }],
    );
    const all = store.runOutcomes('r1');
    expect(all.map((o) => [o.sourceKey, o.status, o.targetKey, o.message])).toEqual([
      ['1', 'created', 'A', undefined],
      ['2', 'created', undefined, undefined],
      ['3', 'failed', undefined, 'HTTP 400'],
    ]);
    expect(store.runOutcomes('r1', { status: 'failed' })).toHaveLength(1);
    expect(store.runOutcomes('r1', { offset: 1, limit: 1 }).map((o) => o.sourceKey)).toEqual(['2']);
    expect(store.markDiscarded('r1', 'dst', 'discarded')).toBe(1);
    expect(store.runOutcomes('r1', { status: 'failed' }).map((o) => o.sourceKey)).toEqual(['1', '2', '3']);
    store.close();
  });

  it('persists watermarks per flow and source node across reopen', () => {
    const file = join(dir, 'state.sqlite');
    const a = new RunStateStore(file);
    a.setWatermark('ws', 'f', 'src', '2026-01-01T00:00:00Z', 'r1');
    a.setWatermark('ws', 'f', 'src', '2026-02-01T00:00:00Z', 'r2');
    a.setWatermark('ws', 'other', 'src', '5', 'r3');
    a.close();
    const b = new RunStateStore(file);
    expect(b.getWatermarks('ws', 'f')).toEqual({ src: '2026-02-01T00:00:00Z' });
    b.clearWatermarks('ws', 'f');
    expect(b.getWatermarks('ws', 'f')).toEqual({});
    expect(b.getWatermarks('ws', 'other')).toEqual({ src: '5' });
    b.close();
  });

  it('marks runs of a process that died as interrupted', () => {
    const file = join(dir, 'state.sqlite');
    // A child process starts a run and dies without finishing it.
    const script = `const D=require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});const d=new D(${JSON.stringify(file)});
      d.exec("CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, flow_id TEXT NOT NULL, status TEXT NOT NULL, dry_run INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, pid INTEGER, summary TEXT)");
      d.prepare("INSERT INTO runs VALUES ('dead','ws','f','running',0,'2026-01-01',NULL,?,NULL)").run(process.pid);`;
    expect(spawnSync(process.execPath, ['-e', script]).status).toBe(0);
    const store = new RunStateStore(file);
    start(store, 'alive');
    expect(store.listRuns('ws').map((r) => [r.runId, r.status])).toEqual([
      ['alive', 'running'],
      ['dead', 'interrupted'],
    ]);
    store.close();
  });

  it('prunes old runs with their records', () => {
    const store = new RunStateStore(':memory:');
    for (let i = 0; i < 5; i++) {
      start(store, `r${i}`, `2026-01-0${i + 1}T00:00:00Z`);
      store.recordOutcomes(`r${i}`, [
        { nodeId: 'd', sourceNode: 's', sourceKey: String(i), status: 'failed', message: 'x' },
      ]);
    }
    store.prune('ws', 'f', 2);
    expect(store.listRuns('ws', 'f').map((r) => r.runId)).toEqual(['r4', 'r3']);
    expect(store.runOutcomes('r0')).toEqual([]);
    expect(store.runOutcomes('r4')).toHaveLength(1);
    store.close();
  });
});

describe('appDataDir', () => {
  it('matches Electron userData per platform and honours FERRY_DATA_DIR', () => {
    expect(appDataDir({ FERRY_DATA_DIR: '/x' }, 'linux')).toBe('/x');
    expect(appDataDir({ HOME: '/home/a' }, 'linux')).toBe('/home/a/.config/Ferry');
    expect(appDataDir({ HOME: '/home/a', XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Ferry');
    expect(appDataDir({ HOME: '/Users/a' }, 'darwin')).toBe('/Users/a/Library/Application Support/Ferry');
    expect(
      appDataDir({ HOME: 'C:\\\\Users\\\\a', APPDATA: 'C:\\\\Users\\\\a\\\\AppData\\\\Roaming' }, 'win32'),
    ).toMatch(/Roaming.Ferry$/);
  });
});
