import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { FileChange } from '../model/contract.js';
import { WORKSPACE_FILE } from '../model/workspace.js';
import { CONNECTIONS_DIR, FLOWS_DIR } from './workspace-store.js';

/** `flows/a.flow.json` → {kind: 'flow', id: 'a'}; files Ferry does not own (data, outputs, temp files) → undefined. */
export function classifyWorkspacePath(relPath: string): Omit<FileChange, 'change'> | undefined {
  const path = relPath.split(sep).join('/');
  if (path === WORKSPACE_FILE) return { kind: 'workspace', id: '' };
  const match = /^(flows|connections)\/([^/]+)\.(flow|connection)\.json$/.exec(path);
  if (!match || match[2]!.startsWith('.')) return undefined;
  if ((match[1] === FLOWS_DIR) !== (match[3] === 'flow')) return undefined;
  return { kind: match[1] === CONNECTIONS_DIR ? 'connection' : 'flow', id: match[2]! };
}

export interface WatchOptions {
  /** Ferry's own saves are not news: true when the file holds exactly what Ferry last wrote there. */
  isOwnWrite(relPath: string, text: string): boolean;
  debounceMs?: number;
}

/**
 * Files on disk are the truth: edits from git, an editor or another Ferry window reach the UI as changes. Events are
 * debounced (editors save in several steps) and each file is re-read to tell changed from removed.
 */
export function watchWorkspace(
  dir: string,
  onChanges: (changes: FileChange[]) => void,
  options: WatchOptions,
): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = async () => {
    timer = undefined;
    const paths = [...pending];
    pending.clear();
    const changes: FileChange[] = [];
    for (const rel of paths) {
      const target = classifyWorkspacePath(rel);
      if (!target) continue;
      try {
        const text = await readFile(join(dir, rel), 'utf8');
        if (!options.isOwnWrite(rel.split(sep).join('/'), text)) changes.push({ ...target, change: 'changed' });
      } catch {
        changes.push({ ...target, change: 'removed' });
      }
    }
    if (changes.length && !closed) onChanges(changes);
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { recursive: true }, (_event, filename) => {
      if (!filename || closed) return;
      pending.add(filename.toString());
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), options.debounceMs ?? 120);
    });
    watcher.on('error', () => undefined);
  } catch {
    // A folder that cannot be watched (network share) still works; changes then show on the next open.
  }
  return () => {
    closed = true;
    clearTimeout(timer);
    watcher?.close();
  };
}
