import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import type { ResolvedNetwork } from './network-options.js';

let defaultRoots: string[] | undefined;

/**
 * The roots Node trusts by default. Passing `ca` to TLS replaces them, so an extra CA must come with them; Node 20
 * has no tls.getCACertificates(), hence Mozilla's bundle plus NODE_EXTRA_CA_CERTS read like Node itself reads it.
 */
export function defaultCaCertificates(): string[] {
  if (defaultRoots) return defaultRoots;
  const roots = [...rootCertificates];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      roots.push(readFileSync(extra, 'utf8'));
    } catch {
      // Node only warns about an unreadable file too; the bundled roots still apply.
    }
  }
  defaultRoots = roots;
  return roots;
}

/** TLS options for the target server (and an https:// proxy): extra CAs added to the default roots. */
export function tlsOptions(network: ResolvedNetwork): { ca?: string[]; rejectUnauthorized: boolean } {
  return {
    ca: network.ca.length > 0 ? [...defaultCaCertificates(), ...network.ca] : undefined,
    rejectUnauthorized: network.rejectUnauthorized,
  };
}

/** `Basic base64(user:password)` for Proxy-Authorization; undefined without a username. */
export function proxyToken(proxy: ResolvedNetwork['proxy']): string | undefined {
  if (proxy.kind !== 'custom' || !proxy.username) return undefined;
  return `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`, 'utf8').toString('base64')}`;
}

/**
 * The undici dispatcher for one connection's network options (`sockets.connections`: at most that many sockets per
 * origin, for connection-oriented auth). Both proxy kinds use EnvHttpProxyAgent: `system`
 * lets it read HTTPS_PROXY/HTTP_PROXY/NO_PROXY (direct when unset), `custom` hands it the configured proxy and
 * bypass list, so NO_PROXY matching is undici's in both cases.
 */
export function createDispatcher(network: ResolvedNetwork, sockets?: { connections: number }): Dispatcher {
  const tls = tlsOptions(network);
  const common = {
    ...sockets,
    connect: { ...tls, timeout: network.timeoutMs },
    // Defaults are 300 s; the request's own timeout is the one users set, and these must not outlive it.
    headersTimeout: network.timeoutMs,
    bodyTimeout: network.timeoutMs,
  };
  if (network.proxy.kind === 'none') return new Agent(common);
  const proxied = {
    ...common,
    requestTls: tls,
    proxyTls: tls,
    // Plain http targets go to the proxy in absolute form (GET http://host/path), as browsers and curl do; many
    // corporate proxies refuse CONNECT to anything but port 443.
    proxyTunnel: false,
  };
  if (network.proxy.kind === 'system') return new EnvHttpProxyAgent(proxied);
  return new EnvHttpProxyAgent({
    ...proxied,
    httpProxy: network.proxy.url,
    httpsProxy: network.proxy.url,
    // An empty list, not undefined: a configured proxy must not pick up the environment's NO_PROXY.
    noProxy: network.proxy.noProxy ?? '',
    token: proxyToken(network.proxy),
  });
}

/**
 * The proxy a request to `url` goes through, for messages and the certificate probe; undefined when direct.
 * Mirrors EnvHttpProxyAgent's choice (same variables, NO_PROXY as host suffixes with optional port, `*`).
 */
export function proxyFor(url: URL, network: ResolvedNetwork): string | undefined {
  let proxy: string | undefined;
  let noProxy: string;
  if (network.proxy.kind === 'none') return undefined;
  if (network.proxy.kind === 'custom') {
    proxy = network.proxy.url;
    noProxy = network.proxy.noProxy ?? '';
  } else {
    const env = process.env;
    const http = env.http_proxy ?? env.HTTP_PROXY;
    proxy = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY ?? http) : http;
    noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  }
  if (!proxy) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = url.hostname.toLowerCase();
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return undefined;
    const [entryHost, entryPort] = entry.split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) continue;
    const bare = entryHost!.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  return proxy;
}

/** A proxy URL fit for messages: no userinfo (environment proxies often carry credentials). */
export function safeProxyUrl(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = '';
    url.password = '';
    return url.origin;
  } catch {
    return 'the proxy';
  }
}
