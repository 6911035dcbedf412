/**
 * The Lightspeed X-Series entity catalog, generated from Lightspeed's OpenAPI of API 2.0
 * (`npm run generate:lightspeed-catalog` → catalog/catalog.json; catalog.test.ts regenerates and compares). Every
 * list resource pages by the `version` cursor, so every entity's delta field is `version`; writes name the request
 * the API takes for them (some live in API 2.1 or 0.9, see the generator's table).
 */
import catalogJson from './catalog/catalog.json' with { type: 'json' };

export type LsFieldType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'object' | 'array';

export interface LsField {
  name: string;
  type: LsFieldType;
  /** Present with a null value allowed (OpenAPI `nullable`). */
  nullable?: boolean;
  required?: boolean;
  enum?: string[];
  /** The spec's format: uuid, int64, double, email. */
  format?: string;
  /** Arrays of scalars: the items' type. */
  items?: LsFieldType;
  /** Objects, and arrays of objects: their fields. */
  fields?: LsField[];
  description?: string;
}

export interface LsEntityField extends LsField {
  /** Read from the API, never written (no write body of the entity has it). */
  readOnly?: boolean;
  /** Only in the write bodies (e.g. `product_category_id`, `inventory` of products). */
  writeOnly?: boolean;
  /** In the spec's response examples but not in its schema (e.g. `version` of inventory records). */
  fromExample?: boolean;
}

/** How one kind of write goes out: the request and the fields its body takes. */
export interface LsWrite {
  method: 'POST' | 'PUT';
  /** Relative to the store's origin, `{id}` for the record's id: `/api/2.1/products/{id}`. */
  path: string;
  /** The spec schema (or documentation page) the body comes from. */
  source: string;
  fields: LsField[];
}

export interface LsEntity {
  name: string;
  label: string;
  /** The list resource under /api/2.0 (`/products`). */
  path: string;
  /** The spec schema of one record (`Product`). */
  schema: string;
  key: 'id';
  deltaField: 'version';
  /** Takes `deleted=true` (soft-deleted records with `deleted_at`). */
  deleted: boolean;
  /** `/search?type=…` parameters that find records of this entity by a field (`sku`, `email`). */
  search: string[];
  fields: LsEntityField[];
  create?: LsWrite;
  update?: LsWrite;
  /** Product updates (API 2.1): the fields that go into `details` (one variant); the rest go into `common`. */
  detailFields?: string[];
}

export interface LsCatalogData {
  format: 'ferry-lightspeed-catalog/1';
  /** The spec copy it was generated from. */
  spec: string;
  apiVersion: string;
  entities: LsEntity[];
}

export class LsCatalog {
  private readonly byName: Map<string, LsEntity>;

  constructor(readonly data: LsCatalogData) {
    this.byName = new Map(data.entities.map((e) => [e.name, e]));
  }

  get entities(): readonly LsEntity[] {
    return this.data.entities;
  }

  entity(name: string): LsEntity | undefined {
    return this.byName.get(name);
  }
}

let cached: LsCatalog | undefined;

export function lightspeedCatalog(): LsCatalog {
  cached ??= new LsCatalog(catalogJson as unknown as LsCatalogData);
  return cached;
}
