/**
 * `{{name}}` placeholders in paths and query values, and dot paths into JSON bodies. Kept free of HTTP so the rules
 * (what is encoded, what happens to a missing value) are in one place and easy to test.
 */

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** Names of the placeholders in a template, in order of appearance (duplicates kept out). */
export function placeholderNames(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) names.add(match[1]!);
  return [...names];
}

export type Lookup = (name: string) => unknown;

export type Expansion = { ok: true; value: string } | { ok: false; missing: string; reason: string };

/**
 * Replaces every placeholder with its value. `encode` URL-encodes values (for path segments, where a "/" or "?" in a
 * value must not change the URL's structure). A value that is undefined/null or not a scalar is reported, not
 * silently turned into "" or "[object Object]": a request to the wrong URL is worse than a clear error.
 */
export function expandTemplate(template: string, lookup: Lookup, encode: boolean): Expansion {
  let problem: { missing: string; reason: string } | undefined;
  const value = template.replace(PLACEHOLDER, (_whole, name: string) => {
    const raw = lookup(name);
    const text = scalarText(raw);
    if (text === undefined) {
      problem ??= {
        missing: name,
        reason: raw === undefined || raw === null ? 'has no value' : `is ${describeType(raw)}, not a text or number`,
      };
      return '';
    }
    return encode ? encodeURIComponent(text) : text;
  });
  return problem ? { ok: false, ...problem } : { ok: true, value };
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint')
    return Number.isFinite(Number(value)) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return undefined;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * Reads a dot path ("data.items") from a parsed JSON value. Keys may themselves contain dots ("@odata.nextLink"), so
 * at each level the longest key that exists wins before the path is split further.
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  if (value === null || typeof value !== 'object') return undefined;
  const object = value as Record<string, unknown>;
  if (Object.hasOwn(object, path)) return object[path];
  for (let dot = path.lastIndexOf('.'); dot > 0; dot = path.lastIndexOf('.', dot - 1)) {
    const head = path.slice(0, dot);
    if (Object.hasOwn(object, head)) {
      const found = getPath(object[head], path.slice(dot + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
