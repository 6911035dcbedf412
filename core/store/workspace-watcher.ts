import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { FileChange } from '../model/contract.js';
import { WORKSPACE_FILE } from '../model/workspace.js';
import { CONNECTIONS_DIR, FLOWS_DIR, VALUE_MAPS_DIR } from './workspace-store.js';

/** The folder each kind of workspace file lives in; the suffix must name the same kind (`flows/x.flow.json`). */
const KIND_BY_FOLDER = new Map<string, FileChange['kind']>([
  [FLOWS_DIR, 'flow'],
  [CONNECTIONS_DIR, 'connection'],
  [VALUE_MAPS_DIR, 'value-map'],
]);

/**
 * `flows/a.flow.json` → {kind: 'flow', id: 'a'}, likewise connections and value maps; files Ferry does not own (data,
 * outputs, temp files) → undefined.
 */
export function classifyWorkspacePath(relPath: string): Omit<FileChange, 'change'> | undefined {
  const path = relPath.split(sep).join('/');
  if (path === WORKSPACE_FILE) return { kind: 'workspace', id: '' };
  const match = /^([^/]+)\/([^/]+)\.(flow|connection|value-map)\.json$/.exec(path);
  if (!match || match[2]!.startsWith('.')) return undefined;
  const kind = KIND_BY_FOLDER.get(match[1]!);
  return kind !== undefined && kind === match[3] ? { kind, id: match[2]! } : undefined;
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
