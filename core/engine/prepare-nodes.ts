import type { NetworkScope } from '../connectors/net/http-factory.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { ConnectorContext, DestinationWriter, Logger, LookupRuntime, SourceReader } from '../connectors/types.js';
import { type CompiledFilter, type CompiledMap, compileFilter, compileMap } from '../mapping/index.js';
import { type ConnectionFile, secretAccount } from '../model/connection.js';
import type { Flow, FlowNode } from '../model/flow.js';
import { type ValueMapFile, filterConfigSchema, mapConfigSchema } from '../model/mapping.js';
import { parseOrThrow } from '../model/validation-error.js';
import { connectionFile } from '../store/workspace-store.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { type ConcurrencyPools, poolFor } from './concurrency-pools.js';
import { LookupNode } from './lookup-node.js';
import { splitConnectorConfig, splitLookupConfig } from './validate-flow.js';

export interface WorkspaceView {
  dir: string;
  workspaceId: string;
  connections: ReadonlyMap<string, ConnectionFile>;
  /** The workspace's value maps by id, for map nodes that translate through them. */
  valueMaps?: ReadonlyMap<string, ValueMapFile>;
}

export type PreparedNode =
  | { kind: 'source'; node: FlowNode; reader: SourceReader }
  | { kind: 'map'; node: FlowNode; map: CompiledMap }
  | { kind: 'filter'; node: FlowNode; filter: CompiledFilter }
  | { kind: 'destination'; node: FlowNode; writer: DestinationWriter }
  | { kind: 'lookup'; node: FlowNode; lookup: LookupNode; runtime: LookupRuntime };

export const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/** What a run shares with every connector it opens: the process's pools and the run's HTTP dispatchers. */
export interface RunResources {
  pools: ConcurrencyPools;
  network: NetworkScope;
}

export function connectorContext(
  node: FlowNode,
  workspace: WorkspaceView,
  registry: ConnectorRegistry,
  secrets: SecretStore,
  signal: AbortSignal,
  log: Logger,
  resources?: RunResources,
): ConnectorContext {
  const { connection: connectionId } = splitConnectorConfig(node.config);
  return connectionContext(node.type, connectionId, workspace, registry, secrets, signal, log, resources);
}

/**
 * The context of a connector working for a connection of the workspace — a node's, or a host's browser sign-in:
 * settings validated, secrets read from and saved to the store under the file's references.
 */
export function connectionContext(
  connectorId: string,
  connectionId: unknown,
  workspace: WorkspaceView,
  registry: ConnectorRegistry,
  secrets: SecretStore,
  signal: AbortSignal,
  log: Logger,
  resources?: RunResources,
): ConnectorContext {
  const connector = registry.get(connectorId);
  let connection: ConnectionFile | undefined;
  if (typeof connectionId === 'string') {
    const file = workspace.connections.get(connectionId);
    if (file) {
      const settings = connector?.connectionSettings
        ? parseOrThrow(connector.connectionSettings, file.settings, connectionFile(file.id), ['settings'])
        : file.settings;
      connection = { ...file, settings: settings as Record<string, unknown> };
    }
  }
  const accountOf = (file: ConnectionFile, field: string) =>
    file.secrets?.[field]?.secret ?? secretAccount(workspace.workspaceId, file.id, field);
  const pool =
    connection && resources
      ? poolFor(resources.pools, workspace.workspaceId, connection, workspace.connections, registry)
      : undefined;
  return {
    workspaceDir: workspace.dir,
    connection,
    limit: pool?.limit,
    acquire: pool ? (slotSignal) => pool.acquire(slotSignal) : undefined,
    network: resources?.network,
    async secret(field: string) {
      if (!connection) return undefined;
      return secrets.get(accountOf(connection, field));
    },
    async saveSecret(field: string, value: string) {
      if (!connection) throw new Error('a node without a connection has no secrets to store');
      await secrets.set(accountOf(connection, field), value);
    },
    signal,
    log,
  };
}

/** Compiles built-in nodes and opens every connector node; the flow has been validated already. */
export async function prepareNodes(
  flow: Flow,
  workspace: WorkspaceView,
  registry: ConnectorRegistry,
  secrets: SecretStore,
  signal: AbortSignal,
  log: Logger,
  resources?: RunResources,
): Promise<Map<string, PreparedNode>> {
  const prepared = new Map<string, PreparedNode>();
  try {
    await openAll(flow, prepared, workspace, registry, secrets, signal, log, resources);
  } catch (error) {
    for (const p of prepared.values()) {
      if (p.kind === 'destination') await p.writer.close({ ok: false, dryRun: true }).catch(() => undefined);
      if (p.kind === 'source') await p.reader.close?.().catch(() => undefined);
      if (p.kind === 'lookup') await p.runtime.close?.().catch(() => undefined);
    }
    throw error;
  }
  return prepared;
}

async function openAll(
  flow: Flow,
  prepared: Map<string, PreparedNode>,
  workspace: WorkspaceView,
  registry: ConnectorRegistry,
  secrets: SecretStore,
  signal: AbortSignal,
  log: Logger,
  resources: RunResources | undefined,
): Promise<void> {
  for (const node of flow.nodes) {
    if (node.kind === 'map') {
      const map = compileMap(mapConfigSchema.parse(node.config), undefined, { valueMaps: workspace.valueMaps });
      prepared.set(node.id, { kind: 'map', node, map });
    } else if (node.kind === 'filter') {
      prepared.set(node.id, { kind: 'filter', node, filter: compileFilter(filterConfigSchema.parse(node.config)) });
    } else if (node.kind === 'lookup') {
      const { engine, rest } = splitLookupConfig(node.config);
      const connector = registry.get(node.type)!;
      const config = connector.lookup!.configSchema.parse(rest);
      const ctx = connectorContext(node, workspace, registry, secrets, signal, log, resources);
      const runtime = await connector.lookup!.open(config, ctx);
      // Names what a line lookup missed in the record's failure: "items not in Business Central: SKU-9".
      const missing = `${typeof rest.entity === 'string' ? rest.entity : 'records'} not in ${connector.descriptor.name}`;
      const lookup = new LookupNode(engine, runtime, undefined, missing);
      prepared.set(node.id, { kind: 'lookup', node, runtime, lookup });
    } else if (node.kind === 'source' || node.kind === 'destination') {
      const role = registry.get(node.type)![node.kind]!;
      const config = role.configSchema.parse(splitConnectorConfig(node.config).rest);
      const ctx = connectorContext(node, workspace, registry, secrets, signal, log, resources);
      if (node.kind === 'source')
        prepared.set(node.id, { kind: 'source', node, reader: (await role.open(config, ctx)) as SourceReader });
      else
        prepared.set(node.id, {
          kind: 'destination',
          node,
          writer: (await role.open(config, ctx)) as DestinationWriter,
        });
    }
  }
}
