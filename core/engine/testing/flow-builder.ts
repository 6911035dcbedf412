import type { Flow, FlowNode, NodeKind } from '../../model/flow.js';

type NodeSpec = { id: string; kind: NodeKind; type?: string; config: Record<string, unknown> };

function toNodes(specs: NodeSpec[]): FlowNode[] {
  return specs.map((s, i) => ({
    id: s.id,
    kind: s.kind,
    type: s.type ?? (s.kind === 'map' || s.kind === 'filter' ? s.kind : 'memory'),
    typeVersion: 1,
    position: { x: i * 220, y: 0 },
    config: s.config,
  }));
}

/** Builds a valid flow file from a chain of nodes, each connected "out" → "in" to the next. */
export function chainFlow(id: string, specs: NodeSpec[], extra: Partial<Flow> = {}): Flow {
  const edges = specs
    .slice(1)
    .map((s, i) => ({ from: { node: specs[i]!.id, port: 'out' }, to: { node: s.id, port: 'in' } }));
  return { schemaVersion: 2, id, name: id, nodes: toNodes(specs), edges, ...extra };
}

/**
 * A flow file from nodes and `from[:port] -> to` edges (the input port is always "in"), for graphs a chain cannot
 * express: a lookup's two outputs, a destination's "out" leading on.
 */
export function graphFlow(id: string, specs: NodeSpec[], edges: string[]): Flow {
  return {
    schemaVersion: 2,
    id,
    name: id,
    nodes: toNodes(specs),
    edges: edges.map((text) => {
      const [from, to] = text.split('->').map((s) => s.trim());
      const [node, port = 'out'] = from!.split(':');
      return { from: { node: node!, port }, to: { node: to!, port: 'in' } };
    }),
  };
}
