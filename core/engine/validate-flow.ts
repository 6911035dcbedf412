import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Connector, LookupRole } from '../connectors/types.js';
import { compileFilter, compileMap } from '../mapping/index.js';
import { type ConnectionFile, borrowProblem } from '../model/connection.js';
import { type Flow, type FlowNode, type NodeKind, nodePorts } from '../model/flow.js';
import { LOOKUP_ENGINE_FIELDS, type LookupEngineConfig, lookupEngineConfigSchema } from '../model/lookup.js';
import { type ValueMapFile, filterConfigSchema, mapConfigSchema } from '../model/mapping.js';
import { ValidationError, type ValidationProblem, formatJsonPath, problemsFromZod } from '../model/validation-error.js';
import { connectionFile } from '../store/workspace-store.js';
import { findCycle } from './graph.js';
import { compileMatches } from './lookup-node.js';

/** Node type versions this engine runs. A shipped version's meaning never changes. */
export const SUPPORTED_TYPE_VERSIONS: Record<string, number[]> = { map: [1], filter: [1], connector: [1] };

export interface ValidationContext {
  registry: ConnectorRegistry;
  connections: ReadonlyMap<string, ConnectionFile>;
  /** The workspace's value maps by id: a map field naming another one is a problem at its `valueMap`. */
  valueMaps?: ReadonlyMap<string, ValueMapFile>;
  /** Shown in problems: `flows/<id>.flow.json`. */
  file?: string;
}

const roleOf: Partial<Record<NodeKind, 'source' | 'destination' | 'lookup'>> = {
  source: 'source',
  destination: 'destination',
  lookup: 'lookup',
};

/** Splits a connector node's config into the engine's `connection` reference and the connector's own settings. */
export function splitConnectorConfig(config: Record<string, unknown>): {
  connection?: unknown;
  rest: Record<string, unknown>;
} {
  const { connection, ...rest } = config;
  return { connection, rest };
}

/**
 * A lookup node's config: the engine's fields (match, into, whenEmpty; parsed, defaults applied) and the connector's
 * own lookup settings. Call only on a validated node: invalid engine fields throw.
 */
export function splitLookupConfig(config: Record<string, unknown>): {
  engine: LookupEngineConfig;
  rest: Record<string, unknown>;
} {
  const { engine, rest } = lookupParts(config);
  return { engine: lookupEngineConfigSchema.parse(engine), rest };
}

function lookupParts(config: Record<string, unknown>) {
  const { rest: own } = splitConnectorConfig(config);
  const engine: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(own)) {
    if ((LOOKUP_ENGINE_FIELDS as string[]).includes(key)) engine[key] = value;
    else rest[key] = value;
  }
  return { engine, rest };
}

/** The engine's part of a lookup's config: parses, and its expressions compile. */
function validateLookupFields(
  node: FlowNode,
  index: number,
  ctx: ValidationContext,
  problems: ValidationProblem[],
  role: LookupRole,
): void {
  const path = ['nodes', index, 'config'];
  const engine = lookupParts(node.config).engine;
  const parsed = lookupEngineConfigSchema.safeParse(engine, { reportInput: true });
  if (!parsed.success) problems.push(...problemsFromZod(parsed.error, ctx.file, path));
  else if (parsed.data.matches === 'all') {
    const problem = (message: string) =>
      problems.push({ file: ctx.file, path: formatJsonPath([...path, 'matches']), message });
    if (!role.findsAll)
      problem(`lookup "${node.id}": connector "${node.type}" cannot look up every match; use "first"`);
    // A line lookup's record is found only when every line is; "all" sends every record on found. The two meanings
    // do not combine, so the pair is refused rather than given a surprising one.
    if (parsed.data.lines !== undefined) problem(`lookup "${node.id}": "all" does not combine with lines; use "first"`);
  }
  // The rows' expressions are compiled even when another part is wrong (a row still without its field), so the
  // editor shows every row's problem at once; each problem keeps its row's index.
  const rows = Array.isArray(engine.match) ? (engine.match as unknown[]) : [];
  const match = rows.map((row) => {
    const expression = (row as { expression?: unknown } | null)?.expression;
    return { field: '', expression: typeof expression === 'string' && expression !== '' ? expression : 'true' };
  });
  try {
    compileMatches({ match }, { file: ctx.file, path: formatJsonPath(path) });
  } catch (error) {
    if (error instanceof ValidationError) problems.push(...error.problems);
    else throw error;
  }
}

function validateConnectorNode(
  node: FlowNode,
  index: number,
  ctx: ValidationContext,
  problems: ValidationProblem[],
  add: (path: PropertyKey[], message: string) => void,
): void {
  const role = roleOf[node.kind];
  if (!role) return;
  const connector: Connector | undefined = ctx.registry.get(node.type);
  if (!connector) {
    add(['nodes', index, 'type'], `expected one of ${ctx.registry.ids().join(', ')}`);
    return;
  }
  const roleImpl = connector[role];
  if (!roleImpl) {
    add(['nodes', index, 'kind'], `connector "${node.type}" cannot be used as a ${node.kind}`);
    return;
  }
  if (!SUPPORTED_TYPE_VERSIONS.connector!.includes(node.typeVersion)) {
    add(['nodes', index, 'typeVersion'], `expected one of ${SUPPORTED_TYPE_VERSIONS.connector!.join(', ')}`);
  }
  const { connection } = splitConnectorConfig(node.config);
  const rest = role === 'lookup' ? lookupParts(node.config).rest : splitConnectorConfig(node.config).rest;
  if (role === 'lookup') validateLookupFields(node, index, ctx, problems, roleImpl as LookupRole);
  if (connector.requiresConnection || connection !== undefined) {
    const candidates = [...ctx.connections.values()].filter((c) => c.connector === node.type).map((c) => c.id);
    if (typeof connection !== 'string' || connection === '') {
      add(
        ['nodes', index, 'config', 'connection'],
        candidates.length
          ? `required: expected one of ${candidates.join(', ')}`
          : `required: no ${node.type} connection exists in this workspace`,
      );
    } else {
      const conn = ctx.connections.get(connection);
      if (!conn)
        add(
          ['nodes', index, 'config', 'connection'],
          candidates.length
            ? `expected one of ${candidates.join(', ')}, got "${connection}"`
            : `unknown connection "${connection}"`,
        );
      else if (conn.connector !== node.type)
        add(
          ['nodes', index, 'config', 'connection'],
          `connection "${connection}" is a ${conn.connector} connection, expected ${node.type}`,
        );
      else {
        // A pool that cannot be resolved would leave the limit to chance: the run must not start.
        const borrow = borrowProblem(conn, ctx.connections);
        const file = connectionFile(conn.id);
        const path = 'concurrency.borrowFrom';
        if (borrow && !problems.some((p) => p.file === file && p.path === path)) {
          problems.push({ file, path, message: borrow });
        }
      }
    }
  }
  const parsed = roleImpl.configSchema.safeParse(rest, { reportInput: true });
  if (!parsed.success) problems.push(...problemsFromZod(parsed.error, ctx.file, ['nodes', index, 'config']));
}

function validateBuiltInNode(
  node: FlowNode,
  index: number,
  ctx: ValidationContext,
  problems: ValidationProblem[],
  add: (path: PropertyKey[], message: string) => void,
): void {
  if (node.kind !== 'map' && node.kind !== 'filter') return;
  if (node.type !== node.kind) {
    add(['nodes', index, 'type'], `expected "${node.kind}"`);
    return;
  }
  if (!SUPPORTED_TYPE_VERSIONS[node.kind]!.includes(node.typeVersion)) {
    add(['nodes', index, 'typeVersion'], `expected one of ${SUPPORTED_TYPE_VERSIONS[node.kind]!.join(', ')}`);
  }
  const schema = node.kind === 'map' ? mapConfigSchema : filterConfigSchema;
  const parsed = schema.safeParse(node.config, { reportInput: true });
  if (!parsed.success) {
    problems.push(...problemsFromZod(parsed.error, ctx.file, ['nodes', index, 'config']));
    return;
  }
  try {
    const where = { file: ctx.file, path: formatJsonPath(['nodes', index, 'config']) };
    if (node.kind === 'map') compileMap(mapConfigSchema.parse(node.config), where, { valueMaps: ctx.valueMaps });
    else compileFilter(filterConfigSchema.parse(node.config), where);
  } catch (error) {
    if (error instanceof ValidationError) problems.push(...error.problems);
    else throw error;
  }
}

/** Everything that can be known wrong before a run starts, each problem naming file, JSON path and expectation. */
export function validateFlow(flow: Flow, ctx: ValidationContext): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (path: PropertyKey[], message: string) =>
    problems.push({ file: ctx.file, path: formatJsonPath(path), message });
  const firstIndex = new Map<string, number>();
  flow.nodes.forEach((node, i) => {
    const seen = firstIndex.get(node.id);
    if (seen !== undefined) add(['nodes', i, 'id'], `duplicate id "${node.id}" (also nodes[${seen}])`);
    else firstIndex.set(node.id, i);
    validateConnectorNode(node, i, ctx, problems, add);
    validateBuiltInNode(node, i, ctx, problems, add);
  });
  const nodeById = new Map(flow.nodes.map((n) => [n.id, n]));
  flow.edges.forEach((edge, i) => {
    const from = nodeById.get(edge.from.node);
    const to = nodeById.get(edge.to.node);
    if (!from) add(['edges', i, 'from', 'node'], `unknown node "${edge.from.node}"`);
    else if (!nodePorts[from.kind].outputs.includes(edge.from.port)) {
      const outs = nodePorts[from.kind].outputs;
      add(
        ['edges', i, 'from', 'port'],
        outs.length
          ? `node "${from.id}" has no output "${edge.from.port}" (expected one of ${outs.join(', ')})`
          : `node "${from.id}" is a ${from.kind} and has no outputs`,
      );
    }
    if (!to) add(['edges', i, 'to', 'node'], `unknown node "${edge.to.node}"`);
    else if (!nodePorts[to.kind].inputs.includes(edge.to.port)) {
      const ins = nodePorts[to.kind].inputs;
      add(
        ['edges', i, 'to', 'port'],
        ins.length
          ? `node "${to.id}" has no input "${edge.to.port}" (expected one of ${ins.join(', ')})`
          : `node "${to.id}" is a ${to.kind} and takes no input`,
      );
    }
  });
  const cycle = findCycle(flow);
  if (cycle) add(['edges'], `the flow has a cycle: ${cycle.join(' → ')}`);
  flow.nodes.forEach((node, i) => {
    const ports = nodePorts[node.kind];
    for (const input of ports.inputs) {
      if (!flow.edges.some((e) => e.to.node === node.id && e.to.port === input))
        add(['nodes', i], `input "${input}" of "${node.id}" is not connected`);
    }
    for (const output of ports.outputs) {
      if (ports.optionalOutputs.includes(output)) continue;
      if (!flow.edges.some((e) => e.from.node === node.id && e.from.port === output))
        add(['nodes', i], `output "${output}" of "${node.id}" is not connected: its records would go nowhere`);
    }
    if (node.kind === 'lookup' && !flow.edges.some((e) => e.from.node === node.id)) {
      add(
        ['nodes', i],
        `lookup "${node.id}" has neither "found" nor "notFound" connected: every record would end here`,
      );
    }
  });
  if (!flow.nodes.some((n) => n.kind === 'source')) add(['nodes'], 'expected at least one source node');
  if (!flow.nodes.some((n) => n.kind === 'destination')) add(['nodes'], 'expected at least one destination node');
  return problems;
}
