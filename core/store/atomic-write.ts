import { randomBytes } from 'node:crypto';
import { access, link, open, rename, rm } from 'node:fs/promises';
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

/**
 * Like `writeFileAtomic`, but never replaces an existing file: the complete temp file is hard-linked to the target,
 * which fails with EEXIST when the target exists (the error is rethrown with that code). Where the file system has no
 * hard links, the target is checked and the temp file renamed in place.
 */
export async function writeNewFileAtomic(target: string, content: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      await access(target).then(
        () => {
          throw Object.assign(new Error(`${target} exists`), { code: 'EEXIST' });
        },
        () => rename(temp, target),
      );
    }
  } finally {
    await rm(temp, { force: true });
  }
}
