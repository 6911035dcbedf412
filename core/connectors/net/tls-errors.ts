import http from 'node:http';
import https from 'node:https';
import { type PeerCertificate, type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import { proxyFor, proxyToken, tlsOptions } from './dispatcher.js';
import type { ResolvedNetwork } from './network-options.js';

/** OpenSSL/Node verification codes: the certificate is the problem, not the network. */
export function isCertificateErrorCode(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code) && code !== 'ERR_TLS_CERT_ALTNAME_INVALID';
}

const EXPLANATIONS: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'issued by a certificate authority that is not trusted (self-signed root in the chain)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issued by a certificate authority that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issued by a certificate authority that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'issued by a certificate authority that is not trusted',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'issued for another host name',
  CERT_REVOKED: 'revoked',
};

/** `CN=api.corp.example, O=Corp` from a Node certificate name object (values may be arrays). */
export function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '(none)';
  const order = ['CN', 'OU', 'O', 'L', 'ST', 'C'];
  const keys = Object.keys(name).sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  const parts = keys.map((key) => {
    const value = (name as unknown as Record<string, string | string[]>)[key]!;
    return `${key}=${Array.isArray(value) ? value.join('+') : value}`;
  });
  return parts.length ? parts.join(', ') : '(empty)';
}

/**
 * The precise message for a certificate the client refused: who the certificate names, who issued it, until
 * when, and what the user can do. `cert` is undefined when the probe could not read it.
 */
export function certificateMessage(host: string, code: string, cert: PeerCertificate | undefined): string {
  const what = EXPLANATIONS[code] ?? 'not trusted';
  const parts = [`the certificate of ${host} is ${what} (${code})`];
  if (cert) {
    parts.push(`subject: ${formatName(cert.subject)}`, `issuer: ${formatName(cert.issuer)}`);
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' && cert.subjectaltname) parts.push(`names: ${cert.subjectaltname}`);
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      parts.push(`valid ${cert.valid_from} – ${cert.valid_to}`);
    }
  }
  const hint =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? 'use the host name the certificate names'
      : code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
        ? 'the server needs a current certificate (or check this computer’s clock)'
        : 'add the issuing CA certificate (PEM) to the connection, or for a test system only allow untrusted certificates';
  return `${parts.join('; ')}: ${hint}`;
}

/**
 * Opens a TLS connection to the server (through the same proxy the request used) only to read the certificate it
 * presents: the verification error itself carries just a code. Never used to send data; undefined on any failure.
 */
export async function peerCertificate(
  target: URL,
  network: ResolvedNetwork,
  timeoutMs = 5000,
): Promise<PeerCertificate | undefined> {
  const port = Number(target.port || 443);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const servername = isIP(host) ? undefined : host;
  const proxy = proxyFor(target, network);
  let tunnel: Duplex | undefined;
  let socket: TLSSocket | undefined;
  const timer = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref());
  const read = (async () => {
    if (proxy) tunnel = await openTunnel(proxy, `${host.includes(':') ? `[${host}]` : host}:${port}`, network);
    socket = tlsConnect({
      ...(tunnel ? { socket: tunnel } : { host, port }),
      servername,
      ca: tlsOptions(network).ca,
      // The probe only looks: the certificate is what we want to describe, trusted or not.
      rejectUnauthorized: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket!.once('secureConnect', resolve);
      socket!.once('error', reject);
    });
    const cert = socket.getPeerCertificate();
    return cert && Object.keys(cert).length > 0 ? cert : undefined;
  })().catch(() => undefined);
  try {
    return await Promise.race([read, timer]);
  } finally {
    socket?.destroy();
    tunnel?.destroy();
  }
}

function openTunnel(proxy: string, authority: string, network: ResolvedNetwork): Promise<Duplex> {
  const url = new URL(proxy);
  const token =
    proxyToken(network.proxy) ??
    (url.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
      : undefined);
  const request = (url.protocol === 'https:' ? https : http).request({
    host: url.hostname,
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: authority,
    headers: { host: authority, ...(token ? { 'proxy-authorization': token } : {}) },
    ...(url.protocol === 'https:' ? tlsOptions(network) : {}),
  });
  return new Promise((resolve, reject) => {
    request.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`proxy answered ${res.statusCode}`));
      }
    });
    request.once('error', reject);
    request.end();
  });
}
