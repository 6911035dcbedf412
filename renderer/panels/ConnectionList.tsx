import type { ConnectionSummary } from '../../core/model/contract.js';
import { Icon } from '../canvas/icons.js';
import { useConnectionEditor } from '../state/connection-editor-store.js';
import { useSecretStatus } from '../state/secret-status-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';

/** The sidebar's Connections section: each opens the connection editor; "+" creates one. */
export function ConnectionList({ connections }: { connections: ConnectionSummary[] }) {
  const openNew = useConnectionEditor((s) => s.openNew);
  const openEdit = useConnectionEditor((s) => s.openEdit);
  const firstConnector = useWorkspaceStore((s) => s.connectors.find((c) => c.connectionSchema)?.id);
  const storeProblem = useSecretStatus((s) => (s.status && !s.status.ready ? s.status.problem : undefined));
  return (
    <section>
      <div className="section-head">
        <h3>Connections</h3>
        {storeProblem && (
          <span
            className="secret-missing"
            title={`Secrets unavailable: ${storeProblem}`}
            aria-label="secrets unavailable"
            data-testid="secret-store-warning"
          >
            ⚠
          </span>
        )}
        <button
          type="button"
          className="icon"
          onClick={() => firstConnector && openNew(firstConnector)}
          disabled={!firstConnector}
          title="New connection"
          aria-label="New connection"
        >
          +
        </button>
      </div>
      <ul className="file-list" data-testid="connection-list">
        {connections.length === 0 && <li className="muted">No connections yet</li>}
        {connections.map((c) => {
          const missing = c.secretFields.filter((f) => !c.storedSecrets.includes(f));
          return (
            <li key={c.id}>
              <button
                type="button"
                className="file-item"
                onClick={() => openEdit(c)}
                title={`${c.connector} · ${c.id}`}
              >
                <Icon name="cloud" size={14} />
                <span className="file-name">{c.name}</span>
                {c.settings.allowUntrustedCertificates === true && (
                  <span
                    className="secret-missing"
                    data-testid="tls-unverified"
                    title="This connection skips TLS certificate verification: the server's identity is not checked"
                  >
                    TLS unverified
                  </span>
                )}
                {missing.length > 0 && (
                  <span className="secret-missing" title={`Not in the secret store: ${missing.join(', ')}`}>
                    ⚠
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
