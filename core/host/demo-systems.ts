import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { acumaticaDemoSystem } from '../connectors/acumatica/emulator/demo.js';
import { bcDemoSystem } from '../connectors/business-central/emulator/demo.js';
import type {
  DemoConnection,
  DemoDataSource,
  DemoSystemDefinition,
  StartedDemoSystem,
} from '../connectors/emulator-kit/demo-system.js';
import { shopDemoSystem } from '../connectors/http/emulator/demo.js';
import { lightspeedDemoSystem } from '../connectors/lightspeed/emulator/demo.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { resourcesDir } from '../store/resources.js';

/**
 * Every demo system, one entry each (an emulator folder's `emulator/demo.ts`): `ferry demo`, `ferry serve --demo`,
 * `npm start` and the app's "Start demo systems" start them all.
 */
export const demoSystemRegistry: readonly DemoSystemDefinition[] = [
  shopDemoSystem,
  bcDemoSystem,
  acumaticaDemoSystem,
  lightspeedDemoSystem,
];

/** resources/examples next to the bundle or from source. */
export function examplesDir(): string {
  return resourcesDir('examples', 'ferry.workspace.json');
}

/** The demo workspace is a copy in the app-data folder: playing with it never changes the shipped examples. */
export async function demoWorkspace(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'demo-workspace');
  if (!existsSync(join(dir, 'ferry.workspace.json'))) {
    await cp(examplesDir(), dir, { recursive: true, filter: (src) => !/[\\/]out$/.test(src) });
  }
  return dir;
}

export const DEMO_PORTS_VARIABLE = 'FERRY_DEMO_PORTS';

/**
 * The port of each system: its fixed demo port, unless `FERRY_DEMO_PORTS` says otherwise — `0` (every system on a
 * port the OS picks: tests) or `business-central=4120,acumatica=0` per system.
 */
export function demoPorts(
  env: NodeJS.ProcessEnv,
  definitions: readonly DemoSystemDefinition[] = demoSystemRegistry,
): Record<string, number> {
  const ports = Object.fromEntries(definitions.map((d) => [d.id, d.port]));
  const text = env[DEMO_PORTS_VARIABLE]?.trim();
  if (!text) return ports;
  const bad = (why: string) => new Error(`${DEMO_PORTS_VARIABLE}="${text}": ${why}`);
  const port = (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > 65535) throw bad(`expected a port number 0–65535, got "${value}"`);
    return n;
  };
  if (!text.includes('=')) return Object.fromEntries(definitions.map((d) => [d.id, port(text)]));
  for (const part of text.split(',')) {
    const [id, value] = part.split('=').map((s) => s.trim());
    if (!id || value === undefined || !(id in ports)) {
      throw bad(`expected <system>=<port> with a system of ${definitions.map((d) => d.id).join(', ')}`);
    }
    ports[id] = port(value);
  }
  return ports;
}

export interface DemoSystemState {
  id: string;
  name: string;
  running: boolean;
  url?: string;
  /** Where it runs and how to sign in, or why it did not start. */
  message: string;
  connectionId?: string;
}

/**
 * The demo systems of one host process: started on demand (at launch with `--demo`, or from the app), each at most
 * once; one that cannot start (its port is taken) is reported and the others run. Their connections' secrets are
 * served by `secretsOver`, never written anywhere.
 */
export class DemoSystems {
  private readonly running = new Map<string, StartedDemoSystem>();
  private readonly failures = new Map<string, string>();
  private starting: Promise<void> | undefined;

  constructor(
    private readonly ports: Record<string, number> = demoPorts({}),
    readonly definitions: readonly DemoSystemDefinition[] = demoSystemRegistry,
  ) {}

  /** Starts every system not yet running; resolves when all have started or failed. */
  async start(): Promise<DemoSystemState[]> {
    this.starting ??= Promise.all(this.definitions.map((d) => this.startOne(d))).then(() => undefined);
    try {
      await this.starting;
    } finally {
      this.starting = undefined;
    }
    return this.states();
  }

  private async startOne(definition: DemoSystemDefinition): Promise<void> {
    if (this.running.has(definition.id)) return;
    const port = this.ports[definition.id] ?? definition.port;
    try {
      this.running.set(definition.id, await definition.start(port));
      this.failures.delete(definition.id);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'EADDRINUSE' ? `port ${port} is in use (is another Ferry demo running?)` : (error as Error).message;
      this.failures.set(definition.id, `The demo ${definition.name} could not start: ${why}`);
    }
  }

  states(): DemoSystemState[] {
    return this.definitions.map((d) => {
      const system = this.running.get(d.id);
      if (!system) {
        return { id: d.id, name: d.name, running: false, message: this.failures.get(d.id) ?? 'not started' };
      }
      const { url, message, connection } = system;
      return { id: d.id, name: d.name, running: true, url, message, connectionId: connection.id };
    });
  }

  /** The connections of the running systems. */
  connections(): DemoConnection[] {
    return [...this.running.values()].map((s) => s.connection);
  }

  /** The setting values the running systems know for templates (see StartedDemoSystem.templateSettings). */
  templateSettings(): Record<string, unknown> {
    return Object.assign({}, ...[...this.running.values()].map((s) => s.templateSettings ?? {})) as Record<
      string,
      unknown
    >;
  }

  data(systemId: string): DemoDataSource | undefined {
    return this.running.get(systemId)?.data;
  }

  /**
   * `store` with the running systems' secrets in front: a demo connection's secret (by connection id and field, in
   * any workspace, like a FERRY_SECRET_* variable) comes from here; everything else from `store`.
   */
  secretsOver(store: SecretStore): SecretStore {
    const demoSecret = (account: string): string | undefined => {
      const [, connectionId, field] = account.split('/');
      const connection = this.connections().find((c) => c.id === connectionId);
      return field === undefined ? undefined : connection?.secrets[field];
    };
    return {
      get kind() {
        return store.kind;
      },
      get: async (account) => demoSecret(account) ?? store.get(account),
      set: (account, value) => store.set(account, value),
      delete: (account) => store.delete(account),
    };
  }

  async close(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const systems = [...this.running.values()];
    this.running.clear();
    await Promise.all(systems.map((s) => s.close()));
  }
}
