// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type FerryApi, type SecretStoreStatus } from '../../core/model/contract.js';
import { setApi } from '../api/client.js';
import { useSecretStatus } from '../state/secret-status-store.js';
import { SecretStoreBanner } from './SecretStoreBanner.js';

const base = { vaultFile: '/data/secrets.vault', vaultExists: false, fixedByEnvironment: false };
const noKeychain: SecretStoreStatus = {
  ...base,
  kind: 'keychain',
  label: 'keychain',
  ready: false,
  canSave: false,
  problem: 'the system keychain is not available: no Secret Service is running',
};
const vaultOpen: SecretStoreStatus = {
  ...base,
  vaultExists: true,
  kind: 'vault',
  label: 'vault',
  ready: true,
  canSave: true,
};
const vaultLocked: SecretStoreStatus = { ...vaultOpen, ready: false, canSave: false, problem: 'the vault is locked' };

const secretStoreStatus = vi.fn<FerryApi['secretStoreStatus']>();
const useSecretStore = vi.fn<FerryApi['useSecretStore']>();
const currentWorkspace = vi.fn<FerryApi['currentWorkspace']>();

beforeEach(() => {
  for (const f of [secretStoreStatus, useSecretStore, currentWorkspace]) f.mockReset();
  currentWorkspace.mockResolvedValue(null);
  useSecretStatus.setState({ status: null, busy: false, error: null, problems: [] });
  setApi({ secretStoreStatus, useSecretStore, currentWorkspace } as unknown as FerryApi);
});
afterEach(() => {
  cleanup();
  setApi(undefined);
});

const passwordInputs = () => [...document.querySelectorAll<HTMLInputElement>('input[type="password"]')];
const type = (el: HTMLInputElement, value: string) => fireEvent.change(el, { target: { value } });

describe('SecretStoreBanner', () => {
  it('says nothing while the keychain works', async () => {
    secretStoreStatus.mockResolvedValue({ ...noKeychain, ready: true, canSave: true, problem: undefined });
    render(<SecretStoreBanner />);
    await waitFor(() => expect(secretStoreStatus).toHaveBeenCalled());
    expect(screen.queryByTestId('secret-store-banner')).toBeNull();
  });

  it('without a keychain: says why and creates the vault only with the same passphrase twice', async () => {
    secretStoreStatus.mockResolvedValue(noKeychain);
    useSecretStore.mockResolvedValue(vaultOpen);
    render(<SecretStoreBanner />);
    await screen.findByText(/no Secret Service is running/);
    const [first, second] = passwordInputs();
    type(first!, 'correct horse');
    type(second!, 'correct hors');
    expect(screen.getByText('the two passphrases differ')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Create vault' }).disabled).toBe(true);
    type(second!, 'correct horse');
    fireEvent.click(screen.getByRole('button', { name: 'Create vault' }));
    await screen.findByText(/Secrets are kept in the encrypted vault/);
    expect(useSecretStore).toHaveBeenCalledWith({ store: 'vault', passphrase: 'correct horse' });
    expect(currentWorkspace).toHaveBeenCalled();
    expect(passwordInputs()).toHaveLength(0);
  });

  it('a locked vault asks for its passphrase and shows a wrong one at the field', async () => {
    secretStoreStatus.mockResolvedValue(vaultLocked);
    useSecretStore.mockRejectedValue(
      new ApiError({
        code: 'invalid-input',
        message: 'passphrase: this passphrase does not open the vault /data/secrets.vault',
        problems: [{ path: 'passphrase', message: 'this passphrase does not open the vault /data/secrets.vault' }],
      }),
    );
    render(<SecretStoreBanner />);
    await screen.findByText('the vault is locked');
    expect(passwordInputs()).toHaveLength(1);
    type(passwordInputs()[0]!, 'wrong');
    fireEvent.click(screen.getByRole('button', { name: 'Open vault' }));
    await screen.findByText('this passphrase does not open the vault /data/secrets.vault');
  });

  it('an open vault can be left for the keychain', async () => {
    secretStoreStatus.mockResolvedValue(vaultOpen);
    useSecretStore.mockResolvedValue({ ...noKeychain, ready: true, canSave: true, problem: undefined });
    render(<SecretStoreBanner />);
    fireEvent.click(await screen.findByRole('button', { name: 'Use the system keychain instead' }));
    await waitFor(() => expect(screen.queryByTestId('secret-store-banner')).toBeNull());
    expect(useSecretStore).toHaveBeenCalledWith({ store: 'keychain' });
  });
});
