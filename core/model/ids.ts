/** `Orders → BC` → `orders-bc`: ids appear in file names, so they keep to the portable alphabet. */
export function slugify(name: string, fallback = 'flow'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug || fallback;
}

/** `base`, else `base-2`, `base-3`, ...: the first id `taken` does not hold. */
export function uniqueId(base: string, taken: (id: string) => boolean): string {
  let id = base;
  for (let n = 2; taken(id); n++) id = `${base}-${n}`;
  return id;
}
