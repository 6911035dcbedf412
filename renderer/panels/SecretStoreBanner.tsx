import { useEffect, useId, useState } from 'react';
import { refreshWorkspace } from '../state/actions.js';
import { chooseSecretStore, loadSecretStatus, useSecretStatus } from '../state/secret-status-store.js';

/** Opens the existing vault, or creates it (passphrase typed twice). The passphrase never leaves this form's state. */
function VaultForm({ exists, file }: { exists: boolean; file: string }) {
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const busy = useSecretStatus((s) => s.busy);
  const problems = useSecretStatus((s) => s.problems);
  const mismatch = !exists && repeat !== '' && repeat !== passphrase;
  const submit = async () => {
    if (await chooseSecretStore({ store: 'vault', passphrase })) {
      setPassphrase('');
      setRepeat('');
      await refreshWorkspace();
    }
  };
  return (
    <form
      className="vault-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={`${id}-p`}>{exists ? 'Vault passphrase' : 'New vault passphrase'}</label>
      <input
        id={`${id}-p`}
        type="password"
        autoComplete={exists ? 'current-password' : 'new-password'}
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
      />
      {!exists && (
        <>
          <label htmlFor={`${id}-r`}>Repeat passphrase</label>
          <input
            id={`${id}-r`}
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </>
      )}
      {problems.map((p, i) => (
        <div className="field-error" key={i}>
          {p.message}
        </div>
      ))}
      {mismatch && <div className="field-error">the two passphrases differ</div>}
      <button type="submit" disabled={busy || passphrase === '' || (!exists && repeat !== passphrase)}>
        {exists ? 'Open vault' : 'Create vault'}
      </button>
      <p className="muted">
        {exists ? `The vault file is ${file}.` : `Secrets will be encrypted (scrypt + AES-256-GCM) in ${file}.`} For{' '}
        <code>ferry run</code> on this machine set <code>FERRY_SECRETS=vault</code> and{' '}
        <code>FERRY_VAULT_PASSPHRASE</code>.
      </p>
    </form>
  );
}

/**
 * Says where secrets are kept when that is not the working keychain: an unreachable keychain (with the ways out),
 * a locked vault (passphrase form), or the environment only. Never a silent fallback: the user chooses the vault.
 */
export function SecretStoreBanner() {
  const status = useSecretStatus((s) => s.status);
  const error = useSecretStatus((s) => s.error);
  const fieldProblems = useSecretStatus((s) => s.problems.length);
  const busy = useSecretStatus((s) => s.busy);
  useEffect(() => {
    void loadSecretStatus();
  }, []);
  if (!status) return null;
  const vaultInUse = status.kind === 'vault' && status.ready;
  if (status.ready && !vaultInUse && status.canSave) return null;
  return (
    <div className={`secret-banner${status.ready ? '' : ' warning'}`} data-testid="secret-store-banner" role="status">
      {vaultInUse ? (
        <p>
          Secrets are kept in the encrypted vault <code>{status.vaultFile}</code>.{' '}
          {!status.fixedByEnvironment && (
            <button
              type="button"
              className="link"
              disabled={busy}
              onClick={() => void chooseSecretStore({ store: 'keychain' })}
            >
              Use the system keychain instead
            </button>
          )}
        </p>
      ) : (
        <p>{status.problem}</p>
      )}
      {!status.ready && !status.fixedByEnvironment && (status.kind === 'keychain' || status.kind === 'vault') && (
        <VaultForm exists={status.vaultExists} file={status.vaultFile} />
      )}
      {error && fieldProblems === 0 && <p className="error-text">{error}</p>}
    </div>
  );
}
