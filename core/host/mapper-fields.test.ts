import { describe, expect, it } from 'vitest';
import type { Flow, FlowNode } from '../model/flow.js';
import { fieldsOfRecords, mapNodePath, valueType } from './mapper-fields.js';
import { sampleFlow } from './sample-run.js';

const node = (id: string, kind: FlowNode['kind'], config: Record<string, unknown> = {}): FlowNode => ({
  id,
  kind,
  type: kind === 'map' || kind === 'filter' ? kind : 'file',
  typeVersion: 1,
  position: { x: 0, y: 0 },
  config,
});
const edge = (from: string, to: string, port = 'out') => ({ from: { node: from, port }, to: { node: to, port: 'in' } });
const flowOf = (nodes: FlowNode[], edges: Flow['edges']): Flow => ({
  schemaVersion: 2,
  id: 'f',
  name: 'f',
  nodes,
  edges,
});

describe('mapNodePath', () => {
  it('walks through filters and lookups to the source and the destination', () => {
    const flow = flowOf(
      [
        node('src', 'source'),
        node('keep', 'filter'),
        node('m', 'map'),
        node('find', 'lookup'),
        node('dst', 'destination'),
      ],
      [edge('src', 'keep'), edge('keep', 'm'), edge('m', 'find'), edge('find', 'dst', 'found')],
    );
    const path = mapNodePath(flow, 'm');
    expect(path.source?.id).toBe('src');
    expect(path.destination?.id).toBe('dst');
    expect(path.upstreamMap).toBeUndefined();
  });

  it('stops at a map upstream unless it keeps unmapped fields, and at a map downstream', () => {
    const nodes = [
      node('src', 'source'),
      node('m1', 'map'),
      node('m2', 'map'),
      node('m3', 'map'),
      node('dst', 'destination'),
    ];
    const edges = [edge('src', 'm1'), edge('m1', 'm2'), edge('m2', 'm3'), edge('m3', 'dst')];
    expect(mapNodePath(flowOf(nodes, edges), 'm2')).toEqual({ upstreamMap: nodes[1] });
    const keeping = nodes.map((n) => (n.id === 'm1' ? { ...n, config: { keepUnmapped: true } } : n));
    expect(mapNodePath(flowOf(keeping, edges), 'm2').source?.id).toBe('src');
  });

  it('is empty for a node being drawn', () => {
    expect(mapNodePath(flowOf([node('m', 'map')], []), 'm')).toEqual({});
  });
});

describe('fields of sample records', () => {
  it('lists nested fields as paths, arrays with their elements, types from the first value that is not null', () => {
    const fields = fieldsOfRecords([
      { id: 1, email: null, address: { city: 'Ghent', geo: { lat: 51.05 } }, lines: [{ sku: 'A', qty: 2 }] },
      { email: 'a@b.c', paid: true, due: '2026-01-31', at: '2026-01-31T10:00:00Z', tags: [] },
    ]);
    expect(fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'id:integer',
      'email:string',
      'address.city:string',
      'address.geo.lat:number',
      'lines:array',
      'lines.sku:string',
      'lines.qty:integer',
      'paid:boolean',
      'due:date',
      'at:datetime',
      'tags:array',
    ]);
    expect(fields[2]!.path).toEqual(['address', 'city']);
  });

  it('guesses types from values', () => {
    expect([1.5, '12', {}, null].map(valueType)).toEqual(['number', 'string', 'object', 'unknown']);
  });
});

describe('sampleFlow', () => {
  it("keeps the node's ancestors, stands a sink in for the node and drains other outputs into a second sink", () => {
    // The map reads the filter's rejected records; the filter's required "out" leads elsewhere.
    const flow = flowOf(
      [
        node('src', 'source'),
        node('keep', 'filter'),
        node('m', 'map'),
        node('other', 'map'),
        node('dst', 'destination'),
      ],
      [
        edge('src', 'keep'),
        edge('keep', 'm', 'rejected'),
        edge('keep', 'other'),
        edge('m', 'dst'),
        edge('other', 'dst'),
      ],
    );
    const sample = sampleFlow(flow, 'm');
    expect(sample.nodes.map((n) => `${n.id}:${n.kind}:${n.type}`)).toEqual([
      'src:source:file',
      'keep:filter:filter',
      'm:destination:ferry-sample-sink',
      'm-discard:destination:ferry-sample-sink',
    ]);
    expect(sample.edges).toEqual([
      edge('src', 'keep'),
      edge('keep', 'm', 'rejected'),
      { from: { node: 'keep', port: 'out' }, to: { node: 'm-discard', port: 'in' } },
    ]);
    expect(sampleFlow({ ...flow, edges: flow.edges.slice(0, 1).concat(edge('keep', 'm')) }, 'm').nodes).toHaveLength(3);
  });
});
