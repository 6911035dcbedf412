import { readFile, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../model/contract.js';
import { defaultRegistry } from '../connectors/registry.js';
import { loadWorkspace } from '../store/workspace-store.js';
import { connectionHandlers } from './connection-handlers.js';
import { dispatch } from './dispatch.js';
import { TestTokens, redactor } from './test-tokens.js';
import { type ServiceHarness, serviceOverExamples } from './testing/service-harness.js';

const SECRET = 'pa55-Secret-7f3c!';
const OTHER_SECRET = 'second-S3cret-91ab';

let tmp: ServiceHarness;
let server: http.Server;
let baseUrl: string;
let requests: string[];
/** Every response and event the renderer could see: scanned for secrets at the end of each test. */
let seen: unknown[];

beforeEach(async () => {
  tmp = await serviceOverExamples({ watch: false });
  seen = [];
  tmp.service.subscribe((e: ApiEvent) => seen.push(e));
  requests = [];
  server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const expected = `Basic ${Buffer.from(`ada:${SECRET}`).toString('base64')}`;
    const alsoOk = `Basic ${Buffer.from(`ada:${OTHER_SECRET}`).toString('base64')}`;
    if (req.headers.authorization !== expected && req.headers.authorization !== alsoOk) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="t"' });
      res.end(JSON.stringify({ error: 'bad credentials' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify([{ id: 1 }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await ok('openWorkspace', { dir: tmp.ws });
});

afterEach(async () => {
  // The whole point: no secret in anything that went to the renderer, nor in any workspace file.
  const sent = JSON.stringify(seen);
  expect(sent).not.toContain(SECRET);
  expect(sent).not.toContain(OTHER_SECRET);
  for (const name of await readdir(join(tmp.ws, 'connections'))) {
    const text = await readFile(join(tmp.ws, 'connections', name), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(OTHER_SECRET);
  }
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await tmp.close();
});

async function call(name: string, input: unknown) {
  const result = await dispatch(tmp.service.handlers, name, input);
  seen.push(result);
  return result;
}
async function ok<T>(name: string, input: unknown): Promise<T> {
  const result = await call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as T;
}

interface TestResult {
  ok: boolean;
  message: string;
  testToken?: string;
}
interface Summary {
  id: string;
  name: string;
  secretFields: string[];
  storedSecrets: string[];
  settings: Record<string, unknown>;
  concurrency?: { level?: number; borrowFrom?: string };
}

const draft = (extra: Record<string, unknown> = {}) => ({
  name: 'Basic API',
  connector: 'http',
  settings: { baseUrl, auth: 'basic', username: 'ada', testPath: '/items' },
  ...extra,
});

async function createConnection(): Promise<Summary> {
  const test = await ok<TestResult>('testConnection', { draft: draft(), secrets: { password: SECRET } });
  expect(test.ok).toBe(true);
  return ok<Summary>('saveConnection', { draft: draft(), secrets: { password: SECRET }, testToken: test.testToken });
}

describe('connection handlers', () => {
  it('tests with the typed secret: a wrong password is a clear error without a token', async () => {
    const wrong = await ok<TestResult>('testConnection', { draft: draft(), secrets: { password: 'nope-nope' } });
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toMatch(/HTTP 401/);
    expect(wrong.message).toMatch(/username and password/);
    expect(wrong.testToken).toBeUndefined();
    const right = await ok<TestResult>('testConnection', { draft: draft(), secrets: { password: SECRET } });
    expect(right).toMatchObject({ ok: true, message: expect.stringMatching(/HTTP 200/) });
    expect(right.testToken).toEqual(expect.any(String));
  });

  it('saves after a passing test without calling the server again; the file holds a reference only', async () => {
    const test = await ok<TestResult>('testConnection', { draft: draft(), secrets: { password: SECRET } });
    const before = requests.length;
    const saved = await ok<Summary>('saveConnection', {
      draft: draft(),
      secrets: { password: SECRET },
      testToken: test.testToken,
    });
    expect(requests.length).toBe(before);
    expect(saved).toMatchObject({ id: 'basic-api', secretFields: ['password'], storedSecrets: ['password'] });
    const file = JSON.parse(await readFile(join(tmp.ws, 'connections/basic-api.connection.json'), 'utf8'));
    const wsId = JSON.parse(await readFile(join(tmp.ws, 'ferry.workspace.json'), 'utf8')).id as string;
    expect(file.secrets).toEqual({ password: { secret: `${wsId}/basic-api/password` } });
    expect(file.settings).toEqual(draft().settings);
    expect(await tmp.secrets.get(`${wsId}/basic-api/password`)).toBe(SECRET);
    const listed = await ok<Summary[]>('listConnections', {});
    expect(listed.find((c) => c.id === 'basic-api')?.storedSecrets).toEqual(['password']);
    // The example's token is referenced but not stored in this test's secret store.
    expect(listed.find((c) => c.id === 'shop-api')).toMatchObject({ secretFields: ['token'], storedSecrets: [] });
  });

  it('refuses a save whose values were not tested, or changed since, or a token used twice', async () => {
    const test = await ok<TestResult>('testConnection', { draft: draft(), secrets: { password: SECRET } });
    const changed = await call('saveConnection', {
      draft: draft({ name: 'Other name' }),
      secrets: { password: SECRET },
      testToken: test.testToken,
    });
    expect(changed).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const otherSecret = await call('saveConnection', {
      draft: draft(),
      secrets: { password: OTHER_SECRET },
      testToken: test.testToken,
    });
    expect(otherSecret).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await ok('saveConnection', { draft: draft(), secrets: { password: SECRET }, testToken: test.testToken });
    const again = await call('saveConnection', {
      draft: draft({ name: 'Basic API 2' }),
      secrets: { password: SECRET },
      testToken: test.testToken,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('names the JSON path of invalid settings and refuses a taken name', async () => {
    const bad = await call('testConnection', {
      draft: draft({ settings: { baseUrl: 'ftp://x', auth: 'basic' } }),
      secrets: {},
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const paths = !bad.ok ? bad.error.problems?.map((p) => p.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['settings.baseUrl', 'settings.username']));
    const taken = await call('testConnection', { draft: draft({ name: 'shop api' }), secrets: {} });
    expect(taken).toMatchObject({ ok: false, error: { code: 'invalid-input', problems: [{ path: 'name' }] } });
  });

  it('edits with the stored secret: empty keeps it, typing replaces it, null removes it', async () => {
    await createConnection();
    const edited = draft({ id: 'basic-api', name: 'Basic API (edited)' });
    const withoutStored = await ok<TestResult>('testConnection', { draft: edited, secrets: {} });
    expect(withoutStored.ok).toBe(false);
    const test = await ok<TestResult>('testConnection', { draft: edited, secrets: {}, useStored: true });
    expect(test.ok).toBe(true);
    const saved = await ok<Summary>('saveConnection', { draft: edited, secrets: {}, testToken: test.testToken });
    expect(saved).toMatchObject({ id: 'basic-api', name: 'Basic API (edited)', storedSecrets: ['password'] });

    const retest = await ok<TestResult>('testConnection', { draft: edited, secrets: { password: OTHER_SECRET } });
    await ok('saveConnection', { draft: edited, secrets: { password: OTHER_SECRET }, testToken: retest.testToken });
    const account = JSON.parse(await readFile(join(tmp.ws, 'connections/basic-api.connection.json'), 'utf8')).secrets
      .password.secret as string;
    expect(await tmp.secrets.get(account)).toBe(OTHER_SECRET);

    const none = draft({ id: 'basic-api', settings: { baseUrl, auth: 'none', testPath: '/open' } });
    server.removeAllListeners('request');
    server.on('request', (_req, res) => res.end('[]'));
    const open = await ok<TestResult>('testConnection', { draft: none, secrets: {} });
    const removed = await ok<Summary>('saveConnection', {
      draft: none,
      secrets: { password: null },
      testToken: open.testToken,
    });
    expect(removed).toMatchObject({ secretFields: [], storedSecrets: [] });
    expect(await tmp.secrets.get(account)).toBeUndefined();
  });

  it('duplicates inside the secret store, lists usage, deletes file and secrets', async () => {
    await createConnection();
    const copy = await ok<Summary>('duplicateConnection', { connectionId: 'basic-api', name: 'Basic API copy' });
    expect(copy).toMatchObject({ id: 'basic-api-copy', storedSecrets: ['password'] });
    const taken = await call('duplicateConnection', { connectionId: 'basic-api', name: 'Basic API' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    expect(await ok('connectionUsage', { connectionId: 'shop-api' })).toEqual({
      flows: [{ id: 'products-to-shop', name: 'Products to shop API' }],
      borrowers: [],
    });
    const file = JSON.parse(await readFile(join(tmp.ws, 'connections/basic-api-copy.connection.json'), 'utf8'));
    const account = file.secrets.password.secret as string;
    expect(account).toMatch(/\/basic-api-copy\/password$/);
    await ok('deleteConnection', { connectionId: 'basic-api-copy' });
    expect(await tmp.secrets.get(account)).toBeUndefined();
    // An account another connection's file also names stays.
    const shared = JSON.parse(await readFile(join(tmp.ws, 'connections/basic-api.connection.json'), 'utf8'));
    await writeFile(
      join(tmp.ws, 'connections/hand-made.connection.json'),
      JSON.stringify({ ...shared, id: 'hand-made', name: 'Hand made' }),
    );
    await ok('deleteConnection', { connectionId: 'hand-made' });
    expect(await tmp.secrets.get(shared.secrets.password.secret)).toBe(SECRET);
    const names = await readdir(join(tmp.ws, 'connections'));
    expect(names.sort()).toEqual(['basic-api.connection.json', 'bc-demo.connection.json', 'shop-api.connection.json']);
    expect(await call('deleteConnection', { connectionId: 'basic-api-copy' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('keeps the concurrency pool settings and refuses chained or self borrowing', async () => {
    const test = await ok<TestResult>('testConnection', {
      draft: draft({ concurrency: { borrowFrom: 'shop-api' } }),
      secrets: { password: SECRET },
    });
    const saved = await ok<Summary>('saveConnection', {
      draft: draft({ concurrency: { borrowFrom: 'shop-api' } }),
      secrets: { password: SECRET },
      testToken: test.testToken,
    });
    expect(saved).toMatchObject({ concurrency: { borrowFrom: 'shop-api' } });
    const file = JSON.parse(await readFile(join(tmp.ws, 'connections/basic-api.connection.json'), 'utf8'));
    expect(file.concurrency).toEqual({ borrowFrom: 'shop-api' });
    expect(await ok('connectionUsage', { connectionId: 'shop-api' })).toMatchObject({
      borrowers: [{ id: 'basic-api', name: 'Basic API' }],
    });

    const self = await call('testConnection', {
      draft: draft({ id: 'basic-api', concurrency: { borrowFrom: 'basic-api' } }),
      secrets: {},
    });
    expect(self).toMatchObject({ ok: false, error: { problems: [{ path: 'concurrency.borrowFrom' }] } });
    const lenderBorrows = await call('testConnection', {
      draft: {
        id: 'shop-api',
        name: 'Shop API',
        connector: 'http',
        settings: { baseUrl, auth: 'bearer' },
        concurrency: { borrowFrom: 'basic-api' },
      },
      secrets: {},
    });
    expect(lenderBorrows).toMatchObject({ ok: false, error: { problems: [{ path: 'concurrency.borrowFrom' }] } });

    // An empty pool setting clears it; the file then has none.
    const own = draft({ id: 'basic-api', concurrency: { level: 8 } });
    const retest = await ok<TestResult>('testConnection', { draft: own, secrets: {}, useStored: true });
    await ok('saveConnection', { draft: own, secrets: {}, testToken: retest.testToken });
    const cleared = draft({ id: 'basic-api', concurrency: {} });
    const third = await ok<TestResult>('testConnection', { draft: cleared, secrets: {}, useStored: true });
    expect(
      (await ok<Summary>('saveConnection', { draft: cleared, secrets: {}, testToken: third.testToken })).concurrency,
    ).toBeUndefined();
  });

  it('runs a flow with the saved connection', async () => {
    await createConnection();
    const flow = {
      schemaVersion: 2,
      id: 'items',
      name: 'Items',
      nodes: [
        {
          id: 'src',
          kind: 'source',
          type: 'http',
          typeVersion: 1,
          position: { x: 0, y: 0 },
          config: { connection: 'basic-api', path: '/items' },
        },
        {
          id: 'out',
          kind: 'destination',
          type: 'file',
          typeVersion: 1,
          position: { x: 200, y: 0 },
          config: { path: 'out/items.csv' },
        },
      ],
      edges: [{ from: { node: 'src', port: 'out' }, to: { node: 'out', port: 'in' } }],
    };
    await ok('saveFlow', { flow });
    const { runId } = await ok<{ runId: string }>('startRun', { flowId: 'items', dryRun: false });
    expect((await tmp.service.runs.settled(runId))?.status).toBe('succeeded');
    expect(await readFile(join(tmp.ws, 'out/items.csv'), 'utf8')).toMatch(/^id\n1\n?$/);
  });
});

describe('a connection file that cannot be written', () => {
  it('leaves the secret store as it was: no orphaned entry, the old secret kept', async () => {
    const saved = await createConnection();
    const wsId = JSON.parse(await readFile(join(tmp.ws, 'ferry.workspace.json'), 'utf8')).id as string;
    const account = `${wsId}/basic-api/password`;
    // The same handlers over the same workspace and store, but every file write fails (a full disk, say).
    const failing = connectionHandlers(
      {
        registry: defaultRegistry(),
        secrets: tmp.secrets,
        workspace: () => loadWorkspace(tmp.ws),
        recordWrite: () => {
          throw new Error('ENOSPC: no space left on device');
        },
      },
      new TestTokens(),
    );
    const edited = { ...draft(), id: saved.id };
    const test = await failing.testConnection({ draft: edited, secrets: { password: OTHER_SECRET } });
    const edit = failing.saveConnection({
      draft: edited,
      secrets: { password: OTHER_SECRET },
      testToken: test.testToken!,
    });
    await expect(edit).rejects.toThrow(/no space left/);
    expect(await tmp.secrets.get(account)).toBe(SECRET);

    const fresh = draft({ name: 'Second API' });
    const freshTest = await failing.testConnection({ draft: fresh, secrets: { password: OTHER_SECRET } });
    const create = failing.saveConnection({
      draft: fresh,
      secrets: { password: OTHER_SECRET },
      testToken: freshTest.testToken!,
    });
    await expect(create).rejects.toThrow(/no space left/);
    expect(await tmp.secrets.get(`${wsId}/second-api/password`)).toBeUndefined();

    await expect(failing.duplicateConnection({ connectionId: saved.id, name: 'Copy' })).rejects.toThrow(/no space/);
    expect(await tmp.secrets.get(`${wsId}/copy/password`)).toBeUndefined();
  });
});

describe('test tokens', () => {
  it('match only the same values, expire, and are spent', () => {
    let now = 0;
    const tokens = new TestTokens(() => now, 1000);
    const token = tokens.issue({ a: 1, s: 'x' });
    expect(tokens.matches(token, { s: 'x', a: 1 })).toBe(true);
    expect(tokens.matches(token, { a: 1, s: 'y' })).toBe(false);
    now = 1000;
    expect(tokens.matches(token, { a: 1, s: 'x' })).toBe(false);
    const next = tokens.issue({ a: 1 });
    tokens.forget(next);
    expect(tokens.matches(next, { a: 1 })).toBe(false);
  });

  it('redacts secrets and their URL-encoded form', () => {
    expect(redactor(['a b', undefined])('x a b y a%20b')).toBe('x ••• y •••');
  });
});
