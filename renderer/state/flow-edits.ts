import {
  type Flow,
  type FlowEdge,
  type FlowNode,
  type NodeKind,
  type PortRef,
  nodePorts,
} from '../../core/model/flow.js';

/** Pure edits of the Flow model: the store applies them and keeps undo history; tests call them directly. */

export const edgeId = (e: FlowEdge) => `${e.from.node}:${e.from.port}->${e.to.node}:${e.to.port}`;

export function uniqueNodeId(flow: Flow, base: string, taken: Set<string> = new Set()): string {
  const used = new Set([...flow.nodes.map((n) => n.id), ...taken]);
  const stem =
    base
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'node';
  for (let i = 1; ; i++) {
    const id = `${stem}-${i}`;
    if (!used.has(id)) return id;
  }
}

export function defaultConfig(kind: NodeKind): Record<string, unknown> {
  if (kind === 'map') return { fields: [] };
  // An empty AND group passes every record, as the old default `true` did; the rule builder opens on it.
  if (kind === 'filter') return { rules: { combinator: 'and', rules: [] } };
  return {};
}

export interface NewNode {
  kind: NodeKind;
  type: string;
  name?: string;
  position: { x: number; y: number };
}

export function addNode(flow: Flow, spec: NewNode): { flow: Flow; id: string } {
  const id = uniqueNodeId(flow, spec.kind === spec.type ? spec.kind : `${spec.type}-${spec.kind}`);
  const node: FlowNode = {
    id,
    kind: spec.kind,
    type: spec.type,
    typeVersion: 1,
    ...(spec.name ? { name: spec.name } : {}),
    position: { x: Math.round(spec.position.x), y: Math.round(spec.position.y) },
    config: defaultConfig(spec.kind),
  };
  return { flow: { ...flow, nodes: [...flow.nodes, node] }, id };
}

export function removeElements(flow: Flow, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): Flow {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return flow;
  return {
    ...flow,
    nodes: flow.nodes.filter((n) => !nodes.has(n.id)),
    edges: flow.edges.filter((e) => !edges.has(edgeId(e)) && !nodes.has(e.from.node) && !nodes.has(e.to.node)),
  };
}

/** Why a connection may not be made, or undefined when it may. */
export function connectionProblem(flow: Flow, from: PortRef, to: PortRef): string | undefined {
  if (from.node === to.node) return 'a node cannot feed itself';
  const a = flow.nodes.find((n) => n.id === from.node);
  const b = flow.nodes.find((n) => n.id === to.node);
  if (!a || !b) return 'unknown node';
  if (!nodePorts[a.kind].outputs.includes(from.port)) return `${a.kind} has no output "${from.port}"`;
  if (!nodePorts[b.kind].inputs.includes(to.port)) return `${b.kind} has no input "${to.port}"`;
  if (flow.edges.some((e) => edgeId(e) === edgeId({ from, to }))) return 'already connected';
  // A path from `to` back to `from` would close a cycle.
  const next = new Map<string, string[]>();
  for (const e of flow.edges) next.set(e.from.node, [...(next.get(e.from.node) ?? []), e.to.node]);
  const seen = new Set<string>();
  const stack = [to.node];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === from.node) return 'that connection would make a cycle';
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return undefined;
}

export function connect(flow: Flow, from: PortRef, to: PortRef): Flow {
  if (connectionProblem(flow, from, to)) return flow;
  return { ...flow, edges: [...flow.edges, { from: { ...from }, to: { ...to } }] };
}

export function moveNodes(flow: Flow, positions: ReadonlyMap<string, { x: number; y: number }>): Flow {
  if (positions.size === 0) return flow;
  return {
    ...flow,
    nodes: flow.nodes.map((n) => {
      const p = positions.get(n.id);
      return p ? { ...n, position: { ...n.position, x: Math.round(p.x), y: Math.round(p.y) } } : n;
    }),
  };
}

export function updateNode(flow: Flow, id: string, patch: { name?: string; config?: Record<string, unknown> }): Flow {
  return {
    ...flow,
    nodes: flow.nodes.map((n) => {
      if (n.id !== id) return n;
      const next: FlowNode = { ...n, ...(patch.config ? { config: patch.config } : {}) };
      if (patch.name !== undefined) {
        if (patch.name.trim() === '') delete next.name;
        else next.name = patch.name;
      }
      return next;
    }),
  };
}

export interface Clip {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** What Ctrl+C takes: the selected nodes and the edges between them. */
export function copySelection(flow: Flow, ids: ReadonlySet<string>): Clip {
  return {
    nodes: flow.nodes.filter((n) => ids.has(n.id)).map((n) => structuredClone(n)),
    edges: flow.edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node)).map((e) => structuredClone(e)),
  };
}

/** Pastes with fresh ids, shifted so the copy does not hide the original; returns the new ids (to select them). */
export function paste(flow: Flow, clip: Clip, offset = 40): { flow: Flow; ids: string[] } {
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of clip.nodes) {
    const id = uniqueNodeId(flow, n.id.replace(/-\d+$/, ''), taken);
    taken.add(id);
    renamed.set(n.id, id);
  }
  const nodes = clip.nodes.map((n) => ({
    ...structuredClone(n),
    id: renamed.get(n.id)!,
    position: { ...n.position, x: n.position.x + offset, y: n.position.y + offset },
  }));
  const edges = clip.edges.map((e) => ({
    from: { ...e.from, node: renamed.get(e.from.node)! },
    to: { ...e.to, node: renamed.get(e.to.node)! },
  }));
  return {
    flow: { ...flow, nodes: [...flow.nodes, ...nodes], edges: [...flow.edges, ...edges] },
    ids: [...renamed.values()],
  };
}

/** `nodes[3].config.path` → the id of nodes[3], so a problem can be shown on its node. */
export function nodeIdOfPath(flow: Flow, path: string): string | undefined {
  const m = /^nodes\[(\d+)\]/.exec(path);
  return m ? flow.nodes[Number(m[1])]?.id : undefined;
}
