import { z } from 'zod';
import { ConnectorRegistry } from '../connectors/registry.js';
import type { Connector } from '../connectors/types.js';
import { type RunContext, runFlow } from '../engine/run-flow.js';
import { ApiError } from '../model/contract.js';
import { type Flow, type FlowEdge, type FlowNode, nodePorts } from '../model/flow.js';
import type { SampleRecord } from '../model/mapper-contract.js';

/** A destination that writes nothing: it stands in for the node a sample is read for (and any other open output). */
const SINK_ID = 'ferry-sample-sink';

function sinkConnector(onRecords: (count: number) => void): Connector {
  return {
    descriptor: { id: SINK_ID, name: 'Sample', description: 'Keeps a sample', icon: 'map', nodeKinds: ['destination'] },
    requiresConnection: false,
    destination: {
      configSchema: z.looseObject({}),
      open: async () => ({
        batchSize: 1,
        write: async (batch) => {
          onRecords(batch.length);
          return batch.map(() => ({ status: 'skipped' as const, reason: 'sample' }));
        },
        close: async () => undefined,
      }),
    },
  };
}

/**
 * The part of the flow a node's input comes from: the node's ancestors, the node replaced by a sink, and a second
 * sink behind every other output those ancestors have (a run refuses outputs that lead nowhere).
 */
export function sampleFlow(flow: Flow, nodeId: string): Flow {
  const ancestors = new Set<string>();
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    for (const e of flow.edges) {
      if (e.to.node === id && !ancestors.has(e.from.node) && e.from.node !== nodeId) {
        ancestors.add(e.from.node);
        stack.push(e.from.node);
      }
    }
  }
  const target = flow.nodes.find((n) => n.id === nodeId);
  if (!target) throw new ApiError({ code: 'not-found', message: `flow "${flow.id}" has no node "${nodeId}"` });
  const sink = (id: string, position: FlowNode['position']): FlowNode => ({
    id,
    kind: 'destination',
    type: SINK_ID,
    typeVersion: 1,
    position,
    config: {},
  });
  const nodes = [...flow.nodes.filter((n) => ancestors.has(n.id)), sink(nodeId, target.position)];
  const edges: FlowEdge[] = flow.edges.filter(
    (e) => ancestors.has(e.from.node) && (ancestors.has(e.to.node) || e.to.node === nodeId),
  );
  const discard = `${nodeId}-discard`.slice(0, 64);
  let discarding = false;
  for (const node of nodes) {
    if (!ancestors.has(node.id)) continue;
    const ports = nodePorts[node.kind];
    for (const port of ports.outputs) {
      if (ports.optionalOutputs.includes(port) || edges.some((e) => e.from.node === node.id && e.from.port === port))
        continue;
      edges.push({ from: { node: node.id, port }, to: { node: discard, port: 'in' } });
      discarding = true;
    }
  }
  if (discarding) nodes.push(sink(discard, target.position));
  return { ...flow, nodes, edges };
}

/**
 * The first records that reach a node, read by a dry run of the part of the flow before it — the same `runFlow`
 * as every run, not kept in the run history (nothing was run on purpose) and stopped once the sample is complete.
 */
export async function readSample(flow: Flow, nodeId: string, ctx: RunContext, limit: number): Promise<SampleRecord[]> {
  const controller = new AbortController();
  let received = 0;
  const sink = sinkConnector((count) => {
    received += count;
    if (received >= limit) controller.abort(new Error('sample complete'));
  });
  const connectors = ctx.registry.ids().map((id) => ctx.registry.get(id)!);
  const registry = new ConnectorRegistry([...connectors, sink]);
  let input: unknown[] = [];
  const summary = await runFlow(
    sampleFlow(flow, nodeId),
    { ...ctx, registry, runState: undefined },
    {
      dryRun: true,
      pageSize: limit,
      previewLimit: limit,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'node-previews') input = event.previews[nodeId]?.in ?? [];
      },
    },
  );
  if (summary.status === 'failed' && input.length === 0) {
    throw new ApiError({
      code: summary.errorKind === 'connection' ? 'connection' : 'invalid-input',
      message: `could not read a sample: ${summary.error ?? 'the run failed'}`,
    });
  }
  return input.filter((r): r is SampleRecord => r !== null && typeof r === 'object' && !Array.isArray(r));
}
