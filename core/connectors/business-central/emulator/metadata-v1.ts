// BC14 serves $metadata for API v1.0 too; no capture of it is public, so the emulator writes a CSDL document from
// the v1.0 catalog (itself generated from Microsoft's OpenAPI of v1.0): entity types, complex types, keys, sets.
import { type BcProperty, bcCatalog } from '../catalog.js';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function propertyXml(p: BcProperty): string {
  const type = p.collection ? `Collection(${p.edmType})` : p.edmType;
  const attributes = [`Name="${escape(p.name)}"`, `Type="${escape(type)}"`];
  if (!p.nullable) attributes.push('Nullable="false"');
  if (p.maxLength !== undefined) attributes.push(`MaxLength="${p.maxLength}"`);
  return `<Property ${attributes.join(' ')} />`;
}

let cached: string | undefined;

export function v1Metadata(): string {
  if (cached) return cached;
  const catalog = bcCatalog('v1.0');
  const types = new Map<string, string>();
  const complex = new Map<string, string>();
  for (const set of catalog.entitySets) {
    for (const p of set.properties) {
      if (p.properties && !complex.has(p.edmType)) {
        complex.set(p.edmType, `<ComplexType Name="${p.edmType.replace('Microsoft.NAV.', '')}">${p.properties.map(propertyXml).join('')}</ComplexType>`); // prettier-ignore
      }
    }
    if (types.has(set.entityType)) continue;
    const keys = set.key.map((k) => `<PropertyRef Name="${k}" />`).join('');
    const navigations = set.navigation
      .map(
        (n) =>
          `<NavigationProperty Name="${n.name}" Type="${n.collection ? `Collection(Microsoft.NAV.${n.entityType})` : `Microsoft.NAV.${n.entityType}`}"${n.contained ? ' ContainsTarget="true"' : ''} />`,
      ) // prettier-ignore
      .join('');
    types.set(set.entityType, `<EntityType Name="${set.entityType}"><Key>${keys}</Key>${set.properties.map(propertyXml).join('')}${navigations}</EntityType>`); // prettier-ignore
  }
  const sets = catalog.entitySets
    .map((s) => `<EntitySet Name="${s.name}" EntityType="Microsoft.NAV.${s.entityType}" />`)
    .join('');
  cached =
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
    '<Schema Namespace="Microsoft.NAV" xmlns="http://docs.oasis-open.org/odata/ns/edm">' +
    [...complex.values(), ...types.values()].join('') +
    `<EntityContainer Name="NAV">${sets}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`;
  return cached;
}
