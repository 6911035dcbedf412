import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A folder of resources/ (examples, templates): next to the bundle (dist/ferry.mjs, dist/electron/*.mjs) or in the
 * repository when run from source (core/<layer>/*.ts). `marker` is a file or folder that must be inside it.
 */
export function resourcesDir(name: string, marker: string): string {
  const candidates = [
    fileURLToPath(new URL(`../resources/${name}`, import.meta.url)),
    fileURLToPath(new URL(`../../resources/${name}`, import.meta.url)),
  ];
  const found = candidates.find((d) => existsSync(join(d, marker)));
  if (!found) throw new Error(`resources/${name} is missing (looked in ${candidates.join(', ')})`);
  return found;
}
