import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeContext } from '../http/test-support.js';
import { NetworkScope, openHttp } from './http-factory.js';
import { NtlmSessions } from './ntlm-http.js';
import { NtlmGate } from './ntlm-server.js';

const account = { user: 'svc-ferry', domain: 'CORP', password: 'W1ndows!' };
const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

/** A server that serves only NTLM-authenticated sockets, answering with the user and the request body. */
async function ntlmServer(options: { basicOnly?: boolean; closeAfterServing?: boolean } = {}) {
  const gate = new NtlmGate(() => [account]);
  const sockets = new Set<unknown>();
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      if (options.basicOnly) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="BC"' }).end();
        return;
      }
      const result = gate.check(req);
      if (result.kind !== 'ok') {
        const header = result.kind === 'challenge' ? result.header : 'NTLM';
        const error = result.kind === 'challenge' ? 'challenge sent' : result.reason;
        res.writeHead(401, { 'www-authenticate': header }).end(JSON.stringify({ error }));
        return;
      }
      const close = options.closeAfterServing ? { connection: 'close' } : {};
      res
        .writeHead(200, { 'content-type': 'application/json', ...close })
        .end(JSON.stringify({ user: result.user, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/BC140/api/v1.0/companies`;
  return { server, gate, url, sockets };
}

async function sessions(credentials = account) {
  const scope = new NetworkScope();
  const transport = await openHttp({ ...makeContext({}), network: scope }, { timeoutMs: 5000 }, 'test');
  return { ntlm: new NtlmSessions(transport, credentials), transport: { close: () => scope.close() }, scope };
}

describe('NTLM sessions over HTTP keep-alive', () => {
  it('authenticates a socket once, then sends later requests on it without a handshake', async () => {
    const server = await ntlmServer();
    const { ntlm, transport } = await sessions();
    for (let i = 0; i < 3; i++) {
      const response = await ntlm.fetch(server.url, { method: 'POST', body: `{"n":${i}}` });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ user: 'CORP\\svc-ferry', body: `{"n":${i}}` });
    }
    expect(server.gate.counters).toEqual({ negotiations: 1, authenticated: 1, refused: 0 });
    expect(server.sockets.size).toBe(1);
    expect(ntlm.size).toBe(1);
    await ntlm.close();
    await transport.close();
  });

  it('gives concurrent requests a socket each, every one authenticated on its own', async () => {
    const server = await ntlmServer();
    const { ntlm, transport } = await sessions();
    const answers = await Promise.all([1, 2, 3].map(() => ntlm.fetch(server.url, { method: 'GET' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await Promise.all(answers.map((a) => a.text()));
    expect(ntlm.size).toBe(3);
    expect(server.gate.counters.authenticated).toBe(3);
    await ntlm.close();
    await transport.close();
  });

  it('opens a new session, with a new handshake, when the server closed the authenticated socket', async () => {
    // `Connection: close` after each answer: the next request needs a new, unauthenticated socket.
    const server = await ntlmServer({ closeAfterServing: true });
    const { ntlm, transport, scope } = await sessions();
    const first = await ntlm.fetch(server.url, { method: 'GET' });
    expect(first.status).toBe(200);
    await first.text();
    const again = await ntlm.fetch(server.url, { method: 'GET' });
    expect(again.status).toBe(200);
    await again.text();
    expect(server.gate.counters).toEqual({ negotiations: 2, authenticated: 2, refused: 0 });
    expect(ntlm.size).toBe(0);
    // Dropped sessions give their dispatchers back: only the transport's shared one is left in the run's scope.
    expect(scope.size).toBe(1);
    await ntlm.close();
    await transport.close();
  });

  it('runs the handshake again when the server forgot the socket (a new NTLM 401 on a later request)', async () => {
    const server = await ntlmServer();
    const { ntlm, transport } = await sessions();
    expect((await ntlm.fetch(server.url, { method: 'GET' })).status).toBe(200);
    server.gate.forgetAll();
    const again = await ntlm.fetch(server.url, { method: 'POST', body: '{"again":true}' });
    expect(await again.json()).toEqual({ user: 'CORP\\svc-ferry', body: '{"again":true}' });
    expect(server.gate.counters).toEqual({ negotiations: 2, authenticated: 2, refused: 0 });
    expect(ntlm.size).toBe(1);
    await ntlm.close();
    await transport.close();
  });

  it('returns the final 401 when the server refuses the password', async () => {
    const server = await ntlmServer();
    const { ntlm, transport } = await sessions({ ...account, password: 'wrong' });
    const response = await ntlm.fetch(server.url, { method: 'GET' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'wrong password for CORP\\svc-ferry' });
    expect(server.gate.counters.refused).toBe(1);
    await ntlm.close();
    await transport.close();
  });

  it('says so when the server does not offer NTLM at all', async () => {
    const server = await ntlmServer({ basicOnly: true });
    const { ntlm, transport } = await sessions();
    await expect(ntlm.fetch(server.url, { method: 'GET' })).rejects.toThrow(
      'the server does not offer NTLM (Windows) authentication (it asks for: Basic)',
    );
    await ntlm.close();
    await transport.close();
  });
});
