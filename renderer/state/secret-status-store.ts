import { create } from 'zustand';
import type { SecretStoreStatus } from '../../core/model/contract.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';
import { api } from '../api/client.js';
import { errorText, problemsOf } from './actions.js';

interface SecretStatusState {
  status: SecretStoreStatus | null;
  busy: boolean;
  error: string | null;
  problems: ValidationProblem[];
}

/** Where secrets are kept (keychain, vault, environment) and whether that works here: shown by the connection UI. */
export const useSecretStatus = create<SecretStatusState>()(() => ({
  status: null,
  busy: false,
  error: null,
  problems: [],
}));

export async function loadSecretStatus(): Promise<void> {
  try {
    useSecretStatus.setState({ status: await api().secretStoreStatus({}) });
  } catch (error) {
    useSecretStatus.setState({ error: errorText(error) });
  }
}

/** Opens (or creates) the vault, or goes back to the keychain; the connection list re-reads what is stored. */
export async function chooseSecretStore(
  request: { store: 'keychain' } | { store: 'vault'; passphrase: string },
): Promise<boolean> {
  useSecretStatus.setState({ busy: true, error: null, problems: [] });
  try {
    const status = await api().useSecretStore(request);
    useSecretStatus.setState({ status, busy: false });
    return true;
  } catch (error) {
    useSecretStatus.setState({ busy: false, error: errorText(error), problems: problemsOf(error) });
    return false;
  }
}

/** "stored in keychain", "stored in vault": the words next to a secret field. */
export function storeLabel(status: SecretStoreStatus | null): string {
  return status?.label ?? 'keychain';
}
