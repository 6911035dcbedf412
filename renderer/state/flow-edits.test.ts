import { describe, expect, it } from 'vitest';
import type { Flow } from '../../core/model/flow.js';
import {
  addNode,
  connect,
  connectionProblem,
  copySelection,
  edgeId,
  moveNodes,
  nodeIdOfPath,
  paste,
  removeElements,
  updateNode,
} from './flow-edits.js';

const empty: Flow = { schemaVersion: 2, id: 'f', name: 'F', nodes: [], edges: [] };

function chain(): Flow {
  let flow = empty;
  for (const [kind, type] of [
    ['source', 'file'],
    ['map', 'map'],
    ['filter', 'filter'],
    ['destination', 'file'],
  ] as const) {
    flow = addNode(flow, { kind, type, position: { x: flow.nodes.length * 260, y: 0 } }).flow;
  }
  const ids = flow.nodes.map((n) => n.id);
  for (let i = 1; i < ids.length; i++)
    flow = connect(flow, { node: ids[i - 1]!, port: 'out' }, { node: ids[i]!, port: 'in' });
  return flow;
}

describe('flow edits', () => {
  it('adds nodes with unique ids, default configs and rounded positions', () => {
    const a = addNode(empty, { kind: 'source', type: 'file', position: { x: 10.4, y: 20.6 } });
    const b = addNode(a.flow, { kind: 'source', type: 'file', position: { x: 0, y: 0 } });
    const m = addNode(b.flow, { kind: 'map', type: 'map', position: { x: 0, y: 0 } });
    expect([a.id, b.id, m.id]).toEqual(['file-source-1', 'file-source-2', 'map-1']);
    expect(a.flow.nodes[0]).toEqual({
      id: 'file-source-1',
      kind: 'source',
      type: 'file',
      typeVersion: 1,
      position: { x: 10, y: 21 },
      config: {},
    });
    expect(m.flow.nodes[2]!.config).toEqual({ fields: [] });
    expect(empty.nodes).toEqual([]);
  });

  it('connects only valid ports, never twice, never in a cycle', () => {
    const flow = chain();
    expect(flow.edges.map(edgeId)).toEqual([
      'file-source-1:out->map-1:in',
      'map-1:out->filter-1:in',
      'filter-1:out->file-destination-1:in',
    ]);
    expect(connectionProblem(flow, { node: 'map-1', port: 'out' }, { node: 'filter-1', port: 'in' })).toBe(
      'already connected',
    );
    expect(connectionProblem(flow, { node: 'filter-1', port: 'out' }, { node: 'map-1', port: 'in' })).toBe(
      'that connection would make a cycle',
    );
    expect(
      connectionProblem(flow, { node: 'file-destination-1', port: 'rejected' }, { node: 'map-1', port: 'in' }),
    ).toBe('destination has no output "rejected"');
    // A destination's "out" (chained writes) leads on, but never back into its own chain.
    expect(connectionProblem(flow, { node: 'file-destination-1', port: 'out' }, { node: 'map-1', port: 'in' })).toBe(
      'that connection would make a cycle',
    );
    expect(
      connectionProblem(flow, { node: 'filter-1', port: 'rejected' }, { node: 'file-destination-1', port: 'in' }),
    ).toBeUndefined();
    expect(connect(flow, { node: 'map-1', port: 'out' }, { node: 'map-1', port: 'in' })).toBe(flow);
  });

  it('removes nodes with their edges, or single edges', () => {
    const flow = chain();
    const noMap = removeElements(flow, ['map-1']);
    expect(noMap.nodes.map((n) => n.id)).toEqual(['file-source-1', 'filter-1', 'file-destination-1']);
    expect(noMap.edges.map(edgeId)).toEqual(['filter-1:out->file-destination-1:in']);
    expect(removeElements(flow, [], ['map-1:out->filter-1:in']).edges).toHaveLength(2);
    expect(removeElements(flow, [])).toBe(flow);
  });

  it('moves, renames and reconfigures nodes without touching others', () => {
    const flow = chain();
    const moved = moveNodes(flow, new Map([['map-1', { x: 99.6, y: 40 }]]));
    expect(moved.nodes[1]!.position).toEqual({ x: 100, y: 40 });
    expect(moved.nodes[0]).toBe(flow.nodes[0]);
    const renamed = updateNode(flow, 'filter-1', { name: 'Active only', config: { expression: 'a = 1' } });
    expect(renamed.nodes[2]).toMatchObject({ name: 'Active only', config: { expression: 'a = 1' } });
    expect(updateNode(renamed, 'filter-1', { name: ' ' }).nodes[2]!.name).toBeUndefined();
  });

  it('copies the selection with inner edges and pastes with fresh ids, shifted', () => {
    const flow = chain();
    const clip = copySelection(flow, new Set(['map-1', 'filter-1']));
    expect(clip.edges.map(edgeId)).toEqual(['map-1:out->filter-1:in']);
    const pasted = paste(flow, clip);
    expect(pasted.ids).toEqual(['map-2', 'filter-2']);
    expect(pasted.flow.edges.map(edgeId)).toContain('map-2:out->filter-2:in');
    expect(pasted.flow.nodes.find((n) => n.id === 'map-2')!.position).toEqual({ x: 300, y: 40 });
  });

  it('maps a problem path to its node', () => {
    const flow = chain();
    expect(nodeIdOfPath(flow, 'nodes[2].config.expression')).toBe('filter-1');
    expect(nodeIdOfPath(flow, 'edges[0].from.port')).toBeUndefined();
  });
});
