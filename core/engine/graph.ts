import type { Flow, FlowEdge, FlowNode } from '../model/flow.js';

export interface FlowGraph {
  nodes: Map<string, FlowNode>;
  /** `${node}\u0000${port}` → edges leaving that output. */
  outgoing: Map<string, FlowEdge[]>;
  incoming: Map<string, FlowEdge[]>;
}

export const portKey = (node: string, port: string) => `${node}\u0000${port}`;

export function buildGraph(flow: Flow): FlowGraph {
  const nodes = new Map<string, FlowNode>();
  for (const n of flow.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const outgoing = new Map<string, FlowEdge[]>();
  const incoming = new Map<string, FlowEdge[]>();
  for (const e of flow.edges) {
    const k = portKey(e.from.node, e.from.port);
    outgoing.set(k, [...(outgoing.get(k) ?? []), e]);
    incoming.set(e.to.node, [...(incoming.get(e.to.node) ?? []), e]);
  }
  return { nodes, outgoing, incoming };
}

/** Returns a cycle as a list of node ids (first repeated at the end), or undefined for a DAG. */
export function findCycle(flow: Flow): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const e of flow.edges) next.set(e.from.node, [...(next.get(e.from.node) ?? []), e.to.node]);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const to of next.get(id) ?? []) {
      const cycle = visit(to);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const n of flow.nodes) {
    const cycle = visit(n.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Node ids in an order where every edge leads forward (Kahn's algorithm); call on a flow without cycles. */
export function topologicalOrder(flow: Flow): string[] {
  const indegree = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const n of flow.nodes) indegree.set(n.id, 0);
  for (const e of flow.edges) {
    if (!indegree.has(e.from.node) || !indegree.has(e.to.node)) continue;
    indegree.set(e.to.node, indegree.get(e.to.node)! + 1);
    next.set(e.from.node, [...(next.get(e.from.node) ?? []), e.to.node]);
  }
  const ready = [...indegree].filter(([, d]) => d === 0).map(([id]) => id);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const to of next.get(id) ?? []) {
      const d = indegree.get(to)! - 1;
      indegree.set(to, d);
      if (d === 0) ready.push(to);
    }
  }
  return order;
}
