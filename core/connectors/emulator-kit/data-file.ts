// An emulator's data kept in a JSON file across restarts: read when it exists, written through a temp file and a
// rename (a crash never leaves half a file), one write at a time with the changes made meanwhile coalesced.
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';

/** The file's data, or undefined when there is no file; refuses a file another emulator (or format) wrote. */
export async function loadDataFile<T extends { format: string }>(
  file: string,
  format: T['format'],
  what: string,
): Promise<T | undefined> {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(await readFile(file, 'utf8')) as T;
  if (data.format !== format) throw new Error(`${file}: not ${what} data file`);
  return data;
}

export async function saveDataFile(file: string, data: unknown): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(data));
  await rename(temp, file);
}

/** Writes `snapshot()` to `file` after changes (`changed()`), never two writes at once. */
export class DataFileWriter {
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: string | undefined,
    private readonly snapshot: () => unknown,
  ) {}

  private readonly write = async () => {
    if (!this.file) return;
    this.dirty = false;
    await saveDataFile(this.file, this.snapshot());
  };

  changed(): void {
    if (!this.file || this.dirty) return;
    this.dirty = true;
    this.saving = this.saving.then(this.write, this.write);
  }

  /** Writes now, after any write under way. */
  async flush(): Promise<void> {
    await this.saving;
    await this.write();
  }

  /** Waits for the writes under way (closing). */
  async settled(): Promise<void> {
    await this.saving;
  }
}
