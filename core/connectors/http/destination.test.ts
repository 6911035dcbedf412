import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { ConnectionError } from '../errors.js';
import type { DestinationWriter } from '../types.js';
import { closeAllServers, json, makeContext, record, startServer, testConnector } from './test-support.js';

afterEach(closeAllServers);

const live = { dryRun: false, signal: new AbortController().signal };

async function openDestination(
  baseUrl: string,
  config: Record<string, unknown>,
  settings: Record<string, unknown> = {},
  options: { random?: number; now?: number } = {},
) {
  const { connector, sleeps } = testConnector(options);
  const ctx = makeContext({ baseUrl, ...settings });
  const writer = (await connector.destination!.open(config, ctx)) as DestinationWriter;
  return { writer, sleeps, ctx };
}

describe('http destination outcomes', () => {
  it('POSTs each record as JSON and reports created with the id from the response', async () => {
    const server = await startServer((req, res) => json(res, 201, { id: `c-${JSON.parse(req.body).name}` }));
    const { writer } = await openDestination(server.url, { path: '/customers' });
    expect(writer.batchSize).toBe(50);
    const outcomes = await writer.write([record({ name: 'ann' }), record({ name: 'bob' })], live);
    expect(outcomes).toEqual([
      { status: 'created', targetKey: 'c-ann', result: { id: 'c-ann' } },
      { status: 'created', targetKey: 'c-bob', result: { id: 'c-bob' } },
    ]);
    expect(server.requests.map((r) => [r.method, r.url, r.headers['content-type']])).toEqual([
      ['POST', '/customers', 'application/json'],
      ['POST', '/customers', 'application/json'],
    ]);
    await writer.close({ ok: true, dryRun: false });
  });

  it('fills {{field}} placeholders URL-encoded, wraps the body and drops createOnly fields on PATCH', async () => {
    const server = await startServer((_req, res) => json(res, 200, { data: { id: 7 } }));
    const { writer } = await openDestination(server.url, {
      method: 'PATCH',
      path: '/customers/{{code}}',
      wrapIn: 'data',
    });
    const outcomes = await writer.write(
      [record({ code: 'a/b c', name: 'Ann', createdBy: 'sync' }, ['createdBy'])],
      live,
    );
    // The answer, unwrapped like the request, is the outcome's result (for chained writes).
    expect(outcomes).toEqual([{ status: 'updated', targetKey: '7', result: { id: 7 } }]);
    expect(server.requests[0]!.url).toBe('/customers/a%2Fb%20c');
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ data: { code: 'a/b c', name: 'Ann' } });
  });

  it('keeps createOnly fields on POST (a create)', async () => {
    const server = await startServer((_req, res) => json(res, 201, {}));
    const { writer } = await openDestination(server.url, { path: '/customers' });
    expect(await writer.write([record({ name: 'Ann', createdBy: 'sync' }, ['createdBy'])], live)).toEqual([
      { status: 'created' },
    ]);
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ name: 'Ann', createdBy: 'sync' });
  });

  it('fails a record whose path field is missing, without a request', async () => {
    const server = await startServer((_req, res) => json(res, 200, {}));
    const { writer } = await openDestination(server.url, { method: 'PUT', path: '/customers/{{id}}' });
    const outcomes = await writer.write([record({ name: 'no id' }), record({ id: 5 })], live);
    expect(outcomes).toEqual([
      { status: 'failed', error: 'cannot build the path /customers/{{id}}: field "id" has no value' },
      { status: 'updated' },
    ]);
    expect(server.requests.map((r) => r.url)).toEqual(['/customers/5']);
  });

  it('400 fails the record with the remote text; 409 skips it', async () => {
    const server = await startServer((req, res) => {
      const name = JSON.parse(req.body).name;
      if (name === 'dup') json(res, 409, { message: 'customer dup exists' });
      else if (name === 'bad') json(res, 400, { error: { message: 'email is invalid' } });
      else {
        res.writeHead(422, { 'content-type': 'text/plain' });
        res.end('x'.repeat(400));
      }
    });
    const { writer, sleeps } = await openDestination(server.url, { path: '/customers' });
    const outcomes = await writer.write(
      [record({ name: 'dup' }), record({ name: 'bad' }), record({ name: 'long' })],
      live,
    );
    expect(outcomes[0]).toEqual({ status: 'skipped', reason: 'already exists: HTTP 409 customer dup exists' });
    expect(outcomes[1]).toEqual({ status: 'failed', error: 'HTTP 400 POST /customers: email is invalid' });
    expect(outcomes[2]).toEqual({ status: 'failed', error: `HTTP 422 POST /customers: ${'x'.repeat(300)}…` });
    expect(sleeps).toEqual([]); // 4xx are not retried
  });

  it('401 stops the run with a ConnectionError', async () => {
    const server = await startServer((_req, res) => json(res, 401, { message: 'who are you' }));
    const { writer } = await openDestination(server.url, { path: '/customers' });
    const error = await writer.write([record({ name: 'a' })], live).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/^bad credentials \(HTTP 401 POST \/customers\)/);
  });

  it('dry run sends nothing and reports the would-be outcomes', async () => {
    const server = await startServer((_req, res) => json(res, 500, {}));
    const post = await openDestination(server.url, { path: '/customers' });
    const put = await openDestination(server.url, { method: 'PUT', path: '/customers/{{id}}' });
    const dry = { dryRun: true, signal: new AbortController().signal };
    expect(await post.writer.write([record({ id: 1 })], dry)).toEqual([{ status: 'created' }]);
    expect(await put.writer.write([record({ id: 1 }), record({})], dry)).toEqual([
      { status: 'updated' },
      { status: 'failed', error: 'cannot build the path /customers/{{id}}: field "id" has no value' },
    ]);
    expect(server.requests).toHaveLength(0);
  });
});

describe('http destination retries', () => {
  it('retries 503 and then succeeds', async () => {
    let calls = 0;
    const server = await startServer((_req, res) => (++calls < 3 ? json(res, 503, {}) : json(res, 201, { id: 1 })));
    const { writer, sleeps } = await openDestination(server.url, { path: '/c' });
    expect(await writer.write([record({})], live)).toEqual([{ status: 'created', targetKey: '1', result: { id: 1 } }]);
    expect(server.requests).toHaveLength(3);
    // Full jitter with random() = 0.5: half of 500 ms, then half of 1000 ms.
    expect(sleeps).toEqual([250, 500]);
  });

  it('honours Retry-After in seconds and as an HTTP-date, capped at maxDelayMs', async () => {
    const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
    let calls = 0;
    const server = await startServer((_req, res) => {
      calls++;
      if (calls === 1) json(res, 429, {}, { 'retry-after': '3' });
      else if (calls === 2) json(res, 429, {}, { 'retry-after': date });
      else if (calls === 3) json(res, 503, {}, { 'retry-after': '3600' });
      else json(res, 201, {});
    });
    const { writer, sleeps } = await openDestination(
      server.url,
      { path: '/c' },
      { retry: { maxAttempts: 5, maxDelayMs: 20_000 } },
      { now: Date.parse(date) - 7000 },
    );
    expect(await writer.write([record({})], live)).toEqual([{ status: 'created' }]);
    expect(sleeps).toEqual([3000, 7000, 20_000]);
  });

  it('fails the record when 5xx answers exhaust the attempts', async () => {
    const server = await startServer((_req, res) => json(res, 502, { message: 'upstream down' }));
    const { writer, sleeps } = await openDestination(server.url, { path: '/c' });
    expect(await writer.write([record({})], live)).toEqual([
      { status: 'failed', error: 'HTTP 502 POST /c: upstream down (gave up after 4 attempts)' },
    ]);
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it('retries a connection reset and fails only that record when the remote answered before', async () => {
    let calls = 0;
    const server = await startServer((_req, res) => {
      calls++;
      if (calls === 1) json(res, 503, {});
      else res.socket?.destroy();
    });
    const { writer } = await openDestination(server.url, { path: '/c' }, { retry: { maxAttempts: 2 } });
    const [outcome] = await writer.write([record({})], live);
    expect(outcome).toEqual({ status: 'failed', error: expect.stringMatching(/connection reset by the server/) });
  });
});

describe('http destination concurrency', () => {
  it('keeps at most `concurrency` requests in flight and returns outcomes in batch order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const held: [ServerResponse, number][] = [];
    let quiet: NodeJS.Timeout | undefined;
    const release = () => {
      // Answer in reverse arrival order, so batch order cannot come from answer order.
      for (const [res, n] of held.splice(0).reverse()) {
        inFlight--;
        json(res, 201, { id: n });
      }
    };
    const server = await startServer((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      held.push([res, JSON.parse(req.body).n]);
      // Hold every request until no new one has arrived for a moment: a client over its limit shows up as more
      // requests held at once; a correct one can never exceed it however slow the machine is.
      clearTimeout(quiet);
      quiet = setTimeout(release, 50);
    });
    const { writer } = await openDestination(server.url, { path: '/c' }, { concurrency: 3 });
    const batch = Array.from({ length: 9 }, (_, n) => record({ n }));
    const outcomes = await writer.write(batch, live);
    expect(outcomes.map((o) => (o.status === 'created' ? o.targetKey : o.status))).toEqual(
      batch.map((r) => String(r.data.n)),
    );
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(server.requests).toHaveLength(9);
  });

  it('a ConnectionError aborts the rest of the batch', async () => {
    const server = await startServer((_req, res) => json(res, 403, { message: 'forbidden' }));
    const { writer } = await openDestination(server.url, { path: '/c' }, { concurrency: 2 });
    const batch = Array.from({ length: 10 }, (_, n) => record({ n }));
    await expect(writer.write(batch, live)).rejects.toThrow(/^missing permission \(HTTP 403 POST \/c\)/);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });
});
