import { Graph, layout } from '@dagrejs/dagre';
import type { Flow } from '../../core/model/flow.js';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;

/** Left-to-right layered layout (dagre): sources on the left, destinations on the right, edges rarely crossing. */
export function autoLayout(flow: Flow): Map<string, { x: number; y: number }> {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of flow.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of flow.edges) g.setEdge(e.from.node, e.to.node);
  layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const n of flow.nodes) {
    const p = g.node(n.id) as { x: number; y: number } | undefined;
    // dagre gives centres; React Flow positions are top-left corners. Snap to the 20 px grid.
    if (p) {
      positions.set(n.id, {
        x: Math.round((p.x - NODE_WIDTH / 2) / 20) * 20,
        y: Math.round((p.y - NODE_HEIGHT / 2) / 20) * 20,
      });
    }
  }
  return positions;
}
