/**
 * Test helpers (not shipped: nothing outside tests imports this). Real node:http servers on 127.0.0.1:0 only, and a
 * sleep that records what it was asked to wait instead of waiting.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FlowRecord, RecordData } from '../../engine/record.js';
import type { ConnectorContext, SourcePage, SourceReader } from '../types.js';
import { createHttpConnector } from './index.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: SeenRequest, res: http.ServerResponse) => void | Promise<void>;

export interface TestServer {
  url: string;
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

const open = new Set<http.Server>();

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      Promise.resolve(handler(seen, res)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.add(server);
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, requests, close: () => closeServer(server) };
}

async function closeServer(server: http.Server): Promise<void> {
  if (!open.delete(server)) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** For afterEach: closes every server a test started, answered or not. */
export async function closeAllServers(): Promise<void> {
  await Promise.all([...open].map(closeServer));
}

/** A port nothing listens on: listen, note the port, close. */
export async function freePort(): Promise<number> {
  const server = await startServer(() => {});
  await server.close();
  return server.port;
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export interface TestContext extends ConnectorContext {
  logs: string[];
  controller: AbortController;
}

export function makeContext(settings: Record<string, unknown>, secrets: Record<string, string> = {}): TestContext {
  const logs: string[] = [];
  const controller = new AbortController();
  return {
    workspaceDir: '/tmp',
    connection: { schemaVersion: 1, id: 'test-api', name: 'Test API', connector: 'http', settings },
    secret: async (field) => secrets[field],
    signal: controller.signal,
    log: {
      debug: (m) => logs.push(`debug ${m}`),
      info: (m) => logs.push(`info ${m}`),
      warn: (m) => logs.push(`warn ${m}`),
    },
    logs,
    controller,
  };
}

/** A connector whose backoff never waits: `sleeps` lists every delay it was asked for. */
export function testConnector(options: { random?: number; now?: number } = {}) {
  const sleeps: number[] = [];
  const connector = createHttpConnector({
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      sleeps.push(ms);
    },
    random: () => options.random ?? 0.5,
    now: options.now === undefined ? undefined : () => options.now!,
  });
  return { connector, sleeps };
}

export async function collect(reader: SourceReader, pageSize = 1000, since?: string): Promise<SourcePage[]> {
  const pages: SourcePage[] = [];
  for await (const page of reader.pages({ pageSize, since, signal: new AbortController().signal })) pages.push(page);
  return pages;
}

export function record(data: RecordData, createOnly?: string[]): FlowRecord {
  return { data, source: data, lineage: { node: 'src', key: String(data.id ?? '?'), page: 0 }, createOnly };
}
