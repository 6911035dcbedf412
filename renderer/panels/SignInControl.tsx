import { useEffect } from 'react';
import { authorize, loadSignInStatus, useSignIns } from '../state/sign-in-actions.js';
import { useConnectionEditor } from '../state/connection-editor-store.js';

const timeOf = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : undefined;

/**
 * Under a secret the browser sign-in fills (a refresh token, form hint `widget: 'oauth-sign-in'`): "Authorize…" or
 * "Sign in again" and what the host reports. The sign-in uses the saved connection — its settings and client
 * secret — so it waits for a saved connection without unsaved edits.
 */
export function SignInControl({ fieldKey }: { fieldKey: string }) {
  const connectionId = useConnectionEditor((s) => s.originalId);
  const dirty = useConnectionEditor((s) => s.dirty);
  const isStored = useConnectionEditor((s) => s.stored.includes(fieldKey));
  const view = useSignIns((s) => (connectionId ? s.byConnection[connectionId] : undefined));

  useEffect(() => {
    if (connectionId) void loadSignInStatus(connectionId);
  }, [connectionId]);

  if (!connectionId) {
    return (
      <p className="sign-in muted" data-testid="sign-in">
        Save the connection, then authorize Ferry in the browser.
      </p>
    );
  }
  const waiting = view?.state === 'waiting';
  const label = isStored || view?.state === 'signed-in' ? 'Sign in again' : 'Authorize…';
  return (
    <div className="sign-in" data-testid="sign-in">
      <button
        type="button"
        onClick={() => void authorize(connectionId)}
        disabled={dirty}
        title={dirty ? 'Save the changes first: the sign-in uses the saved settings' : undefined}
      >
        {waiting ? 'Start again' : label}
      </button>
      {dirty && <span className="muted"> Save the changes first: the sign-in uses the saved settings.</span>}
      {view && view.state !== 'idle' && (
        <p
          className={`sign-in-status ${view.state}`}
          data-testid="sign-in-status"
          role={view.state === 'failed' ? 'alert' : 'status'}
        >
          {view.state === 'failed' && <strong>Not signed in: </strong>}
          {view.message}
          {waiting && view.expiresAt && ` (until ${timeOf(view.expiresAt)})`}
          {waiting && view.url && (
            <>
              {' '}
              <a href={view.url} target="_blank" rel="noopener noreferrer">
                Open the sign-in page
              </a>
            </>
          )}
        </p>
      )}
    </div>
  );
}
