// Helpers for tests that talk to the Acumatica emulator over HTTP (127.0.0.1 only).
import { type Answer, call } from '../../emulator-kit/test-client.js';
import { ACUMATICA_DEMO } from './seed.js';
import type { AcumaticaEmulator } from './server.js';

export { type Answer, call };

/** The cookies a Set-Cookie list sets (name=value pairs, expired ones left out), as a Cookie header. */
export function cookieHeader(headers: Headers): string {
  return headers
    .getSetCookie()
    .filter((c) => !/expires=Thu, 01-Jan-1970/i.test(c))
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

export async function login(acu: AcumaticaEmulator, credentials: Record<string, unknown> = {}): Promise<Answer> {
  return call(`${acu.instanceUrl}/entity/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: ACUMATICA_DEMO.userName, password: ACUMATICA_DEMO.password, tenant: ACUMATICA_DEMO.tenant, branch: ACUMATICA_DEMO.branch, ...credentials }), // prettier-ignore
  });
}

export async function token(acu: AcumaticaEmulator, form: Record<string, string> = {}): Promise<Answer> {
  return call(acu.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: ACUMATICA_DEMO.clientId,
      client_secret: ACUMATICA_DEMO.clientSecret,
      username: ACUMATICA_DEMO.userName,
      password: ACUMATICA_DEMO.password,
      scope: 'api offline_access',
      ...form,
    }).toString(),
  });
}

/** A signed-in client of one endpoint version (cookie session by default, or a bearer token). */
export async function client(acu: AcumaticaEmulator, options: { bearer?: boolean; endpoint?: string } = {}) {
  let auth: Record<string, string>;
  if (options.bearer) {
    auth = { Authorization: `Bearer ${(await token(acu)).body.access_token as string}` };
  } else {
    const answer = await login(acu);
    if (answer.status !== 204) throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    auth = { Cookie: cookieHeader(answer.headers) };
  }
  const root = options.endpoint ?? acu.endpointUrl();
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(path.startsWith('http') ? path : path.startsWith('/') ? `${acu.url}${path}` : `${root}/${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? (body as string) : JSON.stringify(body), // prettier-ignore
    });
  return {
    root,
    auth,
    get: (path: string, headers?: Record<string, string>) => request('GET', path, undefined, headers),
    put: (path: string, body: unknown, headers?: Record<string, string>) => request('PUT', path, body, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => request('POST', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => request('DELETE', path, undefined, headers),
    logout: () => request('POST', `${acu.instanceUrl}/entity/auth/logout`),
  };
}
