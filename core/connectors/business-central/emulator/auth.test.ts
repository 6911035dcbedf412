import { afterEach, describe, expect, it } from 'vitest';
import { type AuthScheme, basicAuthScheme } from './auth.js';
import { BC_DEMO } from './seed.js';
import { startBcEmulator, type BcEmulator } from './server.js';
import { basicAuth, call, token, USA } from './test-support.js';

describe('Business Central emulator: authentication', () => {
  let bc: BcEmulator | undefined;
  afterEach(async () => {
    await bc?.close();
    bc = undefined;
  });

  it('issues client-credentials tokens with expires_in, and answers Entra errors for wrong requests', async () => {
    bc = await startBcEmulator({ tokenLifetimeSeconds: 600 });
    const ok = await token(bc);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, access_token: expect.any(String) });

    const basic = await call(bc.tokenUrl, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${BC_DEMO.clientId}:${BC_DEMO.clientSecret}`).toString('base64')}` }, // prettier-ignore
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'https://api.businesscentral.dynamics.com/.default' }), // prettier-ignore
    });
    expect(basic.status).toBe(200);

    const secret = await token(bc, { client_secret: 'wrong' });
    expect(secret.status).toBe(401);
    expect(secret.body.error).toBe('invalid_client');
    expect(secret.body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    expect(secret.body.error_codes).toEqual([7000215]);

    const client = await token(bc, { client_id: '00000000-1111-4222-8333-444444444444' });
    expect(client.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    const scope = await token(bc, { scope: 'https://api.businesscentral.dynamics.com/user_impersonation' });
    expect(scope.body).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    const resource = await token(bc, { scope: 'https://graph.microsoft.com/.default' });
    expect(resource.body).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
    const grant = await token(bc, { grant_type: 'password' });
    expect(grant.body).toMatchObject({ error: 'unsupported_grant_type' });
    const tenant = await call(`${bc.url}/not-a-tenant/oauth2/v2.0/token`, { method: 'POST', body: 'grant_type=client_credentials' }); // prettier-ignore
    expect(tenant.body).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it('checks bearer tokens on the online API: missing, unknown and expired tokens are 401 with a Bearer challenge', async () => {
    let time = Date.UTC(2025, 0, 1);
    bc = await startBcEmulator({ clock: () => time, tokenLifetimeSeconds: 3599 });
    const url = `${bc.onlineApiUrl()}/companies`;
    const none = await call(url);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('Authentication_InvalidCredentials');
    expect(none.headers.get('www-authenticate')).toMatch(
      /^Bearer authorization_uri="http:\/\/127\.0\.0\.1:\d+\/common/,
    );
    const bogus = await call(url, { headers: { Authorization: 'Bearer nope' } });
    expect(bogus.status).toBe(401);

    const access = (await token(bc)).body.access_token as string;
    const ok = await call(url, { headers: { Authorization: `Bearer ${access}` } });
    expect(ok.status).toBe(200);
    const byDomain = await call(`${bc.url}/v2.0/${BC_DEMO.tenantDomain}/Production/api/v2.0/companies`, { headers: { Authorization: `Bearer ${access}` } }); // prettier-ignore
    expect(byDomain.status).toBe(200);
    const noTenant = await call(`${bc.url}/v2.0/Production/api/v2.0/companies`, { headers: { Authorization: `Bearer ${access}` } }); // prettier-ignore
    expect(noTenant.status).toBe(200);
    const otherEnvironment = await call(`${bc.url}/v2.0/${bc.tenantId}/Sandbox/api/v2.0/companies`, { headers: { Authorization: `Bearer ${access}` } }); // prettier-ignore
    expect(otherEnvironment.status).toBe(404);

    time += 3600 * 1000;
    const expired = await call(url, { headers: { Authorization: `Bearer ${access}` } });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/error="invalid_token", error_description="The access token is expired"/); // prettier-ignore
  });

  it('on premises takes Basic with the password or the web service access key, DOMAIN\\user included', async () => {
    bc = await startBcEmulator();
    const url = `${bc.onPremApiUrl('v1.0')}/companies(${USA})/customers?$top=1`;
    expect((await call(url, { headers: { Authorization: basicAuth() } })).status).toBe(200);
    expect((await call(url, { headers: { Authorization: basicAuth('ADMIN', BC_DEMO.webServiceAccessKey) } })).status).toBe(200); // prettier-ignore
    expect((await call(url, { headers: { Authorization: basicAuth('CRONUS\\admin', BC_DEMO.password) } })).status).toBe(200); // prettier-ignore

    const wrong = await call(url, { headers: { Authorization: basicAuth('ADMIN', 'guess') } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('Authentication_InvalidCredentials');
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="Business Central"');
    const nobody = await call(url, { headers: { Authorization: basicAuth('GHOST', BC_DEMO.password) } });
    expect(nobody.status).toBe(401);
    const none = await call(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="Business Central"');
  });

  it('plugs more schemes in: each offers its challenge, a handshake step answers its own 401', async () => {
    // A stand-in for the NTLM scheme another module adds: "Negotiate step1" → challenge, "Negotiate ok" → user.
    const negotiate: AuthScheme = {
      challenges: () => ['Negotiate', 'NTLM'],
      authenticate(request) {
        const header = request.headers.authorization ?? '';
        if (!/^Negotiate /.test(header)) return { kind: 'not-mine' };
        if (header === 'Negotiate step1') return { kind: 'challenge', header: 'Negotiate step2' };
        return header === 'Negotiate ok' ? { kind: 'authenticated', user: 'CRONUS\\WINUSER' } : { kind: 'rejected' };
      },
    };
    bc = await startBcEmulator({ onPremAuth: [basicAuthScheme([{ userName: 'ADMIN', password: 'pw' }]), negotiate] });
    const url = `${bc.onPremApiUrl()}/companies`;
    const none = await call(url);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="Business Central", Negotiate, NTLM');
    const step = await call(url, { headers: { Authorization: 'Negotiate step1' } });
    expect(step.status).toBe(401);
    expect(step.headers.get('www-authenticate')).toBe('Negotiate step2');
    expect((await call(url, { headers: { Authorization: 'Negotiate ok' } })).status).toBe(200);
    expect((await call(url, { headers: { Authorization: basicAuth('ADMIN', 'pw') } })).status).toBe(200);
    expect((await call(url, { headers: { Authorization: 'Negotiate bad' } })).status).toBe(401);
  });
});
