import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CliResult } from '../../cli/testing/cli-harness.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./ferry-child.ts', import.meta.url));
// By URL: `--import tsx` would be resolved from the child's cwd (a temp workspace without node_modules).
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** Starts `ferry <args>` from source in a child process. */
export function spawnFerry(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, CHILD, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `ferry <args>` from source in a child process (async: the test's own servers keep answering). */
export function ferryChild(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnFerry(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface Shop {
  server: Server;
  url: string;
  authorizations: (string | undefined)[];
  close: () => Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/** A shop API on 127.0.0.1 that records the Authorization header of every request. */
export async function startShop(): Promise<Shop> {
  const authorizations: (string | undefined)[] = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse((await readBody(req)) || '{}');
    authorizations.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: body.sku }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api`;
  return { server, url, authorizations, close: () => new Promise((r) => server.close(() => r())) };
}

/** Points the example's shop connection at `url` and gives the workspace its own id (its own keychain accounts). */
export async function prepareShopWorkspace(ws: string, url: string, workspaceId: string): Promise<string> {
  const wsFile = join(ws, 'ferry.workspace.json');
  await writeFile(wsFile, JSON.stringify({ ...JSON.parse(await readFile(wsFile, 'utf8')), id: workspaceId }));
  const connFile = join(ws, 'connections/shop-api.connection.json');
  const conn = JSON.parse(await readFile(connFile, 'utf8'));
  conn.settings.baseUrl = url;
  conn.settings.retry = { maxAttempts: 1 };
  const account = `${workspaceId}/shop-api/token`;
  conn.secrets = { token: { secret: account } };
  await writeFile(connFile, JSON.stringify(conn));
  return account;
}
