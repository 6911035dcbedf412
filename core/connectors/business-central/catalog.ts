// The Business Central entity catalog: entity sets, their properties, keys, navigations, capabilities and bound
// actions for the standard API v2.0 (from its $metadata) and v1.0 (from Microsoft's OpenAPI of v1.0, the model BC14
// on-premises serves). Generated from the spec copies in resources/specs/business-central by
// scripts/generate-bc-catalog.ts — never edit catalog/*.json by hand; a unit test fails when they drift.
// The JSON is imported (not read from disk) so that the bundled CLI and Electron builds carry it.
import v1 from './catalog/v1.0.json' with { type: 'json' };
import v2 from './catalog/v2.0.json' with { type: 'json' };

export type BcApiVersion = 'v1.0' | 'v2.0';

export interface BcProperty {
  name: string;
  /** 'Edm.String', 'Edm.Guid', 'Edm.Decimal', …, or the qualified name of an enum or complex type. */
  edmType: string;
  nullable: boolean;
  maxLength?: number;
  /** EDM member names as BC serves them (escaped: '_x0020_', 'G_x002F_L_x0020_Account'). */
  enumMembers?: string[];
  /** Members of a complex type (v1.0 postal addresses, line object details, …). */
  properties?: BcProperty[];
  /** Neither spec marks single properties read-only today; kept for when one does. */
  readOnly?: boolean;
  /** `Collection(…)` of a primitive or complex type. */
  collection?: boolean;
}

export interface BcNavigation {
  name: string;
  /** The company-level entity set holding the target type, when exactly one does. */
  entitySet?: string;
  entityType: string;
  collection: boolean;
  /** The spec reaches the target through the parent's URL (ContainsTarget in v2.0, a nested path in v1.0). */
  contained: boolean;
  /**
   * How the two sides match (v2.0 ReferentialConstraint): this entity's `property` equals the target's
   * `referencedProperty` (salesOrder.id = salesOrderLine.documentId; salesOrder.customerId = customer.id).
   */
  constraint?: { property: string; referencedProperty: string };
}

export interface BcEntitySet {
  name: string;
  entityType: string;
  key: string[];
  properties: BcProperty[];
  navigation: BcNavigation[];
  capabilities: { read: boolean; create: boolean; update: boolean; delete: boolean };
  /** Bound actions, called as POST …/<set>(<key>)/Microsoft.NAV.<action>. */
  actions: string[];
  /** For lines and other children with a single parent: the parent's entity set ('salesOrders'). */
  containedIn?: string;
  /** Every entity set that contains this one (several for dimensionSetLines, attachments, …). */
  parents?: string[];
  deltaField?: string;
  /** 'root' sets sit at the API root (companies, subscriptions); 'company' sets under companies(<id>)/. */
  scope: 'root' | 'company';
}

export interface BcCatalogData {
  version: BcApiVersion;
  entitySets: BcEntitySet[];
}

export interface BcCatalog extends BcCatalogData {
  entitySet(name: string): BcEntitySet | undefined;
}

const data: Record<BcApiVersion, BcCatalogData> = {
  'v1.0': v1 as BcCatalogData,
  'v2.0': v2 as BcCatalogData,
};
const cache = new Map<BcApiVersion, BcCatalog>();

/** The catalog of one API version (built once, then cached). */
export function bcCatalog(version: BcApiVersion): BcCatalog {
  let catalog = cache.get(version);
  if (!catalog) {
    const source = data[version];
    if (!source) throw new Error(`unknown Business Central API version "${version}" (expected v1.0 or v2.0)`);
    const byName = new Map(source.entitySets.map((set) => [set.name, set]));
    catalog = { ...source, entitySet: (name) => byName.get(name) };
    cache.set(version, catalog);
  }
  return catalog;
}
