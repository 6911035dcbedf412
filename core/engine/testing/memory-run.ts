import { ConnectorRegistry } from '../../connectors/registry.js';
import { MemorySecretStore } from '../../secrets/secret-store.js';
import { RunStateStore } from '../../store/run-state.js';
import type { RunContext } from '../run-flow.js';
import { type MemoryWorld, memoryConnector } from './memory-connector.js';

/** A run context over the memory connector with an in-memory run-state database (close `store` after the test). */
export function memoryRunContext(world: MemoryWorld): { ctx: RunContext; store: RunStateStore } {
  const store = new RunStateStore(':memory:');
  const ctx: RunContext = {
    workspace: { dir: '/nonexistent', workspaceId: 'ws', connections: new Map() },
    registry: new ConnectorRegistry([memoryConnector(world)]),
    secrets: new MemorySecretStore(),
    runState: store,
  };
  return { ctx, store };
}
