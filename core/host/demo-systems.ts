import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  /** Secrets of the demo workspace's connections, as `FERRY_SECRET_*` variables for the env secret store. */
  env: NodeJS.ProcessEnv;
  /** What started where, or why not: one line each, for the console. */
  messages: string[];
  close(): Promise<void>;
}

/** The demo systems the example workspace talks to (today the shop API on 127.0.0.1:4010). */
export async function startDemoSystems(): Promise<DemoSystems> {
  try {
    const shop = await startDemoShop();
    return {
      env: { [envSecretName('shop-api', 'token')]: DEMO_SHOP_TOKEN },
      messages: [`Demo shop API at ${shop.url} (token "${DEMO_SHOP_TOKEN}")`],
      close: () => shop.close(),
    };
  } catch (error) {
    return {
      env: {},
      messages: [`the demo shop could not start on port ${DEMO_SHOP_PORT}: ${(error as Error).message}`],
      close: async () => undefined,
    };
  }
}
