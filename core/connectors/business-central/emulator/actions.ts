// Bound actions (POST …/<set>(<id>)/Microsoft.NAV.<action>, answered 204 like BC) with simple, faithful effects:
// an order shipped and invoiced becomes a posted invoice and disappears, a posted journal becomes G/L entries and is
// emptied, inventory and customer balances move.
import { randomUUID } from 'node:crypto';
import type { ApiContext } from './context.js';
import { LINE_SETS } from './documents.js';
import { BcError } from './errors.js';
import { completeRow, entitySet, rowKey, type StoredRow } from './store.js';
import { round2, type Row } from './values.js';

const dialog = (message: string) => new BcError(400, 'Application_DialogException', message);

function today(ctx: ApiContext): string {
  return new Date(ctx.now()).toISOString().slice(0, 10);
}

/** Copies a document (header + lines) into another document set; shared field names carry over. */
function copyDocument(ctx: ApiContext, companyId: string, from: string, header: Row, to: string, values: Row): Row {
  const id = randomUUID();
  const copied = completeRow(entitySet(to), { ...header, id, ...values });
  const lines = ctx.store.rows(companyId, LINE_SETS.get(from)!).filter((l) => l.row.documentId === header.id);
  const created = ctx.store.insert(companyId, to, copied).row;
  for (const line of lines) {
    ctx.store.insert(companyId, LINE_SETS.get(to)!, completeRow(entitySet(LINE_SETS.get(to)!), { ...line.row, id: randomUUID(), documentId: id })); // prettier-ignore
  }
  return created;
}

function removeDocument(ctx: ApiContext, companyId: string, set: string, header: Row): void {
  const lineSet = LINE_SETS.get(set)!;
  for (const line of ctx.store.rows(companyId, lineSet).filter((l) => l.row.documentId === header.id)) {
    ctx.store.remove(companyId, lineSet, rowKey(entitySet(lineSet), line.row));
  }
  ctx.store.remove(companyId, set, rowKey(entitySet(set), header));
}

function glEntry(
  ctx: ApiContext,
  companyId: string,
  account: string,
  amount: number,
  document: string,
  text: string,
  type = '_x0020_',
): void {
  // prettier-ignore
  if (amount === 0) return;
  const found = ctx.store.rows(companyId, 'accounts').find((a) => a.row.number === account);
  if (!found) throw dialog(`G/L Account ${account} does not exist.`);
  const entryNumber = ctx.store.nextCounter(companyId, 'G/L', 1);
  ctx.store.insert(companyId, 'generalLedgerEntries', {
    id: randomUUID(),
    entryNumber,
    postingDate: today(ctx),
    documentNumber: document,
    documentType: type,
    accountId: found.row.id,
    accountNumber: account,
    description: text,
    debitAmount: amount > 0 ? round2(amount) : 0,
    creditAmount: amount < 0 ? round2(-amount) : 0,
  });
}

function adjustBalance(
  ctx: ApiContext,
  companyId: string,
  set: string,
  id: unknown,
  field: string,
  delta: number,
): void {
  const party = ctx.store.get(companyId, set, String(id).toLowerCase());
  if (party) ctx.store.update(companyId, set, rowKey(entitySet(set), party.row), { [field]: round2(Number(party.row[field] ?? 0) + delta) }); // prettier-ignore
}

/** The posting effects of an invoice: inventory out, receivable up, G/L receivables against sales. */
function postInvoiceEffects(ctx: ApiContext, companyId: string, invoice: Row, lines: Row[]): void {
  for (const line of lines) {
    if (line.lineType !== 'Item') continue;
    const item = ctx.store.get(companyId, 'items', String(line.itemId).toLowerCase());
    if (item?.row.type === 'Inventory') {
      ctx.store.update(companyId, 'items', rowKey(entitySet('items'), item.row), { inventory: round2(Number(item.row.inventory) - Number(line.quantity)) }); // prettier-ignore
    }
  }
  const total = Number(invoice.totalAmountIncludingTax ?? 0);
  adjustBalance(ctx, companyId, 'customers', invoice.customerId, 'balanceDue', total);
  const text = `Invoice ${String(invoice.number)}`;
  glEntry(ctx, companyId, '10400', total, String(invoice.number), text, 'Invoice');
  glEntry(ctx, companyId, '40100', -Number(invoice.totalAmountExcludingTax ?? 0), String(invoice.number), text, 'Invoice'); // prettier-ignore
}

function lineRows(ctx: ApiContext, companyId: string, set: string, header: Row): Row[] {
  return ctx.store.rows(companyId, LINE_SETS.get(set)!).filter((l) => l.row.documentId === header.id).map((l) => l.row); // prettier-ignore
}

function shipAndInvoice(ctx: ApiContext, companyId: string, order: Row): void {
  const lines = lineRows(ctx, companyId, 'salesOrders', order).filter((l) => Number(l.quantity) > 0);
  if (lines.length === 0) throw dialog('There is nothing to post.');
  const customer = ctx.store.get(companyId, 'customers', String(order.customerId).toLowerCase());
  if (customer && ['Ship', 'Invoice', 'All'].includes(String(customer.row.blocked))) {
    throw dialog(`You cannot ship this order because customer ${String(customer.row.number)} is blocked for ${String(customer.row.blocked)}.`); // prettier-ignore
  }
  const number = ctx.store.nextNumber(companyId, 'PS-INV', 103001);
  const invoice = copyDocument(ctx, companyId, 'salesOrders', order, 'salesInvoices', { number, invoiceDate: today(ctx), postingDate: today(ctx), dueDate: today(ctx), orderId: order.id, orderNumber: order.number, status: 'Open', remainingAmount: order.totalAmountIncludingTax }); // prettier-ignore
  postInvoiceEffects(ctx, companyId, invoice, lines);
  // A fully shipped and invoiced order is deleted by BC's posting routine.
  removeDocument(ctx, companyId, 'salesOrders', order);
}

function postInvoice(ctx: ApiContext, companyId: string, invoice: Row): void {
  if (invoice.status !== 'Draft') throw dialog(`The invoice ${String(invoice.number)} is already posted.`);
  const lines = lineRows(ctx, companyId, 'salesInvoices', invoice).filter((l) => Number(l.quantity) > 0);
  if (lines.length === 0) throw dialog('There is nothing to post.');
  const number = ctx.store.nextNumber(companyId, 'PS-INV', 103001);
  const posted = { number, status: 'Open', postingDate: today(ctx), remainingAmount: invoice.totalAmountIncludingTax };
  ctx.store.update(companyId, 'salesInvoices', rowKey(entitySet('salesInvoices'), invoice), posted);
  postInvoiceEffects(ctx, companyId, { ...invoice, ...posted }, lines);
}

function postJournal(ctx: ApiContext, companyId: string, journal: Row): void {
  const lines = ctx.store.rows(companyId, 'journalLines').filter((l) => l.row.journalId === journal.id);
  if (lines.length === 0) throw dialog('There is nothing to post.');
  const balance = lines.reduce((sum, l) => sum + (l.row.balancingAccountNumber || journal.balancingAccountNumber ? 0 : Number(l.row.amount)), 0); // prettier-ignore
  if (round2(balance) !== 0) {
    throw dialog(`The transaction cannot be completed because it will cause inconsistencies in the G/L Entry table. The lines are out of balance by ${round2(balance)}.`); // prettier-ignore
  }
  for (const { row } of lines) {
    const amount = Number(row.amount);
    const document = String(row.documentNumber);
    const text = String(row.description || document);
    if (row.accountType === 'Customer') {
      adjustBalance(ctx, companyId, 'customers', row.accountId, 'balanceDue', amount);
      glEntry(ctx, companyId, '10400', amount, document, text);
    } else if (row.accountType === 'Vendor') {
      adjustBalance(ctx, companyId, 'vendors', row.accountId, 'balance', -amount);
      glEntry(ctx, companyId, '20100', amount, document, text);
    } else glEntry(ctx, companyId, String(row.accountNumber), amount, document, text);
    const balancing = String(row.balancingAccountNumber || journal.balancingAccountNumber || '');
    if (balancing) glEntry(ctx, companyId, balancing, -amount, document, text);
    ctx.store.remove(companyId, 'journalLines', rowKey(entitySet('journalLines'), row));
  }
}

function convertQuote(ctx: ApiContext, companyId: string, quote: Row, to: 'salesOrders' | 'salesInvoices'): void {
  const number = to === 'salesOrders' ? ctx.store.nextNumber(companyId, 'S-ORD', 101001) : ctx.store.nextNumber(companyId, 'S-INV', 102001); // prettier-ignore
  const dates = to === 'salesOrders' ? { orderDate: today(ctx) } : { invoiceDate: today(ctx) };
  copyDocument(ctx, companyId, 'salesQuotes', quote, to, { number, ...dates, status: 'Draft' });
  removeDocument(ctx, companyId, 'salesQuotes', quote);
}

/** Runs a bound action; unknown to the emulator (though in the spec) → BC-style 400 naming it. */
export function runAction(ctx: ApiContext, companyId: string, set: string, stored: StoredRow, action: string): void {
  const row = stored.row;
  if (set === 'salesOrders' && action === 'shipAndInvoice') return shipAndInvoice(ctx, companyId, row);
  if (set === 'salesInvoices' && action === 'post') return postInvoice(ctx, companyId, row);
  if (set === 'journals' && action === 'post') return postJournal(ctx, companyId, row);
  if (set === 'salesQuotes' && action === 'makeOrder') return convertQuote(ctx, companyId, row, 'salesOrders');
  if (set === 'salesQuotes' && action === 'makeInvoice') return convertQuote(ctx, companyId, row, 'salesInvoices');
  throw new BcError(400, 'BadRequest_MethodNotAllowed', `The action '${action}' is not implemented by the emulator.`);
}
