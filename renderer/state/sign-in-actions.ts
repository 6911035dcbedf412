import { create } from 'zustand';
import type { ApiEvent, AuthorizationStatus } from '../../core/model/contract.js';
import { api } from '../api/client.js';
import { errorText, refreshWorkspace } from './actions.js';
import { useConnectionEditor } from './connection-editor-store.js';
import { useWorkspaceStore } from './workspace-store.js';

/**
 * Browser sign-ins of connections (OAuth authorization code): the host listens for the browser's answer and stores
 * the refresh token; the UI starts it, opens the provider's page and shows the status the host reports.
 */

export interface SignInView extends AuthorizationStatus {
  /** The provider's page, for a link when the browser blocked the window (browser host only). */
  url?: string;
}

interface SignInStore {
  byConnection: Record<string, SignInView>;
  set(connectionId: string, view: SignInView): void;
}

/** Its own small store: a status tick re-renders only the sign-in control. */
export const useSignIns = create<SignInStore>()((set) => ({
  byConnection: {},
  set: (connectionId, view) => set((s) => ({ byConnection: { ...s.byConnection, [connectionId]: view } })),
}));

const current = (connectionId: string) => useSignIns.getState().byConnection[connectionId];

/**
 * Starts the sign-in. In a browser the window is opened in the click itself (a popup blocker lets that through,
 * not one opened after an answer) and pointed at the provider once the host answers; the page gets no `opener`.
 * The desktop app opens the page in the system browser itself.
 */
export async function authorize(connectionId: string): Promise<void> {
  const popup = window.ferry ? null : window.open('about:blank', '_blank');
  useSignIns.getState().set(connectionId, { state: 'waiting', message: 'Starting the sign-in…' });
  try {
    const { url, expiresAt } = await api().startAuthorization({ connectionId });
    if (popup) {
      popup.opener = null;
      popup.location.href = url;
    }
    // A fast browser may have ended the sign-in already (its event came first): that status stays.
    if (current(connectionId)?.state !== 'waiting') return;
    useSignIns.getState().set(connectionId, {
      state: 'waiting',
      message: 'Waiting for the browser…',
      expiresAt,
      url: window.ferry ? undefined : url,
    });
  } catch (error) {
    popup?.close();
    useSignIns.getState().set(connectionId, { state: 'failed', message: errorText(error) });
  }
}

/** The host's status when the editor opens a connection (a sign-in may be waiting, or have ended, meanwhile). */
export async function loadSignInStatus(connectionId: string): Promise<void> {
  try {
    const status = await api().authorizationStatus({ connectionId });
    if (status.state !== 'idle' || !current(connectionId)) {
      useSignIns.getState().set(connectionId, { ...status, url: current(connectionId)?.url });
    }
  } catch {
    // A connection removed meanwhile has no status; the editor says what matters.
  }
}

/** An `authorization` event: the status; after a sign-in, the stored secrets as the host now reports them. */
export async function onAuthorizationEvent(event: Extract<ApiEvent, { type: 'authorization' }>): Promise<void> {
  const { connectionId, status } = event;
  useSignIns.getState().set(connectionId, { ...status, url: status.state === 'waiting' ? current(connectionId)?.url : undefined }); // prettier-ignore
  if (status.state !== 'signed-in') return;
  await refreshWorkspace();
  const summary = useWorkspaceStore.getState().workspace?.connections.find((c) => c.id === connectionId);
  if (summary && useConnectionEditor.getState().originalId === connectionId) {
    useConnectionEditor.setState({ stored: summary.storedSecrets });
  }
}
