// Sales and purchase documents: header + lines, amounts that BC computes, and fields BC does not let a client set.
import { bcCatalog, type BcEntitySet } from '../catalog.js';
import type { BcStore } from './store.js';
import { EMPTY_GUID, round2, type Row } from './values.js';

/** Header set → line set, for every contained line set linked by documentId (salesOrders → salesOrderLines). */
export const LINE_SETS: ReadonlyMap<string, string> = new Map(
  bcCatalog('v2.0')
    .entitySets.filter((set) => set.containedIn && set.properties.some((p) => p.name === 'documentId'))
    .map((set) => [set.containedIn!, set.name]),
);

export const HEADER_OF: ReadonlyMap<string, string> = new Map([...LINE_SETS].map(([header, line]) => [line, header]));

const LINE_AMOUNTS = [
  'amountExcludingTax',
  'totalTaxAmount',
  'amountIncludingTax',
  'netAmount',
  'netTaxAmount',
  'netAmountIncludingTax',
  'invoiceDiscountAllocation',
];
const HEADER_TOTALS = ['totalAmountExcludingTax', 'totalTaxAmount', 'totalAmountIncludingTax', 'remainingAmount'];

/**
 * Properties BC computes (FlowFields, totals, system fields): a client sending a different value gets BC's
 * BadRequest_InvalidOperation "Control '…' is read-only". The specs do not mark them, so the emulator lists them.
 */
export function computedProperties(set: BcEntitySet): Set<string> {
  const names = new Set(['lastModifiedDateTime', 'balanceDue', 'balance', 'netChange', 'fullyShipped']);
  if (HEADER_OF.has(set.name)) for (const name of [...LINE_AMOUNTS, 'documentId']) names.add(name);
  if (LINE_SETS.has(set.name)) for (const name of HEADER_TOTALS) names.add(name);
  return new Set(set.properties.map((p) => p.name).filter((name) => names.has(name)));
}

/** Line amounts from quantity, price, discount and tax, as far as the line type has them. */
export function computeLine(line: Row): Row {
  const quantity = Number(line.quantity ?? 0);
  const gross = quantity * Number(line.unitPrice ?? 0);
  const percent = Number(line.discountPercent ?? 0);
  const discount = percent ? round2((gross * percent) / 100) : Number(line.discountAmount ?? 0);
  const net = round2(gross - discount);
  const tax = round2((net * Number(line.taxPercent ?? 0)) / 100);
  const values: Row = {
    discountAmount: discount,
    amountExcludingTax: net,
    totalTaxAmount: tax,
    amountIncludingTax: round2(net + tax),
    netAmount: net,
    netTaxAmount: tax,
    netAmountIncludingTax: round2(net + tax),
  };
  return Object.fromEntries(Object.entries(values).filter(([name]) => name in line));
}

/** Recomputes a header's totals from its lines (after any line change, like BC's document totals). */
export function refreshTotals(store: BcStore, companyId: string, headerSet: string, headerId: string): void {
  const lineSet = LINE_SETS.get(headerSet);
  const header = store.get(companyId, headerSet, headerId);
  if (!lineSet || !header) return;
  const lines = store.rows(companyId, lineSet).filter((l) => l.row.documentId === headerId);
  const sum = (name: string) => round2(lines.reduce((total, l) => total + Number(l.row[name] ?? 0), 0));
  const totals: Row = {
    totalAmountExcludingTax: sum('amountExcludingTax'),
    totalTaxAmount: sum('totalTaxAmount'),
    totalAmountIncludingTax: sum('amountIncludingTax'),
  };
  if ('remainingAmount' in header.row) totals.remainingAmount = totals.totalAmountIncludingTax;
  const changes = Object.fromEntries(Object.entries(totals).filter(([name]) => header.row[name] !== totals[name]));
  if (Object.keys(changes).length > 0) store.update(companyId, headerSet, headerId, changes);
}

/** Fills an item line from the item (number, description, price, unit) where the client left them out. */
export function fillLineFromItem(store: BcStore, companyId: string, line: Row, given: Row): Row {
  const filled = { ...line };
  if (filled.lineType !== 'Item') return filled;
  const item =
    (typeof given.itemId === 'string' && given.itemId !== EMPTY_GUID
      ? store.get(companyId, 'items', given.itemId.toLowerCase())
      : undefined) ??
    (typeof given.lineObjectNumber === 'string'
      ? store.rows(companyId, 'items').find((i) => i.row.number === given.lineObjectNumber)
      : undefined);
  if (!item) return filled;
  filled.itemId = item.row.id;
  filled.lineObjectNumber = item.row.number;
  if (given.description === undefined) filled.description = item.row.displayName;
  if (given.unitPrice === undefined && 'unitPrice' in filled) filled.unitPrice = item.row.unitPrice;
  if (given.unitOfMeasureCode === undefined && 'unitOfMeasureCode' in filled) {
    filled.unitOfMeasureCode = item.row.baseUnitOfMeasureCode;
    filled.unitOfMeasureId = item.row.baseUnitOfMeasureId;
  }
  return filled;
}

/** The next line sequence of a document: 10000, 20000, … (BC's Line No. steps). */
export function nextSequence(store: BcStore, companyId: string, lineSet: string, documentId: string): number {
  const used = store
    .rows(companyId, lineSet)
    .filter((l) => l.row.documentId === documentId)
    .map((l) => Number(l.row.sequence ?? 0));
  return (used.length ? Math.max(...used) : 0) + 10000;
}

/** What a sales document copies from its customer (sell-to, bill-to and ship-to alike, as BC's defaults do). */
export function customerDocumentFields(customer: Row): Row {
  const fields: Row = {
    customerId: customer.id,
    customerNumber: customer.number,
    customerName: customer.displayName,
    billToName: customer.displayName,
    billToCustomerId: customer.id,
    billToCustomerNumber: customer.number,
    shipToName: customer.displayName,
    currencyCode: customer.currencyCode,
    paymentTermsId: customer.paymentTermsId,
    shipmentMethodId: customer.shipmentMethodId,
    phoneNumber: customer.phoneNumber,
    email: customer.email,
  };
  for (const prefix of ['sellTo', 'billTo', 'shipTo']) {
    fields[`${prefix}AddressLine1`] = customer.addressLine1;
    fields[`${prefix}AddressLine2`] = customer.addressLine2;
    fields[`${prefix}City`] = customer.city;
    fields[`${prefix}State`] = customer.state;
    fields[`${prefix}Country`] = customer.country;
    fields[`${prefix}PostCode`] = customer.postalCode;
  }
  return fields;
}
