// @vitest-environment happy-dom
/**
 * Opening a node from the canvas: a double-click (or Enter on a focused node) opens a map node's mapper and brings
 * any other node's settings to the keyboard. The canvas asks through the stores; node data holds no callbacks.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FerryApi } from '../../core/model/contract.js';
import type { Flow } from '../../core/model/flow.js';
import { setApi } from '../api/client.js';
import { NodeSettings } from '../panels/NodeSettings.js';
import { useFlowStore } from '../state/flow-store.js';
import { closeMapper } from '../state/mapper-actions.js';
import { useMapperStore } from '../state/mapper-store.js';
import { useUiStore } from '../state/ui-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { FlowCanvas } from './FlowCanvas.js';

const at = (x: number) => ({ x, y: 0 });
const flow: Flow = {
  schemaVersion: 2,
  id: 'f',
  name: 'F',
  nodes: [
    { id: 'src', kind: 'source', type: 'file', typeVersion: 1, position: at(0), config: {} },
    { id: 'keep', kind: 'filter', type: 'filter', typeVersion: 1, position: at(260), config: { expression: 'true' } },
    { id: 'shape', kind: 'map', type: 'map', typeVersion: 1, position: at(520), config: { fields: [] } },
  ],
  edges: [
    { from: { node: 'src', port: 'out' }, to: { node: 'keep', port: 'in' } },
    { from: { node: 'keep', port: 'out' }, to: { node: 'shape', port: 'in' } },
  ],
};

const mappingFields = vi.fn<FerryApi['mappingFields']>();

beforeEach(() => {
  mappingFields.mockResolvedValue({ sourceFields: [], destinationFields: [], notes: [] });
  setApi({
    mappingFields,
    listValueMaps: vi.fn().mockResolvedValue([]),
    validateFlow: vi.fn(async ({ flow: f }: { flow: Flow }) => ({ flow: f, problems: [] })),
  } as unknown as FerryApi);
  useWorkspaceStore
    .getState()
    .setConnectors([{ id: 'file', name: 'Files', description: '', icon: 'file', nodeKinds: ['source'] }]);
  useFlowStore.getState().open({ flow, problems: [] });
  act(() => useUiStore.getState().select([]));
});
afterEach(() => {
  closeMapper();
  cleanup();
  setApi(undefined);
});

function renderEditor() {
  render(
    <>
      <FlowCanvas />
      <aside aria-label="Node settings">
        <NodeSettings />
      </aside>
    </>,
  );
}
const wrapper = async (id: string) => (await screen.findByTestId(`node-${id}`)).closest('.react-flow__node')!;
const configSection = () => screen.getByRole('region', { name: 'Configuration' });

describe('opening a node from the canvas', () => {
  it('double-click on a map node opens its mapper', async () => {
    renderEditor();
    fireEvent.doubleClick(await wrapper('shape'));
    expect(useMapperStore.getState().nodeId).toBe('shape');
    expect(useUiStore.getState().selectedNodeIds).toEqual(['shape']);
    expect(mappingFields).toHaveBeenCalledWith(expect.objectContaining({ nodeId: 'shape' }));
  });

  it('double-click on a filter selects it and moves the keyboard into its settings', async () => {
    renderEditor();
    fireEvent.doubleClick(await wrapper('keep'));
    expect(useMapperStore.getState().nodeId).toBeNull();
    expect(useUiStore.getState().selectedNodeIds).toEqual(['keep']);
    expect(configSection().contains(document.activeElement)).toBe(true);
    expect(document.activeElement!.textContent).toBe('Rules');
    // Served once: selecting the node again later by a click leaves the focus where it is.
    expect(useUiStore.getState().settingsFocus).toBeNull();
  });

  it('Enter on a focused node does the same, for the keyboard', async () => {
    renderEditor();
    const filter = await wrapper('keep');
    fireEvent.keyDown(filter, { key: 'Enter' });
    expect(configSection().contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(await wrapper('shape'), { key: 'Enter' });
    expect(useMapperStore.getState().nodeId).toBe('shape');
    // Not with a modifier (Ctrl+Enter runs the flow), and not from elsewhere on the canvas.
    closeMapper();
    fireEvent.keyDown(await wrapper('shape'), { key: 'Enter', ctrlKey: true });
    fireEvent.keyDown(screen.getByTestId('canvas'), { key: 'Enter' });
    expect(useMapperStore.getState().nodeId).toBeNull();
  });
});
