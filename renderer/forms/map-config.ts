import { isPlainObject, isWithin } from './json-schema.js';

/** A map node's config as its editor handles it: rows may be half-typed (the engine reports what is wrong). */
export type MapRow = Record<string, unknown>;

export function rowsOfMapConfig(config: Record<string, unknown>): MapRow[] {
  return Array.isArray(config.fields) ? config.fields.map((f) => (isPlainObject(f) ? f : {})) : [];
}

/** Paths the map editor shows on a field; the rest (a row index beyond the rows, the config itself) go elsewhere. */
export function mapEditorOwns(config: Record<string, unknown>, path: string): boolean {
  if (path === 'fields' || isWithin(path, 'keepUnmapped')) return true;
  const m = /^fields\[(\d+)\]/.exec(path);
  return m !== null && Number(m[1]) < rowsOfMapConfig(config).length;
}
