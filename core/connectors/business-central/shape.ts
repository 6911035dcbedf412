/**
 * API v1.0 (BC14 on premises) ↔ the v2.0 shape the mapper sees, in both directions
 * (api-reference/v2.0/transition-to-api-v2.0.md):
 *
 * - v1.0 postal addresses are complex `postaladdresstype` {street, city, state, countryLetterCode, postalCode};
 *   v2.0 has flat fields: `address` → addressLine1/addressLine2/city/state/country/postalCode, and on documents
 *   sellingPostalAddress / billingPostalAddress / shippingPostalAddress → sellTo…/billTo…/shipTo… + AddressLine1,
 *   AddressLine2, City, State, Country, PostCode. v1.0's `street` is BC's Address and Address 2 joined by CR LF
 *   (its MaxLength 152 = 100 + 2 + 50), so it splits at the first line break.
 * - `unitofmeasuretype` {code, …} → `<name>Code` (baseUnitOfMeasure → baseUnitOfMeasureCode, unitOfMeasure →
 *   unitOfMeasureCode); `lineDetails` {number, displayName} → lineObjectNumber.
 * - v1.0 serves dates of v2.0 `Edm.Date` fields as DateTimeOffset: read as the date part, written at midnight UTC.
 * - Line keys: v1.0 line ids are strings (document id + sequence), v2.0 GUIDs; both pass through as `id` text and
 *   are quoted or not in URLs by the key's EDM type (see client.ts keySegment).
 *
 * Fields without a counterpart pass through unchanged; the rules are derived from the two catalogs, not typed per
 * entity, so every entity the catalogs share is covered.
 */
import type { RecordData } from '../../engine/record.js';
import { type BcCatalog, type BcEntitySet, bcCatalog } from './catalog.js';

type Rule =
  | {
      kind: 'address';
      v1: string;
      fields: { line1: string; line2: string; city: string; state: string; country: string; postal: string };
    }
  | { kind: 'member'; v1: string; member: string; v2: string }
  | { kind: 'date'; field: string }
  | { kind: 'lines'; field: string; entitySet: string };

const ADDRESS_PREFIX: Record<string, string> = {
  address: '',
  sellingPostalAddress: 'sellTo',
  billingPostalAddress: 'billTo',
  shippingPostalAddress: 'shipTo',
  buyFromAddress: 'buyFrom',
  payToAddress: 'payTo',
  shipToAddress: 'shipTo',
};

const cache = new Map<string, Rule[]>();

/** The rules for one entity set (v1.0 name = v2.0 name for every set both versions have). */
export function shapeRules(
  entitySet: string,
  v1: BcCatalog = bcCatalog('v1.0'),
  v2: BcCatalog = bcCatalog('v2.0'),
): Rule[] {
  const cached = cache.get(entitySet);
  if (cached) return cached;
  const old = v1.entitySet(entitySet);
  const current = v2.entitySet(entitySet);
  const rules: Rule[] = [];
  if (old && current) {
    const has = new Set(current.properties.map((p) => p.name));
    const pick = (...names: string[]) => names.find((n) => has.has(n));
    for (const property of old.properties) {
      const members = new Set(property.properties?.map((m) => m.name) ?? []);
      if (members.has('street') && members.has('countryLetterCode')) {
        const prefix = ADDRESS_PREFIX[property.name];
        if (prefix === undefined) continue;
        const name = (suffix: string) => (prefix === '' ? suffix[0]!.toLowerCase() + suffix.slice(1) : prefix + suffix);
        const line1 = pick(name('AddressLine1'));
        if (!line1) continue;
        rules.push({
          kind: 'address',
          v1: property.name,
          fields: {
            line1,
            line2: name('AddressLine2'),
            city: name('City'),
            state: name('State'),
            country: name('Country'),
            postal: pick(name('PostalCode'), name('PostCode')) ?? name('PostalCode'),
          },
        });
      } else if (members.has('code') && members.has('symbol') && has.has(`${property.name}Code`)) {
        rules.push({ kind: 'member', v1: property.name, member: 'code', v2: `${property.name}Code` });
      } else if (property.name === 'lineDetails' && has.has('lineObjectNumber')) {
        rules.push({ kind: 'member', v1: 'lineDetails', member: 'number', v2: 'lineObjectNumber' });
      } else if (property.edmType === 'Edm.DateTimeOffset') {
        const now = current.properties.find((p) => p.name === property.name);
        if (now?.edmType === 'Edm.Date') rules.push({ kind: 'date', field: property.name });
      }
    }
    for (const nav of old.navigation) {
      if (nav.collection && nav.contained && v1.entitySet(nav.name)?.containedIn === entitySet) {
        rules.push({ kind: 'lines', field: nav.name, entitySet: nav.name });
      }
    }
  }
  cache.set(entitySet, rules);
  return rules;
}

/** A v1.0 record as the v2.0 shape. */
export function fromV1(entitySet: string, record: RecordData): RecordData {
  const rules = shapeRules(entitySet);
  if (rules.length === 0) return record;
  const out: RecordData = { ...record };
  for (const rule of rules) {
    if (rule.kind === 'address') {
      const value = out[rule.v1];
      if (!(rule.v1 in out)) continue;
      delete out[rule.v1];
      const address = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
      const [line1, line2] = splitStreet(address.street);
      Object.assign(out, {
        [rule.fields.line1]: line1,
        [rule.fields.line2]: line2,
        [rule.fields.city]: address.city ?? '',
        [rule.fields.state]: address.state ?? '',
        [rule.fields.country]: address.countryLetterCode ?? '',
        [rule.fields.postal]: address.postalCode ?? '',
      });
    } else if (rule.kind === 'member') {
      if (!(rule.v1 in out)) continue;
      const value = out[rule.v1];
      delete out[rule.v1];
      out[rule.v2] = value && typeof value === 'object' ? ((value as Record<string, unknown>)[rule.member] ?? '') : '';
    } else if (rule.kind === 'date') {
      const value = out[rule.field];
      if (typeof value === 'string' && value.length > 10) out[rule.field] = value.slice(0, 10);
    } else if (Array.isArray(out[rule.field])) {
      out[rule.field] = (out[rule.field] as RecordData[]).map((line) => fromV1(rule.entitySet, line));
    }
  }
  return out;
}

/** A v2.0-shaped record (a create or a patch) as v1.0 wants it; only the fields present are sent. */
export function toV1(entitySet: string, record: RecordData): RecordData {
  const rules = shapeRules(entitySet);
  if (rules.length === 0) return record;
  const out: RecordData = { ...record };
  for (const rule of rules) {
    if (rule.kind === 'address') {
      const f = rule.fields;
      const names = [f.line1, f.line2, f.city, f.state, f.country, f.postal];
      if (!names.some((n) => n in out)) continue;
      const address: Record<string, unknown> = {};
      if (f.line1 in out || f.line2 in out) address.street = joinStreet(out[f.line1], out[f.line2]);
      if (f.city in out) address.city = out[f.city];
      if (f.state in out) address.state = out[f.state];
      if (f.country in out) address.countryLetterCode = out[f.country];
      if (f.postal in out) address.postalCode = out[f.postal];
      for (const n of names) delete out[n];
      out[rule.v1] = address;
    } else if (rule.kind === 'member') {
      if (!(rule.v2 in out)) continue;
      out[rule.v1] = { [rule.member]: out[rule.v2] };
      delete out[rule.v2];
    } else if (rule.kind === 'date') {
      const value = out[rule.field];
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) out[rule.field] = `${value}T00:00:00Z`;
    } else if (Array.isArray(out[rule.field])) {
      out[rule.field] = (out[rule.field] as RecordData[]).map((line) => toV1(rule.entitySet, line));
    }
  }
  return out;
}

/** Field names of the v2.0 shape → the v1.0 properties that carry them (for `$select`). */
export function selectV1(entitySet: string, fields: readonly string[]): string[] {
  const rules = shapeRules(entitySet);
  const out = new Set<string>();
  for (const field of fields) {
    const rule = rules.find(
      (r) =>
        (r.kind === 'address' && Object.values(r.fields).includes(field)) || (r.kind === 'member' && r.v2 === field),
    );
    out.add(rule && rule.kind !== 'date' && rule.kind !== 'lines' ? rule.v1 : field);
  }
  return [...out];
}

/** The entity set a version's catalog knows under this name, or a precise error. */
export function requireEntitySet(catalog: BcCatalog, name: string): BcEntitySet {
  const set = catalog.entitySet(name);
  if (!set) throw new Error(`API ${catalog.version} has no entity set "${name}"`);
  return set;
}

function splitStreet(street: unknown): [string, string] {
  if (typeof street !== 'string' || street === '') return ['', ''];
  const at = street.search(/\r?\n/);
  if (at < 0) return [street, ''];
  return [street.slice(0, at), street.slice(at).replace(/^\r?\n/, '')];
}

function joinStreet(line1: unknown, line2: unknown): string {
  const a = typeof line1 === 'string' ? line1 : '';
  const b = typeof line2 === 'string' ? line2 : '';
  return b ? `${a}\r\n${b}` : a;
}
