// Records on the wire, through the catalog entity of the endpoint version called: `id`, `rowNumber`, `note`, every
// field of that version wrapped (`{}` when empty), detail and linked entities only when expanded, `custom`, `files`
// when expanded, and `_links` (self, files:put) on top-level entities — the shape of Acumatica's responses.
import { createHash } from 'node:crypto';
import type { AcuCatalog, AcuEntity } from '../catalog.js';
import type { Shape } from './query.js';
import type { AcuStore } from './store.js';
import { type AcuRecord, wrap } from './values.js';

export type Json = Record<string, unknown>;

export interface RenderContext {
  catalog: AcuCatalog;
  store: AcuStore;
  /** Path of the endpoint version ('/MyStoreInstance/entity/Default/24.200.001'). */
  base: string;
}

/** The graph and primary view Acumatica names in a record's files:put link, for the screens seeded here. */
const SCREEN_GRAPHS: Record<string, { graph: string; view: string; title: string }> = {
  IN202500: { graph: 'PX.Objects.IN.InventoryItemMaint', view: 'Item', title: 'Stock Items' },
  IN202000: { graph: 'PX.Objects.IN.NonStockItemMaint', view: 'Item', title: 'Non-Stock Items' },
  AR303000: { graph: 'PX.Objects.AR.CustomerMaint', view: 'BAccount', title: 'Customers' },
  AP303000: { graph: 'PX.Objects.AP.VendorMaint', view: 'BAccount', title: 'Vendors' },
  CR302000: { graph: 'PX.Objects.CR.ContactMaint', view: 'Contact', title: 'Contacts' },
  SO301000: { graph: 'PX.Objects.SO.SOOrderEntry', view: 'Document', title: 'Sales Orders' },
  SO303000: { graph: 'PX.Objects.SO.SOInvoiceEntry', view: 'Document', title: 'Invoices' },
  SO302000: { graph: 'PX.Objects.SO.SOShipmentEntry', view: 'Document', title: 'Shipments' },
  AR302000: { graph: 'PX.Objects.AR.ARPaymentEntry', view: 'Document', title: 'Payments and Applications' },
  GL301000: { graph: 'PX.Objects.GL.JournalEntry', view: 'BatchModule', title: 'Journal Transactions' },
};

export function screenInfo(entity: AcuEntity): { graph: string; view: string; title: string } {
  return SCREEN_GRAPHS[entity.screen ?? ''] ?? { graph: `PX.Objects.${entity.screen ?? entity.name}`, view: 'Document', title: entity.name }; // prettier-ignore
}

/** A stable id for a linked entity the record has no data for yet (Acumatica always has one). */
function derivedId(parent: string, link: string): string {
  const hex = createHash('sha1').update(`${parent}/${link}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The fields of `entity` a shape selects at `prefix` ('' for the top level, 'Details/' below it). */
function selected(shape: Shape, prefix: string, name: string): boolean {
  if (!shape.select) return true;
  const here = [...shape.select].filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'));
  // Below the top level, naming no field of a link means all of them.
  if (prefix !== '' && here.length === 0) return true;
  return here.includes(`${prefix}${name}`);
}

function renderCustom(record: AcuRecord, shape: Shape, top: boolean): Json {
  if (!top || shape.custom.length === 0) return {};
  const custom: Record<string, Json> = {};
  for (const { view, field } of shape.custom) {
    const stored = record.custom?.[view]?.[field];
    (custom[view] ??= {})[field] = { type: stored?.type ?? 'CustomStringField', value: stored?.value ?? null };
  }
  return custom;
}

function renderEntity(
  ctx: RenderContext,
  entity: AcuEntity,
  record: AcuRecord,
  shape: Shape,
  prefix: string,
  rowNumber: number,
): Json {
  const out: Json = { id: record.id, rowNumber, note: wrap(record.note ?? '') };
  for (const field of entity.fields) {
    if (selected(shape, prefix, field.name)) out[field.name] = wrap(record.fields[field.name]);
  }
  for (const link of entity.links) {
    const path = `${prefix}${link.name}`;
    if (!shape.expand.has(path)) continue;
    const target = ctx.catalog.entity(link.entity);
    if (!target) continue;
    const value = record.links[link.name];
    if (link.collection) {
      const rows = Array.isArray(value) ? value : [];
      out[link.name] = rows.map((row, i) => renderEntity(ctx, target, row, shape, `${path}/`, i + 1));
    } else {
      const linked = (Array.isArray(value) ? undefined : value) ?? { id: derivedId(record.id, link.name), fields: {}, links: {} }; // prettier-ignore
      out[link.name] = renderEntity(ctx, target, linked, shape, `${path}/`, 1);
    }
  }
  out.custom = renderCustom(record, shape, prefix === '');
  return out;
}

/** A top-level record as the API answers it. */
export function renderRecord(
  ctx: RenderContext,
  entity: AcuEntity,
  record: AcuRecord,
  shape: Shape,
  rowNumber = 1,
): Json {
  const out = renderEntity(ctx, entity, record, shape, '', rowNumber);
  const { graph, view } = screenInfo(entity);
  out._links = {
    self: `${ctx.base}/${entity.name}/${record.id}`,
    'files:put': `${ctx.base}/files/${graph}/${view}/${record.id}/{filename}`,
  };
  if (shape.expand.has('files')) {
    out.files = (record.files ?? []).flatMap((id) => {
      const file = ctx.store.file(id);
      return file ? [{ id: file.id, filename: file.name, href: `${ctx.base}/files/${file.id}` }] : [];
    });
  }
  return out;
}

/** GET /{Entity}/$adHocSchema: every field as an empty wrapper, links one level deep, the known custom fields. */
export function renderSchema(
  catalog: AcuCatalog,
  entity: AcuEntity,
  custom: Array<{ view: string; field: string; type: string }>,
  depth = 0,
): Json {
  const out: Json = { id: null, rowNumber: null, note: {} };
  for (const field of entity.fields) out[field.name] = {};
  if (depth < 2) {
    for (const link of entity.links) {
      const target = catalog.entity(link.entity);
      if (!target) continue;
      const schema = renderSchema(catalog, target, [], depth + 1);
      out[link.name] = link.collection ? [schema] : schema;
    }
  }
  const views: Record<string, Json> = {};
  for (const c of custom) (views[c.view] ??= {})[c.field] = { type: c.type };
  out.custom = views;
  return out;
}
