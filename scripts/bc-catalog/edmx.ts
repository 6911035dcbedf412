// Business Central API v2.0 catalog from its $metadata (EDMX / CSDL XML, OData v4).
import { XMLParser } from 'fast-xml-parser';
import type {
  BcCatalogData,
  BcEntitySet,
  BcNavigation,
  BcProperty,
} from '../../core/connectors/business-central/catalog.js';

type XmlNode = Record<string, unknown>;

const LIST_TAGS = new Set([
  'Schema',
  'EntityType',
  'ComplexType',
  'EnumType',
  'Member',
  'Property',
  'PropertyRef',
  'NavigationProperty',
  'ReferentialConstraint',
  'Action',
  'Parameter',
  'EntitySet',
  'Annotation',
  'PropertyValue',
  'Record',
]);

const NAMESPACE = 'Microsoft.NAV.';

function list(node: unknown, key: string): XmlNode[] {
  const value = (node as XmlNode | undefined)?.[key];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function str(node: XmlNode, key: string): string | undefined {
  const value = node[key];
  return value === undefined ? undefined : String(value);
}

function unqualify(type: string): string {
  return type.startsWith(NAMESPACE) ? type.slice(NAMESPACE.length) : type;
}

/** `Collection(Microsoft.NAV.x)` → { type: 'Microsoft.NAV.x', collection: true }. */
function collectionOf(type: string): { type: string; collection: boolean } {
  const match = /^Collection\((.+)\)$/.exec(type);
  return match ? { type: match[1]!, collection: true } : { type, collection: false };
}

/** Capability annotations on an EntitySet, e.g. InsertRestrictions/Insertable. */
function capability(set: XmlNode, term: string, property: string): boolean {
  const annotation = list(set, 'Annotation').find((a) => a.Term === `Org.OData.Capabilities.V1.${term}`);
  const record = list(annotation, 'Record')[0];
  const value = list(record, 'PropertyValue').find((p) => p.Property === property);
  // Absent restriction = allowed (OData Capabilities vocabulary defaults).
  return value === undefined ? true : String(value.Bool) === 'true';
}

interface Model {
  entityTypes: Map<string, XmlNode>;
  complexTypes: Map<string, XmlNode>;
  enumTypes: Map<string, string[]>;
}

function property(node: XmlNode, model: Model, depth = 0): BcProperty {
  const { type, collection } = collectionOf(str(node, 'Type')!);
  const result: BcProperty = { name: str(node, 'Name')!, edmType: type, nullable: str(node, 'Nullable') !== 'false' };
  const maxLength = str(node, 'MaxLength');
  if (maxLength !== undefined && /^\d+$/.test(maxLength)) result.maxLength = Number(maxLength);
  if (collection) result.collection = true;
  const members = model.enumTypes.get(unqualify(type));
  if (members) result.enumMembers = members;
  const complex = model.complexTypes.get(unqualify(type));
  if (complex && depth < 3) result.properties = list(complex, 'Property').map((p) => property(p, model, depth + 1));
  return result;
}

/** Parses the EDMX text into the v2.0 catalog data (entity sets in name order, properties in spec order). */
export function catalogFromEdmx(xml: string): BcCatalogData {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    // Attributes share names with elements (Property="Insertable" vs <Property>): only elements become lists.
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && LIST_TAGS.has(name),
  });
  const doc = parser.parse(xml) as XmlNode;
  const services = (doc['edmx:Edmx'] as XmlNode)['edmx:DataServices'] as XmlNode;
  const schema = list(services, 'Schema').find((s) => s.Namespace === 'Microsoft.NAV');
  if (!schema) throw new Error('metadata.xml: no Microsoft.NAV schema');

  const model: Model = {
    entityTypes: new Map(list(schema, 'EntityType').map((t) => [str(t, 'Name')!, t])),
    complexTypes: new Map(list(schema, 'ComplexType').map((t) => [str(t, 'Name')!, t])),
    enumTypes: new Map(
      list(schema, 'EnumType').map((t) => [str(t, 'Name')!, list(t, 'Member').map((m) => str(m, 'Name')!)]),
    ),
  };
  const container = schema.EntityContainer as XmlNode;
  const sets = list(container, 'EntitySet');
  const setsByType = new Map<string, string[]>();
  for (const set of sets) {
    const type = unqualify(str(set, 'EntityType')!);
    setsByType.set(type, [...(setsByType.get(type) ?? []), str(set, 'Name')!]);
  }
  const onlySet = (type: string) => {
    const names = setsByType.get(type);
    return names?.length === 1 ? names[0] : undefined;
  };

  // Sets the company type contains are company-scoped; the others (companies, subscriptions…) sit at the root.
  const companyScoped = new Set(
    list(model.entityTypes.get('company'), 'NavigationProperty').map((n) => str(n, 'Name')!),
  );

  // Children: a contained collection navigation with a Partner (salesOrder.salesOrderLines → salesOrderLine).
  const parentTypes = new Map<string, Set<string>>();
  for (const [typeName, type] of model.entityTypes) {
    if (typeName === 'company') continue;
    for (const nav of list(type, 'NavigationProperty')) {
      const { type: target, collection } = collectionOf(str(nav, 'Type')!);
      if (!collection || str(nav, 'ContainsTarget') !== 'true' || str(nav, 'Partner') === undefined) continue;
      const child = unqualify(target);
      if (!parentTypes.has(child)) parentTypes.set(child, new Set());
      parentTypes.get(child)!.add(typeName);
    }
  }

  const actionsByType = new Map<string, string[]>();
  for (const action of list(schema, 'Action')) {
    if (str(action, 'IsBound') !== 'true') continue;
    const binding = list(action, 'Parameter')[0];
    if (!binding) continue;
    const type = unqualify(str(binding, 'Type')!);
    actionsByType.set(type, [...(actionsByType.get(type) ?? []), str(action, 'Name')!]);
  }

  const entitySets: BcEntitySet[] = sets.map((set) => {
    const name = str(set, 'Name')!;
    const typeName = unqualify(str(set, 'EntityType')!);
    const type = model.entityTypes.get(typeName);
    if (!type) throw new Error(`metadata.xml: entity set ${name} names unknown type ${typeName}`);
    const properties = list(type, 'Property').map((p) => property(p, model));
    const navigation: BcNavigation[] = list(type, 'NavigationProperty').map((nav) => {
      const { type: target, collection } = collectionOf(str(nav, 'Type')!);
      const entityType = unqualify(target);
      const result: BcNavigation = {
        name: str(nav, 'Name')!,
        entityType,
        collection,
        contained: str(nav, 'ContainsTarget') === 'true',
      };
      const targetSet = onlySet(entityType);
      if (targetSet) result.entitySet = targetSet;
      const constraint = list(nav, 'ReferentialConstraint')[0];
      if (constraint) {
        result.constraint = {
          property: str(constraint, 'Property')!,
          referencedProperty: str(constraint, 'ReferencedProperty')!,
        };
      }
      return result;
    });
    const parents = [...(parentTypes.get(typeName) ?? [])].flatMap((t) => setsByType.get(t) ?? []).sort();
    const entry: BcEntitySet = {
      name,
      entityType: typeName,
      key: list(type.Key, 'PropertyRef').map((ref) => str(ref, 'Name')!),
      properties,
      navigation,
      capabilities: {
        read: true,
        create: capability(set, 'InsertRestrictions', 'Insertable'),
        update: capability(set, 'UpdateRestrictions', 'Updatable'),
        delete: capability(set, 'DeleteRestrictions', 'Deletable'),
      },
      actions: [...(actionsByType.get(typeName) ?? [])].sort(),
      scope: companyScoped.has(name) ? 'company' : 'root',
    };
    if (parents.length === 1) entry.containedIn = parents[0];
    if (parents.length > 0) entry.parents = parents;
    if (properties.some((p) => p.name === 'lastModifiedDateTime')) entry.deltaField = 'lastModifiedDateTime';
    return entry;
  });
  entitySets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { version: 'v2.0', entitySets };
}
