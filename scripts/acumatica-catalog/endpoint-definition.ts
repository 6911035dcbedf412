// Acumatica catalog data from an endpoint definition (`endpoint-definition.xml`, the contract of one endpoint
// version as Acumatica's web-service endpoint screen SM207060 exports it). Only the contract is kept: entities,
// their fields with wrapper types, links to detail/linked entities and actions with parameters. The screen
// mappings (<Mappings>) are how Acumatica fills the fields and say nothing about the wire format, so they are dropped.
import { XMLParser } from 'fast-xml-parser';
import type {
  AcuCatalogData,
  AcuEntityData,
  AcumaticaEndpoint,
  AcuEntityKind,
} from '../../core/connectors/acumatica/catalog.js';

type XmlNode = Record<string, unknown>;

const LIST_TAGS = new Set(['TopLevelEntity', 'Detail', 'LinkedEntity', 'Field', 'Action']);
const KINDS: Record<string, AcuEntityKind> = { TopLevelEntity: 'top', Detail: 'detail', LinkedEntity: 'linked' };
const ENDPOINTS: readonly AcumaticaEndpoint[] = ['Default', 'MANUFACTURING', 'eCommerce'];

function list(node: unknown, key: string): XmlNode[] {
  const value = (node as XmlNode | undefined)?.[key];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

/** `<Fields><Field name type/>…</Fields>` → [name, type] pairs in spec order. */
function fieldsOf(node: XmlNode): [string, string][] {
  const fields = node.Fields as XmlNode | undefined;
  return list(fields, 'Field').map((f) => [String(f.name), String(f.type)]);
}

function endpointName(value: unknown, file: string): AcumaticaEndpoint {
  const name = String(value);
  if (!(ENDPOINTS as readonly string[]).includes(name)) throw new Error(`${file}: unknown endpoint "${name}"`);
  return name as AcumaticaEndpoint;
}

/**
 * Parses one endpoint definition. A field whose type ends in `Value` is a wrapped value (`StringValue`,
 * `DecimalValue`, …); any other type names a Detail or LinkedEntity of the same contract (or of the endpoint it
 * extends), with `[]` for a collection (`SalesOrderDetail[]`).
 */
export function catalogFromEndpointDefinition(xml: string, file = 'endpoint-definition.xml'): AcuCatalogData {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && LIST_TAGS.has(name),
  });
  // Some files carry a UTF-8 BOM or declare cp866/IBM437; all of them are plain ASCII, so the text parses as is.
  const endpoint = parser.parse(xml.replace(/^\uFEFF/, '')).Endpoint as XmlNode | undefined;
  if (!endpoint) throw new Error(`${file}: no <Endpoint> element`);

  const data: AcuCatalogData = {
    endpoint: endpointName(endpoint.name, file),
    version: String(endpoint.version),
    systemContractVersion: Number(endpoint.systemContractVersion),
    entities: [],
  };
  const base = endpoint.ExtendsEndpoint as XmlNode | undefined;
  if (base) data.extends = { endpoint: endpointName(base.name, file), version: String(base.version) };

  const seen = new Set<string>();
  // Entities in file order: the XML parser groups by tag, so walk each kind and restore the order by position.
  const ordered: { kind: AcuEntityKind; node: XmlNode; at: number }[] = [];
  for (const [tag, kind] of Object.entries(KINDS)) {
    for (const node of list(endpoint, tag)) {
      const at = xml.indexOf(`<${tag} name="${String(node.name)}"`);
      if (at < 0) throw new Error(`${file}: cannot place <${tag} name="${String(node.name)}">`);
      ordered.push({ kind, node, at });
    }
  }
  ordered.sort((a, b) => a.at - b.at);

  for (const { kind, node } of ordered) {
    const name = String(node.name);
    if (seen.has(name)) throw new Error(`${file}: entity ${name} is defined twice`);
    seen.add(name);
    const screen = node.screen === undefined ? {} : { screen: String(node.screen) };
    const entity: AcuEntityData = { name, kind, ...screen, fields: {}, links: {} };
    for (const [field, type] of fieldsOf(node)) {
      if (/Value$/.test(type)) entity.fields[field] = type;
      else entity.links[field] = type;
    }
    const actions = list(node.Actions, 'Action');
    if (actions.length > 0) {
      entity.actions = {};
      for (const action of actions) entity.actions[String(action.name)] = Object.fromEntries(fieldsOf(action));
    }
    data.entities.push(entity);
  }
  return data;
}
