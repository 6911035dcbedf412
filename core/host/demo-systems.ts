import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BC_DEMO, demoOnPremAuth, startBcEmulator } from '../connectors/business-central/emulator/index.js';
import { DEMO_SHOP_PORT, DEMO_SHOP_TOKEN, startDemoShop } from '../connectors/http/emulator/demo-shop.js';
import { envSecretName } from '../secrets/secret-store.js';

/** resources/examples next to the bundle (dist/ferry.mjs, dist/electron/*.mjs) or from source (core/host). */
export function examplesDir(): string {
  const candidates = [
    fileURLToPath(new URL('../resources/examples', import.meta.url)),
    fileURLToPath(new URL('../../resources/examples', import.meta.url)),
  ];
  const found = candidates.find((d) => existsSync(join(d, 'ferry.workspace.json')));
  if (!found) throw new Error(`the example workspace is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** The demo workspace is a copy in the app-data folder: playing with it never changes the shipped examples. */
export async function demoWorkspace(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'demo-workspace');
  if (!existsSync(join(dir, 'ferry.workspace.json'))) {
    await cp(examplesDir(), dir, { recursive: true, filter: (src) => !/[\\/]out$/.test(src) });
  }
  return dir;
}

export interface DemoSystems {
  /** Where each system listens (the fixed demo ports, or what the OS chose for port 0). */
  urls: { shop?: string; bc?: string };
  /** Secrets of the demo workspace's connections, as `FERRY_SECRET_*` variables for the env secret store. */
  env: NodeJS.ProcessEnv;
  /** What started where, or why not: one line each, for the console. */
  messages: string[];
  close(): Promise<void>;
}

/** Where the demo Business Central listens: the example workspace's `bc-demo` connection points here. */
export const DEMO_BC_PORT = 4020;

interface DemoSystem {
  url?: string;
  env: NodeJS.ProcessEnv;
  message: string;
  close(): Promise<void>;
}

async function startOne(name: string, port: number, start: () => Promise<DemoSystem>): Promise<DemoSystem> {
  try {
    return await start();
  } catch (error) {
    return {
      env: {},
      message: `the demo ${name} could not start on port ${port}: ${(error as Error).message}`,
      close: async () => undefined,
    };
  }
}

/**
 * The demo systems the example workspace talks to: the shop API on 127.0.0.1:4010 and an emulated Business Central
 * (online API v2.0 with its Entra token endpoint) on 127.0.0.1:4020. One that cannot start is reported, not fatal.
 */
export async function startDemoSystems(
  ports: { shop: number; bc: number } = { shop: DEMO_SHOP_PORT, bc: DEMO_BC_PORT },
): Promise<DemoSystems> {
  const systems = await Promise.all([
    startOne('shop', ports.shop, async () => {
      const shop = await startDemoShop(ports.shop);
      return {
        url: shop.url,
        env: { [envSecretName('shop-api', 'token')]: DEMO_SHOP_TOKEN },
        message: `Demo shop API at ${shop.url} (token "${DEMO_SHOP_TOKEN}")`,
        close: () => shop.close(),
      };
    }),
    startOne('Business Central', ports.bc, async () => {
      const bc = await startBcEmulator({ port: ports.bc, onPremAuth: demoOnPremAuth() });
      return {
        url: bc.url,
        env: { [envSecretName('bc-demo', 'clientSecret')]: BC_DEMO.clientSecret },
        message:
          `Demo Business Central at ${bc.url} (tenant ${BC_DEMO.tenantDomain}, client id ${BC_DEMO.clientId}, ` +
          `secret "${BC_DEMO.clientSecret}"; on premises ${bc.onPremApiUrl()} as ${BC_DEMO.userName} / ${BC_DEMO.password})`,
        close: () => bc.close(),
      };
    }),
  ]);
  const [shop, bc] = systems;
  return {
    urls: { shop: shop?.url, bc: bc?.url },
    env: Object.assign({}, ...systems.map((s) => s.env)) as NodeJS.ProcessEnv,
    messages: systems.map((s) => s.message),
    close: async () => {
      await Promise.all(systems.map((s) => s.close()));
    },
  };
}
