import type { JsonValue } from './json-value.js';
import type { TemplateManifest } from './template.js';
import { formatJsonPath } from './validation-error.js';

/**
 * Placeholders in a template's flow.json, inside any string value (never in keys):
 *
 * - `{{connection.<role>}}`: the id of the connection chosen for that role;
 * - `{{settings.<key>}}`: the setting's value. A string that is nothing but the placeholder becomes the value with its
 *   type (a number stays a number; an unset optional setting removes the property); inside longer text, its text;
 * - `{{settings.<key> | json}}`: the value as a JSON literal, for JSONata expressions (`"RETAIL"`, `12`, `null`),
 *   so a setting can never break out of the expression it is put in.
 */
const PLACEHOLDER = /\{\{\s*(connection|settings)\.([A-Za-z][A-Za-z0-9_]*)\s*(\|\s*json\s*)?\}\}/g;
const ANY_BRACES = /\{\{[^}]*\}\}/g;

export interface PlaceholderUse {
  kind: 'connection' | 'settings';
  key: string;
  /** JSON path of the string in flow.json. */
  path: string;
}

export interface PlaceholderProblem {
  path: string;
  message: string;
}

function walkStrings(value: JsonValue, path: PropertyKey[], visit: (text: string, path: PropertyKey[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
  }
}

/** Every placeholder of a template flow, and what is wrong with them against the manifest. */
export function checkPlaceholders(
  flow: JsonValue,
  manifest: Pick<TemplateManifest, 'connectors' | 'settings'>,
): { uses: PlaceholderUse[]; problems: PlaceholderProblem[] } {
  const uses: PlaceholderUse[] = [];
  const problems: PlaceholderProblem[] = [];
  walkStrings(flow, [], (text, at) => {
    const path = formatJsonPath(at);
    for (const match of text.matchAll(PLACEHOLDER)) {
      const kind = match[1] as PlaceholderUse['kind'];
      const key = match[2]!;
      uses.push({ kind, key, path });
      const declared = kind === 'connection' ? manifest.connectors : manifest.settings;
      if (!(key in declared)) {
        const known = Object.keys(declared);
        const what = kind === 'connection' ? 'role' : 'setting';
        const expected = known.length ? ` (expected one of ${known.join(', ')})` : '';
        problems.push({ path, message: `{{${kind}.${key}}}: no ${what} "${key}" in template.json${expected}` });
      }
    }
    for (const braces of text.replace(PLACEHOLDER, '').matchAll(ANY_BRACES)) {
      problems.push({
        path,
        message: `${braces[0]}: expected {{connection.<role>}}, {{settings.<key>}} or {{settings.<key> | json}}`,
      });
    }
  });
  for (const role of Object.keys(manifest.connectors)) {
    if (!uses.some((u) => u.kind === 'connection' && u.key === role)) {
      problems.push({ path: '(root)', message: `the role "${role}" of template.json is used nowhere in the flow` });
    }
  }
  return { uses, problems };
}

export interface PlaceholderValues {
  connections: Record<string, string>;
  settings: Record<string, unknown>;
}

const REMOVE = Symbol('remove');

function substituteText(text: string, values: PlaceholderValues): unknown {
  const whole = new RegExp(`^${PLACEHOLDER.source}$`).exec(text);
  if (whole && !whole[3]) {
    const value = whole[1] === 'connection' ? values.connections[whole[2]!] : values.settings[whole[2]!];
    return value === undefined ? REMOVE : value;
  }
  return text.replace(PLACEHOLDER, (_all, kind: string, key: string, json: string | undefined) => {
    const value = kind === 'connection' ? values.connections[key] : values.settings[key];
    if (json) return JSON.stringify(value ?? null);
    return value === undefined || value === null ? '' : String(value);
  });
}

function substituteValue(value: JsonValue, values: PlaceholderValues): unknown {
  if (typeof value === 'string') return substituteText(value, values);
  if (Array.isArray(value)) {
    return value.map((v) => substituteValue(v, values)).map((v) => (v === REMOVE ? null : v));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const next = substituteValue(v, values);
      if (next !== REMOVE) out[k] = next;
    }
    return out;
  }
  return value;
}

/** The flow with every placeholder replaced (the caller checked them with `checkPlaceholders`). */
export function substitutePlaceholders(flow: JsonValue, values: PlaceholderValues): unknown {
  const out = substituteValue(flow, values);
  return out === REMOVE ? null : out;
}
