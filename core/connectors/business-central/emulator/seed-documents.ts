// Demo documents on top of the master data: sales orders, quotes and posted invoices with lines, journals with
// lines, customer payments and the G/L entries of an opening balance.
import { computeLine, customerDocumentFields } from './documents.js';
import type { BcSeedSize, SeedContext } from './seed.js';
import { completeRow, entitySet } from './store.js';
import { round2, type Row } from './values.js';

/** A header and its lines, totals summed from the lines as BC does. */
function addDocument(
  ctx: SeedContext,
  headerSet: string,
  lineSet: string,
  header: Row,
  items: Row[],
  date: string,
): Row {
  const { add, guid, random } = ctx;
  const id = guid();
  const lines = items.map((item, index) => {
    const values = completeRow(entitySet(lineSet), {
      id: guid(),
      documentId: id,
      sequence: (index + 1) * 10000,
      itemId: item.id,
      lineType: 'Item',
      lineObjectNumber: item.number,
      description: item.displayName,
      unitOfMeasureId: item.baseUnitOfMeasureId,
      unitOfMeasureCode: item.baseUnitOfMeasureCode,
      quantity: 1 + Math.floor(random() * 9),
      unitPrice: item.unitPrice,
      taxCode: 'TAXABLE',
      taxPercent: 0,
      shipmentDate: date,
    });
    return { ...values, ...computeLine(values) };
  });
  const sum = (name: string) => round2(lines.reduce((total, line) => total + Number(line[name] ?? 0), 0));
  const row = add(headerSet, {
    id,
    ...header,
    totalAmountExcludingTax: sum('amountExcludingTax'),
    totalTaxAmount: sum('totalTaxAmount'),
    totalAmountIncludingTax: sum('amountIncludingTax'),
  });
  for (const line of lines) {
    if (lineSet === 'salesOrderLines') line.invoiceQuantity = line.shipQuantity = line.quantity;
    add(lineSet, line);
  }
  return row;
}

const rowsOf = (ctx: SeedContext, set: string) => ctx.rows(set);

export function seedDocuments(ctx: SeedContext, size: BcSeedSize): void {
  const { counters, pick, random, stamp, add, guid } = ctx;
  const customers = rowsOf(ctx, 'customers');
  const items = rowsOf(ctx, 'items').filter((item) => item.type === 'Inventory');
  const pickItems = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(items));
  const day = (offset: number) => new Date(Date.UTC(2024, 0, 2 + offset)).toISOString().slice(0, 10);
  if (customers.length === 0 || items.length === 0) return;

  counters['S-ORD'] = 101000;
  for (let i = 0; i < size.salesOrders; i++) {
    const date = day(i % 28);
    const customer = customers[i % customers.length]!;
    const number = `S-ORD${++counters['S-ORD']}`;
    addDocument(ctx, 'salesOrders', 'salesOrderLines', { number, orderDate: date, postingDate: date, ...customerDocumentFields(customer), status: i % 4 === 3 ? 'Draft' : 'Open', partialShipping: true, lastModifiedDateTime: stamp() }, pickItems(), date); // prettier-ignore
  }
  counters['S-QUO'] = 1000;
  for (let i = 0; i < 3; i++) {
    const date = day(i);
    const customer = customers[(i * 3) % customers.length]!;
    addDocument(ctx, 'salesQuotes', 'salesQuoteLines', { number: `S-QUO${++counters['S-QUO']}`, documentDate: date, postingDate: date, dueDate: day(i + 30), validUntilDate: day(i + 30), ...customerDocumentFields(customer), status: 'Draft', lastModifiedDateTime: stamp() }, pickItems(), date); // prettier-ignore
  }
  counters['PS-INV'] = 103000;
  for (let i = 0; i < 3; i++) {
    const date = day(i);
    const customer = customers[(i * 2 + 1) % customers.length]!;
    addDocument(ctx, 'salesInvoices', 'salesInvoiceLines', { number: `PS-INV${++counters['PS-INV']}`, invoiceDate: date, postingDate: date, dueDate: day(i + 30), ...customerDocumentFields(customer), status: i === 0 ? 'Paid' : 'Open', lastModifiedDateTime: stamp() }, pickItems(), date); // prettier-ignore
  }

  const accounts = new Map(rowsOf(ctx, 'accounts').map((a) => [a.number, a]));
  const journal = add('journals', { id: guid(), code: 'DEFAULT', displayName: 'Default Journal Batch', templateDisplayName: 'GENERAL', balancingAccountId: accounts.get('10100')?.id, balancingAccountNumber: '10100', lastModifiedDateTime: stamp() }); // prettier-ignore
  add('journals', { id: guid(), code: 'DAILY', displayName: 'Daily postings', templateDisplayName: 'GENERAL', lastModifiedDateTime: stamp() }); // prettier-ignore
  for (const [index, [account, amount, text]] of (
    [
      ['61100', 1200, 'Office rent January'],
      ['62100', 310.5, 'Electricity'],
      ['60100', 4800, 'Wages January'],
    ] as const
  ).entries()) {
    // prettier-ignore
    add('journalLines', { id: guid(), journalId: journal.id, journalDisplayName: journal.code, lineNumber: (index + 1) * 10000, accountType: 'G_x002F_L_x0020_Account', accountId: accounts.get(account)?.id, accountNumber: account, postingDate: day(30), documentNumber: 'G00001', amount, description: text, balanceAccountType: 'G_x002F_L_x0020_Account', balancingAccountId: accounts.get('10100')?.id, balancingAccountNumber: '10100', lastModifiedDateTime: stamp() }); // prettier-ignore
  }
  const payments = add('customerPaymentJournals', { id: guid(), code: 'GENERAL', displayName: 'Customer payments', balancingAccountId: accounts.get('10100')?.id, balancingAccountNumber: '10100', lastModifiedDateTime: stamp() }); // prettier-ignore
  for (let i = 0; i < 2; i++) {
    const customer = customers[i % customers.length]!;
    add('customerPayments', { id: guid(), journalId: payments.id, journalDisplayName: payments.code, lineNumber: (i + 1) * 10000, customerId: customer.id, customerNumber: customer.number, postingDate: day(31), documentNumber: `PAY${1001 + i}`, amount: -round2(100 + random() * 900), description: `Payment ${customer.displayName}`, lastModifiedDateTime: stamp() }); // prettier-ignore
  }

  // Opening balance: capital into the bank account, as a balanced pair of entries.
  let entry = 0;
  for (const [account, debit, credit] of [
    ['10100', 50000, 0],
    ['30100', 0, 50000],
  ] as const) {
    // prettier-ignore
    add('generalLedgerEntries', { id: guid(), entryNumber: ++entry, postingDate: day(-1), documentNumber: 'OPEN', documentType: '_x0020_', accountId: accounts.get(account)?.id, accountNumber: account, description: 'Opening balance', debitAmount: debit, creditAmount: credit, lastModifiedDateTime: stamp() }); // prettier-ignore
  }
  counters['G/L'] = entry;
}
