import type { Flow, FlowNode, NodeKind } from '../../model/flow.js';

type NodeSpec = { id: string; kind: NodeKind; type?: string; config: Record<string, unknown> };

/** Builds a valid flow file from a chain of nodes, each connected "out" → "in" to the next. */
export function chainFlow(id: string, specs: NodeSpec[], extra: Partial<Flow> = {}): Flow {
  const nodes: FlowNode[] = specs.map((s, i) => ({
    id: s.id,
    kind: s.kind,
    type: s.type ?? (s.kind === 'map' || s.kind === 'filter' ? s.kind : 'memory'),
    typeVersion: 1,
    position: { x: i * 220, y: 0 },
    config: s.config,
  }));
  const edges = specs
    .slice(1)
    .map((s, i) => ({ from: { node: specs[i]!.id, port: 'out' }, to: { node: s.id, port: 'in' } }));
  return { schemaVersion: 2, id, name: id, nodes, edges, ...extra };
}
