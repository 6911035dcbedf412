// Business rules behind the screens the seeded entities map to: defaults and auto-numbering on insert, required
// fields, value lists, references to other records, and derived totals and statuses. A broken rule is a field
// error; PUT answers 422 with the entity and an `error` on each field concerned. Required-field texts follow
// Acumatica's "'<Display Name>' cannot be empty."; the other texts are the emulator's own.
import { randomUUID } from 'node:crypto';
import type { AcuStore } from './store.js';
import { isoDateTime, type AcuRecord, type Primitive } from './values.js';

export interface FieldError {
  /** Field path from the top-level entity: ['CustomerName'] or ['Details', '0', 'InventoryID']. */
  path: string[];
  message: string;
}

export interface RuleContext {
  store: AcuStore;
  now: () => number;
  created: boolean;
}

interface EntityRules {
  required?: string[];
  values?: Record<string, string[]>;
  /** Field → entities whose key it names. */
  references?: Record<string, string[]>;
  /** Detail link → field → entities whose key the detail field names. */
  detailReferences?: Record<string, Record<string, string[]>>;
  /** Values set on insert where the body left them empty. */
  defaults?: (record: AcuRecord, ctx: RuleContext) => Record<string, Primitive>;
  /** The auto-numbered key field and its next value. */
  number?: { field: string; next: (record: AcuRecord, store: AcuStore) => string | number };
  /** Completes the body before the checks (a shipment's order references become the orders' lines). */
  prepare?: (record: AcuRecord, ctx: RuleContext) => FieldError[];
  /** Totals, statuses and line numbers kept current on every save. */
  derive?: (record: AcuRecord, ctx: RuleContext) => void;
}

/** 'CustomerName' → 'Customer Name', 'CustomerID' → 'Customer ID' (how Acumatica's messages name a field). */
export function displayName(field: string): string {
  return field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

const padded = (n: number, width = 6) => String(n).padStart(width, '0');
const lines = (record: AcuRecord, link: string) => (Array.isArray(record.links[link]) ? (record.links[link] as AcuRecord[]) : []); // prettier-ignore
const num = (v: Primitive | undefined) => (typeof v === 'number' ? v : 0);
const round2 = (n: number) => Math.round(n * 100) / 100;
const today = (ctx: RuleContext) => isoDateTime(Math.floor(ctx.now() / 86_400_000) * 86_400_000);

function numberLines(record: AcuRecord, link: string): void {
  let last = Math.max(0, ...lines(record, link).map((l) => num(l.fields.LineNbr)));
  for (const line of lines(record, link)) if (line.fields.LineNbr == null) line.fields.LineNbr = ++last;
}

/** 'On Hold' while Hold is set; `open` once it is cleared from a not yet released state. */
function holdStatus(record: AcuRecord, open: string, released: string[]): void {
  const status = String(record.fields.Status ?? '');
  if (released.includes(status)) return;
  record.fields.Status = record.fields.Hold === true ? 'On Hold' : open;
}

/**
 * A shipment detail naming only a sales order (OrderType + OrderNbr, no InventoryID) stands for all of that order's
 * lines, as "Add Order" on the Shipments form (SO302000) adds them — the training's "shipment for multiple orders".
 */
function shipOrderLines(shipment: AcuRecord, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const details: AcuRecord[] = [];
  lines(shipment, 'Details').forEach((line, i) => {
    const { InventoryID, OrderNbr } = line.fields;
    if (InventoryID != null || OrderNbr == null) return void details.push(line);
    const orderType = line.fields.OrderType ?? 'SO';
    const order = ctx.store.findByKeys('SalesOrder', [orderType, OrderNbr]);
    if (!order) {
      errors.push({ path: ['Details', String(i), 'OrderNbr'], message: `Order Nbr. '${String(OrderNbr)}' cannot be found in the system.` }); // prettier-ignore
      return void details.push(line);
    }
    for (const orderLine of lines(order, 'Details')) {
      const qty = orderLine.fields.OpenQty ?? orderLine.fields.OrderQty ?? 0;
      details.push({
        id: randomUUID(),
        fields: {
          OrderType: orderType,
          OrderNbr,
          OrderLineNbr: orderLine.fields.LineNbr ?? null,
          InventoryID: orderLine.fields.InventoryID ?? null,
          WarehouseID: orderLine.fields.WarehouseID ?? shipment.fields.WarehouseID ?? null,
          UOM: orderLine.fields.UOM ?? null,
          OrderedQty: orderLine.fields.OrderQty ?? null,
          ShippedQty: qty,
          OpenQty: qty,
        },
        links: {},
      });
    }
  });
  shipment.links.Details = details;
  return errors;
}

const DOCUMENT_TYPES = ['Invoice', 'Debit Memo', 'Credit Memo', 'Cash Sale', 'Cash Return'];
const INVOICE_PREFIX: Record<string, string> = { Invoice: 'INV', 'Debit Memo': 'DRM', 'Credit Memo': 'CRM', 'Cash Sale': 'CS', 'Cash Return': 'CR' }; // prettier-ignore

export const RULES: Record<string, EntityRules> = {
  Customer: {
    required: ['CustomerName'],
    values: { Status: ['Active', 'On Hold', 'Credit Hold', 'Inactive', 'One-Time'] },
    defaults: () => ({ Status: 'Active', CurrencyID: 'USD', CustomerClass: 'DEFAULT' }),
    number: { field: 'CustomerID', next: (_, s) => `C${padded(s.next('Customer'), 9)}` },
  },
  Vendor: {
    required: ['VendorName'],
    values: { Status: ['Active', 'On Hold', 'Hold Payments', 'Inactive', 'One-Time'] },
    defaults: () => ({ Status: 'Active', CurrencyID: 'USD', VendorClass: 'DEFAULT' }),
    number: { field: 'VendorID', next: (_, s) => `V${padded(s.next('Vendor'), 9)}` },
  },
  Contact: {
    required: ['LastName'],
    defaults: () => ({ Active: true, Status: 'Active', Type: 'Contact' }),
    number: { field: 'ContactID', next: (_, s) => s.next('Contact', 100) },
    derive: (r) => {
      const name = [r.fields.FirstName, r.fields.LastName].filter((v) => v != null && v !== '').join(' ');
      if (name) r.fields.DisplayName = name;
    },
  },
  StockItem: {
    required: ['InventoryID'],
    values: { ItemStatus: ['Active', 'No Sales', 'No Purchases', 'No Request', 'Inactive', 'Marked for Deletion'] },
    defaults: () => ({ ItemStatus: 'Active', ItemType: 'Finished Good', BaseUOM: 'EA', SalesUOM: 'EA', PurchaseUOM: 'EA', ValuationMethod: 'Average' }), // prettier-ignore
  },
  NonStockItem: {
    required: ['InventoryID'],
    values: { ItemStatus: ['Active', 'No Sales', 'No Purchases', 'No Request', 'Inactive', 'Marked for Deletion'] },
    defaults: () => ({ ItemStatus: 'Active', ItemType: 'Non-Stock Item', BaseUnit: 'EA' }),
  },
  SalesOrder: {
    required: ['CustomerID'],
    values: { OrderType: ['SO', 'IN', 'QT', 'CR', 'RC', 'RM', 'TR'] },
    references: { CustomerID: ['Customer'] },
    detailReferences: { Details: { InventoryID: ['StockItem', 'NonStockItem'] } },
    defaults: (_, ctx) => ({ OrderType: 'SO', Hold: false, Date: today(ctx), RequestedOn: today(ctx), CurrencyID: 'USD' }), // prettier-ignore
    number: { field: 'OrderNbr', next: (r, s) => padded(s.next(`SalesOrder:${String(r.fields.OrderType)}`)) },
    derive: (r, ctx) => {
      numberLines(r, 'Details');
      for (const line of lines(r, 'Details')) {
        const item = ctx.store.findByKeys('StockItem', [line.fields.InventoryID ?? null]);
        line.fields.OrderQty ??= 0;
        line.fields.UnitPrice ??= item?.fields.DefaultPrice ?? 0;
        line.fields.UOM ??= item?.fields.SalesUOM ?? 'EA';
        line.fields.ExtendedPrice = round2(num(line.fields.OrderQty) * num(line.fields.UnitPrice));
        line.fields.Amount = line.fields.ExtendedPrice;
        line.fields.OpenQty = line.fields.OrderQty;
      }
      r.fields.OrderedQty = lines(r, 'Details').reduce((s, l) => s + num(l.fields.OrderQty), 0);
      r.fields.OrderTotal = round2(lines(r, 'Details').reduce((s, l) => s + num(l.fields.ExtendedPrice), 0));
      r.fields.TaxTotal ??= 0;
      holdStatus(r, 'Open', ['Shipping', 'Completed', 'Cancelled', 'Back Order', 'Invoiced']);
    },
  },
  SalesInvoice: {
    required: ['CustomerID'],
    values: { Type: DOCUMENT_TYPES },
    references: { CustomerID: ['Customer'] },
    detailReferences: { Details: { InventoryID: ['StockItem', 'NonStockItem'] } },
    defaults: (_, ctx) => ({ Type: 'Invoice', Hold: true, Date: today(ctx), Currency: 'USD' }),
    number: { field: 'ReferenceNbr', next: (r, s) => `${INVOICE_PREFIX[String(r.fields.Type)] ?? 'AR'}${padded(s.next(`ARInvoice:${String(r.fields.Type)}`))}` }, // prettier-ignore
    derive: (r) => {
      numberLines(r, 'Details');
      for (const line of lines(r, 'Details')) line.fields.Amount = round2(num(line.fields.Qty) * num(line.fields.UnitPrice)); // prettier-ignore
      const total = round2(lines(r, 'Details').reduce((s, l) => s + num(l.fields.Amount), 0));
      r.fields.DetailTotal = total;
      r.fields.Amount = total;
      if (!['Open', 'Closed'].includes(String(r.fields.Status))) r.fields.Balance = total;
      holdStatus(r, 'Balanced', ['Open', 'Closed', 'Voided']);
    },
  },
  Shipment: {
    required: ['CustomerID', 'WarehouseID'],
    values: { Type: ['Shipment', 'Receipt', 'Transfer'] },
    references: { CustomerID: ['Customer'] },
    // The Shipments form puts new shipments on hold ("Hold Shipments on Entry" in the training company).
    defaults: (_, ctx) => ({ Type: 'Shipment', Hold: true, ShipmentDate: today(ctx), Operation: 'Issue' }),
    number: { field: 'ShipmentNbr', next: (_, s) => padded(s.next('Shipment')) },
    prepare: shipOrderLines,
    derive: (r) => {
      numberLines(r, 'Details');
      r.fields.ShippedQty = lines(r, 'Details').reduce((s, l) => s + num(l.fields.ShippedQty), 0);
      holdStatus(r, 'Open', ['Confirmed', 'Completed', 'Invoiced']);
    },
  },
  Payment: {
    required: ['CustomerID'],
    values: { Type: ['Payment', 'Prepayment', 'Credit Memo', 'Refund', 'Voided Payment', 'Voided Refund'] },
    references: { CustomerID: ['Customer'] },
    defaults: (_, ctx) => ({ Type: 'Payment', Hold: false, ApplicationDate: today(ctx), CurrencyID: 'USD' }),
    number: { field: 'ReferenceNbr', next: (_, s) => padded(s.next('Payment')) },
    derive: (r) => holdStatus(r, 'Balanced', ['Open', 'Closed', 'Voided']),
  },
  JournalTransaction: {
    values: { Module: ['GL', 'AP', 'AR', 'CA', 'CM', 'IN', 'DR', 'FA', 'PM', 'PR', 'SO', 'PO', 'TX'] },
    defaults: (_, ctx) => ({ Module: 'GL', Hold: false, LedgerID: 'ACTUAL', TransactionDate: today(ctx), CurrencyID: 'USD' }), // prettier-ignore
    number: { field: 'BatchNbr', next: (r, s) => padded(s.next(`Batch:${String(r.fields.Module)}`)) },
    derive: (r) => {
      numberLines(r, 'Details');
      const debit = round2(lines(r, 'Details').reduce((s, l) => s + num(l.fields.DebitAmount), 0));
      const credit = round2(lines(r, 'Details').reduce((s, l) => s + num(l.fields.CreditAmount), 0));
      holdStatus(r, debit === credit ? 'Balanced' : 'Unbalanced', ['Posted', 'Released', 'Voided']);
    },
  },
};

/** The parts of a record a rule checks, and the record's entities referenced by key. */
function referenced(store: AcuStore, entities: string[], value: Primitive | undefined): boolean {
  return value === null || value === undefined || value === '' || entities.some((e) => store.findByKeys(e, [value]));
}

/** Applies the rules of `entity` to a record about to be saved; returns the field errors (none: save it). */
export function applyRules(entity: string, record: AcuRecord, ctx: RuleContext): FieldError[] {
  const rules = RULES[entity];
  if (!rules) return [];
  const errors: FieldError[] = rules.prepare?.(record, ctx) ?? [];
  if (ctx.created && rules.defaults) {
    for (const [field, value] of Object.entries(rules.defaults(record, ctx))) record.fields[field] ??= value;
  }
  if (ctx.created && rules.number && (record.fields[rules.number.field] ?? '') === '') {
    record.fields[rules.number.field] = rules.number.next(record, ctx.store);
  }
  for (const field of rules.required ?? []) {
    const value = record.fields[field];
    if (value === null || value === undefined || value === '') {
      errors.push({ path: [field], message: `'${displayName(field)}' cannot be empty.` });
    }
  }
  for (const [field, allowed] of Object.entries(rules.values ?? {})) {
    const value = record.fields[field];
    if (value !== null && value !== undefined && !allowed.includes(String(value))) {
      errors.push({ path: [field], message: `'${String(value)}' is not a valid value of '${displayName(field)}' (${allowed.join(', ')}).` }); // prettier-ignore
    }
  }
  for (const [field, entities] of Object.entries(rules.references ?? {})) {
    if (!referenced(ctx.store, entities, record.fields[field])) {
      errors.push({ path: [field], message: `${displayName(field)} '${String(record.fields[field])}' cannot be found in the system.` }); // prettier-ignore
    }
  }
  for (const [link, fields] of Object.entries(rules.detailReferences ?? {})) {
    lines(record, link).forEach((line, i) => {
      for (const [field, entities] of Object.entries(fields)) {
        if (!referenced(ctx.store, entities, line.fields[field])) {
          errors.push({ path: [link, String(i), field], message: `${displayName(field)} '${String(line.fields[field])}' cannot be found in the system.` }); // prettier-ignore
        }
      }
    });
  }
  if (errors.length === 0) rules.derive?.(record, ctx);
  return errors;
}
