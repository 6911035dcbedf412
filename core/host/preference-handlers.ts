import { ApiError, type SecretStoreStatus } from '../model/contract.js';
import type { SecretStoreRequest } from '../secrets/secret-switch.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsPort } from '../store/settings.js';
import type { ApiHandlers } from './dispatch.js';

/** What a host that lets the user choose the secret store offers (SecretSwitch); tests and `ferry run` have none. */
export interface SecretControl {
  status(): Promise<SecretStoreStatus>;
  use(request: SecretStoreRequest): Promise<SecretStoreStatus>;
}

type PreferenceHandlers = Pick<ApiHandlers, 'secretStoreStatus' | 'useSecretStore' | 'preferences' | 'savePreferences'>;

/** A fixed store (tests, hosts without a switch): it is what it is, and it works. */
function fixedStatus(store: SecretStore): SecretStoreStatus {
  return {
    kind: store.kind,
    label: store.kind === 'env' ? 'environment' : store.kind,
    ready: true,
    canSave: store.kind !== 'env',
    vaultFile: '',
    vaultExists: false,
    fixedByEnvironment: true,
  };
}

export function preferenceHandlers(
  secrets: SecretStore,
  control: SecretControl | undefined,
  settings: SettingsPort,
): PreferenceHandlers {
  return {
    secretStoreStatus: async () => (control ? control.status() : fixedStatus(secrets)),
    useSecretStore: async (request) => {
      if (!control) {
        throw new ApiError({ code: 'conflict', message: 'this host keeps secrets in a fixed store' });
      }
      return control.use(request);
    },
    preferences: async () => ({ theme: settings.get('theme') }),
    savePreferences: async ({ theme }) => {
      if (theme !== undefined) settings.set('theme', theme);
      return { theme: settings.get('theme') };
    },
  };
}
