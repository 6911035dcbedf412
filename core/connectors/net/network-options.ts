import { X509Certificate } from 'node:crypto';
import { z } from 'zod';

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The network options every connector's connection settings include: spread `networkOptionsSchema.shape` into the
 * connector's settings object and call `refineNetworkOptions` from its superRefine (spreading a shape drops the
 * refinements). Flat fields rather than a nested object, because the generated form's `showWhen` looks at siblings.
 */
export const networkOptionsSchema = z.object({
  timeoutMs: z
    .number()
    .int()
    .positive()
    .max(3_600_000)
    .default(DEFAULT_TIMEOUT_MS)
    .meta({ description: 'Request timeout in milliseconds: connecting, waiting for the answer and reading it.' }),
  proxy: z
    .enum(['system', 'none', 'custom'])
    .default('system')
    .meta({
      description:
        'system: the HTTPS_PROXY / HTTP_PROXY / NO_PROXY environment variables (direct when unset); ' +
        'none: always direct; custom: the proxy below.',
    }),
  proxyUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// proxy URL' })
    .optional()
    .meta({ placeholder: 'http://proxy.corp.example:3128', showWhen: { proxy: 'custom' } }),
  proxyUsername: z
    .string()
    .min(1)
    .optional()
    .meta({ showWhen: { proxy: 'custom' }, description: 'For a proxy that asks for credentials (HTTP 407).' }),
  // Form-only like every secret: the UI keeps it in the keychain; connectors read it via ctx.secret('proxyPassword').
  proxyPassword: z
    .string()
    .optional()
    .meta({ secret: true, showWhen: { proxy: 'custom' } }),
  noProxy: z
    .string()
    .optional()
    .meta({
      showWhen: { proxy: 'custom' },
      placeholder: 'localhost,.corp.example',
      description: 'Hosts reached directly, comma separated (NO_PROXY syntax).',
    }),
  caCertificate: z
    .string()
    .optional()
    .meta({
      widget: 'code',
      placeholder: '-----BEGIN CERTIFICATE-----',
      description:
        'PEM certificate(s) of an internal certificate authority, trusted in addition to the usual ones ' +
        '(on-premise servers with a company CA).',
    }),
  allowUntrustedCertificates: z
    .boolean()
    .default(false)
    .meta({
      description:
        'Skip certificate verification (self-signed or expired certificates). Anyone on the network path can then ' +
        'read and change the traffic: prefer adding the CA certificate above.',
    }),
});
export type NetworkOptions = z.infer<typeof networkOptionsSchema>;

/** The secret fields of the network options, for connectors that list their secrets. */
export const NETWORK_SECRET_FIELDS = ['proxyPassword'] as const;

/** Cross-field checks of the network options, for the connector's superRefine. */
export function refineNetworkOptions(settings: Partial<NetworkOptions>, ctx: z.RefinementCtx): void {
  if (settings.proxy === 'custom' && !settings.proxyUrl) {
    ctx.addIssue({ code: 'custom', path: ['proxyUrl'], message: 'a custom proxy needs a proxy URL' });
  }
  if (settings.proxyUrl && /^[a-z]+:\/\/[^/?#]*@/i.test(settings.proxyUrl)) {
    // The file is plain text in git: credentials go to proxyUsername and the keychain.
    ctx.addIssue({
      code: 'custom',
      path: ['proxyUrl'],
      message: 'put the proxy credentials in proxyUsername / proxyPassword, not in the URL',
    });
  }
  if (settings.caCertificate !== undefined && settings.caCertificate.trim() !== '') {
    const problem = pemProblem(settings.caCertificate);
    if (problem) ctx.addIssue({ code: 'custom', path: ['caCertificate'], message: problem });
  }
}

/** Splits PEM text into its certificates (a CA bundle may hold several). */
export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Why the text is not usable PEM certificate(s); undefined when it is. */
export function pemProblem(text: string): string | undefined {
  const blocks = splitPem(text);
  if (blocks.length === 0) return 'expected a PEM certificate (-----BEGIN CERTIFICATE----- …)';
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `certificate ${index + 1} of ${blocks.length} is not a valid PEM certificate`;
    }
  }
  return undefined;
}

/** The network options with the proxy password read from the secret store: what a dispatcher is built from. */
export interface ResolvedNetwork {
  timeoutMs: number;
  proxy:
    | { kind: 'system' }
    | { kind: 'none' }
    | { kind: 'custom'; url: string; username?: string; password?: string; noProxy?: string };
  /** Extra trusted CA certificates (PEM), added to the default roots. */
  ca: string[];
  rejectUnauthorized: boolean;
}

/**
 * Reads the options out of already validated settings; `secret` reads `proxyPassword`. Tolerates settings of a
 * connector that does not spread the options (all defaults).
 */
export async function resolveNetwork(
  settings: Partial<NetworkOptions>,
  secret: (field: string) => Promise<string | undefined>,
): Promise<ResolvedNetwork> {
  let proxy: ResolvedNetwork['proxy'] = { kind: settings.proxy === 'none' ? 'none' : 'system' };
  if (settings.proxy === 'custom' && settings.proxyUrl) {
    const password = settings.proxyUsername ? await secret('proxyPassword') : undefined;
    proxy = {
      kind: 'custom',
      url: settings.proxyUrl,
      username: settings.proxyUsername,
      password,
      noProxy: settings.noProxy?.trim() || undefined,
    };
  }
  return {
    timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    proxy,
    ca: splitPem(settings.caCertificate ?? ''),
    rejectUnauthorized: settings.allowUntrustedCertificates !== true,
  };
}

/** Said in the test result and the run log whenever verification is off: an explicit choice, never silent. */
export function untrustedWarning(label: string): string {
  return `${label} skips TLS certificate verification (allowUntrustedCertificates): the server's identity is not checked`;
}
