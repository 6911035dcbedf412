/** Where a node's config lives, for compile errors: `{ file: 'flows/x.flow.json', path: 'nodes[1].config' }`. */
export interface ConfigLocation {
  file?: string;
  path: string;
}

/** `base` + `.fields[3].target` → `nodes[1].config.fields[3].target`. */
export function joinPath(base: string | undefined, rest: string): string {
  if (!base) return rest.startsWith('.') ? rest.slice(1) : rest;
  return base + rest;
}
