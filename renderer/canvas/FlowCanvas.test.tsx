// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../core/model/flow.js';
import { useFlowStore } from '../state/flow-store.js';
import { useRunStore } from '../state/run-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { FlowCanvas } from './FlowCanvas.js';
import { OVERVIEW_MAX_ZOOM, nodeAt } from './OverviewLayer.js';
import { useUiStore } from '../state/ui-store.js';

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

describe('FlowCanvas with a large flow', () => {
  const big: Flow = {
    schemaVersion: 2,
    id: 'big',
    name: 'Big',
    nodes: Array.from({ length: 400 }, (_, i) => ({
      id: `n${i}`,
      kind: 'map' as const,
      type: 'map',
      typeVersion: 1,
      position: { x: (i % 20) * 260, y: Math.floor(i / 20) * 120 },
      config: {},
    })),
    edges: [],
  };

  it('opens zoomed out as one overview canvas, without DOM nodes; a click there selects the node under it', async () => {
    useUiStore.getState().select([]);
    useFlowStore.getState().open({ flow: big, problems: [] });
    render(<FlowCanvas />);
    const overview = await screen.findByTestId('overview-canvas');
    expect(document.querySelectorAll('.react-flow__node')).toHaveLength(0);
    // Flow → screen through the viewport's transform (fitted or not); n21 is at (260, 120) in the flow.
    const style = document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform;
    const [tx, ty, zoom] = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\) scale\(([\d.]+)\)/
      .exec(style)!
      .slice(1)
      .map(Number);
    expect(zoom).toBeLessThan(OVERVIEW_MAX_ZOOM);
    const at = (x: number, y: number) => ({ clientX: tx! + x * zoom!, clientY: ty! + y * zoom! });
    const pane = document.querySelector('.react-flow__pane')!;
    fireEvent.click(pane, at(260 + 100, 120 + 30));
    expect(useUiStore.getState().selectedNodeIds).toEqual(['n21']);
    fireEvent.click(pane, at(255, 5));
    expect(useUiStore.getState().selectedNodeIds).toEqual([]);
    expect(overview).toBeTruthy();
  });

  it('nodeAt finds the topmost node under a flow point', () => {
    expect(nodeAt(big, { x: 261, y: 121 })).toBe('n21');
    expect(nodeAt(big, { x: 255, y: 0 })).toBeUndefined();
  });
});
