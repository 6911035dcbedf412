/**
 * JSONata spells a field name bare only when it is a plain identifier; anything else (spaces, dashes, dots inside one
 * name such as Acumatica's `custom.Document.AttrColor`, a leading digit, a reserved word) goes in backticks, and a
 * name holding a backtick (which JSONata cannot quote) is read with `$lookup`.
 */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

export function jsonataName(name: string): string {
  if (PLAIN_NAME.test(name) && !RESERVED.has(name)) return name;
  return name.includes('`') ? `$lookup($, ${JSON.stringify(name)})` : `\`${name}\``;
}

/** The path expression of nested names: `["address", "zip code"]` → ``address.`zip code` ``. */
export function jsonataPath(segments: readonly string[]): string {
  return segments.map(jsonataName).join('.');
}
