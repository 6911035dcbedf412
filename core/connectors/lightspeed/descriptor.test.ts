/**
 * The connection's settings (what a bad value is told), the descriptor the palette and forms are made from, and
 * "Test connection" against the emulator: the store's name, its outlets with their registers, the rate limit, and
 * the precise refusal of a wrong token, a wrong prefix and an unreachable store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../errors.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';
import { createLightspeedConnector } from './index.js';
import { lsConnectionSettingsSchema, lsDescriptor } from './descriptor.js';
import { demoSecrets, demoSettings, lsContext } from './test-support.js';

let ls: LightspeedEmulator;
beforeAll(async () => {
  ls = await startLightspeedEmulator();
});
afterAll(() => ls.close());

const settingsProblem = (settings: unknown) => {
  try {
    parseConfig(lsConnectionSettingsSchema, settings, 'connection "shop" settings');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('settings and descriptor', () => {
  it('names the field of a bad value', () => {
    expect(settingsProblem({ domainPrefix: 'my store' })).toBe('connection "shop" settings: domainPrefix: expected the part before .retail.lightspeed.app, e.g. "mystore"'); // prettier-ignore
    expect(settingsProblem({ domainPrefix: 'shop', auth: 'oauth' })).toBe('connection "shop" settings: clientId: OAuth needs the client_id of your application'); // prettier-ignore
    expect(settingsProblem({ domainPrefix: 'shop', baseUrl: 'ftp://x' })).toContain('baseUrl: expected an http:// or https:// URL'); // prettier-ignore
    expect(settingsProblem({ domainPrefix: 'shop', baseUrl: 'https://user:pw@x.example' })).toContain('baseUrl: put credentials in the auth settings'); // prettier-ignore
    expect(settingsProblem({ domainPrefix: 'shop', rateLimit: { perRegister: 0 } })).toContain('rateLimit.perRegister'); // prettier-ignore
    expect(settingsProblem({ domainPrefix: 'shop' })).toBeUndefined();
  });

  it('marks the secrets, offers source, lookup and destination, and lists the catalog’s entities', () => {
    const props = (lsDescriptor.connectionSchema as { properties: Record<string, { secret?: boolean }> }).properties;
    expect(Object.keys(props).filter((k) => props[k]!.secret)).toEqual(expect.arrayContaining(['personalToken', 'clientSecret', 'refreshToken'])); // prettier-ignore
    expect(props.clientId?.secret).toBeUndefined();
    expect(lsDescriptor.nodeKinds).toEqual(['source', 'lookup', 'destination']);
    expect(lsDescriptor.entities!.map((e) => [e.name, e.capabilities.create, e.capabilities.update])).toEqual([
      ['products', true, true],
      ['customers', true, true],
      ['sales', true, true],
      ['inventory', false, true],
      ['outlets', false, false],
      ['registers', false, false],
      ['taxes', false, false],
      ['payment_types', false, false],
    ]);
    const products = lsDescriptor.entities![0]!;
    expect(products).toMatchObject({ key: ['id'], deltaField: 'version' });
    expect(products.fields.find((f) => f.name === 'product_codes')!.description).toContain('each with type, code');
    expect(JSON.parse(JSON.stringify(lsDescriptor))).toEqual(lsDescriptor);
  });
});

describe('Test connection', () => {
  const test = (settings: Record<string, unknown>, secrets: Record<string, string> = demoSecrets()) =>
    createLightspeedConnector().test!(lsContext(demoSettings(ls.url, settings), secrets));

  it('shows the store, its outlets with their registers, and the rate limit', async () => {
    expect(await test({})).toEqual({
      ok: true,
      message: `connected to "${LIGHTSPEED_DEMO.storeName}" (${LIGHTSPEED_DEMO.domainPrefix}) with a personal token; 3 outlets, 4 registers (rate limit 1,250 requests per 5 minutes)`, // prettier-ignore
      details: ['Main Street, Auckland: Main Register, Second Register', 'Harbour Mall, Wellington: Harbour Register', 'Online Store, Christchurch: Web Register'], // prettier-ignore
    });
  });

  it('says what is wrong: the token, the prefix, the address', async () => {
    expect(await test({}, { personalToken: 'not-the-token' })).toEqual({
      ok: false,
      message: expect.stringMatching(/^Lightspeed refused a personal token \(HTTP 401 GET .*\/api\/2\.0\/registers\?page_size=1000\): The access token is invalid — check the token, or authorize the connection again$/), // prettier-ignore
    });
    expect((await test({ domainPrefix: 'elsewhere' })).message).toBe(`the store at ${ls.url} is "${LIGHTSPEED_DEMO.storeName}" (${LIGHTSPEED_DEMO.domainPrefix}), but the connection names the domain prefix "elsewhere"`); // prettier-ignore
    expect((await test({}, {})).message).toContain('has no personalToken stored');
    const unreachable = await test({ baseUrl: 'http://127.0.0.1:9' });
    expect(unreachable).toMatchObject({ ok: false, message: expect.stringContaining('cannot reach GET http://127.0.0.1:9/api/2.0/registers') }); // prettier-ignore
  });
});
