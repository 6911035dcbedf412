import type { ApiMethodName } from '../core/model/contract.js';
import type { DispatchResult } from '../core/host/dispatch.js';

export interface FolderPrompt {
  title: string;
  buttonLabel: string;
  /** Offer "New Folder" (and on Windows create a typed-in folder). */
  create: boolean;
}

export interface WorkspaceDialogDeps {
  /** `dialog.showOpenDialog` for one folder; undefined when cancelled. */
  chooseFolder(prompt: FolderPrompt): Promise<string | undefined>;
  call(method: ApiMethodName, input: unknown): Promise<DispatchResult>;
  showError(title: string, message: string): void;
}

/**
 * A new workspace is named after its folder (changeable in the workspace file later). Both separators count, so
 * the name is the same whichever platform's dialog produced the path.
 */
export function workspaceNameFromDir(dir: string): string {
  const parts = dir.split(/[/\\]+/).filter((p) => p.trim() !== '');
  return parts.at(-1)?.trim() || 'Workspace';
}

/**
 * File → Open Workspace…: the engine opens the folder and announces it with a `workspace-opened` event, which the
 * renderer follows — the menu never reaches into the page's state.
 */
export async function openWorkspaceFromDialog(deps: WorkspaceDialogDeps): Promise<void> {
  const dir = await deps.chooseFolder({ title: 'Open Workspace', buttonLabel: 'Open Workspace', create: false });
  if (dir === undefined) return;
  const result = await deps.call('openWorkspace', { dir });
  if (!result.ok) deps.showError('Could not open the workspace', result.error.message);
}

/** File → New Workspace…: an empty (or new) folder becomes a workspace and is opened. */
export async function newWorkspaceFromDialog(deps: WorkspaceDialogDeps): Promise<void> {
  const dir = await deps.chooseFolder({
    title: 'New Workspace: choose an empty folder',
    buttonLabel: 'Create Workspace',
    create: true,
  });
  if (dir === undefined) return;
  const result = await deps.call('createWorkspace', { dir, name: workspaceNameFromDir(dir) });
  if (!result.ok) deps.showError('Could not create the workspace', result.error.message);
}
