import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent, FileChange } from '../model/contract.js';
import type { Flow } from '../model/flow.js';
import { dispatch } from './dispatch.js';
import { type FerryService, slugify } from './ferry-service.js';
import { type ServiceHarness, serviceOverExamples } from './testing/service-harness.js';

let tmp: ServiceHarness;
let service: FerryService;
let events: ApiEvent[];

beforeEach(async () => {
  tmp = await serviceOverExamples();
  service = tmp.service;
  events = [];
  service.subscribe((e) => events.push(e));
});
afterEach(() => tmp.close());

const call = (name: string, input: unknown) => dispatch(service.handlers, name, input);
async function ok<T>(name: string, input: unknown): Promise<T> {
  const result = await call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as T;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('FerryService over the contract', () => {
  it('opens a workspace, lists it and remembers it as recent', async () => {
    const ws = await ok<{
      name: string;
      flows: { id: string }[];
      connections: { id: string; secretFields: string[] }[];
    }>('openWorkspace', { dir: tmp.ws });
    expect(ws.name).toBe('Ferry examples');
    expect(ws.flows.map((f) => f.id)).toEqual([
      'products-to-catalog',
      'products-to-shop',
      'stock-from-business-central',
      'web-customers-to-business-central',
      'web-customers-update-or-create',
    ]);
    expect(ws.connections).toEqual([
      expect.objectContaining({ id: 'bc-demo', secretFields: ['clientSecret'] }),
      expect.objectContaining({ id: 'shop-api', secretFields: ['token'] }),
    ]);
    expect(await ok('recentWorkspaces', {})).toEqual([expect.objectContaining({ dir: tmp.ws, name: ws.name })]);
    expect(events.map((e) => e.type)).toEqual(['workspace-opened']);
  });

  it('rejects invalid input with the JSON path and never calls the handler', async () => {
    const result = await call('loadFlow', { flowId: '../../etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!result.ok && result.error.message).toMatch(/^flowId: expected an id of letters/);
    expect(await call('noSuchMethod', {})).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('loadFlow', { flowId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'no workspace is open' },
    });
  });

  it('creates, saves (same bytes as a save of the loaded flow), validates and deletes flows', async () => {
    await ok('openWorkspace', { dir: tmp.ws });
    const original = await readFile(join(tmp.ws, 'flows/products-to-catalog.flow.json'), 'utf8');
    const loaded = await ok<{ flow: Flow; problems: unknown[] }>('loadFlow', { flowId: 'products-to-catalog' });
    expect(loaded.problems).toEqual([]);
    await ok('saveFlow', { flow: loaded.flow });
    expect(await readFile(join(tmp.ws, 'flows/products-to-catalog.flow.json'), 'utf8')).toBe(original);

    const created = await ok<{ flow: Flow }>('createFlow', { name: 'Products → Catalog' });
    expect(created.flow.id).toBe('products-catalog');
    const again = await ok<{ flow: Flow }>('createFlow', { name: 'Products → Catalog' });
    expect(again.flow.id).toBe('products-catalog-2');

    const broken: Flow = {
      ...created.flow,
      nodes: [{ id: 'm', kind: 'map', type: 'map', typeVersion: 1, position: { x: 0, y: 0 }, config: { fields: [] } }],
    };
    const saved = await ok<{ problems: { path: string; message: string }[] }>('saveFlow', { flow: broken });
    expect(saved.problems.length).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(join(tmp.ws, 'flows/products-catalog.flow.json'), 'utf8')).nodes).toHaveLength(1);

    await ok('deleteFlow', { flowId: 'products-catalog-2' });
    const ws = await ok<{ flows: { id: string }[] }>('currentWorkspace', {});
    expect(ws.flows.map((f) => f.id)).toEqual([
      'products-catalog',
      'products-to-catalog',
      'products-to-shop',
      'stock-from-business-central',
      'web-customers-to-business-central',
      'web-customers-update-or-create',
    ]);
  });

  it('runs a flow, streams run events and keeps summary, previews and history', async () => {
    await ok('openWorkspace', { dir: tmp.ws });
    const { runId } = await ok<{ runId: string }>('startRun', { flowId: 'products-to-catalog', dryRun: false });
    await service.runs.settled(runId);
    const types = events.filter((e) => e.type === 'run').map((e) => e.type === 'run' && e.event.type);
    expect(types[0]).toBe('run-started');
    expect(types.at(-1)).toBe('run-finished');
    const detail = await ok<{
      status: string;
      summary: { counts: Record<string, number> };
      previews: Record<string, { in: unknown[]; out: unknown[] }>;
    }>('getRun', { runId });
    expect(detail.status).toBe('succeeded');
    expect(detail.summary.counts.created! + detail.summary.counts.filtered!).toBe(20);
    expect(detail.previews.products!.out).toHaveLength(20);
    expect(detail.previews.catalog!.out[0]).toMatchObject({ '@outcome': 'created' });
    const runs = await ok<{ runId: string }[]>('listRuns', { flowId: 'products-to-catalog' });
    expect(runs.map((r) => r.runId)).toEqual([runId]);
  });

  it('refuses to run an invalid flow or the same flow twice, and cancels', async () => {
    await ok('openWorkspace', { dir: tmp.ws });
    const loaded = await ok<{ flow: Flow }>('loadFlow', { flowId: 'products-to-catalog' });
    const invalid = { ...loaded.flow, edges: [] };
    const refused = await call('startRun', { flowId: invalid.id, flow: invalid, dryRun: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!refused.ok && refused.error.problems?.length).toBeGreaterThan(0);

    // A source big enough that the run is still going when the second start and the cancel arrive.
    const csv = join(tmp.ws, 'data/products.csv');
    const [header, row] = (await readFile(csv, 'utf8')).split('\n');
    await writeFile(csv, `${header}\n${Array.from({ length: 300_000 }, () => row).join('\n')}\n`);
    const { runId } = await ok<{ runId: string }>('startRun', { flowId: 'products-to-catalog', dryRun: true });
    const second = await call('startRun', { flowId: 'products-to-catalog', dryRun: true });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await ok('cancelRun', { runId });
    const summary = await service.runs.settled(runId);
    expect(summary?.status).toBe('cancelled');
    expect(await ok('cancelRun', { runId })).toEqual({ cancelled: false });
  });

  it('reports external edits of flow files but not its own saves', async () => {
    await ok('openWorkspace', { dir: tmp.ws });
    const changes: FileChange[] = [];
    service.subscribe((e) => e.type === 'files-changed' && changes.push(...e.changes));
    const loaded = await ok<{ flow: Flow }>('loadFlow', { flowId: 'products-to-shop' });
    await ok('saveFlow', { flow: { ...loaded.flow, name: 'Renamed in Ferry' } });
    const file = join(tmp.ws, 'flows/products-to-catalog.flow.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"Products to catalog CSV"', '"Edited in git"'));
    await until(() => changes.length > 0, 'a file change');
    await new Promise((r) => setTimeout(r, 300));
    expect(changes).toEqual([{ kind: 'flow', id: 'products-to-catalog', change: 'changed' }]);
  });

  it('makes portable ids of names', () => {
    expect(slugify('Orders → Business Central (daily)')).toBe('orders-business-central-daily');
    expect(slugify('Café')).toBe('cafe');
    expect(slugify('→')).toBe('flow');
  });
});

describe('preferences and the secret store over the contract', () => {
  it('remembers the theme in the settings and refuses unknown values', async () => {
    expect(await ok('preferences', {})).toEqual({});
    expect(await ok('savePreferences', { theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(await ok('preferences', {})).toEqual({ theme: 'dark' });
    const bad = await call('savePreferences', { theme: 'purple' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('theme');
  });

  it('a host with a fixed store reports it and cannot switch', async () => {
    expect(await ok('secretStoreStatus', {})).toMatchObject({ kind: 'memory', ready: true, canSave: true });
    const result = await call('useSecretStore', { store: 'vault', passphrase: 'correct horse' });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const empty = await call('useSecretStore', { store: 'vault', passphrase: '' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
