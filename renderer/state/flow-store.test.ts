import { beforeEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../core/model/flow.js';
import { addNode, updateNode } from './flow-edits.js';
import { useFlowStore } from './flow-store.js';

const flow: Flow = { schemaVersion: 2, id: 'f', name: 'F', nodes: [], edges: [] };

beforeEach(() => useFlowStore.getState().open({ flow, problems: [] }));

describe('flow store', () => {
  it('tracks unsaved changes against the saved bytes, through undo and redo', () => {
    const store = useFlowStore.getState();
    store.edit((f) => addNode(f, { kind: 'map', type: 'map', position: { x: 0, y: 0 } }).flow);
    expect(useFlowStore.getState().dirty).toBe(true);
    useFlowStore.getState().undo();
    expect(useFlowStore.getState().flow).toBe(flow);
    expect(useFlowStore.getState().dirty).toBe(false);
    useFlowStore.getState().redo();
    expect(useFlowStore.getState().flow!.nodes).toHaveLength(1);
    expect(useFlowStore.getState().dirty).toBe(true);
    useFlowStore.getState().markSaved({ flow: useFlowStore.getState().flow!, problems: [] });
    expect(useFlowStore.getState().dirty).toBe(false);
  });

  it('keeps one undo step per typing burst in one field, and ignores no-op edits', () => {
    const store = useFlowStore.getState();
    store.edit((f) => addNode(f, { kind: 'filter', type: 'filter', position: { x: 0, y: 0 } }).flow);
    for (const text of ['a', 'a ', 'a =', 'a = 1']) {
      useFlowStore.getState().edit((f) => updateNode(f, 'filter-1', { config: { expression: text } }), 'expr');
    }
    useFlowStore.getState().edit((f) => f);
    expect(useFlowStore.getState().past).toHaveLength(2);
    useFlowStore.getState().undo();
    expect(useFlowStore.getState().flow!.nodes[0]!.config).toEqual({ rules: { combinator: 'and', rules: [] } });
    expect(useFlowStore.getState().future).toHaveLength(1);
  });

  it('a new edit clears the redo stack', () => {
    useFlowStore.getState().edit((f) => addNode(f, { kind: 'map', type: 'map', position: { x: 0, y: 0 } }).flow);
    useFlowStore.getState().undo();
    useFlowStore.getState().edit((f) => addNode(f, { kind: 'filter', type: 'filter', position: { x: 0, y: 0 } }).flow);
    expect(useFlowStore.getState().future).toEqual([]);
    useFlowStore.getState().redo();
    expect(useFlowStore.getState().flow!.nodes.map((n) => n.kind)).toEqual(['filter']);
  });
});
