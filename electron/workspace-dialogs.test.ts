import { describe, expect, it, vi } from 'vitest';
import type { DispatchResult } from '../core/host/dispatch.js';
import {
  type WorkspaceDialogDeps,
  newWorkspaceFromDialog,
  openWorkspaceFromDialog,
  workspaceNameFromDir,
} from './workspace-dialogs.js';

function deps(folder: string | undefined, result: DispatchResult = { ok: true, value: {} }) {
  return {
    chooseFolder: vi.fn(async () => folder),
    call: vi.fn(async () => result),
    showError: vi.fn(),
  } satisfies WorkspaceDialogDeps;
}

describe('workspace dialogs', () => {
  it('opens the chosen folder through the engine', async () => {
    const d = deps('/home/me/orders');
    await openWorkspaceFromDialog(d);
    expect(d.call).toHaveBeenCalledWith('openWorkspace', { dir: '/home/me/orders' });
    expect(d.showError).not.toHaveBeenCalled();
  });

  it('does nothing when the dialog is cancelled', async () => {
    const d = deps(undefined);
    await openWorkspaceFromDialog(d);
    await newWorkspaceFromDialog(d);
    expect(d.call).not.toHaveBeenCalled();
  });

  it('creates a workspace named after its folder', async () => {
    const d = deps('/home/me/Shop sync/');
    await newWorkspaceFromDialog(d);
    expect(d.chooseFolder).toHaveBeenCalledWith(expect.objectContaining({ create: true }));
    expect(d.call).toHaveBeenCalledWith('createWorkspace', { dir: '/home/me/Shop sync/', name: 'Shop sync' });
  });

  it('shows the engine error', async () => {
    const d = deps('/full', { ok: false, error: { code: 'conflict', message: '/full is not empty' } });
    await newWorkspaceFromDialog(d);
    expect(d.showError).toHaveBeenCalledWith('Could not create the workspace', '/full is not empty');
  });

  it('names workspaces from folder names', () => {
    expect(workspaceNameFromDir('C:\\Users\\me\\Orders\\')).toBe('Orders');
    expect(workspaceNameFromDir('/')).toBe('Workspace');
  });
});
