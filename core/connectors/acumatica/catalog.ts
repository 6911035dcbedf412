// The Acumatica entity catalog of the contract-based REST API: for each endpoint (Default, MANUFACTURING,
// eCommerce) and version, its entities with their fields and wrapper types, detail/linked entities, key fields,
// actions and delta field. catalog/*.json are generated from the endpoint definitions in resources/specs/acumatica by
// scripts/generate-acumatica-catalog.ts — never edit them by hand; a unit test fails when they drift.
// The JSON is imported (not read from disk) so that the bundled CLI and Electron builds carry it.
import { ACUMATICA_CATALOG_DATA } from './catalog-data.js';
import { ACUMATICA_KEYS } from './keys.js';

export type AcumaticaEndpoint = 'Default' | 'MANUFACTURING' | 'eCommerce';
export type AcuEntityKind = 'top' | 'detail' | 'linked';

export interface AcuField {
  name: string;
  /** The wrapper type as the spec names it: 'StringValue', 'DecimalValue', 'IntValue', 'ShortValue', 'LongValue',
   *  'ByteValue', 'BooleanValue', 'DateTimeValue', 'GuidValue'. */
  type: string;
}

export interface AcuLink {
  name: string;
  entity: string;
  /** true: a detail array (SalesOrder.Details); false: one linked entity (SalesOrder.ShipToAddress). */
  collection: boolean;
}

export interface AcuEntity {
  name: string;
  topLevel: boolean;
  kind: AcuEntityKind;
  /** The screen a top-level entity is mapped to ('SO301000'). */
  screen?: string;
  fields: AcuField[];
  links: AcuLink[];
  /** Key fields in URL order (SalesOrder/SO/000001); empty when the entity is addressed by `id` only. */
  keys: string[];
  actions: string[];
  /** Parameters of the actions that take any (ReleaseRetainage: AmtToRelease, Date, PostPeriod). */
  actionParameters: Record<string, AcuField[]>;
  deltaField?: string;
}

export interface AcuCatalog {
  endpoint: AcumaticaEndpoint;
  version: string;
  /** The endpoint this one extends (eCommerce → Default of the same version); its entities are merged in. */
  extends?: { endpoint: AcumaticaEndpoint; version: string };
  entities: AcuEntity[];
  entity(name: string): AcuEntity | undefined;
}

/** One entity as the generated JSON holds it: the endpoint definition's own words, nothing derived. */
export interface AcuEntityData {
  name: string;
  kind: AcuEntityKind;
  screen?: string;
  /** Field name → wrapper type. */
  fields: Record<string, string>;
  /** Field name → entity type, `[]` for a collection ('SalesOrderDetail[]'). */
  links: Record<string, string>;
  /** Action name → parameter name → wrapper type. */
  actions?: Record<string, Record<string, string>>;
}

export interface AcuCatalogData {
  endpoint: AcumaticaEndpoint;
  version: string;
  systemContractVersion: number;
  extends?: { endpoint: AcumaticaEndpoint; version: string };
  entities: AcuEntityData[];
}

const ENDPOINTS: readonly AcumaticaEndpoint[] = ['Default', 'MANUFACTURING', 'eCommerce'];

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The shipped versions of an endpoint, oldest first (newest last). */
export function acumaticaVersions(endpoint: AcumaticaEndpoint): string[] {
  return ACUMATICA_CATALOG_DATA.filter((d) => d.endpoint === endpoint)
    .map((d) => d.version)
    .sort(compareVersions);
}

/**
 * An extending endpoint (eCommerce) adds entities and, under an existing entity's name, fields, links and actions
 * to the base entity — its swagger holds the base entity with both sets of fields.
 */
function merge(base: AcuEntityData[], extension: AcuEntityData[]): AcuEntityData[] {
  const byName = new Map(base.map((e) => [e.name, e]));
  for (const ext of extension) {
    const existing = byName.get(ext.name);
    byName.set(
      ext.name,
      existing
        ? {
            ...existing,
            fields: { ...existing.fields, ...ext.fields },
            links: { ...existing.links, ...ext.links },
            actions: existing.actions || ext.actions ? { ...existing.actions, ...ext.actions } : undefined,
          }
        : ext,
    );
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function entityOf(data: AcuEntityData): AcuEntity {
  const fields = Object.entries(data.fields).map(([name, type]) => ({ name, type }));
  const has = (name: string) => data.fields[name] !== undefined;
  const keys = data.kind === 'top' ? (ACUMATICA_KEYS[data.name] ?? []) : [];
  const actions = Object.keys(data.actions ?? {});
  const actionParameters: Record<string, AcuField[]> = {};
  for (const [action, parameters] of Object.entries(data.actions ?? {})) {
    const list = Object.entries(parameters).map(([name, type]) => ({ name, type }));
    if (list.length > 0) actionParameters[action] = list;
  }
  const entity: AcuEntity = {
    name: data.name,
    topLevel: data.kind === 'top',
    kind: data.kind,
    fields,
    links: Object.entries(data.links).map(([name, type]) => ({
      name,
      entity: type.replace(/\[\]$/, ''),
      collection: type.endsWith('[]'),
    })),
    // A key the definition lacks (an older version) leaves the entity addressable by id only.
    keys: keys.every(has) ? [...keys] : [],
    actions,
    actionParameters,
  };
  if (data.screen) entity.screen = data.screen;
  // Most entities have LastModifiedDateTime; StockItem and SalesOrder before 24.200.001 only LastModified.
  const delta = ['LastModifiedDateTime', 'LastModified'].find((name) => data.fields[name] === 'DateTimeValue');
  if (delta) entity.deltaField = delta;
  return entity;
}

const cache = new Map<string, AcuCatalog>();

function dataOf(endpoint: AcumaticaEndpoint, version: string): AcuCatalogData | undefined {
  return ACUMATICA_CATALOG_DATA.find((d) => d.endpoint === endpoint && d.version === version);
}

/** The catalog of one endpoint version (default: the newest shipped), built once and cached. */
export function acumaticaCatalog(endpoint: AcumaticaEndpoint, version?: string): AcuCatalog {
  if (!ENDPOINTS.includes(endpoint)) {
    throw new Error(`unknown Acumatica endpoint "${String(endpoint)}" (expected ${ENDPOINTS.join(', ')})`);
  }
  const versions = acumaticaVersions(endpoint);
  const chosen = version ?? versions[versions.length - 1]!;
  const id = `${endpoint}/${chosen}`;
  let catalog = cache.get(id);
  if (catalog) return catalog;
  const data = dataOf(endpoint, chosen);
  if (!data) {
    throw new Error(
      `unknown version "${chosen}" of the Acumatica ${endpoint} endpoint (shipped: ${versions.join(', ')})`,
    );
  }
  let entities = data.entities;
  if (data.extends) {
    const base = dataOf(data.extends.endpoint, data.extends.version);
    if (!base) throw new Error(`${id} extends ${data.extends.endpoint}/${data.extends.version}, which is not shipped`);
    entities = merge(base.entities, entities);
  }
  const list = entities.map(entityOf);
  const byName = new Map(list.map((e) => [e.name, e]));
  catalog = { endpoint, version: chosen, entities: list, entity: (name) => byName.get(name) };
  if (data.extends) catalog.extends = data.extends;
  cache.set(id, catalog);
  return catalog;
}
