// Inquiry entities: a PUT with the inquiry's parameter fields runs the inquiry and answers the entity with its result
// rows in the detail `Results` (only when expanded, contract version 4). Nothing is stored. Also the custom endpoint
// the I310 course builds (ItemAvailabilityData 0001, an inquiry over item availability): its definition is not
// published, so the emulator defines the smallest one the course's request and test need.
import type { AcuCatalog, AcuEntity } from '../catalog.js';
import type { AcuStore } from './store.js';
import type { AcuRecord, Primitive } from './values.js';

interface AvailabilityRow {
  InventoryID: string;
  Description: Primitive;
  WarehouseID: string;
  QtyOnHand: number;
  QtyAvailable: number;
  BaseUOM: Primitive;
}

/** Quantities per stock item and warehouse, from the items' warehouse details. */
function availability(store: AcuStore, inventoryId?: Primitive, warehouseId?: Primitive): AvailabilityRow[] {
  const same = (a: Primitive | undefined, b: Primitive | undefined) =>
    a === null || a === undefined || a === '' || String(a).toLowerCase() === String(b ?? '').toLowerCase();
  const rows: AvailabilityRow[] = [];
  for (const item of store.records('StockItem')) {
    if (!same(inventoryId, item.fields.InventoryID)) continue;
    const details = Array.isArray(item.links.WarehouseDetails) ? item.links.WarehouseDetails : [];
    for (const detail of details) {
      if (!same(warehouseId, detail.fields.WarehouseID)) continue;
      const qty = typeof detail.fields.QtyOnHand === 'number' ? detail.fields.QtyOnHand : 0;
      rows.push({
        InventoryID: String(item.fields.InventoryID),
        Description: item.fields.Description ?? null,
        WarehouseID: String(detail.fields.WarehouseID),
        QtyOnHand: qty,
        QtyAvailable: qty,
        BaseUOM: item.fields.BaseUOM ?? null,
      });
    }
  }
  return rows;
}

export interface Inquiry {
  /** The detail link holding the result rows. */
  results: string;
  run(store: AcuStore, parameters: AcuRecord, now: () => number): Array<Record<string, Primitive>>;
}

/** An inquiry over item availability whose result rows have `columns` (result field → row field or a constant). */
function availabilityInquiry(results: string, columns: Record<string, keyof AvailabilityRow | number>): Inquiry {
  return {
    results,
    run: (store, p) =>
      availability(store, p.fields.InventoryID, p.fields.WarehouseID).map(
        (row) =>
        Object.fromEntries(Object.entries(columns).map(([name, from]) => [name, typeof from === 'number' ? from : row[from]])), // prettier-ignore
      ),
  };
}

export const INQUIRIES: Record<string, Inquiry> = {
  InventorySummaryInquiry: availabilityInquiry('Results', {
    WarehouseID: 'WarehouseID',
    QtyOnHand: 'QtyOnHand',
    QtyAvailable: 'QtyAvailable',
    QtyAvailableForShipment: 'QtyAvailable',
    QtyNotAvailable: 0,
    BaseUOM: 'BaseUOM',
  }),
  ItemAvailabilityDataInquiry: availabilityInquiry('ItemAvailabilityDataInquiryDetails', {
    InventoryID: 'InventoryID',
    Description: 'Description',
    WarehouseID: 'WarehouseID',
    QtyOnHand: 'QtyOnHand',
    QtyAvailable: 'QtyAvailable',
  }),
};

const entity = (name: string, topLevel: boolean, fields: Array<[string, string]>, links: AcuEntity['links'] = []): AcuEntity => ({ name, topLevel, kind: topLevel ? 'top' : 'detail', fields: fields.map(([n, type]) => ({ name: n, type })), links, keys: [], actions: [], actionParameters: {} }); // prettier-ignore

/** The custom endpoint ItemAvailabilityData/0001 of the I310 course (GI-like inquiry over item quantities). */
export function itemAvailabilityEndpoint(): AcuCatalog {
  const entities = [
    entity('ItemAvailabilityDataInquiry', true, [['InventoryID', 'StringValue'], ['WarehouseID', 'StringValue']], [ { name: 'ItemAvailabilityDataInquiryDetails', entity: 'ItemAvailabilityDataInquiryDetail', collection: true } ]), // prettier-ignore
    entity('ItemAvailabilityDataInquiryDetail', false, [['InventoryID', 'StringValue'], ['Description', 'StringValue'], ['WarehouseID', 'StringValue'], ['QtyOnHand', 'DecimalValue'], ['QtyAvailable', 'DecimalValue']]), // prettier-ignore
  ];
  const byName = new Map(entities.map((e) => [e.name, e]));
  return { endpoint: 'ItemAvailabilityData' as never, version: '0001', entities, entity: (n) => byName.get(n) };
}
