import { describe, expect, it } from 'vitest';
import { TOKEN_RENEW_BEFORE_MS, TokenCache, principalIdentity } from './auth.js';
import { bcConnectionSettingsSchema } from './descriptor.js';

describe('TokenCache', () => {
  it('fetches one token for many concurrent callers (no stampede) and reuses it', async () => {
    let now = 0;
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const cache = new TokenCache(
      async () => {
        calls++;
        await gate;
        return { value: `t${calls}`, expiresAt: now + 3_600_000 };
      },
      { now: () => now },
    );
    const waiting = Array.from({ length: 20 }, () => cache.get());
    release();
    expect(new Set(await Promise.all(waiting))).toEqual(new Set(['t1']));
    expect(await cache.get()).toBe('t1');
    expect(calls).toBe(1);
    now = 3_600_000 - TOKEN_RENEW_BEFORE_MS - 1;
    expect(await cache.get()).toBe('t1');
    now += 2; // within the renewal margin: a new token before the old one expires
    expect(await cache.get()).toBe('t2');
    expect(cache.fetched).toBe(2);
  });

  it('renews a refused token once, however many callers report it', async () => {
    let calls = 0;
    const cache = new TokenCache(async () => ({ value: `t${++calls}`, expiresAt: 1e12 }), { now: () => 0 });
    expect(await cache.get()).toBe('t1');
    const renewed = await Promise.all([cache.get('t1'), cache.get('t1'), cache.get('t1')]);
    expect(renewed).toEqual(['t2', 't2', 't2']);
    // A caller still holding t1 after the renewal gets t2 without another fetch.
    expect(await cache.get('t1')).toBe('t2');
    expect(calls).toBe(2);
  });

  it('shares nothing when it failed: the next caller tries again', async () => {
    let calls = 0;
    const cache = new TokenCache(
      async () => {
        calls++;
        if (calls === 1) throw new Error('AADSTS7000215');
        return { value: 'ok', expiresAt: 1e12 };
      },
      { now: () => 0 },
    );
    await expect(cache.get()).rejects.toThrow('AADSTS7000215');
    expect(await cache.get()).toBe('ok');
  });
});

describe('principal identity', () => {
  it('is the app on a tenant online and the user on a server on premises', () => {
    const online = bcConnectionSettingsSchema.parse({ tenant: 'contoso.com', clientId: 'app', company: 'c' });
    expect(principalIdentity(online)).toBe('online|https://api.businesscentral.dynamics.com|contoso.com|app');
    const windows = bcConnectionSettingsSchema.parse({
      mode: 'on-premise',
      baseUrl: 'https://bc14:7048/BC140',
      auth: 'windows',
      domain: 'CORP',
      username: 'Svc',
      company: 'c',
    });
    expect(principalIdentity(windows)).toBe('on-premise|https://bc14:7048/BC140|corp\\svc');
  });

  it('validates the fields each mode needs', () => {
    const result = bcConnectionSettingsSchema.safeParse({ mode: 'on-premise', auth: 'windows', company: 'c' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'baseUrl: on-premise needs the base URL of the server instance',
      'username: on-premise needs a user name',
      'domain: Windows authentication needs the domain',
    ]);
  });
});
