import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../main.js';

export const ROOT_DIR = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const EXAMPLES_DIR = resolve(fileURLToPath(new URL('../../../resources/examples', import.meta.url)));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ferry <args>` in-process with captured output, a private data dir and the given environment. */
export async function ferry(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; tty?: boolean },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty, columns: 120 },
    env: options.env ?? {},
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}

/** A temp copy of resources/examples plus a private FERRY_DATA_DIR; `cleanup` removes both. */
export async function exampleWorkspace(): Promise<{
  root: string;
  ws: string;
  dataDir: string;
  cleanup: () => Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'ferry-cli-'));
  const ws = join(root, 'ws');
  // `npm start` writes the example's output into resources/examples/out: never copy a previous run's output.
  await cp(EXAMPLES_DIR, ws, { recursive: true, filter: (src) => src !== join(EXAMPLES_DIR, 'out') });
  const dataDir = join(root, 'data');
  return { root, ws, dataDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** `npm test` builds first; a lone vitest run builds here, so tests of the bundled binary never silently skip. */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT_DIR, 'dist/ferry.mjs'))) return;
  const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT_DIR, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
}
