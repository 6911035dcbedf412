import type { JsonValue } from '../../../model/json-value.js';
import { type DemoSystemDefinition, tabulate } from '../../emulator-kit/demo-system.js';
import { bcCatalog } from '../catalog.js';
import { demoOnPremAuth } from './ntlm-scheme.js';
import { BC_DEMO } from './seed.js';
import { startBcEmulator } from './server.js';
import type { BcStore } from './store.js';

/** The company the demo connection works in; the data browser shows its tables. */
const DEMO_COMPANY = BC_DEMO.companies.usa.id;

/** The company's tables as the data browser shows them: every company-scoped entity set, rows newest first. */
export function bcDemoData(store: BcStore, companyId: string = DEMO_COMPANY) {
  const sets = bcCatalog('v2.0')
    .entitySets.filter((set) => set.scope === 'company')
    .map((set) => set.name)
    .sort();
  return {
    entities: () => sets.map((name) => ({ name, count: store.rows(companyId, name).length })),
    page: (entity: string, range: { limit: number; offset: number }) => {
      if (!sets.includes(entity)) return undefined;
      // The row version grows with every write: highest first puts what a run just wrote on top.
      const rows = store.rows(companyId, entity).sort((a, b) => b.version - a.version);
      return tabulate(
        rows.map((r) => r.row as Record<string, JsonValue>),
        range,
      );
    },
  };
}

/** The demo Business Central: online API v2.0 behind its Entra-like token endpoint, plus BC14 on premises. */
export const bcDemoSystem: DemoSystemDefinition = {
  id: 'business-central',
  name: 'Business Central',
  port: 4020,
  async start(port) {
    const bc = await startBcEmulator({ port, onPremAuth: demoOnPremAuth() });
    return {
      url: bc.url,
      message:
        `Demo Business Central at ${bc.url} (tenant ${BC_DEMO.tenantDomain}, client id ${BC_DEMO.clientId}, ` +
        `secret "${BC_DEMO.clientSecret}"; on premises ${bc.onPremApiUrl()} as ${BC_DEMO.userName} / ${BC_DEMO.password})`,
      connection: {
        id: 'bc-demo',
        name: 'Business Central (demo)',
        connector: 'business-central',
        settings: {
          mode: 'online',
          apiHost: bc.url,
          authorityHost: bc.url,
          clientId: BC_DEMO.clientId,
          company: DEMO_COMPANY,
          environment: BC_DEMO.environment,
          tenant: BC_DEMO.tenantDomain,
        },
        secrets: { clientSecret: BC_DEMO.clientSecret },
        urlFields: ['apiHost', 'authorityHost'],
      },
      data: bcDemoData(bc.store),
      close: () => bc.close(),
    };
  },
};
