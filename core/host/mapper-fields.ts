import type { ConnectorRegistry } from '../connectors/registry.js';
import { buildGraph, portKey } from '../engine/graph.js';
import type { ConnectionFile } from '../model/connection.js';
import { type EntityDescriptor, type EntityField, entityFieldTypes } from '../model/descriptor.js';
import type { Flow, FlowNode } from '../model/flow.js';
import type { SampleRecord, SourceField } from '../model/mapper-contract.js';
import type { RunStateStore } from '../store/run-state.js';

/** The connector nodes a map node sits between, and the map nodes between it and its source. */
export interface MapNodePath {
  source?: FlowNode;
  destination?: FlowNode;
  /** The nearest map node upstream: its targets are this node's input (its source's fields only if it keeps them). */
  upstreamMap?: FlowNode;
}

const PASS_THROUGH_OUT: Partial<Record<FlowNode['kind'], string>> = { filter: 'out', lookup: 'found' };

/**
 * Walks the first edge into the node back to a source (through filters and lookups, which leave the record's
 * fields as they are) and the first edge out to a destination. A flow being drawn may have neither yet.
 */
export function mapNodePath(flow: Flow, nodeId: string): MapNodePath {
  const graph = buildGraph(flow);
  const path: MapNodePath = {};
  const seen = new Set<string>([nodeId]);
  let up = graph.incoming.get(nodeId)?.[0]?.from.node;
  while (up !== undefined && !seen.has(up)) {
    seen.add(up);
    const node = graph.nodes.get(up);
    if (!node) break;
    if (node.kind === 'source') {
      path.source = node;
      break;
    }
    if (node.kind === 'map' && !path.upstreamMap) {
      path.upstreamMap = node;
      if (node.config.keepUnmapped !== true) break;
    }
    up = graph.incoming.get(up)?.[0]?.from.node;
  }
  let down = graph.outgoing.get(portKey(nodeId, 'out'))?.[0]?.to.node;
  while (down !== undefined && !seen.has(down)) {
    seen.add(down);
    const node = graph.nodes.get(down);
    if (!node) break;
    if (node.kind === 'destination') path.destination = node;
    const port = PASS_THROUGH_OUT[node.kind];
    if (!port) break;
    down = graph.outgoing.get(portKey(down, port))?.[0]?.to.node;
  }
  return path;
}

/** A connector's entity catalog, for a connection when the catalog depends on it (a tenant's own tables). */
export function entityCatalog(
  registry: ConnectorRegistry,
  connectorId: string,
  connection: ConnectionFile | undefined,
): EntityDescriptor[] | undefined {
  const connector = registry.get(connectorId);
  if (!connector) return undefined;
  if (connector.entities && connection?.connector === connectorId) return connector.entities(connection.settings);
  return connector.descriptor.entities ?? [];
}

/** The entity a connector node's config names, from its connector's catalog. */
export function entityOfNode(
  registry: ConnectorRegistry,
  connections: ReadonlyMap<string, ConnectionFile>,
  node: FlowNode,
): EntityDescriptor | undefined {
  const name = node.config.entity;
  if (typeof name !== 'string') return undefined;
  const connection = typeof node.config.connection === 'string' ? connections.get(node.config.connection) : undefined;
  return entityCatalog(registry, node.type, connection)?.find((e) => e.name === name);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** A type guessed from one value of a sample (CSV sources deliver text, so "12" stays a string). */
export function valueType(value: unknown): EntityField['type'] {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return DATE.test(value) ? 'date' : DATE_TIME.test(value) ? 'datetime' : 'string';
  if (Array.isArray(value)) return 'array';
  if (isRecord(value)) return 'object';
  return 'unknown';
}

const MAX_DEPTH = 3;

/**
 * The fields seen in sample records, in first-seen order: nested objects as paths to their leaves, arrays as one
 * field plus their elements' fields (`lines.sku`, what a line mapping's expressions read). A field's type is that
 * of its first value that is not null.
 */
export function fieldsOfRecords(records: readonly SampleRecord[]): SourceField[] {
  const found = new Map<string, SourceField>();
  const add = (path: string[], value: unknown) => {
    const name = path.join('.');
    const type = valueType(value);
    const known = found.get(name);
    if (!known) found.set(name, { name, path, type, origin: 'sample' });
    else if (known.type === 'unknown') known.type = type;
  };
  const walk = (value: Record<string, unknown>, prefix: string[]) => {
    for (const [key, v] of Object.entries(value)) {
      const path = [...prefix, key];
      const nested = isRecord(v);
      if (!nested || path.length >= MAX_DEPTH) add(path, v);
      if (nested && path.length < MAX_DEPTH) walk(v, path);
      if (Array.isArray(v) && path.length < MAX_DEPTH) {
        for (const element of v.slice(0, 5)) {
          if (isRecord(element)) walk(element, path);
        }
      }
    }
  };
  for (const record of records) walk(record, []);
  return [...found.values()];
}

/** Catalog fields first (their declared types), then what samples add; a name appears once. */
export function mergeSourceFields(...lists: SourceField[][]): SourceField[] {
  const merged = new Map<string, SourceField>();
  for (const list of lists) for (const f of list) if (!merged.has(f.name)) merged.set(f.name, f);
  return [...merged.values()];
}

/** The file connector has no catalog; its source config may declare column types (`types: {price: "number"}`). */
function declaredTypes(node: FlowNode): SourceField[] {
  const types = node.config.types;
  if (types === null || typeof types !== 'object') return [];
  const known = new Set<string>(entityFieldTypes);
  return Object.entries(types as Record<string, unknown>).map(([name, type]) => ({
    name,
    path: [name],
    type: typeof type === 'string' && known.has(type) ? (type as EntityField['type']) : 'unknown',
    origin: 'catalog',
  }));
}

export function catalogSourceFields(entity: EntityDescriptor | undefined, source: FlowNode | undefined): SourceField[] {
  if (entity) return entity.fields.map((f) => ({ name: f.name, path: [f.name], type: f.type, origin: 'catalog' }));
  return source ? declaredTypes(source) : [];
}

/** Field types a lookup can compare one value with: not a linked object or a list of lines. */
const SCALAR = (f: EntityField) => f.type !== 'object' && f.type !== 'array';

/**
 * What a lookup node's match rows may compare: its entity's scalar fields — read-only ones too, a system id or
 * number is a fine key — or, for a connector without a catalog (a file), the columns its config declares.
 */
export function lookupFieldsOf(
  registry: ConnectorRegistry,
  connections: ReadonlyMap<string, ConnectionFile>,
  node: FlowNode,
): { fields: EntityField[]; note?: string } {
  const connector = registry.get(node.type);
  if (!connector) return { fields: [] };
  const hasCatalog = connector.descriptor.entities !== undefined || connector.entities !== undefined;
  if (hasCatalog) {
    if (typeof node.config.entity !== 'string') {
      return { fields: [], note: 'Choose the entity to look in: its fields are what a match can compare.' };
    }
    const entity = entityOfNode(registry, connections, node);
    if (!entity) return { fields: [], note: `The entity "${node.config.entity}" has no field list: type the field.` };
    return { fields: entity.fields.filter(SCALAR) };
  }
  const columns = Array.isArray(node.config.columns)
    ? node.config.columns.filter((c): c is string => typeof c === 'string')
    : [];
  const types = new Map(declaredTypes(node).map((f) => [f.name, f.type]));
  const names = [...new Set([...columns, ...types.keys()])];
  const fields = names.map((name): EntityField => ({ name, type: types.get(name) ?? 'unknown' }));
  return { fields, note: 'This lookup has no field list: type the column names as the file names them.' };
}

/** An upstream map's targets are this node's fields (types unknown: an expression decides them). */
export function upstreamMapFields(map: FlowNode): SourceField[] {
  const fields = Array.isArray(map.config.fields) ? (map.config.fields as { target?: unknown }[]) : [];
  return fields
    .map((f) => f.target)
    .filter((t): t is string => typeof t === 'string' && t !== '')
    .map((t) => ({ name: t, path: t.split('.'), type: 'unknown', origin: 'upstream' }));
}

/** The records that went into the node in the newest finished run of the flow that reached it (dry runs too). */
export function lastRunInput(
  runState: RunStateStore,
  workspaceId: string,
  flowId: string,
  nodeId: string,
): SampleRecord[] | undefined {
  for (const run of runState.listRuns(workspaceId, flowId, 5)) {
    if (run.status === 'running') continue;
    const input = runState.getPreviews(run.runId)[nodeId]?.in;
    if (input?.length) return input.filter((r): r is SampleRecord => isRecord(r));
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
