/**
 * The session rules at the protocol's edge, against a scripted instance (each answer chosen by the test): one
 * sign-in shared by concurrent requests, one renewal after an expiry and none after a fresh sign-in, the API-user
 * limit's spaced attempts and cool-down, and a sign-out even when the close comes while the sign-in is under way.
 */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type SeenRequest, closeAllServers, json, makeContext, startServer } from '../http/test-support.js';
import { fakeClock } from '../net/fake-clock.js';
import { openHttp } from '../net/http-factory.js';
import { OpenSessions } from '../open-sessions.js';
import { createAuth } from './auth.js';
import { acuConnectionSettingsSchema } from './descriptor.js';
import { AcuSession, LoginLimitError, resetLoginCoolDowns } from './session.js';

afterEach(async () => {
  resetLoginCoolDowns();
  await closeAllServers();
});

const signal = new AbortController().signal;
const LIMIT = { message: 'An error has occurred.', exceptionMessage: 'API Login Limit: the licence allows 1 user.' };

type Handler = (req: SeenRequest, res: http.ServerResponse) => void | Promise<void>;

/** A scripted instance: `login` answers sign-ins (default: a new session cookie each), `api` everything else. */
async function instance(options: { login?: Handler; api?: Handler } = {}) {
  let sessions = 0;
  const server = await startServer((req, res) => {
    if (req.url === '/entity/auth/login') {
      if (options.login) return options.login(req, res);
      res.writeHead(204, { 'set-cookie': [`ASP.NET_SessionId=s${++sessions}; path=/`, `.ASPXAUTH=t${sessions}`] });
      return void res.end();
    }
    if (req.url === '/entity/auth/logout') {
      res.writeHead(204);
      return void res.end();
    }
    if (options.api) return options.api(req, res);
    json(res, 200, []);
  });
  return server;
}

async function session(url: string, clock = fakeClock(), registry = new OpenSessions()) {
  const settings = acuConnectionSettingsSchema.parse({ instanceUrl: url, username: 'admin', tenant: 'Company' });
  const ctx = makeContext({});
  const httpTransport = await openHttp(ctx, settings, 'test');
  const auth = createAuth(settings, { password: 'secret' });
  const s = new AcuSession({
    instance: url,
    identity: `${url}|admin`,
    http: httpTransport,
    auth,
    clock,
    log: ctx.log,
    policy: { attempts: 3, delaySeconds: 60 },
    registry,
  });
  return { session: s, clock, registry, logs: ctx.logs, close: () => httpTransport.close() };
}

const get = (s: AcuSession, url: string) =>
  s.send(`${url}/entity/Default/24.200.001/Customer`, { method: 'GET' }, signal);
const paths = (server: { requests: SeenRequest[] }) => server.requests.map((r) => r.url.split('?')[0]!);

describe('Acumatica session', () => {
  it('signs in once for concurrent requests, sends its cookies, and signs out once on close', async () => {
    const server = await instance();
    const { session: s, registry, close } = await session(server.url);
    const answers = await Promise.all(Array.from({ length: 5 }, () => get(s, server.url)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(registry.size).toBe(1);
    await s.close();
    await close();
    expect(paths(server).filter((p) => p.startsWith('/entity/auth'))).toEqual([
      '/entity/auth/login',
      '/entity/auth/logout',
    ]);
    expect(server.requests.filter((r) => r.url.includes('Customer')).map((r) => r.headers.cookie)).toEqual(
      Array(5).fill('ASP.NET_SessionId=s1; .ASPXAUTH=t1'),
    );
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ name: 'admin', password: 'secret', tenant: 'Company' });
    expect(registry.size).toBe(0);
    expect(s.logins).toBe(1);
    expect(s.logouts).toBe(1);
  });

  it('after a 401 on a working session signs in once more (the expired one out first) and repeats the requests', async () => {
    let expired = false;
    const server = await instance({
      api: (req, res) => {
        if (expired && req.headers.cookie?.includes('s1')) return json(res, 401, { message: 'Authorization has been denied for this request.' }); // prettier-ignore
        json(res, 200, []);
      },
    });
    const { session: s, close } = await session(server.url);
    expect((await get(s, server.url)).status).toBe(200);
    expired = true;
    const again = await Promise.all([get(s, server.url), get(s, server.url), get(s, server.url)]);
    expect(again.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(s.logins).toBe(2);
    expect(s.relogins).toBe(1);
    await s.close();
    await close();
    const auth = server.requests.filter((r) => r.url.startsWith('/entity/auth'));
    expect(auth.map((r) => `${r.url} ${r.headers.cookie ?? ''}`)).toEqual([
      '/entity/auth/login ',
      '/entity/auth/logout ASP.NET_SessionId=s1; .ASPXAUTH=t1',
      '/entity/auth/login ',
      '/entity/auth/logout ASP.NET_SessionId=s2; .ASPXAUTH=t2',
    ]);
  });

  it('does not sign in again when a fresh session is refused: no login loop', async () => {
    const server = await instance({
      api: (_req, res) => json(res, 401, { message: 'Authorization has been denied.' }),
    });
    const { session: s, close } = await session(server.url);
    expect((await get(s, server.url)).status).toBe(401);
    expect((await get(s, server.url)).status).toBe(401);
    expect(s.logins).toBe(1);
    await s.close();
    await close();
  });

  it("the licence's API-user limit: three spaced attempts, the plain message, then no attempt until the wait is over", async () => {
    const server = await instance({ login: (_req, res) => json(res, 500, LIMIT) });
    const { session: s, clock, logs, close } = await session(server.url);
    const error = await get(s, server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginLimitError);
    expect((error as Error).message).toBe(
      "Acumatica refused the login: the license's limit of API users is reached; another integration or an earlier " +
        'session holds it. Ferry holds no session. Retry in 3 minutes.',
    );
    expect(clock.sleeps).toEqual([60_000, 120_000]);
    expect(s.logins).toBe(3);
    expect(logs.filter((l) => l.startsWith('warn')).length).toBe(2);
    // Another session for the same user in this process does not try during the wait…
    const other = await session(server.url, clock);
    clock.time += 60_000;
    await expect(get(other.session, server.url)).rejects.toThrow('Retry in 2 minutes.');
    expect(other.session.logins).toBe(0);
    // …and tries again after it.
    clock.time += 120_000;
    await expect(get(other.session, server.url)).rejects.toThrow(LoginLimitError);
    expect(other.session.logins).toBe(3);
    expect(paths(server).filter((p) => p === '/entity/auth/login')).toHaveLength(6);
    await close();
    await other.close();
  });

  it('a close while the sign-in is under way waits for it and signs that session out', async () => {
    let answer: (() => void) | undefined;
    const server = await instance({
      login: (_req, res) => {
        answer = () => {
          res.writeHead(204, { 'set-cookie': ['ASP.NET_SessionId=late; path=/'] });
          res.end();
        };
      },
    });
    const { session: s, registry, close } = await session(server.url);
    const request = get(s, server.url).catch((e: unknown) => e);
    while (!answer) await new Promise((r) => setTimeout(r, 5));
    const closing = s.close();
    answer();
    await closing;
    expect(await request).toBeInstanceOf(Error);
    expect(paths(server)).toEqual(['/entity/auth/login', '/entity/auth/logout']);
    expect(server.requests[1]!.headers.cookie).toBe('ASP.NET_SessionId=late');
    expect(registry.size).toBe(0);
    await close();
  });

  it('the process registry signs out what is still open (the exit backstop)', async () => {
    const server = await instance();
    const { session: s, registry, close } = await session(server.url);
    await get(s, server.url);
    expect(registry.labels()).toEqual([`Acumatica ${server.url} (user "admin" (tenant "Company"))`]);
    expect(await registry.closeAll()).toBe(1);
    expect(paths(server).at(-1)).toBe('/entity/auth/logout');
    await expect(get(s, server.url)).rejects.toThrow('the Acumatica session was closed');
    await close();
  });
});
