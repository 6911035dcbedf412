// What BC's API pages do on insert and modify beyond storing fields: number series, lookups of related records by
// id or number (with BC's error when the related record does not exist), document defaults, line amounts, unique
// numbers and codes.
import { randomUUID } from 'node:crypto';
import { insertCustomerContact, prepareContact } from './contacts.js';
import { BcError } from './errors.js';
import { computeLine, customerDocumentFields, fillLineFromItem, HEADER_OF, nextSequence } from './documents.js';
import type { BcStore, StoredRow } from './store.js';
import { EMPTY_GUID, type Row } from './values.js';

/** Number series per entity set: prefix and first number (CRONUS-like). */
const SERIES: Record<string, [string, number]> = {
  customers: ['C', 10010],
  vendors: ['V', 10010],
  items: ['I', 10010],
  contacts: ['CT', 200010],
  salesOrders: ['S-ORD', 101001],
  salesQuotes: ['S-QUO', 1001],
  salesInvoices: ['S-INV', 102001],
  salesCreditMemos: ['S-CR', 104001],
  purchaseOrders: ['P-ORD', 106001],
  purchaseInvoices: ['P-INV', 107001],
};

const DOCUMENT_DATE: Record<string, string[]> = {
  salesOrders: ['orderDate', 'postingDate'],
  salesQuotes: ['documentDate', 'postingDate'],
  salesInvoices: ['invoiceDate', 'postingDate'],
  salesCreditMemos: ['creditMemoDate', 'postingDate'],
};

export const fieldValidation = (field: string, table: string, value: unknown, related: string) =>
  new BcError(
    400,
    'Application_FieldValidationException',
    `The field ${field} of table ${table} contains a value (${String(value)}) that cannot be found in the related ` +
      `table (${related}).`,
  );

const given = (value: unknown) => value !== undefined && value !== '' && value !== EMPTY_GUID;

/** A related record by id or by number/code (whichever the client gave), or undefined when neither was given. */
function related(
  store: BcStore,
  companyId: string,
  set: string,
  id: unknown,
  number: unknown,
  numberField = 'number',
): StoredRow | 'missing' | undefined {
  if (given(id)) return store.get(companyId, set, String(id).toLowerCase()) ?? 'missing';
  if (given(number)) return store.findBy(companyId, set, numberField, number)[0] ?? 'missing';
  return undefined;
}

/** The customer's fields for a document; fields the client sent win, fields the entity lacks are dropped. */
function customerFields(customer: Row, values: Row, row: Row): Row {
  return Object.fromEntries(
    Object.entries(customerDocumentFields(customer)).filter(([k]) => k in row && values[k] === undefined),
  );
}

function today(now: () => number): string {
  return new Date(now()).toISOString().slice(0, 10);
}

/**
 * Completes a new row's values before insert (and checks them). `values` are already typed; `row` is the complete
 * row with blanks, so the rules see which fields the entity has.
 */
export function prepareRow(
  store: BcStore,
  now: () => number,
  companyId: string,
  setName: string,
  row: Row,
  values: Row,
  creating: boolean,
): Row {
  let out = { ...row, ...values };
  if (creating) {
    if (!given(out.id) && 'id' in out) out.id = randomUUID();
    const series = SERIES[setName];
    if (series && !given(out.number)) out.number = store.nextNumber(companyId, series[0], series[1]);
    for (const field of DOCUMENT_DATE[setName] ?? []) if (out[field] === '0001-01-01') out[field] = today(now);
  }
  if (DOCUMENT_DATE[setName] && (values.customerId !== undefined || values.customerNumber !== undefined)) {
    const customer = related(store, companyId, 'customers', values.customerId, values.customerNumber);
    if (customer === 'missing') {
      throw fieldValidation('Sell-to Customer No.', 'Sales Header', values.customerNumber ?? values.customerId, 'Customer'); // prettier-ignore
    }
    if (customer) out = { ...out, ...customerFields(customer.row, values, out) };
  }
  const header = HEADER_OF.get(setName);
  if (header) {
    if (creating) {
      if (!store.get(companyId, header, String(out.documentId).toLowerCase())) {
        throw fieldValidation('Document No.', 'Sales Line', out.documentId, 'Sales Header');
      }
      if (!Number(out.sequence)) out.sequence = nextSequence(store, companyId, setName, String(out.documentId));
      if (values.lineType === undefined && (given(values.itemId) || given(values.lineObjectNumber))) out.lineType = 'Item'; // prettier-ignore
      if (values.lineType === undefined && !given(values.itemId) && !given(values.lineObjectNumber)) out.lineType = 'Comment'; // prettier-ignore
    }
    if (out.lineType === 'Item' && (values.itemId !== undefined || values.lineObjectNumber !== undefined)) {
      const item = related(store, companyId, 'items', values.itemId, values.lineObjectNumber);
      if (item === 'missing') throw fieldValidation('No.', 'Sales Line', values.lineObjectNumber ?? values.itemId, 'Item'); // prettier-ignore
      out = fillLineFromItem(store, companyId, out, values);
    }
    if (out.lineType === 'Account' && values.lineObjectNumber !== undefined) {
      const account = related(store, companyId, 'accounts', undefined, values.lineObjectNumber);
      if (account === 'missing') throw fieldValidation('No.', 'Sales Line', values.lineObjectNumber, 'G/L Account');
      if (account) out.accountId = account.row.id;
    }
    if ('shipQuantity' in out && values.quantity !== undefined) {
      out.shipQuantity = out.invoiceQuantity = Number(out.quantity) - Number(out.shippedQuantity ?? 0);
    }
    out = { ...out, ...computeLine(out) };
  }
  if (setName === 'journalLines' || setName === 'customerPayments' || setName === 'vendorPayments') {
    const journalSet = setName === 'journalLines' ? 'journals' : setName === 'customerPayments' ? 'customerPaymentJournals' : 'vendorPaymentJournals'; // prettier-ignore
    const journal = store.get(companyId, journalSet, String(out.journalId).toLowerCase());
    if (!journal) throw fieldValidation('Journal Batch Name', 'Gen. Journal Line', out.journalId, 'Gen. Journal Batch');
    out.journalDisplayName = journal.row.code;
    if (creating && !Number(out.lineNumber)) {
      const used = store.rows(companyId, setName).filter((l) => l.row.journalId === out.journalId);
      out.lineNumber = (used.length ? Math.max(...used.map((l) => Number(l.row.lineNumber))) : 0) + 10000;
    }
    if (creating && out.postingDate === '0001-01-01') out.postingDate = today(now);
    const party = setName === 'customerPayments' ? 'customers' : setName === 'vendorPayments' ? 'vendors' : undefined;
    if (party) {
      const idField = party === 'customers' ? 'customerId' : 'vendorId';
      const numberField = party === 'customers' ? 'customerNumber' : 'vendorNumber';
      const found = related(store, companyId, party, values[idField], values[numberField]);
      if (found === 'missing') throw fieldValidation('Account No.', 'Gen. Journal Line', values[numberField] ?? values[idField], party === 'customers' ? 'Customer' : 'Vendor'); // prettier-ignore
      if (found) Object.assign(out, { [idField]: found.row.id, [numberField]: found.row.number });
    } else if (values.accountId !== undefined || values.accountNumber !== undefined) {
      const accountSet = out.accountType === 'Customer' ? 'customers' : out.accountType === 'Vendor' ? 'vendors' : 'accounts'; // prettier-ignore
      const found = related(store, companyId, accountSet, values.accountId, values.accountNumber);
      if (found === 'missing') throw fieldValidation('Account No.', 'Gen. Journal Line', values.accountNumber ?? values.accountId, accountSet === 'accounts' ? 'G/L Account' : accountSet); // prettier-ignore
      if (found) Object.assign(out, { accountId: found.row.id, accountNumber: found.row.number });
    }
  }
  if (setName === 'itemVariants' && (values.itemId !== undefined || values.itemNumber !== undefined)) {
    const item = related(store, companyId, 'items', values.itemId, values.itemNumber);
    if (item === 'missing') throw fieldValidation('Item No.', 'Item Variant', values.itemNumber ?? values.itemId, 'Item'); // prettier-ignore
    if (item) Object.assign(out, { itemId: item.row.id, itemNumber: item.row.number });
  }
  if (setName === 'contacts') out = prepareContact(store, companyId, out, values, creating);
  checkUnique(store, companyId, setName, out);
  return out;
}

/** What BC's OnInsert triggers add once the row is stored: a customer's contact and business relation. */
export function afterInsert(store: BcStore, companyId: string, setName: string, row: Row): void {
  if (setName !== 'customers') return;
  const [prefix, first] = SERIES.contacts!;
  insertCustomerContact(store, companyId, row, () => store.nextNumber(companyId, prefix, first));
}

/** Numbers and codes are the tables' primary keys in BC: a second record with the same one is refused. */
function checkUnique(store: BcStore, companyId: string, setName: string, row: Row): void {
  const field = ['number', 'code'].find((f) => typeof row[f] === 'string' && row[f] !== '');
  if (!field || HEADER_OF.has(setName) || setName === 'itemVariants' || setName === 'dimensionValues') return;
  const clash = store.findBy(companyId, setName, field, row[field]).find((r) => r.row.id !== row.id);
  if (clash) {
    throw new BcError(
      400,
      'Internal_EntityWithSameKeyExists',
      `The record in table ${setName} already exists. Identification fields and values: ${field === 'number' ? 'No.' : 'Code'}='${String(row[field])}'`, // prettier-ignore
    );
  }
}
