/**
 * A record's fields checked and put in the wire types of the entity (v2.0 shape) before anything is sent, so a
 * typo or an overlong name fails that record with a precise message instead of costing a request — and every
 * request body matches the catalog. Values from CSV arrive as text: numbers, booleans, dates and date-times are
 * converted when their text is unambiguous. Enum values may be given as BC shows them ("G/L Account", " ") or as
 * their EDM member names ("G_x002F_L_x0020_Account", "_x0020_"); API v2.0 gets the member name, v1.0 (plain option
 * strings) the shown text.
 */
import type { RecordData } from '../../engine/record.js';
import type { BcCatalog, BcEntitySet, BcProperty } from './catalog.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type Checked = { ok: true; body: RecordData } | { ok: false; error: string };

/** `_x0020_` → " ", `G_x002F_L_x0020_Account` → "G/L Account" (XML name escaping of EDM member names). */
export function decodeMember(name: string): string {
  return name.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Checks `body` against `set` (and contained lines against their sets). `memberNames`: send enum values as EDM
 * member names (v2.0) rather than as shown text (v1.0).
 */
export function checkRecord(catalog: BcCatalog, set: BcEntitySet, body: RecordData, memberNames: boolean): Checked {
  const out: RecordData = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata.')) continue;
    const property = set.properties.find((p) => p.name === name);
    if (!property) {
      const nav = set.navigation.find((n) => n.name === name && n.collection);
      const target = nav?.entitySet ? catalog.entitySet(nav.entitySet) : undefined;
      if (target && Array.isArray(value)) {
        const lines: RecordData[] = [];
        for (const [i, line] of value.entries()) {
          const checked = checkRecord(catalog, target, line as RecordData, memberNames);
          if (!checked.ok) return { ok: false, error: `${name}[${i}]: ${checked.error}` };
          lines.push(checked.body);
        }
        out[name] = lines;
        continue;
      }
      const near = set.properties.find((p) => p.name.toLowerCase() === name.toLowerCase());
      return { ok: false, error: `${set.name} has no field "${name}"${near ? ` (did you mean "${near.name}"?)` : ''}` };
    }
    const converted = convert(property, value, memberNames);
    if ('error' in converted) return { ok: false, error: `${name}: ${converted.error}` };
    out[name] = converted.value;
  }
  return { ok: true, body: out };
}

function convert(p: BcProperty, value: unknown, memberNames: boolean): { value: unknown } | { error: string } {
  if (value === null || value === undefined) return p.nullable ? { value: null } : { error: 'may not be empty' };
  if (p.properties || p.collection) return { value };
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (p.edmType) {
    case 'Edm.String': {
      const s =
        typeof value === 'string'
          ? value
          : typeof value === 'number' || typeof value === 'boolean'
            ? String(value)
            : undefined;
      if (s === undefined) return { error: `expected text, got ${JSON.stringify(value)}` };
      if (p.maxLength !== undefined && s.length > p.maxLength) {
        return { error: `${s.length} characters, Business Central takes at most ${p.maxLength}` };
      }
      return { value: s };
    }
    case 'Edm.Guid':
      return text !== undefined && GUID.test(text)
        ? { value: text }
        : { error: `expected a GUID, got ${JSON.stringify(value)}` };
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Byte': {
      const n = typeof value === 'number' ? value : text !== undefined && NUMBER.test(text) ? Number(text) : NaN;
      return Number.isInteger(n) ? { value: n } : { error: `expected a whole number, got ${JSON.stringify(value)}` };
    }
    case 'Edm.Decimal':
    case 'Edm.Double':
    case 'Edm.Single': {
      const n = typeof value === 'number' ? value : text !== undefined && NUMBER.test(text) ? Number(text) : NaN;
      return Number.isFinite(n) ? { value: n } : { error: `expected a number, got ${JSON.stringify(value)}` };
    }
    case 'Edm.Boolean': {
      if (typeof value === 'boolean') return { value };
      const b = text?.toLowerCase();
      if (b === 'true' || b === '1' || value === 1) return { value: true };
      if (b === 'false' || b === '0' || value === 0) return { value: false };
      return { error: `expected true or false, got ${JSON.stringify(value)}` };
    }
    case 'Edm.Date': {
      const date =
        text !== undefined && /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text.slice(0, 10)));
      return date
        ? { value: text!.slice(0, 10) }
        : { error: `expected a date (YYYY-MM-DD), got ${JSON.stringify(value)}` };
    }
    case 'Edm.DateTimeOffset': {
      const time = text !== undefined ? Date.parse(text) : typeof value === 'number' ? value : NaN;
      return Number.isNaN(time)
        ? { error: `expected a date-time, got ${JSON.stringify(value)}` }
        : { value: new Date(time).toISOString() };
    }
  }
  if (p.enumMembers) {
    const given = String(value);
    const member = p.enumMembers.find(
      (m) => m === given || decodeMember(m) === given || (given.trim() === '' && m === '_x0020_'),
    );
    if (!member)
      return {
        error: `expected one of ${p.enumMembers.map((m) => JSON.stringify(decodeMember(m))).join(', ')}, got ${JSON.stringify(value)}`,
      };
    return { value: memberNames ? member : decodeMember(member) };
  }
  return { value };
}
