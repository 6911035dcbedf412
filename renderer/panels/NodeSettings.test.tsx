// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FerryApi } from '../../core/model/contract.js';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import type { Flow } from '../../core/model/flow.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';
import { setApi } from '../api/client.js';
import { useFlowStore } from '../state/flow-store.js';
import { useMapperStore } from '../state/mapper-store.js';
import { useUiStore } from '../state/ui-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { NodeSettings } from './NodeSettings.js';

/**
 * The real connector descriptors, loaded at run time. Not a static import: renderer/ may import only core/model (lint),
 * and the renderer's tsconfig (DOM, no Node types) cannot type-check connector code. Vitest runs in Node: it loads them.
 */
async function realDescriptor(file: string, name: string): Promise<ConnectorDescriptor> {
  const module = (await import(/* @vite-ignore */ `../../core/connectors/${file}`)) as Record<string, unknown>;
  return module[name] as ConnectorDescriptor;
}

const fileDescriptor = await realDescriptor('file/descriptor.js', 'fileDescriptor');
const httpDescriptor = await realDescriptor('http/descriptor.js', 'httpDescriptor');

const crm: ConnectorDescriptor = {
  id: 'crm',
  name: 'Demo CRM',
  description: '',
  icon: 'cloud',
  nodeKinds: ['source'],
  connectionSchema: { type: 'object', properties: { url: { type: 'string' } } },
  sourceConfigSchema: {
    type: 'object',
    properties: { entity: { type: 'string' }, top: { type: 'integer' } },
    required: ['entity'],
  },
  entities: [],
};

const at = { x: 0, y: 0 };
const flow: Flow = {
  schemaVersion: 2,
  id: 'f',
  name: 'F',
  nodes: [
    { id: 'src', kind: 'source', type: 'file', typeVersion: 1, position: at, config: { path: '' } },
    {
      id: 'map',
      kind: 'map',
      type: 'map',
      typeVersion: 1,
      position: at,
      config: { fields: [{ target: 'sku', expression: 'id' }] },
    },
    { id: 'keep', kind: 'filter', type: 'filter', typeVersion: 1, position: at, config: { expression: 'true' } },
    {
      id: 'post',
      kind: 'destination',
      type: 'http',
      typeVersion: 1,
      position: at,
      config: { connection: 'shop', path: '/items' },
    },
    { id: 'accounts', kind: 'source', type: 'crm', typeVersion: 1, position: at, config: {} },
  ],
  edges: [],
};

const listEntities = vi.fn<FerryApi['listEntities']>();
const validateFlow = vi.fn<FerryApi['validateFlow']>();
const mappingFields = vi.fn<FerryApi['mappingFields']>();

function open(problems: ValidationProblem[] = []) {
  useFlowStore.getState().open({ flow, problems });
}
function select(...ids: string[]) {
  act(() => useUiStore.getState().select(ids));
}
const nodeOf = (id: string) => useFlowStore.getState().flow!.nodes.find((n) => n.id === id)!;
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

beforeEach(() => {
  listEntities.mockResolvedValue([
    {
      name: 'accounts',
      label: 'Accounts',
      fields: [],
      capabilities: { read: true, create: false, update: false, delete: false },
    },
  ]);
  validateFlow.mockImplementation(async ({ flow: f }) => ({ flow: f as Flow, problems: [] }));
  mappingFields.mockResolvedValue({ sourceFields: [], destinationFields: [], notes: [] });
  setApi({ listEntities, validateFlow, mappingFields } as unknown as FerryApi);
  useWorkspaceStore.getState().setConnectors([fileDescriptor, httpDescriptor, crm]);
  useWorkspaceStore.getState().setWorkspace({
    dir: '/ws',
    id: 'ws',
    name: 'WS',
    flows: [],
    problems: [],
    connections: [
      { id: 'shop', name: 'Shop API', connector: 'http', settings: {}, secretFields: [], storedSecrets: [] },
      { id: 'other', name: 'Other API', connector: 'http', settings: {}, secretFields: [], storedSecrets: [] },
      { id: 'crm-prod', name: 'CRM prod', connector: 'crm', settings: {}, secretFields: [], storedSecrets: [] },
    ],
  });
  open();
  select();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  setApi(undefined);
});

describe('NodeSettings', () => {
  it('hints when nothing or several nodes are selected', () => {
    render(<NodeSettings />);
    expect(screen.getByText(/Select a node/)).toBeTruthy();
    select('src', 'map');
    expect(screen.getByText(/2 nodes selected/)).toBeTruthy();
  });

  it("shows a connector node's identity and its generated form; edits go to the flow store", () => {
    select('src');
    render(<NodeSettings />);
    const meta = document.querySelector('.node-meta')!;
    expect(meta.textContent).toContain('src');
    expect(meta.textContent).toContain('Source');
    expect(meta.textContent).toContain('Files (CSV, JSON Lines)');
    expect(screen.queryByLabelText('Connection')).toBeNull(); // files need no connection
    fireEvent.change(document.querySelector('[data-field="path"] input')!, { target: { value: 'data/in.csv' } });
    fireEvent.change(document.querySelector('[data-field="key"] input')!, { target: { value: 'id' } });
    expect(nodeOf('src').config).toEqual({ path: 'data/in.csv', key: 'id' });
  });

  it('folds a typing burst into one undo step; a pause or another field starts a new one', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    select('keep');
    render(<NodeSettings />);
    for (const name of ['A', 'Ac', 'Active']) type('Name', name);
    expect(nodeOf('keep').name).toBe('Active');
    expect(useFlowStore.getState().past).toHaveLength(1);
    for (const text of ['$source.x', '$source.x = 1']) type('Expression', text);
    expect(nodeOf('keep').config).toEqual({ expression: '$source.x = 1' });
    expect(useFlowStore.getState().past).toHaveLength(2);
    act(() => vi.advanceTimersByTime(1500));
    type('Expression', '$source.x = 2');
    expect(useFlowStore.getState().past).toHaveLength(3);
    expect(validateFlow).toHaveBeenCalled(); // every edit is re-validated by the engine

    act(() => useFlowStore.getState().undo());
    expect((screen.getByLabelText('Expression') as HTMLTextAreaElement).value).toBe('$source.x = 1');
    act(() => useFlowStore.getState().undo());
    act(() => useFlowStore.getState().undo());
    expect(nodeOf('keep').name).toBeUndefined();
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('');
  });

  it('sums a map node up and opens the mapper for it', () => {
    select('map');
    render(<NodeSettings />);
    expect(screen.getByRole('list', { name: 'Field mappings' }).textContent).toBe('sku ← id');
    fireEvent.click(screen.getByRole('button', { name: 'Open mapper' }));
    expect(useMapperStore.getState().nodeId).toBe('map');
    act(() => useMapperStore.getState().close());
  });

  it('shows each problem on its field, and the ones no field shows at the top', () => {
    open([
      { path: 'nodes[0].config.path', message: 'must not be empty' },
      { path: 'nodes[0]', message: 'output "out" of "src" is not connected' },
      { path: 'nodes[1].config.fields[0].expression', message: 'syntax error' },
      { path: 'nodes[2].config.expression', message: 'expected a boolean' },
    ]);
    select('src');
    render(<NodeSettings />);
    expect(document.querySelector('[data-field="path"] .field-error')!.textContent).toBe('must not be empty');
    expect(document.querySelector('[data-field="path"] input')!.getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelector('.node-problems')!.textContent).toBe('output "out" of "src" is not connected');
    expect(screen.queryByText('syntax error')).toBeNull(); // another node's problem

    // The mapper shows a mapping's problems at their cells; the panel counts them.
    select('map');
    expect(document.querySelector('.map-summary .field-error')!.textContent).toMatch(/^1 problem in the mapping/);
    expect(document.querySelector('.node-problems')).toBeNull();

    select('keep');
    expect(document.querySelector('[data-field="expression"] .field-error')!.textContent).toBe('expected a boolean');
  });

  it("picks a connection among the workspace's connections of the node's connector", () => {
    open([{ path: 'nodes[3].config.connection', message: 'unknown connection' }]);
    select('post');
    render(<NodeSettings />);
    const picker = screen.getByLabelText('Connection') as HTMLSelectElement;
    expect([...picker.options].map((o) => o.text)).toEqual(['—', 'Shop API', 'Other API']);
    expect(picker.value).toBe('shop');
    expect(within(document.querySelector('[data-field="connection"]')!).getByText('unknown connection')).toBeTruthy();
    fireEvent.change(picker, { target: { value: 'other' } });
    expect(nodeOf('post').config).toEqual({ connection: 'other', path: '/items' });
    // The connection is the engine's reference: the generated form neither shows nor drops it.
    type('path', '/products');
    expect(nodeOf('post').config).toEqual({ connection: 'other', path: '/products' });
  });

  it("loads the entity catalog for the chosen connection and stores the entity in the node's config", async () => {
    select('accounts');
    render(<NodeSettings />);
    expect(listEntities).toHaveBeenLastCalledWith({ connectorId: 'crm' });
    fireEvent.change(screen.getByLabelText('Connection'), { target: { value: 'crm-prod' } });
    await waitFor(() =>
      expect(listEntities).toHaveBeenLastCalledWith({ connectorId: 'crm', connectionId: 'crm-prod' }),
    );
    const entity = (await screen.findByRole('option', { name: 'Accounts' })).closest('select')!;
    fireEvent.change(entity, { target: { value: 'accounts' } });
    expect(nodeOf('accounts').config).toEqual({ connection: 'crm-prod', entity: 'accounts' });
    expect(document.querySelectorAll('[data-field="entity"]')).toHaveLength(1); // the picker, not a text field too
    type('top', '10');
    expect(nodeOf('accounts').config).toEqual({ connection: 'crm-prod', entity: 'accounts', top: 10 });
  });
});
