// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FerryApi } from '../../core/model/contract.js';
import type { Flow } from '../../core/model/flow.js';
import type { MappingFields } from '../../core/model/mapper-contract.js';
import type { ValueMapFile } from '../../core/model/mapping.js';
import { setApi } from '../api/client.js';
import { useFlowStore } from '../state/flow-store.js';
import { openMapper } from '../state/mapper-actions.js';
import { useMapperStore, useValueMapStore } from '../state/mapper-store.js';
import { MapperDialog } from './MapperDialog.js';

const at = { x: 0, y: 0 };
const flow: Flow = {
  schemaVersion: 2,
  id: 'f',
  name: 'F',
  nodes: [
    { id: 'src', kind: 'source', type: 'crm', typeVersion: 1, position: at, config: {} },
    {
      id: 'map',
      kind: 'map',
      type: 'map',
      name: 'To customer',
      typeVersion: 1,
      position: at,
      config: { fields: [{ target: 'name', expression: 'displayName' }] },
    },
    { id: 'dst', kind: 'destination', type: 'erp', typeVersion: 1, position: at, config: {} },
  ],
  edges: [],
};

const terms: ValueMapFile = {
  schemaVersion: 1,
  id: 'payment-terms',
  name: 'Payment terms',
  entries: [{ from: '30', to: 'NET30' }],
  fallback: { kind: 'fail' },
};

const fields: MappingFields = {
  source: { nodeId: 'src', connector: 'crm', entity: 'customers' },
  destination: { nodeId: 'dst', connector: 'erp', entity: 'Customer' },
  sourceFields: [
    { name: 'displayName', path: ['displayName'], type: 'string', origin: 'catalog' },
    { name: 'e-mail', path: ['e-mail'], type: 'string', origin: 'catalog' },
    { name: 'paymentDays', path: ['paymentDays'], type: 'integer', origin: 'sample' },
    { name: 'orderLines', path: ['orderLines'], type: 'array', origin: 'sample' },
    { name: 'orderLines.sku', path: ['orderLines', 'sku'], type: 'string', origin: 'sample' },
  ],
  destinationFields: [
    { name: 'name', type: 'string', required: true },
    { name: 'email', type: 'string', required: true },
    { name: 'terms', type: 'string' },
    { name: 'lines', type: 'array' },
  ],
  defaultMapping: {
    origin: { kind: 'pair', pair: 'CRM customers → ERP Customer' },
    mapping: {
      fields: [
        { target: 'name', expression: 'displayName' },
        { target: 'email', expression: '`e-mail`' },
        { target: 'terms', expression: '$string(paymentDays)', valueMap: 'shipping' },
      ],
    },
    valueMaps: [terms, { ...terms, id: 'shipping', name: 'Shipping' }],
  },
  notes: [],
};

const mappingFields = vi.fn<FerryApi['mappingFields']>();
const previewMapping = vi.fn<FerryApi['previewMapping']>();
const listValueMaps = vi.fn<FerryApi['listValueMaps']>();
const saveValueMap = vi.fn<FerryApi['saveValueMap']>();
const validateFlow = vi.fn<FerryApi['validateFlow']>();

const config = () => useFlowStore.getState().flow!.nodes.find((n) => n.id === 'map')!.config;
const transfer = () => ({ setData: vi.fn(), effectAllowed: 'none' });

async function renderMapper() {
  render(<MapperDialog />);
  act(() => openMapper('map'));
  await screen.findByTestId('source-field-displayName');
}

function drag(source: string, target: HTMLElement) {
  const dataTransfer = transfer();
  fireEvent.dragStart(screen.getByTestId(`source-field-${source}`), { dataTransfer });
  fireEvent.dragOver(target, { dataTransfer });
  fireEvent.drop(target, { dataTransfer });
}

beforeEach(() => {
  mappingFields.mockResolvedValue(fields);
  previewMapping.mockResolvedValue({ rows: [], problems: [], sample: 'none' });
  listValueMaps.mockResolvedValue([terms]);
  saveValueMap.mockImplementation(async ({ valueMap }) => ({ ...valueMap, id: valueMap.id ?? 'x' }) as ValueMapFile);
  validateFlow.mockImplementation(async ({ flow: f }) => ({ flow: f as Flow, problems: [] }));
  setApi({ mappingFields, previewMapping, listValueMaps, saveValueMap, validateFlow } as unknown as FerryApi);
  useFlowStore.getState().open({ flow, problems: [] });
});
afterEach(() => {
  act(() => useMapperStore.getState().close());
  cleanup();
  vi.clearAllMocks();
  setApi(undefined);
});

describe('the mapper', () => {
  it('shows source fields and destination fields with types, and marks required ones left unmapped', async () => {
    await renderMapper();
    expect(mappingFields).toHaveBeenCalledWith({
      flowId: 'f',
      nodeId: 'map',
      flow: expect.objectContaining({ id: 'f' }),
    });
    expect(screen.getByRole('dialog', { name: 'Mapper: To customer' })).toBeTruthy();
    expect(screen.getByText('crm · customers → erp · Customer')).toBeTruthy();
    expect(screen.getByTestId('target-field-email').className).toContain('unmapped-required');
    expect(screen.getByTestId('target-field-name').className).not.toContain('unmapped-required');
    expect(screen.getByTestId('target-field-terms').className).not.toContain('unmapped-required');
    expect(screen.getByRole('status').textContent).toBe('1 required field is not mapped');
  });

  it('maps a dragged source field onto a destination field, quoting its name, and replaces a mapped one', async () => {
    await renderMapper();
    drag('e-mail', screen.getByTestId('target-field-email'));
    drag('e-mail', screen.getByTestId('target-field-name'));
    expect(config().fields).toEqual([
      { target: 'name', expression: '`e-mail`' },
      { target: 'email', expression: '`e-mail`' },
    ]);
    expect(screen.getByTestId('target-field-email').className).not.toContain('unmapped-required');
    // The keyboard way: "map to" on the source field.
    fireEvent.change(screen.getByLabelText('Map paymentDays to'), { target: { value: 'terms' } });
    expect(config().fields).toContainEqual({ target: 'terms', expression: 'paymentDays' });
  });

  it('completes field names and functions while typing, with the keyboard', async () => {
    await renderMapper();
    const input = screen.getByLabelText('Expression for name') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '$up', selectionStart: 3 } });
    const list = screen.getByRole('listbox');
    expect(within(list).getAllByRole('option')[0]!.textContent).toContain('$uppercase');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(config().fields).toEqual([{ target: 'name', expression: '$uppercase(' }]);
    expect(screen.queryByRole('listbox')).toBeNull();

    fireEvent.change(input, { target: { value: '$uppercase(disp', selectionStart: 15 } });
    expect(input.getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(useMapperStore.getState().nodeId).toBe('map'); // Escape closed the list, not the mapper
    fireEvent.change(input, { target: { value: '$uppercase(displ', selectionStart: 16 } });
    fireEvent.mouseDown(screen.getByRole('option', { name: /displayName/ }));
    expect(config().fields).toEqual([{ target: 'name', expression: '$uppercase(displayName' }]);
  });

  it('edits the default, when the field is written and the value map', async () => {
    await renderMapper();
    await waitFor(() => expect(useValueMapStore.getState().valueMaps).toEqual([terms]));
    fireEvent.change(screen.getByLabelText('Default for name'), { target: { value: 'Unknown' } });
    fireEvent.change(screen.getByLabelText('When to write name'), { target: { value: 'createOnly' } });
    fireEvent.change(screen.getByLabelText('Value map for name'), { target: { value: 'payment-terms' } });
    expect(config().fields).toEqual([
      { target: 'name', expression: 'displayName', default: 'Unknown', apply: 'createOnly', valueMap: 'payment-terms' },
    ]);
    fireEvent.change(screen.getByLabelText('Default for name'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('When to write name'), { target: { value: 'createAndUpdate' } });
    fireEvent.change(screen.getByLabelText('Value map for name'), { target: { value: '' } });
    expect(config().fields).toEqual([{ target: 'name', expression: 'displayName' }]);
  });

  it('maps lines: the array, then its own fields relative to the line', async () => {
    await renderMapper();
    drag('orderLines', screen.getByTestId('target-field-lines'));
    fireEvent.click(screen.getByRole('button', { name: /Line fields \(0\)/ }));
    drag('orderLines.sku', document.querySelector('.mapping-lines-body') as HTMLElement);
    fireEvent.click(screen.getByRole('button', { name: '+ Add line field' }));
    fireEvent.change(screen.getByLabelText('Target lines.2'), { target: { value: 'qty' } });
    fireEvent.change(screen.getByLabelText('Expression lines.2'), { target: { value: '1' } });
    expect(config().fields).toEqual([
      { target: 'name', expression: 'displayName' },
      {
        target: 'lines',
        expression: 'orderLines',
        fields: [
          { target: 'sku', expression: 'sku' },
          { target: 'qty', expression: '1' },
        ],
      },
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove mapping lines.1' }));
    expect((config().fields as { fields?: unknown[] }[])[1]!.fields).toEqual([{ target: 'qty', expression: '1' }]);
  });

  it('resets to the default mapping after a confirmation, adding the value maps the workspace lacks', async () => {
    await renderMapper();
    fireEvent.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Reset to the default mapping?' });
    expect(dialog.textContent).toContain('Shipping');
    expect(dialog.textContent).toContain('replaced by the shipped mapping for CRM customers → ERP Customer (3 fields)');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(config().fields).toEqual([{ target: 'name', expression: 'displayName' }]);

    fireEvent.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Reset' }));
    await waitFor(() => expect(config()).toEqual(fields.defaultMapping!.mapping));
    expect(saveValueMap).toHaveBeenCalledTimes(1);
    expect(saveValueMap).toHaveBeenCalledWith({ valueMap: expect.objectContaining({ id: 'shipping' }) });
    act(() => useFlowStore.getState().undo());
    expect(config().fields).toEqual([{ target: 'name', expression: 'displayName' }]);
  });

  it('says when the default is the mapping of the template the flow was made from', async () => {
    const origin = { kind: 'template', templateId: 'crm-to-erp', templateName: 'CRM → ERP customers' } as const;
    mappingFields.mockResolvedValue({ ...fields, defaultMapping: { ...fields.defaultMapping!, origin } });
    await renderMapper();
    fireEvent.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    expect(screen.getByRole('alertdialog').textContent).toContain(
      "replaced by the template's mapping (from “CRM → ERP customers”) (3 fields)",
    );
  });

  it('previews the mapping as it is edited, with errors at the cell and per record', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    previewMapping.mockResolvedValue({
      sample: 'last-run',
      problems: [{ path: 'fields[0].expression', message: 'unknown function $nope' }],
      rows: [
        {
          input: { displayName: 'Ada' },
          output: { name: 'Ada', email: '' },
          fieldErrors: [{ target: 'email', message: 'required, but empty' }],
        },
        {
          input: { displayName: 'Bob' },
          error: 'terms: value "45" is not in value map Payment terms',
          fieldErrors: [],
        },
      ],
    });
    render(<MapperDialog />);
    act(() => openMapper('map'));
    await act(async () => vi.advanceTimersByTime(400));
    vi.useRealTimers();
    await screen.findByText("2 records from the last run's records");
    fireEvent.change(screen.getByLabelText('Expression for name'), { target: { value: '$nope(x)' } });
    await waitFor(() =>
      expect(previewMapping).toHaveBeenLastCalledWith(
        expect.objectContaining({
          flowId: 'f',
          nodeId: 'map',
          config: { fields: [{ target: 'name', expression: '$nope(x)' }] },
        }),
      ),
    );
    const cell = screen.getByTestId('preview-row-1').querySelector('[data-column="email"]')!;
    expect(cell.className).toBe('cell-error');
    expect(cell.textContent).toBe('required, but empty');
    expect(screen.getByTestId('preview-row-2').textContent).toContain('is not in value map Payment terms');
    // a config problem reaches the row it concerns
    expect(document.querySelector('[data-field="fields[0].expression"] .field-error')!.textContent).toBe(
      'unknown function $nope',
    );
  });
});
