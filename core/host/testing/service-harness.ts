import { exampleWorkspace } from '../../cli/testing/cli-harness.js';
import { defaultRegistry } from '../../connectors/registry.js';
import { MemorySecretStore, type SecretStore } from '../../secrets/secret-store.js';
import { RunStateStore } from '../../store/run-state.js';
import { MemorySettings } from '../../store/settings.js';
import type { DemoSystems } from '../demo-systems.js';
import { FerryService } from '../ferry-service.js';

export interface ServiceHarness {
  /** A temp copy of resources/examples. */
  ws: string;
  service: FerryService;
  secrets: SecretStore;
  runState: RunStateStore;
  /** Stops runs and watchers, closes SQLite, removes the temp folder. */
  close(): Promise<void>;
}

/** A FerryService over a temp copy of the examples, with in-memory run state, secrets and settings (tests only). */
export async function serviceOverExamples(
  options: { watch?: boolean; demo?: DemoSystems; templatesDir?: string } = {},
): Promise<ServiceHarness> {
  const tmp = await exampleWorkspace();
  const runState = new RunStateStore(':memory:');
  const secrets = new MemorySecretStore();
  const service = new FerryService({
    registry: defaultRegistry(),
    secrets: options.demo ? options.demo.secretsOver(secrets) : secrets,
    runState,
    settings: new MemorySettings(),
    watch: options.watch,
    demo: options.demo,
    templatesDir: options.templatesDir,
  });
  return {
    ws: tmp.ws,
    service,
    secrets,
    runState,
    close: async () => {
      await service.close();
      runState.close();
      await tmp.cleanup();
    },
  };
}
