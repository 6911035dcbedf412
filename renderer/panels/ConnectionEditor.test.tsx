// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionSummary, FerryApi, WorkspaceSummary } from '../../core/model/contract.js';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import { ApiError } from '../../core/model/contract.js';
import { setApi } from '../api/client.js';
import { deleteConnection } from '../state/connection-actions.js';
import { useConnectionEditor } from '../state/connection-editor-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { ConnectionEditor } from './ConnectionEditor.js';
import { ConnectionList } from './ConnectionList.js';

/** The real descriptors, loaded at run time (renderer/ may import only core/model; see NodeSettings.test). */
async function realDescriptor(file: string, name: string): Promise<ConnectorDescriptor> {
  const module = (await import(/* @vite-ignore */ `../../core/connectors/${file}`)) as Record<string, unknown>;
  return module[name] as ConnectorDescriptor;
}
const httpDescriptor = await realDescriptor('http/descriptor.js', 'httpDescriptor');
const fileDescriptor = await realDescriptor('file/descriptor.js', 'fileDescriptor');

const stored: ConnectionSummary = {
  id: 'shop',
  name: 'Shop API',
  connector: 'http',
  settings: { baseUrl: 'http://127.0.0.1:9/api', auth: 'basic', username: 'ada' },
  secretFields: ['password'],
  storedSecrets: ['password'],
};
const workspace: WorkspaceSummary = {
  dir: '/ws',
  id: 'ws',
  name: 'WS',
  flows: [],
  problems: [],
  connections: [stored],
};

const testConnection = vi.fn<FerryApi['testConnection']>();
const saveConnection = vi.fn<FerryApi['saveConnection']>();
const currentWorkspace = vi.fn<FerryApi['currentWorkspace']>();
const connectionUsage = vi.fn<FerryApi['connectionUsage']>();
const deleteConnectionApi = vi.fn<FerryApi['deleteConnection']>();
const duplicateConnectionApi = vi.fn<FerryApi['duplicateConnection']>();

beforeEach(() => {
  for (const f of [testConnection, saveConnection, currentWorkspace, connectionUsage, deleteConnectionApi])
    f.mockReset();
  currentWorkspace.mockResolvedValue(workspace);
  setApi({
    testConnection,
    saveConnection,
    currentWorkspace,
    connectionUsage,
    deleteConnection: deleteConnectionApi,
    duplicateConnection: duplicateConnectionApi,
  } as unknown as FerryApi);
  useWorkspaceStore.getState().setConnectors([fileDescriptor, httpDescriptor]);
  useWorkspaceStore.getState().setWorkspace(workspace);
  useConnectionEditor.getState().close();
});
afterEach(() => {
  cleanup();
  setApi(undefined);
});

function renderAll() {
  render(
    <>
      <ConnectionList connections={workspace.connections} />
      <ConnectionEditor />
    </>,
  );
}
const input = (field: string) => document.querySelector<HTMLInputElement>(`[data-field="${field}"] input`)!;
const select = (field: string) => document.querySelector<HTMLSelectElement>(`[data-field="${field}"] select`)!;
const button = (name: string) => screen.getByRole<HTMLButtonElement>('button', { name });
const change = (el: Element, value: string) => fireEvent.change(el, { target: { value } });
/** Schema forms' selects use option indexes as values: choose by the option's text. */
const choose = (field: string, label: string) =>
  change(select(field), [...select(field).options].find((o) => o.text.replace(' (default)', '') === label)!.value);

describe('ConnectionEditor', () => {
  it('creates a connection: required fields, conditional secret field, Save only after a passing test', async () => {
    renderAll();
    fireEvent.click(button('New connection'));
    expect(screen.getByRole('dialog', { name: 'Connection' })).toBeTruthy();
    expect(select('connector').value).toBe('http'); // only connectors with connection settings
    expect([...select('connector').options].map((o) => o.value)).toEqual(['http']);
    expect(button('Test connection').disabled).toBe(true);
    expect(button('Save').disabled).toBe(true);
    expect(document.querySelector('[data-field="password"]')).toBeNull();

    change(input('name'), 'shop api');
    expect(document.querySelector('[data-field="name"] .field-error')?.textContent).toMatch(/taken/);
    change(input('name'), 'Basic API');
    expect(document.querySelector('[data-field="name"] .field-error')).toBeNull();
    change(input('baseUrl'), 'http://127.0.0.1:9/api');
    choose('auth', 'basic');
    expect(input('password').type).toBe('password');
    expect(input('password').placeholder).toBe('');
    // In schema order: the password right under the username, not after every network option.
    const order = [...document.querySelectorAll('[data-field]')].map((e) => e.getAttribute('data-field'));
    expect(order.indexOf('password')).toBe(order.indexOf('username') + 1);
    expect(order.indexOf('proxyPassword')).toBe(-1); // showWhen: proxy custom
    change(input('username'), 'ada');
    change(input('password'), 'wrong');
    expect(button('Test connection').disabled).toBe(false);

    testConnection.mockResolvedValueOnce({ ok: false, message: 'bad credentials (HTTP 401 GET /)' });
    fireEvent.click(button('Test connection'));
    await waitFor(() => expect(screen.getByTestId('connection-test-result').textContent).toMatch(/HTTP 401/));
    expect(button('Save').disabled).toBe(true);
    expect(testConnection).toHaveBeenLastCalledWith({
      draft: {
        name: 'Basic API',
        connector: 'http',
        settings: { baseUrl: 'http://127.0.0.1:9/api', auth: 'basic', username: 'ada' },
        concurrency: {},
      },
      secrets: { password: 'wrong' },
      useStored: false,
    });

    change(input('password'), 'right');
    testConnection.mockResolvedValueOnce({
      ok: true,
      message: 'HTTP 200',
      details: ['content-type: json'],
      testToken: 't1',
    });
    fireEvent.click(button('Test connection'));
    await waitFor(() => expect(button('Save').disabled).toBe(false));
    expect(screen.getByTestId('connection-test-result').textContent).toContain('content-type: json');

    // Any change invalidates the test.
    change(input('username'), 'ada2');
    expect(button('Save').disabled).toBe(true);
    change(input('username'), 'ada');
    testConnection.mockResolvedValueOnce({ ok: true, message: 'HTTP 200', testToken: 't2' });
    fireEvent.click(button('Test connection'));
    await waitFor(() => expect(button('Save & close').disabled).toBe(false));

    // The pool: borrowing another connection's disables the own level.
    change(input('concurrency.level'), '8');
    expect(button('Save').disabled).toBe(true);
    change(select('concurrency.borrowFrom'), 'shop');
    expect(input('concurrency.level').disabled).toBe(true);
    testConnection.mockResolvedValueOnce({ ok: true, message: 'HTTP 200', testToken: 't2' });
    fireEvent.click(button('Test connection'));
    await waitFor(() => expect(button('Save & close').disabled).toBe(false));

    saveConnection.mockResolvedValueOnce({ ...stored, id: 'basic-api', name: 'Basic API' });
    fireEvent.click(button('Save & close'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(saveConnection).toHaveBeenCalledWith({
      draft: expect.objectContaining({ name: 'Basic API', connector: 'http', concurrency: { borrowFrom: 'shop' } }),
      secrets: { password: 'right' },
      testToken: 't2',
    });
  });

  it('shows a stored secret as stored, never a value; tests with the stored one; hidden secrets are removed', async () => {
    renderAll();
    fireEvent.click(screen.getByRole('button', { name: /Shop API/ }));
    expect(input('name').value).toBe('Shop API');
    expect(document.querySelector('[data-field="connector"]')).toBeNull();
    expect(input('password').value).toBe('');
    expect(input('password').placeholder).toBe('stored in keychain');
    testConnection.mockResolvedValue({ ok: true, message: 'HTTP 200', testToken: 't' });
    fireEvent.click(button('Test connection'));
    await waitFor(() => expect(testConnection).toHaveBeenCalled());
    expect(testConnection).toHaveBeenLastCalledWith(
      expect.objectContaining({ draft: expect.objectContaining({ id: 'shop' }), secrets: {}, useStored: true }),
    );
    choose('auth', 'none');
    fireEvent.click(button('Test connection'));
    await waitFor(() => expect(testConnection).toHaveBeenCalledTimes(2));
    expect(testConnection.mock.calls[1]![0].secrets).toEqual({ password: null });
  });

  it('marks a connection that skips certificate verification in the list', () => {
    const unverified = {
      ...stored,
      id: 'erp',
      name: 'ERP',
      settings: { ...stored.settings, allowUntrustedCertificates: true },
    };
    render(<ConnectionList connections={[stored, unverified]} />);
    const marks = screen.getAllByTestId('tls-unverified');
    expect(marks).toHaveLength(1);
    expect(marks[0]!.closest('button')!.textContent).toContain('ERP');
  });

  it('places the host’s problems under the fields', async () => {
    renderAll();
    fireEvent.click(screen.getByRole('button', { name: /Shop API/ }));
    testConnection.mockRejectedValueOnce(
      new ApiError({
        code: 'invalid-input',
        message: 'x',
        problems: [
          { path: 'settings.baseUrl', message: 'expected an http:// or https:// URL' },
          { path: 'name', message: '"Shop" is taken by another connection (shop-2)' },
        ],
      }),
    );
    fireEvent.click(button('Test connection'));
    await waitFor(() =>
      expect(document.querySelector('[data-field="baseUrl"] .field-error')?.textContent).toBe(
        'expected an http:// or https:// URL',
      ),
    );
    expect(document.querySelector('[data-field="name"] .field-error')?.textContent).toMatch(/taken/);
    expect(button('Save').disabled).toBe(true);
  });

  it('Save keeps the editor open on the saved connection; Duplicate opens the copy', async () => {
    renderAll();
    fireEvent.click(screen.getByRole('button', { name: /Shop API/ }));
    change(input('password'), 'new-value');
    testConnection.mockResolvedValueOnce({ ok: true, message: 'HTTP 200', testToken: 't' });
    fireEvent.click(button('Test connection'));
    await waitFor(() => expect(button('Save').disabled).toBe(false));
    saveConnection.mockResolvedValueOnce(stored);
    fireEvent.click(button('Save'));
    await waitFor(() => expect(screen.getByTestId('connection-test-result').textContent).toBe('Saved'));
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(input('password').value).toBe(''); // the typed value is gone; the field shows "stored"
    expect(input('password').placeholder).toBe('stored in keychain');
    expect(button('Save').disabled).toBe(true); // the token is spent: another save needs another test

    duplicateConnectionApi.mockResolvedValueOnce({ ...stored, id: 'shop-api-copy', name: 'Shop API copy' });
    fireEvent.click(button('Duplicate'));
    await waitFor(() => expect(input('name').value).toBe('Shop API copy'));
    expect(duplicateConnectionApi).toHaveBeenCalledWith({ connectionId: 'shop', name: 'Shop API copy' });
  });

  it('deletes after asking, naming the flows that use the connection', async () => {
    act(() => useConnectionEditor.getState().openEdit(stored));
    connectionUsage.mockResolvedValue({ flows: [{ id: 'f', name: 'Products to shop' }], borrowers: [] });
    const asked: string[] = [];
    await deleteConnection((text) => (asked.push(text), false));
    expect(asked[0]).toContain('flow "Products to shop"');
    expect(deleteConnectionApi).not.toHaveBeenCalled();
    deleteConnectionApi.mockResolvedValue({});
    await deleteConnection(() => true);
    expect(deleteConnectionApi).toHaveBeenCalledWith({ connectionId: 'shop' });
    expect(useConnectionEditor.getState().open).toBe(false);
  });
});
