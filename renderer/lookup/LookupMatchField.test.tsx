// @vitest-environment happy-dom
/**
 * The match editor of a lookup node, in the settings panel generated from the real Business Central and file
 * descriptors: the `widget: 'lookup-match'` hint of core/model/lookup.ts puts it in place of the JSON box.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FerryApi } from '../../core/model/contract.js';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import type { Flow } from '../../core/model/flow.js';
import type { MappingFields } from '../../core/model/mapper-contract.js';
import { setApi } from '../api/client.js';
import { NodeSettings } from '../panels/NodeSettings.js';
import { useFlowStore } from '../state/flow-store.js';
import { useUiStore } from '../state/ui-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';

/** Loaded at run time: renderer/ may import only core/model (lint), and its tsconfig cannot check connector code. */
const load = async (file: string, name: string) =>
  ((await import(/* @vite-ignore */ `../../core/connectors/${file}`)) as Record<string, ConnectorDescriptor>)[name]!;
const bcDescriptor = await load('business-central/descriptor.js', 'bcDescriptor');
const fileDescriptor = await load('file/descriptor.js', 'fileDescriptor');

const at = { x: 0, y: 0 };
const flowWith = (lookup: Flow['nodes'][number]): Flow => ({
  schemaVersion: 2,
  id: 'f',
  name: 'F',
  nodes: [
    { id: 'src', kind: 'source', type: 'file', typeVersion: 1, position: at, config: { path: 'in.csv' } },
    lookup,
    { id: 'dst', kind: 'destination', type: 'file', typeVersion: 1, position: at, config: { path: 'out.csv' } },
  ],
  edges: [
    { from: { node: 'src', port: 'out' }, to: { node: 'look', port: 'in' } },
    { from: { node: 'look', port: 'found' }, to: { node: 'dst', port: 'in' } },
  ],
});
const bcLookup = flowWith({
  id: 'look',
  kind: 'lookup',
  type: 'business-central',
  typeVersion: 1,
  position: at,
  config: { entity: 'customers', match: [{ field: 'email', expression: 'email' }] },
});

const incoming: MappingFields['sourceFields'] = [
  { name: 'email', path: ['email'], type: 'string', origin: 'catalog' },
  { name: 'Customer No', path: ['Customer No'], type: 'string', origin: 'sample' },
];
const fieldsOf = (lookupFields: MappingFields['lookupFields'], notes: string[] = []): MappingFields => ({
  sourceFields: incoming,
  destinationFields: [],
  ...(lookupFields ? { lookupFields } : {}),
  notes,
});

const mappingFields = vi.fn<FerryApi['mappingFields']>();
const validateFlow = vi.fn<FerryApi['validateFlow']>();
const config = () => useFlowStore.getState().flow!.nodes.find((n) => n.id === 'look')!.config;
const row = (n: number) => screen.getByRole('group', { name: `Match row ${n}` });

beforeEach(() => {
  mappingFields.mockResolvedValue(
    fieldsOf([
      { name: 'number', type: 'string', readOnly: true },
      { name: 'email', type: 'string' },
      { name: 'displayName', type: 'string' },
      { name: 'customerNo', type: 'string' },
    ]),
  );
  validateFlow.mockImplementation(async ({ flow }) => ({ flow: flow as Flow, problems: [] }));
  const listEntities = vi.fn().mockResolvedValue(bcDescriptor.entities);
  setApi({ mappingFields, validateFlow, listEntities } as unknown as FerryApi);
  useWorkspaceStore.getState().setConnectors([fileDescriptor, bcDescriptor]);
  act(() => useUiStore.getState().select(['look']));
});
afterEach(() => {
  cleanup();
  setApi(undefined);
});

async function renderLookup(flow: Flow = bcLookup, problems: { path: string; message: string }[] = []) {
  useFlowStore.getState().open({ flow, problems: problems.map((p) => ({ file: 'flows/f.flow.json', ...p })) });
  render(<NodeSettings />);
  await waitFor(() => expect(mappingFields).toHaveBeenCalled());
  await act(async () => {});
}

describe('the lookup match editor', () => {
  it('replaces the JSON box: one row per compared field, the entity’s fields to choose from', async () => {
    await renderLookup();
    const fields = [...document.querySelectorAll('.schema-form > [data-field]')].map((f) => f.getAttribute('data-field')); // prettier-ignore
    expect(fields.slice(-6)).toEqual(['match', 'into', 'whenEmpty', 'lines', 'whenLineMissing', 'matches']);
    expect(document.querySelector('[data-field="match"] textarea')).toBeNull();
    expect(mappingFields).toHaveBeenCalledWith({ flowId: 'f', nodeId: 'look', flow: expect.objectContaining({ id: 'f' }) }); // prettier-ignore
    const field = within(row(1)).getByLabelText('Match field 1') as HTMLSelectElement;
    expect(field.value).toBe('email');
    expect([...field.options].map((o) => o.textContent)).toEqual([
      'number',
      'email',
      'displayName',
      'customerNo',
      'Other field…',
    ]);
    expect((within(row(1)).getByLabelText('Match expression 1') as HTMLInputElement).value).toBe('email');
    // into and whenEmpty stay generated fields, explained.
    expect(document.querySelector('[data-field="into"] .field-help')!.textContent).toMatch(/customer\.number/);
    const whenEmpty = [...document.querySelectorAll('[data-field="whenEmpty"] option')].map((o) => o.textContent);
    expect(whenEmpty).toEqual(['Fail the record (default)', 'Send it to not found']);
  });

  it('adds a row that names what it lacks, suggests the expression for a chosen field, removes rows', async () => {
    await renderLookup();
    fireEvent.click(screen.getByRole('button', { name: '+ Add match field' }));
    expect(config().match).toEqual([
      { field: 'email', expression: 'email' },
      { field: '', expression: '' },
    ]);
    const field2 = within(row(2)).getByLabelText('Match field 2');
    expect(document.activeElement).toBe(field2);
    const errors = () => [...document.querySelectorAll('[data-row="1"] .field-error')].map((e) => e.textContent);
    expect(errors()).toEqual([
      'Row 2: choose the field to compare',
      'Row 2: write the expression whose value the field must equal',
    ]);
    expect(field2.getAttribute('aria-invalid')).toBe('true');
    expect(field2.getAttribute('aria-describedby')).toContain('-error-0');

    // A field with an incoming namesake gets it as the expression; the same field twice is named.
    fireEvent.change(field2, { target: { value: 'email' } });
    expect(config().match).toEqual([
      { field: 'email', expression: 'email' },
      { field: 'email', expression: 'email' },
    ]);
    expect(errors()).toEqual(['Row 2: email is compared in row 1 already']);
    fireEvent.change(field2, { target: { value: 'customerNo' } });
    expect(errors()).toEqual([]);
    const expression2 = within(row(2)).getByLabelText('Match expression 2') as HTMLInputElement;
    fireEvent.change(expression2, { target: { value: '', selectionStart: 0 } });
    expect(errors()).toEqual(['Row 2: write the expression whose value customerNo must equal']);
    fireEvent.change(expression2, { target: { value: 'Cust', selectionStart: 4 } });
    fireEvent.keyDown(expression2, { key: 'Enter' });
    expect(config().match).toEqual([
      { field: 'email', expression: 'email' },
      { field: 'customerNo', expression: '`Customer No`' },
    ]);
    expect(errors()).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Remove match row 1' }));
    expect(config().match).toEqual([{ field: 'customerNo', expression: '`Customer No`' }]);
    expect(document.activeElement).toBe(within(row(1)).getByLabelText('Match field 1'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove match row 1' }));
    expect(config().match).toBeUndefined();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: '+ Add match field' }));
    expect(document.querySelector('[data-field="match"] > .field-error')!.textContent).toBe(
      'Add a row: a lookup needs at least one field to match on.',
    );
    act(() => useFlowStore.getState().undo());
    expect(config().match).toEqual([{ field: 'customerNo', expression: '`Customer No`' }]);
  });

  it('completes functions and incoming fields in the expression, and shows the engine’s problem on its row', async () => {
    await renderLookup(bcLookup, [
      { path: 'nodes[1].config.match[0].expression', message: 'S0207: Unexpected end of expression' },
    ]);
    expect(within(row(1)).getByText('Row 1: the expression does not work: S0207: Unexpected end of expression')).toBeTruthy(); // prettier-ignore
    expect(within(row(1)).getByLabelText('Match expression 1').getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelector('.node-problems')).toBeNull();
    const input = within(row(1)).getByLabelText('Match expression 1') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '$lower', selectionStart: 6 } });
    expect(within(screen.getByRole('listbox')).getAllByRole('option')[0]!.textContent).toContain('$lowercase');
    fireEvent.keyDown(input, { key: 'Enter' });
    fireEvent.change(input, { target: { value: '$lowercase(em', selectionStart: 13 } });
    fireEvent.mouseDown(within(screen.getByRole('listbox')).getByRole('option', { name: /^email/ }));
    expect(config().match).toEqual([{ field: 'email', expression: '$lowercase(email' }]);
  });

  it('fetches a sample when nothing is known of the incoming fields: its fields complete the expressions', async () => {
    const fetchSample = vi.fn<FerryApi['fetchSample']>().mockResolvedValue({ records: [{ orderEmail: 'a@x' }] });
    setApi({ mappingFields, validateFlow, fetchSample, listEntities: vi.fn().mockResolvedValue([]) } as unknown as FerryApi); // prettier-ignore
    mappingFields.mockImplementation(async ({ records }) => ({
      ...fieldsOf([{ name: 'email', type: 'string' }]),
      sourceFields: (records ?? []).flatMap((r) =>
        Object.keys(r).map((name) => ({ name, path: [name], type: 'string' as const, origin: 'sample' as const })),
      ),
    }));
    await renderLookup();
    expect(screen.getByText(/^The incoming fields are known after a run or from a sample/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Fetch sample' }));
    await screen.findByText('Fields of 1 sample records added.');
    expect(fetchSample).toHaveBeenCalledWith({ flowId: 'f', nodeId: 'look', flow: expect.anything(), limit: 10 });
    expect(mappingFields).toHaveBeenLastCalledWith(expect.objectContaining({ records: [{ orderEmail: 'a@x' }] }));
    await act(async () => {});
    const input = within(row(1)).getByLabelText('Match expression 1') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'ord', selectionStart: 3 } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(config().match).toEqual([{ field: 'email', expression: 'orderEmail' }]);
  });

  it('types a field the catalog does not list (a linked entity’s field) after “Other field…”', async () => {
    await renderLookup();
    fireEvent.change(within(row(1)).getByLabelText('Match field 1'), { target: { value: '\u0000other' } });
    const typed = within(row(1)).getByLabelText('Match field 1') as HTMLInputElement;
    expect(typed.tagName).toBe('INPUT');
    expect(document.activeElement).toBe(typed);
    fireEvent.change(typed, { target: { value: 'address.city' } });
    expect(config().match).toEqual([{ field: 'address.city', expression: 'email' }]);
  });

  it('types the field of a lookup without a catalog (a file’s columns), offering the declared ones', async () => {
    mappingFields.mockResolvedValue(
      fieldsOf([{ name: 'mail', type: 'unknown' }], ['This lookup has no field list: type the column names.']),
    );
    await renderLookup(
      flowWith({ id: 'look', kind: 'lookup', type: 'file', typeVersion: 1, position: at, config: { path: 'crm.csv' } }),
    );
    expect(screen.getByText('This lookup has no field list: type the column names.')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Match row 1' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '+ Add match field' }));
    const field = within(row(1)).getByLabelText('Match field 1') as HTMLInputElement;
    expect(field.tagName).toBe('INPUT');
    expect([...document.querySelectorAll(`#${CSS.escape(field.getAttribute('list')!)} option`)].map((o) => o.getAttribute('value'))).toEqual(['mail']); // prettier-ignore
    fireEvent.change(field, { target: { value: 'Email' } });
    // Typed, so no expression is guessed from the first letters.
    expect(config().match).toEqual([{ field: 'Email', expression: '' }]);
    fireEvent.change(within(row(1)).getByLabelText('Match expression 1'), { target: { value: 'email' } });
    expect(config()).toEqual({ path: 'crm.csv', match: [{ field: 'Email', expression: 'email' }] });
  });
});
