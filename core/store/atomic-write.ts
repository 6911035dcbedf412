import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp file names are recognisable so a crashed writer's leftovers can be told apart from workspace files. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes through a temp file in the same directory, fsyncs, then renames over the target: a reader sees the old
 * bytes or the new bytes, never half of them, even if the process dies mid-write.
 */
export async function writeFileAtomic(
  target: string,
  content: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const temp = tempPathFor(target);
  let handle;
  try {
    // The mode is set when the temp file is created, so a private file (the secrets vault) is never readable by others.
    handle = await open(temp, 'wx', options.mode ?? 0o644);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}
