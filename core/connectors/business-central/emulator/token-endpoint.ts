// A Microsoft Entra ID token endpoint (POST /{tenant}/oauth2/v2.0/token) for the client-credentials grant, with
// Entra's AADSTS error bodies, and the bearer check BC online does with the tokens it issues.
import { randomBytes, randomUUID } from 'node:crypto';
import { sameText } from './auth.js';

export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';
const BC_RESOURCE = 'https://api.businesscentral.dynamics.com';

export interface BcClientApp {
  clientId: string;
  clientSecret: string;
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

interface Issued {
  clientId: string;
  tenant: string;
  expiresAt: number;
}

export class TokenIssuer {
  private readonly tokens = new Map<string, Issued>();

  constructor(
    /** The tenant id and its domain name(s): either names the tenant in URLs. */
    private readonly tenants: string[],
    private readonly clients: BcClientApp[],
    private readonly lifetimeSeconds: number,
    private readonly now: () => number,
  ) {}

  private error(status: number, error: string, code: number, description: string): TokenResponse {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date(this.now())
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    return {
      status,
      body: {
        error,
        error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`, // prettier-ignore
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      },
    };
  }

  knowsTenant(tenant: string): boolean {
    return this.tenants.some((t) => t.toLowerCase() === tenant.toLowerCase());
  }

  /** Answers a token request (form fields already parsed). */
  issue(tenant: string, form: URLSearchParams): TokenResponse {
    if (!this.knowsTenant(tenant)) {
      return this.error(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`); // prettier-ignore
    }
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials') {
      return this.error(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`); // prettier-ignore
    }
    const clientId = form.get('client_id') ?? '';
    const client = this.clients.find((c) => c.clientId.toLowerCase() === clientId.toLowerCase());
    if (!client) {
      return this.error(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`); // prettier-ignore
    }
    const secret = form.get('client_secret');
    if (!secret) {
      return this.error(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."); // prettier-ignore
    }
    if (!sameText(secret, client.clientSecret)) {
      return this.error(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`); // prettier-ignore
    }
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default')) {
      return this.error(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`); // prettier-ignore
    }
    if (scope.replace(/\/\.default$/, '').toLowerCase() !== BC_RESOURCE) {
      return this.error(400, 'invalid_resource', 500011, `The resource principal named ${scope.replace(/\/\.default$/, '')} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`); // prettier-ignore
    }
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { clientId: client.clientId, tenant, expiresAt: this.now() + this.lifetimeSeconds * 1000 });
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: token }, // prettier-ignore
    };
  }

  /** The client a bearer token was issued to, or why it is refused. */
  check(authorization: string | undefined, tenant: string | undefined): { clientId: string } | { error: string } {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { error: 'missing' };
    const issued = this.tokens.get(match[1]!);
    if (!issued) return { error: 'invalid' };
    if (issued.expiresAt <= this.now()) return { error: 'expired' };
    if (tenant !== undefined && !this.tenants.some((t) => t.toLowerCase() === tenant.toLowerCase())) {
      return { error: 'invalid' };
    }
    return { clientId: issued.clientId };
  }
}
