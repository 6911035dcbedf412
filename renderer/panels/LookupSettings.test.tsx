// @vitest-environment happy-dom
/**
 * Lookups and chained writes in the editor: the canvas draws a lookup's found / not found ports and a destination's
 * output, and a lookup's settings panel is generated from its connector's descriptor like any other node's.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FerryApi } from '../../core/model/contract.js';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import type { Flow } from '../../core/model/flow.js';
import { setApi } from '../api/client.js';
import { FlowCanvas } from '../canvas/FlowCanvas.js';
import { useFlowStore } from '../state/flow-store.js';
import { useRunStore } from '../state/run-store.js';
import { useUiStore } from '../state/ui-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { NodeSettings } from './NodeSettings.js';

/** The real file connector descriptor, loaded at run time (renderer/ may import only core/model). */
const fileDescriptor = (
  (await import(/* @vite-ignore */ '../../core/connectors/file/descriptor.js')) as Record<string, ConnectorDescriptor>
).fileDescriptor!;

/** A connector whose destination offers the shared operations with their labels, as BC's and Acumatica's do. */
const erp: ConnectorDescriptor = {
  id: 'erp',
  name: 'ERP',
  description: '',
  icon: 'database',
  nodeKinds: ['destination'],
  destinationConfigSchema: {
    type: 'object',
    properties: {
      operation: {
        type: 'string',
        enum: ['create', 'upsert', 'createOnly'],
        default: 'create',
        enumLabels: { create: 'Create (an existing record fails)', createOnly: 'Create only (existing records are skipped)' }, // prettier-ignore
      },
    },
  },
};

const at = (x: number) => ({ x, y: 0 });
const flow: Flow = {
  schemaVersion: 2,
  id: 'f',
  name: 'F',
  nodes: [
    { id: 'src', kind: 'source', type: 'file', typeVersion: 1, position: at(0), config: { path: 'in.csv' } },
    { id: 'look', kind: 'lookup', type: 'file', typeVersion: 1, position: at(260), config: { path: 'customers.csv' } },
    { id: 'dst', kind: 'destination', type: 'erp', typeVersion: 1, position: at(520), config: {} },
  ],
  edges: [
    { from: { node: 'src', port: 'out' }, to: { node: 'look', port: 'in' } },
    { from: { node: 'look', port: 'found' }, to: { node: 'dst', port: 'in' } },
  ],
};

const validateFlow = vi.fn<FerryApi['validateFlow']>();
beforeEach(() => {
  validateFlow.mockImplementation(async ({ flow: f }) => ({ flow: f as Flow, problems: [] }));
  setApi({ validateFlow, listEntities: vi.fn() } as unknown as FerryApi);
  useWorkspaceStore.getState().setConnectors([fileDescriptor, erp]);
  useFlowStore.getState().open({ flow, problems: [] });
  useRunStore.getState().reset();
  act(() => useUiStore.getState().select([]));
});
afterEach(() => {
  cleanup();
  setApi(undefined);
});

const handles = (nodeId: string) =>
  [...document.querySelectorAll(`[data-node-id="${nodeId}"] .react-flow__handle.source`)].map((h) => [
    h.getAttribute('data-handleid'),
    h.getAttribute('title'),
  ]);

describe('lookups and chained writes on the canvas', () => {
  it('draws a lookup with found and not found outputs, and a destination with its output', async () => {
    render(<FlowCanvas />);
    expect((await screen.findByTestId('node-look')).textContent).toContain('Lookup · Files');
    expect(handles('look')).toEqual([
      ['found', 'found'],
      ['notFound', 'not found'],
    ]);
    expect(handles('dst')).toEqual([['out', expect.stringMatching(/^written records, with what the target answered/)]]); // prettier-ignore
  });
});

describe('lookup settings', () => {
  it('are generated from the descriptor: the connector’s fields, then match, into and whenEmpty', () => {
    act(() => useUiStore.getState().select(['look']));
    render(<NodeSettings />);
    expect(document.querySelector('.node-meta')!.textContent).toContain('Lookup');
    const fields = [...document.querySelectorAll('.schema-form [data-field]')].map((f) => f.getAttribute('data-field'));
    expect(fields.slice(0, 1)).toEqual(['path']);
    expect(fields.slice(-6)).toEqual(['match', 'into', 'whenEmpty', 'lines', 'whenLineMissing', 'matches']);
    expect((document.querySelector('[data-field="into"] input') as HTMLInputElement).placeholder).toBe('match');
    // The match has its own editor (renderer/lookup): a file has no catalog, so the field is typed.
    fireEvent.click(screen.getByRole('button', { name: '+ Add match field' }));
    fireEvent.change(screen.getByLabelText('Match field 1'), { target: { value: 'email' } });
    fireEvent.change(screen.getByLabelText('Match expression 1'), { target: { value: 'customerEmail' } });
    fireEvent.change(document.querySelector('[data-field="into"] input')!, { target: { value: 'customer' } });
    expect(useFlowStore.getState().flow!.nodes[1]!.config).toEqual({
      path: 'customers.csv',
      match: [{ field: 'email', expression: 'customerEmail' }],
      into: 'customer',
    });
  });

  it('names a destination’s operations as the connector labels them', () => {
    act(() => useUiStore.getState().select(['dst']));
    render(<NodeSettings />);
    const options = [...document.querySelectorAll('[data-field="operation"] option')].map((o) => o.textContent);
    expect(options).toEqual([
      'Create (an existing record fails) (default)',
      'upsert',
      'Create only (existing records are skipped)',
    ]);
  });
});
