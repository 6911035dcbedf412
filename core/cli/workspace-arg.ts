import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { WORKSPACE_FILE } from '../model/workspace.js';
import { type LoadedWorkspace, loadWorkspace } from '../store/workspace-store.js';
import { UsageError } from './io.js';

export async function openWorkspaceArg(arg: string, cwd: string): Promise<LoadedWorkspace> {
  const dir = resolve(cwd, arg);
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new UsageError(`workspace folder not found: ${arg} (looked in ${dir})`);
  if (!info.isDirectory())
    throw new UsageError(`not a workspace folder: ${arg} (expected a folder containing ${WORKSPACE_FILE})`);
  const file = await stat(resolve(dir, WORKSPACE_FILE)).catch(() => undefined);
  if (!file) throw new UsageError(`not a workspace: ${arg} has no ${WORKSPACE_FILE}`);
  return loadWorkspace(dir);
}

/** Accepts a flow id or the path of its file (`flows/orders.flow.json`). */
export function flowIdFromArg(arg: string): string {
  const name = basename(arg);
  return name.endsWith('.flow.json') ? name.slice(0, -'.flow.json'.length) : arg;
}
