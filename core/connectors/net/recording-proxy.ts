/**
 * Test helper (only tests import it): a reverse proxy on 127.0.0.1:0 that keeps every exchange a client has with a
 * server (bodies parsed as JSON), for contract checks of what a connector sends and what it was answered.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  url: string;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

/**
 * A reverse proxy on 127.0.0.1:0 in front of `target` that keeps every exchange (bodies parsed as JSON).
 * `rewriteLinks`: absolute links to the target in answers (next links) are rewritten to the proxy, as a server
 * behind a real reverse proxy would build them from the Host header.
 */
export async function recordingProxy(
  target: string,
  rewriteLinks = false,
): Promise<{ url: string; exchanges: Exchange[]; close(): Promise<void> }> {
  const exchanges: Exchange[] = [];
  const base = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = http.request(
        { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: req.headers, agent },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            let text = Buffer.concat(parts);
            if (rewriteLinks) text = Buffer.from(text.toString('utf8').split(target).join(self));
            exchanges.push({
              method: req.method ?? '',
              url: req.url ?? '',
              requestBody: parse(body.toString('utf8')),
              status: answer.statusCode ?? 0,
              responseBody: parse(text.toString('utf8')),
            });
            const headers = { ...answer.headers, 'content-length': String(text.length) };
            delete headers['transfer-encoding'];
            res.writeHead(answer.statusCode ?? 502, headers).end(text);
          });
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self,
    exchanges,
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
