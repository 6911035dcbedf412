import { ConfigError } from '../errors.js';
import type { AcuCatalog, AcuEntity, AcuField, AcuLink } from './catalog.js';

/**
 * Checks field paths a config names (`CustomerID`, `MainContact.Email`, `MainContact/Address/City`, `Details`)
 * against the catalog, so a misspelt name stops the run before any request with the names that would fit.
 */
export function checkFieldPaths(catalog: AcuCatalog, root: AcuEntity, paths: readonly string[]): void {
  for (const path of paths) resolvePath(catalog, root, path);
}

/**
 * The field a path ends in and the links it goes through, or a ConfigError naming the fields that would fit. A path
 * may end in a link (`Details`): then `field` is absent.
 */
export function resolvePath(
  catalog: AcuCatalog,
  root: AcuEntity,
  path: string,
): { field?: AcuField; links: AcuLink[] } {
  let entity: AcuEntity | undefined = root;
  const links: AcuLink[] = [];
  const parts = path.split(/[./]/);
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!;
    const link = entity.links.find((l) => l.name === name);
    if (link) {
      entity = catalog.entity(link.entity);
      if (!entity) throw new ConfigError(`${path}: the catalog has no ${link.entity}`);
      links.push(link);
      continue;
    }
    const field = i === parts.length - 1 ? entity.fields.find((f) => f.name === name) : undefined;
    if (field) return { field, links };
    const near = [...entity.fields.map((f) => f.name), ...entity.links.map((l) => l.name)].find(
      (n) => n.toLowerCase() === name.toLowerCase(),
    );
    throw new ConfigError(
      `${root.name} has no field "${path}"${near ? ` (did you mean ${near}?)` : ''}: ${entity.name} has ` +
        `${entity.fields.length} fields and the links ${entity.links.map((l) => l.name).join(', ') || 'none'}`,
    );
  }
  return { links };
}
