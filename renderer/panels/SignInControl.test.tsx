// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionSummary, FerryApi, WorkspaceSummary } from '../../core/model/contract.js';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import { ApiError } from '../../core/model/contract.js';
import { setApi } from '../api/client.js';
import { handleEvent } from '../state/actions.js';
import { useConnectionEditor } from '../state/connection-editor-store.js';
import { useSignIns } from '../state/sign-in-actions.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { ConnectionEditor } from './ConnectionEditor.js';

/** The real descriptor, loaded at run time (renderer/ may import only core/model; see NodeSettings.test). */
const acuDescriptor = (
  (await import(/* @vite-ignore */ '../../core/connectors/acumatica/descriptor.js')) as Record<string, unknown>
).acuDescriptor as ConnectorDescriptor;

const saved: ConnectionSummary = {
  id: 'acu',
  name: 'Acumatica',
  connector: 'acumatica',
  settings: { instanceUrl: 'https://erp.example/ERP', auth: 'oauth-code', clientId: 'X@Co', redirectPort: 47390 },
  secretFields: ['clientSecret'],
  storedSecrets: ['clientSecret'],
};
const workspace = (connection: ConnectionSummary): WorkspaceSummary => ({
  dir: '/ws',
  id: 'ws',
  name: 'WS',
  flows: [],
  problems: [],
  connections: [connection],
});

const startAuthorization = vi.fn<FerryApi['startAuthorization']>();
const authorizationStatus = vi.fn<FerryApi['authorizationStatus']>();
const currentWorkspace = vi.fn<FerryApi['currentWorkspace']>();
const SIGN_IN_URL = 'https://erp.example/ERP/identity/connect/authorize?state=s';

beforeEach(() => {
  for (const f of [startAuthorization, authorizationStatus, currentWorkspace]) f.mockReset();
  authorizationStatus.mockResolvedValue({ state: 'idle' });
  startAuthorization.mockResolvedValue({ url: SIGN_IN_URL, expiresAt: '2030-01-01T12:05:00Z' });
  setApi({ startAuthorization, authorizationStatus, currentWorkspace } as unknown as FerryApi);
  useWorkspaceStore.getState().setConnectors([acuDescriptor]);
  useWorkspaceStore.getState().setWorkspace(workspace(saved));
  useSignIns.setState({ byConnection: {} });
  useConnectionEditor.getState().close();
});
afterEach(() => {
  cleanup();
  setApi(undefined);
  vi.restoreAllMocks();
  delete window.ferry;
});

const button = (name: string | RegExp) => screen.getByRole<HTMLButtonElement>('button', { name });
const status = () => screen.getByTestId('sign-in-status');
const refreshToken = () => document.querySelector<HTMLInputElement>('[data-field="refreshToken"] input')!;

function openEditor(connection: ConnectionSummary = saved) {
  render(<ConnectionEditor />);
  act(() => useConnectionEditor.getState().openEdit(connection));
}

/** A window the page opened: where it was sent, and whether it can still reach Ferry's page. */
function fakePopup() {
  const popup = { opener: window as unknown, location: { href: 'about:blank' }, close: vi.fn() };
  const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window);
  return { popup, open };
}

describe('browser sign-in in the connection editor', () => {
  it('Authorize… opens the provider’s page, shows the wait, then who signed in; the token shows as stored', async () => {
    const { popup, open } = fakePopup();
    openEditor();
    await waitFor(() => expect(authorizationStatus).toHaveBeenCalledWith({ connectionId: 'acu' }));
    expect(refreshToken().placeholder).toBe('');
    fireEvent.click(button('Authorize…'));
    // Opened in the click (popup blockers), pointed at the provider once the host answered, without an opener.
    expect(open).toHaveBeenCalledWith('about:blank', '_blank');
    await waitFor(() => expect(popup.location.href).toBe(SIGN_IN_URL));
    expect(popup.opener).toBeNull();
    expect(startAuthorization).toHaveBeenCalledWith({ connectionId: 'acu' });
    expect(status().textContent).toMatch(/^Waiting for the browser… \(until .+\) Open the sign-in page$/);
    expect(status().querySelector('a')?.getAttribute('href')).toBe(SIGN_IN_URL);
    expect(button('Start again')).toBeTruthy();

    currentWorkspace.mockResolvedValue(workspace({ ...saved, secretFields: ['clientSecret', 'refreshToken'], storedSecrets: ['clientSecret', 'refreshToken'] })); // prettier-ignore
    act(() =>
      handleEvent({
        type: 'authorization',
        connectionId: 'acu',
        status: { state: 'signed-in', message: 'Signed in to Acumatica at https://erp.example/ERP as OAuth client "X@Co"' }, // prettier-ignore
      }),
    );
    await waitFor(() => expect(refreshToken().placeholder).toBe('stored in keychain'));
    expect(status().textContent).toBe('Signed in to Acumatica at https://erp.example/ERP as OAuth client "X@Co"');
    expect(status().getAttribute('role')).toBe('status');
    expect(button('Sign in again')).toBeTruthy();
  });

  it('a failed sign-in is an alert with the host’s words; a refused start closes the window it opened', async () => {
    const { popup } = fakePopup();
    openEditor({ ...saved, storedSecrets: ['clientSecret', 'refreshToken'] });
    startAuthorization.mockRejectedValueOnce(
      new ApiError({ code: 'conflict', message: 'settings.redirectPort: port 47390 of 127.0.0.1 is in use' }),
    );
    fireEvent.click(button('Sign in again'));
    await waitFor(() => expect(status().textContent).toBe('Not signed in: settings.redirectPort: port 47390 of 127.0.0.1 is in use')); // prettier-ignore
    expect(status().getAttribute('role')).toBe('alert');
    expect(popup.close).toHaveBeenCalled();

    act(() =>
      handleEvent({
        type: 'authorization',
        connectionId: 'acu',
        status: { state: 'failed', message: 'the sign-in was cancelled or refused in the browser (access_denied)' },
      }),
    );
    expect(status().textContent).toBe(
      'Not signed in: the sign-in was cancelled or refused in the browser (access_denied)',
    );
  });

  it('shows a sign-in already waiting when the editor opens', async () => {
    authorizationStatus.mockResolvedValue({ state: 'waiting', message: 'Waiting for the browser…', expiresAt: '2030-01-01T12:05:00Z' }); // prettier-ignore
    openEditor();
    await waitFor(() => expect(status().textContent).toMatch(/^Waiting for the browser… \(until .+\)$/));
  });

  it('waits for a saved connection without unsaved edits; none for another grant', async () => {
    render(<ConnectionEditor />);
    act(() => {
      useConnectionEditor.getState().openNew('acumatica');
      useConnectionEditor.getState().setSettings({ instanceUrl: 'https://erp.example/ERP', auth: 'oauth-code' });
    });
    expect(screen.getByText('Save the connection, then authorize Ferry in the browser.')).toBeTruthy();
    cleanup();

    openEditor();
    act(() => useConnectionEditor.getState().setSettings({ ...saved.settings, clientId: 'Y@Co' }));
    expect(button('Authorize…').disabled).toBe(true);
    expect(screen.getByText(/Save the changes first/)).toBeTruthy();
    act(() => useConnectionEditor.getState().setSettings({ ...saved.settings, auth: 'cookie', username: 'admin' }));
    expect(screen.queryByTestId('sign-in')).toBeNull();
  });

  it('in the desktop app the main process opens the page: no window from the renderer', async () => {
    const { open } = fakePopup();
    window.ferry = {} as FerryApi;
    openEditor();
    fireEvent.click(button('Authorize…'));
    await waitFor(() => expect(startAuthorization).toHaveBeenCalled());
    expect(open).not.toHaveBeenCalled();
    await waitFor(() => expect(status().querySelector('a')).toBeNull());
  });
});
