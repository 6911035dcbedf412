import { afterEach, describe, expect, it } from 'vitest';
import { ACUMATICA_DEMO } from './seed.js';
import { type AcumaticaEmulator, type AcumaticaEmulatorOptions, startAcumaticaEmulator } from './server.js';
import { call, cookieHeader, login } from './test-support.js';

describe('Acumatica emulator: cookie sessions and the API-user limit', () => {
  let acu: AcumaticaEmulator | undefined;
  let now = Date.parse('2025-06-02T10:00:00Z');
  const start = async (options: AcumaticaEmulatorOptions = {}) =>
    (acu = await startAcumaticaEmulator({ clock: () => now, size: { customers: 2, stockItems: 2, salesOrders: 2 }, ...options })); // prettier-ignore
  afterEach(async () => {
    await acu?.close();
    acu = undefined;
  });

  it('signs in with 204 and session cookies, which every call needs, and signs out', async () => {
    const acu = await start();
    const customer = `${acu.endpointUrl()}/Customer/${ACUMATICA_DEMO.keys.customer}`;
    const denied = await call(customer);
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ message: 'Authorization has been denied for this request.' });

    const signIn = await login(acu);
    expect(signIn.status).toBe(204);
    const names = signIn.headers.getSetCookie().map((c) => c.split('=')[0]);
    expect(names).toEqual(expect.arrayContaining(['ASP.NET_SessionId', '.ASPXAUTH', 'UserBranch', 'Locale']));
    const cookie = cookieHeader(signIn.headers);
    expect((await call(customer, { headers: { Cookie: cookie } })).status).toBe(200);
    // The session id alone (without the forms ticket) is not a session.
    const idOnly = cookie
      .split('; ')
      .filter((c) => c.startsWith('ASP.NET_SessionId'))
      .join('; ');
    expect((await call(customer, { headers: { Cookie: idOnly } })).status).toBe(401);
    expect(acu.stats).toMatchObject({ openSessions: 1, logins: 1 });

    const signOut = await call(`${acu.instanceUrl}/entity/auth/logout`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.getSetCookie().join()).toMatch(/\.ASPXAUTH=;.*expires=Thu, 01-Jan-1970/);
    expect((await call(customer, { headers: { Cookie: cookie } })).status).toBe(401);
    expect(acu.stats).toMatchObject({ openSessions: 0, logouts: 1 });
  });

  it('refuses bad credentials and unknown tenants with the exceptions Acumatica raises; takes company for tenant', async () => {
    const acu = await start();
    const bad = await login(acu, { password: 'wrong' });
    expect(bad.status).toBe(500);
    expect(bad.body).toMatchObject({ exceptionMessage: expect.stringContaining('Invalid credentials'), exceptionType: 'PX.Data.PXException' }); // prettier-ignore
    const tenant = await login(acu, { tenant: 'Nowhere' });
    expect(tenant.body.exceptionType).toBe('PX.Data.PXUndefinedCompanyException');
    expect((await login(acu, { tenant: undefined, company: ACUMATICA_DEMO.tenant })).status).toBe(204);
    // One tenant: the tenant may be left out.
    expect((await login(acu, { tenant: undefined })).status).toBe(204);
    expect((await login(acu, { name: undefined })).status).toBe(400);
    expect(acu.stats).toMatchObject({ loginFailures: 2, logins: 2 });
  });

  it('refuses a sign-in past the licence API users with "API Login Limit" until a session ends', async () => {
    const acu = await start({ limits: { apiUsers: 2 } });
    const first = await login(acu);
    expect((await login(acu)).status).toBe(204);
    const third = await login(acu);
    expect(third.status).toBe(500);
    expect(JSON.stringify(third.body)).toContain('API Login Limit');
    expect(acu.stats.openSessions).toBe(2);
    await call(`${acu.instanceUrl}/entity/auth/logout`, { method: 'POST', headers: { Cookie: cookieHeader(first.headers) } }); // prettier-ignore
    expect((await login(acu)).status).toBe(204);
  });

  it('ends a session after the idle timeout: its cookies answer 401 and its API-user slot is free', async () => {
    const acu = await start({ limits: { apiUsers: 1, sessionTimeoutMs: 60_000 } });
    const cookie = cookieHeader((await login(acu)).headers);
    const customers = `${acu.endpointUrl()}/Customer?$top=1`;
    now += 59_000;
    expect((await call(customers, { headers: { Cookie: cookie } })).status).toBe(200);
    // Each call keeps the session alive: 59 s later it is still there.
    now += 59_000;
    expect((await call(customers, { headers: { Cookie: cookie } })).status).toBe(200);
    now += 60_000;
    expect((await call(customers, { headers: { Cookie: cookie } })).status).toBe(401);
    expect(acu.stats).toMatchObject({ expiredSessions: 1, openSessions: 0 });
    expect((await login(acu)).status).toBe(204);
  });

  it('lists the ERP version and the endpoints of every shipped version at GET /entity', async () => {
    const acu = await start();
    const answer = await call(`${acu.instanceUrl}/entity`);
    expect(answer.status).toBe(200);
    expect(answer.body.version.acumaticaBuildVersion).toBe(ACUMATICA_DEMO.erpVersion);
    expect(answer.body.endpoints).toContainEqual({ name: 'Default', version: '24.200.001', href: `/${ACUMATICA_DEMO.instance}/entity/Default/24.200.001/` }); // prettier-ignore
    expect(answer.body.endpoints).toContainEqual({ name: 'MANUFACTURING', version: '23.100.001', href: `/${ACUMATICA_DEMO.instance}/entity/MANUFACTURING/23.100.001/` }); // prettier-ignore
    expect(answer.body.endpoints.filter((e: { name: string }) => e.name === 'eCommerce')).toHaveLength(4);
  });
});
