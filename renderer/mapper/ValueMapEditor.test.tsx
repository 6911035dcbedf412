// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type FerryApi } from '../../core/model/contract.js';
import type { ValueMapFile } from '../../core/model/mapping.js';
import { setApi } from '../api/client.js';
import { useValueMapStore } from '../state/mapper-store.js';
import { ValueMapEditor } from './ValueMapEditor.js';

const terms: ValueMapFile = {
  schemaVersion: 1,
  id: 'payment-terms',
  name: 'Payment terms',
  entries: [
    { from: '14', to: 'NET14' },
    { from: '30', to: 'NET30' },
  ],
  fallback: { kind: 'fail' },
};

let stored: ValueMapFile[];
const listValueMaps = vi.fn<FerryApi['listValueMaps']>();
const saveValueMap = vi.fn<FerryApi['saveValueMap']>();
const deleteValueMap = vi.fn<FerryApi['deleteValueMap']>();
const previewMapping = vi.fn<FerryApi['previewMapping']>();

beforeEach(() => {
  vi.clearAllMocks();
  stored = [structuredClone(terms)];
  listValueMaps.mockImplementation(async () => structuredClone(stored));
  saveValueMap.mockImplementation(async ({ valueMap }) => {
    const saved = { ...valueMap, id: valueMap.id ?? 'shipping' } as ValueMapFile;
    stored = [...stored.filter((m) => m.id !== saved.id), saved];
    return saved;
  });
  deleteValueMap.mockImplementation(async ({ valueMapId }) => {
    stored = stored.filter((m) => m.id !== valueMapId);
    return {};
  });
  setApi({ listValueMaps, saveValueMap, deleteValueMap, previewMapping } as unknown as FerryApi);
  useValueMapStore.setState({ valueMaps: [], loaded: false, editorOpen: false, selected: null });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  setApi(undefined);
});

async function openEditor(selected: string | null = null) {
  render(<ValueMapEditor />);
  act(() => useValueMapStore.getState().openEditor(selected));
  await screen.findByRole('button', { name: /Payment terms/ });
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('the value-map editor', () => {
  it('lists the maps and edits one: rows, fallback, save', async () => {
    await openEditor();
    fireEvent.click(screen.getByRole('button', { name: /Payment terms/ }));
    expect((screen.getByLabelText('To 2') as HTMLInputElement).value).toBe('NET30');
    type('To 2', 'NET 30 days');
    fireEvent.click(screen.getByRole('button', { name: '+ Add row' }));
    type('From 3', '60');
    type('To 3', 'NET60');
    fireEvent.click(screen.getByRole('button', { name: 'Remove row 1' }));
    fireEvent.click(screen.getByLabelText('Use a value'));
    type('Fallback value', 'COD');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(saveValueMap).toHaveBeenCalled());
    expect(saveValueMap.mock.calls[0]![0].valueMap).toEqual({
      ...terms,
      entries: [
        { from: '30', to: 'NET 30 days' },
        { from: '60', to: 'NET60' },
      ],
      fallback: { kind: 'value', value: 'COD' },
    });
    expect((await screen.findByRole('status')).textContent).toBe('Saved Payment terms');
  });

  it('creates a map, warns about a value mapped twice, and shows what the service refuses', async () => {
    await openEditor();
    fireEvent.click(screen.getByRole('button', { name: '+ New value map' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('status').textContent).toBe('Name: must not be empty');
    type('Name', 'Shipping');
    type('From 1', 'UPS');
    fireEvent.click(screen.getByRole('button', { name: '+ Add row' }));
    type('From 2', 'UPS');
    expect(screen.getByText('Mapped in an earlier row: this row is never used.')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Keep the value'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(useValueMapStore.getState().selected).toBe('shipping'));
    expect(saveValueMap.mock.calls[0]![0].valueMap).toMatchObject({ name: 'Shipping', fallback: { kind: 'keep' } });

    saveValueMap.mockRejectedValueOnce(
      new ApiError({ code: 'conflict', message: 'name: a value map named "Shipping" exists already' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText(/exists already/)).className).toBe('error-text');
  });

  it('imports a CSV (errors name the line) and exports one', async () => {
    await openEditor('payment-terms');
    const input = screen.getByLabelText('CSV file to import') as HTMLInputElement;
    const upload = (name: string, text: string) =>
      fireEvent.change(input, { target: { files: [new File([text], name, { type: 'text/csv' })] } });

    upload('bad.csv', 'from,to\n7,NET7\n8,"NET8\n');
    expect((await screen.findByRole('status')).textContent).toBe('bad.csv: line 3: a quoted value is not closed');
    upload('terms.csv', 'from,to\r\n7,NET7\r\n"a,b","say ""hi"""\r\n');
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Imported 2 rows from terms.csv: save to keep them'),
    );
    expect((screen.getByLabelText('From 2') as HTMLInputElement).value).toBe('a,b');
    expect((screen.getByLabelText('To 2') as HTMLInputElement).value).toBe('say "hi"');

    let exported: Blob | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      exported = blob as Blob;
      return 'blob:x';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(click).toHaveBeenCalled();
    expect(await exported!.text()).toBe('from,to\r\n7,NET7\r\n"a,b","say ""hi"""\r\n');
  });

  it('deletes a map after a confirmation', async () => {
    await openEditor('payment-terms');
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete the value map “Payment terms”?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(deleteValueMap).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(deleteValueMap).toHaveBeenCalledWith({ valueMapId: 'payment-terms' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: /Payment terms/ })).toBeNull());
  });
});
