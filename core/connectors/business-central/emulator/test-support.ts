// Helpers for tests that talk to the emulator over HTTP (127.0.0.1 only).
import { type Answer, call } from '../../emulator-kit/test-client.js';
import { BC_DEMO } from './seed.js';
import type { BcEmulator } from './server.js';
import { BC_SCOPE } from './token-endpoint.js';

export const USA = BC_DEMO.companies.usa.id;
export const INTERNATIONAL = BC_DEMO.companies.international.id;

export function basicAuth(user: string = BC_DEMO.userName, password: string = BC_DEMO.password): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export { type Answer, call };

export async function token(bc: BcEmulator, form: Record<string, string> = {}): Promise<Answer> {
  return call(bc.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: BC_DEMO.clientId,
      client_secret: BC_DEMO.clientSecret,
      scope: BC_SCOPE,
      ...form,
    }).toString(),
  });
}

/** A client of one API root: on-premises with Basic auth (default) or online with a bearer token. */
export function client(bc: BcEmulator, mode: 'onprem-v1' | 'onprem-v2' | 'online' = 'onprem-v2') {
  let bearer: string | undefined;
  const root = mode === 'online' ? bc.onlineApiUrl() : bc.onPremApiUrl(mode === 'onprem-v1' ? 'v1.0' : 'v2.0');
  const auth = async () => {
    if (mode !== 'online') return basicAuth();
    bearer ??= (await token(bc)).body.access_token as string;
    return `Bearer ${bearer}`;
  };
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(path.startsWith('http') ? path : `${root}/${path}`, {
      method,
      headers: {
        Authorization: await auth(),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    root,
    get: (path: string, headers?: Record<string, string>) => request('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => request('POST', path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) => request('PATCH', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => request('DELETE', path, undefined, headers),
  };
}
