// Business Central API v1.0 catalog from Microsoft's OpenAPI 3 (BCOAS1.0.yaml). The YAML has no $metadata-style
// entity model, so the model is read off its paths (entity sets, keys, nesting, verbs, bound actions) and its
// component schemas (properties). v1.0 options are plain strings there, so no enum members.
import { parse } from 'yaml';
import type {
  BcCatalogData,
  BcEntitySet,
  BcNavigation,
  BcProperty,
} from '../../core/connectors/business-central/catalog.js';

interface Schema {
  type?: string;
  format?: string;
  nullable?: boolean;
  maxLength?: number;
  $ref?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
}
type Operation = { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
type PathItem = Partial<Record<'get' | 'post' | 'patch' | 'delete', Operation>>;
interface OpenApi {
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Schema> };
}

interface Segment {
  name: string;
  /** Key part names, from the path parameters (`{salesOrderLine_id}` → 'id'). */
  keys?: string[];
}

function segment(text: string): Segment {
  const match = /^([A-Za-z.]+)(?:\((.*)\))?$/.exec(text);
  if (!match) throw new Error(`BCOAS1.0.yaml: unexpected path segment "${text}"`);
  if (match[2] === undefined) return { name: match[1]! };
  // `{defaultDimensions_parentId}`, `'{customerSale_customerNumber}'`: the part after the last underscore.
  const keys = match[2].split(',').map((part) => part.replace(/['{}]/g, '').split('_').pop()!);
  return { name: match[1]!, keys };
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

function edmType(schema: Schema): string {
  if (schema.type === 'string') {
    if (schema.format === 'uuid') return 'Edm.Guid';
    if (schema.format === 'date') return 'Edm.Date';
    if (schema.format === 'date-time') return 'Edm.DateTimeOffset';
    if (schema.format === 'binary') return 'Edm.Stream';
    return 'Edm.String';
  }
  if (schema.type === 'integer') return schema.format === 'int64' ? 'Edm.Int64' : 'Edm.Int32';
  if (schema.type === 'number') return 'Edm.Decimal';
  if (schema.type === 'boolean') return 'Edm.Boolean';
  throw new Error(`BCOAS1.0.yaml: unexpected schema type ${JSON.stringify(schema)}`);
}

interface SetFacts {
  entityType?: string;
  key?: string[];
  create: boolean;
  update: boolean;
  delete: boolean;
  actions: Set<string>;
  parents: Set<string>;
  /** Navigation names reachable as a nested path under this set's entities. */
  nestedPaths: Set<string>;
}

function collectionType(item: PathItem): string | undefined {
  const schema = item.get?.responses?.['200']?.content?.['application/json']?.schema;
  const ref = schema?.properties?.value?.items?.$ref;
  return ref ? refName(ref) : undefined;
}

/** Parses the YAML text into the v1.0 catalog data (entity sets in name order, properties in spec order). */
export function catalogFromOpenApi(yamlText: string): BcCatalogData {
  const spec = parse(yamlText) as OpenApi;
  const schemas = spec.components.schemas;
  const sets = new Map<string, SetFacts>();
  const facts = (name: string) => {
    let entry = sets.get(name);
    if (!entry) {
      entry = {
        create: false,
        update: false,
        delete: false,
        actions: new Set(),
        parents: new Set(),
        nestedPaths: new Set(),
      };
      sets.set(name, entry);
    }
    return entry;
  };

  for (const [path, item] of Object.entries(spec.paths)) {
    const segments = path.split('/').slice(1).map(segment);
    // /companies and /companies({id}) describe the root set; everything else hangs below one company.
    const chain = segments[0]?.name === 'companies' && segments.length > 1 ? segments.slice(1) : segments;
    const last = chain[chain.length - 1]!;
    if (last.name.startsWith('Microsoft.NAV.')) {
      facts(chain[chain.length - 2]!.name).actions.add(last.name.slice('Microsoft.NAV.'.length));
      continue;
    }
    const set = facts(last.name);
    if (chain.length > 1) {
      const parent = chain[chain.length - 2]!.name;
      set.parents.add(parent);
      facts(parent).nestedPaths.add(last.name);
    }
    if (last.keys) {
      set.key ??= last.keys;
      if (item.patch) set.update = true;
      if (item.delete) set.delete = true;
    } else {
      if (item.post) set.create = true;
      if (chain.length === 1 || !set.entityType) set.entityType = collectionType(item) ?? set.entityType;
    }
  }

  const entityTypes = new Set([...sets.values()].map((s) => s.entityType).filter((t): t is string => !!t));
  const setsOfType = (type: string) => [...sets].filter(([, s]) => s.entityType === type).map(([name]) => name);

  const property = (name: string, schema: Schema): BcProperty => {
    const target = schema.$ref ? refName(schema.$ref) : schema.items?.$ref ? refName(schema.items.$ref) : undefined;
    const result: BcProperty = {
      name,
      edmType: target ? `Microsoft.NAV.${target}` : edmType(schema),
      nullable: schema.nullable !== false,
    };
    if (schema.maxLength !== undefined) result.maxLength = schema.maxLength;
    if (schema.type === 'array') result.collection = true;
    if (target) result.properties = complexMembers(target);
    return result;
  };
  // Complex type schemas in the YAML also list the navigations of the entity they were cut from; members are the
  // primitive properties only.
  const complexMembers = (name: string): BcProperty[] =>
    Object.entries(schemas[name]?.properties ?? {})
      .filter(([, s]) => !s.$ref && !s.items)
      .map(([n, s]) => property(n, s));

  const entitySets: BcEntitySet[] = [];
  for (const [name, set] of sets) {
    if (!set.entityType) continue;
    const schema = schemas[set.entityType];
    if (!schema?.properties) throw new Error(`BCOAS1.0.yaml: no schema for ${set.entityType}`);
    const properties: BcProperty[] = [];
    const navigation: BcNavigation[] = [];
    for (const [propName, prop] of Object.entries(schema.properties)) {
      const target = prop.$ref ?? prop.items?.$ref;
      if (target && entityTypes.has(refName(target))) {
        const entityType = refName(target);
        const nav: BcNavigation = {
          name: propName,
          entityType,
          collection: prop.type === 'array',
          contained: set.nestedPaths.has(propName),
        };
        const targets = setsOfType(entityType);
        if (targets.length === 1) nav.entitySet = targets[0];
        navigation.push(nav);
      } else {
        properties.push(property(propName, prop));
      }
    }
    const parents = [...set.parents].sort();
    const entry: BcEntitySet = {
      name,
      entityType: set.entityType,
      key: set.key ?? ['id'],
      properties,
      navigation,
      capabilities: { read: true, create: set.create, update: set.update, delete: set.delete },
      actions: [...set.actions].sort(),
      scope: name === 'companies' ? 'root' : 'company',
    };
    if (parents.length === 1) entry.containedIn = parents[0];
    if (parents.length > 0) entry.parents = parents;
    if (properties.some((p) => p.name === 'lastModifiedDateTime')) entry.deltaField = 'lastModifiedDateTime';
    entitySets.push(entry);
  }
  entitySets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { version: 'v1.0', entitySets };
}
