/**
 * Test helpers (not shipped): a certificate authority with a server certificate it signed, an HTTPS server using
 * it, and a forwarding HTTP proxy (absolute-form for http, CONNECT for https) with Basic Proxy-Authorization.
 * Everything listens on 127.0.0.1:0 and is closed by `closeAll()`.
 */
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

export interface TestCertificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

const CA_NAME = 'Ferry Test Root CA';
export const SERVER_NAME = 'ferry-test.local';

type AltName = { type: 2; value: string } | { type: 7; ip: string };

/** A CA and a leaf for 127.0.0.1 / localhost (or `altNames`) signed by it (EC keys: generated in milliseconds). */
export async function makeCertificates(
  altNames: AltName[] = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ],
): Promise<TestCertificates> {
  const ca = await generate([{ name: 'commonName', value: CA_NAME }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate(
    [
      { name: 'commonName', value: SERVER_NAME },
      { name: 'organizationName', value: 'Ferry Tests' },
    ],
    {
      keyType: 'ec',
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    },
  );
  return { caCert: ca.cert, serverCert: leaf.cert, serverKey: leaf.private };
}

type Closable = { close(): Promise<void> };
const open = new Set<Closable>();

export async function closeAll(): Promise<void> {
  await Promise.all([...open].map((c) => c.close()));
}

function track(server: http.Server | net.Server, sockets: Set<net.Socket>): Closable {
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const closable: Closable = {
    close: async () => {
      if (!open.delete(closable)) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  open.add(closable);
  return closable;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export interface HttpsTestServer {
  url: string;
  port: number;
  hits: number;
  close(): Promise<void>;
}

/** Answers every request with `{"ok": true}`. */
export async function startHttpsServer(certs: TestCertificates): Promise<HttpsTestServer> {
  const sockets = new Set<net.Socket>();
  const state = { hits: 0 };
  const server = https.createServer({ cert: certs.serverCert, key: certs.serverKey }, (_req, res) => {
    state.hits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  // TLS connections emit 'secureConnection'; the raw socket is still a 'connection'.
  const { close } = track(server, sockets);
  const port = await listen(server);
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    get hits() {
      return state.hits;
    },
    close,
  };
}

export interface TestProxy {
  url: string;
  /** `GET http://127.0.0.1:1234/x` (absolute form) or `CONNECT 127.0.0.1:1234`, for every authorised request. */
  seen: string[];
  /** Requests refused with 407. */
  refused: number;
  close(): Promise<void>;
}

/** A forwarding proxy; with `credentials` it answers 407 unless Proxy-Authorization matches. */
export async function startProxy(credentials?: { username: string; password: string }): Promise<TestProxy> {
  const sockets = new Set<net.Socket>();
  const expected = credentials
    ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    : undefined;
  const state = { seen: [] as string[], refused: 0 };
  const authorised = (req: http.IncomingMessage) => !expected || req.headers['proxy-authorization'] === expected;

  const server = http.createServer((req, res) => {
    if (!authorised(req)) {
      state.refused++;
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"' });
      res.end();
      return;
    }
    state.seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    if (!authorised(req)) {
      state.refused++;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\n\r\n');
      return;
    }
    state.seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const { close } = track(server, sockets);
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    get seen() {
      return state.seen;
    },
    get refused() {
      return state.refused;
    },
    close,
  };
}
