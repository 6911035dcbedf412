import type { JsonValue } from '../../../model/json-value.js';
import { type DemoSystemDefinition, tabulate } from '../../emulator-kit/demo-system.js';
import { ACUMATICA_DEMO } from './seed.js';
import { startAcumaticaEmulator } from './server.js';
import type { AcuStore } from './store.js';
import type { AcuRecord } from './values.js';

/** A record as a table row: its fields, then linked and detail entities as their fields. */
function asRow(record: AcuRecord): Record<string, JsonValue> {
  const links = Object.entries(record.links).map(([name, link]) => [
    name,
    Array.isArray(link) ? link.map((r) => r.fields) : link.fields,
  ]);
  return { ...record.fields, ...Object.fromEntries(links), ...(record.note ? { note: record.note } : {}) };
}

/** Every top-level entity of the store; records newest first (a save keeps a record's place, a create appends). */
export function acumaticaDemoData(store: AcuStore) {
  const entities = () => Object.keys(store.toJSON().entities).sort();
  return {
    entities: () => entities().map((name) => ({ name, count: store.count(name) })),
    page: (entity: string, range: { limit: number; offset: number }) =>
      entities().includes(entity) ? tabulate(store.records(entity).reverse().map(asRow), range) : undefined,
  };
}

/** The demo Acumatica: the training company (MyStore) behind cookie sign-in and OAuth 2.0. */
export const acumaticaDemoSystem: DemoSystemDefinition = {
  id: 'acumatica',
  name: 'Acumatica',
  port: 4030,
  async start(port) {
    const acu = await startAcumaticaEmulator({ port });
    return {
      url: acu.url,
      message:
        `Demo Acumatica at ${acu.instanceUrl} (tenant ${ACUMATICA_DEMO.tenant}, ` +
        `user ${ACUMATICA_DEMO.userName} / ${ACUMATICA_DEMO.password})`,
      connection: {
        id: 'acumatica-demo',
        name: 'Acumatica (demo)',
        connector: 'acumatica',
        settings: {
          mode: 'on-premise',
          instanceUrl: acu.instanceUrl,
          endpoint: 'Default',
          auth: 'cookie',
          username: ACUMATICA_DEMO.userName,
          tenant: ACUMATICA_DEMO.tenant,
          branch: ACUMATICA_DEMO.branch,
        },
        secrets: { password: ACUMATICA_DEMO.password },
        urlFields: ['instanceUrl'],
      },
      data: acumaticaDemoData(acu.store),
      close: () => acu.close(),
    };
  },
};
