import type { JsonValue } from '../../../model/json-value.js';
import { type DemoSystemDefinition, tabulate } from '../../emulator-kit/demo-system.js';
import { LIGHTSPEED_DEMO } from './seed.js';
import { startLightspeedEmulator } from './server.js';
import { COLLECTIONS, type Collection, type LsStore } from './store.js';

/** Every collection of the store; records newest first (a write moves a record to the end of its collection). */
export function lightspeedDemoData(store: LsStore) {
  const isCollection = (name: string): name is Collection => (COLLECTIONS as readonly string[]).includes(name);
  return {
    entities: () => [...COLLECTIONS].sort().map((name) => ({ name, count: store.count(name) })),
    page: (entity: string, range: { limit: number; offset: number }) =>
      isCollection(entity)
        ? tabulate([...store.all(entity)].reverse() as Record<string, JsonValue>[], range, ['id', 'version'])
        : undefined,
  };
}

/** The demo Lightspeed Retail (X-Series) store, reached with its personal token. */
export const lightspeedDemoSystem: DemoSystemDefinition = {
  id: 'lightspeed',
  name: 'Lightspeed',
  port: 4040,
  async start(port) {
    const ls = await startLightspeedEmulator({ port });
    return {
      url: ls.url,
      message:
        `Demo Lightspeed at ${ls.url} (store ${LIGHTSPEED_DEMO.storeName}, domain prefix ` +
        `${LIGHTSPEED_DEMO.domainPrefix}, personal token "${LIGHTSPEED_DEMO.personalToken}")`,
      connection: {
        id: 'lightspeed-demo',
        name: 'Lightspeed (demo)',
        connector: 'lightspeed',
        settings: { domainPrefix: LIGHTSPEED_DEMO.domainPrefix, auth: 'token', baseUrl: ls.url },
        secrets: { personalToken: LIGHTSPEED_DEMO.personalToken },
        urlFields: ['baseUrl'],
      },
      data: lightspeedDemoData(ls.store),
      // The demo stock template needs an outlet: the store's first.
      templateSettings: { outletId: ls.store.active('outlets').find((o) => o.name === LIGHTSPEED_DEMO.outlets[0])?.id },
      close: () => ls.close(),
    };
  },
};
