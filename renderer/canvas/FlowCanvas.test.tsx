// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../core/model/flow.js';
import { useFlowStore } from '../state/flow-store.js';
import { useRunStore } from '../state/run-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { FlowCanvas } from './FlowCanvas.js';

const flow: Flow = {
  schemaVersion: 2,
  id: 'f',
  name: 'F',
  nodes: [
    { id: 'src', kind: 'source', type: 'file', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
    {
      id: 'keep',
      kind: 'filter',
      type: 'filter',
      typeVersion: 1,
      position: { x: 260, y: 0 },
      config: { expression: '(' },
    },
  ],
  edges: [{ from: { node: 'src', port: 'out' }, to: { node: 'keep', port: 'in' } }],
};

beforeEach(() => {
  useWorkspaceStore
    .getState()
    .setConnectors([
      { id: 'file', name: 'Files', description: '', icon: 'file', nodeKinds: ['source', 'destination'] },
    ]);
  useFlowStore.getState().open({
    flow,
    problems: [{ file: 'flows/f.flow.json', path: 'nodes[1].config.expression', message: 'syntax error at "("' }],
  });
  useRunStore.getState().reset();
});
afterEach(cleanup);

describe('FlowCanvas', () => {
  it('draws every model node with the one generic component, its connector name and its problems', async () => {
    render(<FlowCanvas />);
    const source = await screen.findByTestId('node-src');
    expect(source.textContent).toContain('Source · Files');
    const filter = screen.getByTestId('node-keep');
    expect(filter.className).toContain('invalid');
    expect(filter.textContent).toContain('config.expression: syntax error at "("');
    expect(source.className).not.toContain('invalid');
  });

  it('shows live run counts on the nodes and follows model edits (undo included)', async () => {
    render(<FlowCanvas />);
    await screen.findByTestId('node-src');
    act(() =>
      useRunStore.getState().apply({
        type: 'progress',
        runId: 'r',
        elapsedMs: 10,
        nodes: { src: { in: 5, out: 5, failed: 0, rate: 1 }, keep: { in: 5, out: 3, failed: 2, rate: 1 } },
      }),
    );
    // Events of a run this window did not start are ignored...
    expect(screen.queryByTestId('counts-src')).toBeNull();
    act(() => {
      useRunStore.getState().starting('f', false);
      useRunStore.getState().apply({ type: 'run-started', runId: 'r', flowId: 'f', dryRun: false, since: {} });
      useRunStore.getState().apply({
        type: 'progress',
        runId: 'r',
        elapsedMs: 10,
        nodes: { src: { in: 5, out: 5, failed: 0, rate: 1 }, keep: { in: 5, out: 3, failed: 2, rate: 1 } },
      });
    });
    expect(screen.getByTestId('counts-keep').textContent).toBe('in 5out 3failed 2');
    act(() =>
      useFlowStore
        .getState()
        .edit((f) => ({ ...f, nodes: f.nodes.map((n) => (n.id === 'src' ? { ...n, name: 'Products' } : n)) })),
    );
    expect(screen.getByTestId('node-src').textContent).toContain('Products');
    act(() => useFlowStore.getState().undo());
    expect(screen.getByTestId('node-src').textContent).not.toContain('Products');
  });
});
