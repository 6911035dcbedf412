// The records Acumatica's integration-development training collections (resources/specs/acumatica/postman, the
// MyStore company of courses I300–I330) read and change, with the facts their tests check: customer C000000003 with
// nine sales orders (the first shipped and invoiced), one payment applied to one invoice, sales order 000003 with the
// customer order SO248-563-06 and three lines (CONGRILL among them), orders 000004 and 000006 open with three lines
// between them, invoice INV000046 on hold, the customer whose main contact is info@jevy-comp.con, stock item
// AAMACHINE1 with the T2MCRO.jpg attachment, and AALEGO500 as inventory item 41 of the DAC-based OData.
import type { Seeder } from './seed.js';
import { type AcuRecord, isoDateTime } from './values.js';

const DAY = 86_400_000;
const day = (n: number) => isoDateTime(Date.parse('2024-03-01T00:00:00Z') + n * DAY);

const ITEMS = [
  { id: 'AACOMPUT01', description: 'Computer, 16 GB memory', price: 1499, qty: [12, 5], number: 37 },
  { id: 'AAMACHINE1', description: 'Coffee machine, Model T2MCRO', price: 349, qty: [30, 0], number: 38 },
  { id: 'CONGRILL', description: 'Contact grill', price: 89.95, qty: [40, 10], number: 39 },
  { id: 'AAPOWERAID', description: 'Sport drink, 24 bottles', price: 24, qty: [300, 120], number: 40 },
  { id: 'AALEGO500', description: 'Lego, 500 piece set', price: 49.99, qty: [75, 0], number: 41 },
] as const;

/** A tiny JPEG with an Exif (APP1) header: the attachment the I320 course downloads and checks for "Exif". */
export const T2MCRO_JPG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00,
  0x08, 0xff, 0xd9,
]);

export function seedTraining(s: Seeder): void {
  for (const w of [
    ['MAIN', 'Main warehouse'],
    ['WHOLESALE', 'Wholesale warehouse'],
  ]) {
    s.add('Warehouse', { WarehouseID: w[0]!, Description: w[1]!, Active: true });
  }
  for (const item of ITEMS) {
    const details = item.qty.flatMap((qty, i) => (qty > 0 || i === 0 ? [s.row({ WarehouseID: i === 0 ? 'MAIN' : 'WHOLESALE', QtyOnHand: qty, IsDefault: i === 0, Status: 'Active' })] : [])); // prettier-ignore
    const record = s.add('StockItem', { InventoryID: item.id, Description: item.description, ItemClass: 'STOCKITEM', ItemStatus: 'Active', ItemType: 'Finished Good', BaseUOM: 'EA', SalesUOM: 'EA', PurchaseUOM: 'EA', DefaultPrice: item.price, DefaultWarehouseID: 'MAIN', ValuationMethod: 'Average' }, { WarehouseDetails: details, Attributes: [] }); // prettier-ignore
    s.store.assignNumber('StockItem', record, item.number);
    for (const d of details) s.add('ItemWarehouse', { InventoryID: item.id, WarehouseID: d.fields.WarehouseID!, Status: 'Active' }); // prettier-ignore
    if (item.id === 'AAMACHINE1') {
      const id = s.guid();
      s.store.addFile({ id, name: 'Stock Items (AAMACHINE1)\\T2MCRO.jpg', contentBase64: T2MCRO_JPG.toString('base64'), entity: 'StockItem', recordId: record.id }, record); // prettier-ignore
    }
  }
  // Generated stock items number their DAC ids after the training ones.
  s.store.next('#StockItem', 100);

  const customers = [
    ['C000000001', 'Coffee Corner', 'orders@coffeecorner.con'],
    ['C000000002', 'Green Garden Cafe', 'info@greengarden.con'],
    ['C000000003', 'Mint Bakery', 'purchasing@mintbakery.con'],
    ['C000000004', 'Sunrise Diner', 'hello@sunrisediner.con'],
    ['C000000005', 'Jevy Computers', 'info@jevy-comp.con'],
  ] as const;
  for (const [id, name, email] of customers) {
    const main = s.row({ DisplayName: name, CompanyName: name, Email: email, Phone1: '+1 (206) 555-0100' }, { Address: s.row({ AddressLine1: '1 Market St', City: 'Seattle', State: 'WA', PostalCode: '98101', Country: 'US' }) }); // prettier-ignore
    s.add('Customer', { CustomerID: id, CustomerName: name, CustomerClass: 'DEFAULT', Status: 'Active', CurrencyID: 'USD', Terms: '30D', Email: email }, { MainContact: main, BillingContact: s.row({ Email: email }) }); // prettier-ignore
    s.add('Contact', { ContactID: s.store.next('Contact', 100), FirstName: 'Sam', LastName: name.split(' ')[0]!, BusinessAccount: id, CompanyName: name, Email: email, Active: true, Status: 'Active', Type: 'Contact' }); // prettier-ignore
    s.store.next('Customer');
  }
  s.add('Vendor', { VendorID: 'V000000001', VendorName: 'Toys Wholesale', VendorClass: 'DEFAULT', Status: 'Active', CurrencyID: 'USD', Terms: '30D' }); // prettier-ignore

  const line = (item: string, qty: number) => {
    const price = ITEMS.find((i) => i.id === item)!.price;
    return s.row({ InventoryID: item, OrderQty: qty, UnitPrice: price, WarehouseID: 'MAIN', UOM: 'EA' });
  };
  const orders: Array<[AcuRecord[], Partial<Record<string, string | boolean>>]> = [
    [[line('AACOMPUT01', 1)], { Status: 'Completed', CustomerOrder: 'SO248-563-01' }],
    [[line('AAPOWERAID', 4)], { CustomerOrder: 'SO248-563-02' }],
    [[line('AALEGO500', 2), line('CONGRILL', 1), line('AAPOWERAID', 6)], { CustomerOrder: 'SO248-563-06', Hold: true }],
    [[line('AALEGO500', 3)], { CustomerOrder: 'SO248-563-04' }],
    [[line('CONGRILL', 2)], { CustomerOrder: 'SO248-563-05' }],
    [[line('AAMACHINE1', 1), line('AAPOWERAID', 2)], { CustomerOrder: 'SO248-563-07' }],
    [[line('AALEGO500', 1)], { CustomerOrder: 'SO248-563-08' }],
    [[line('AACOMPUT01', 2)], { CustomerOrder: 'SO248-563-09' }],
    [[line('CONGRILL', 4)], { CustomerOrder: 'SO248-563-10' }],
  ];
  orders.forEach(([details, extra], i) => {
    const nbr = String(s.store.next('SalesOrder:SO')).padStart(6, '0');
    const shipments = i === 0 ? [s.row({ ShipmentNbr: '000001', ShipmentType: 'Shipment', ShipmentDate: day(3), ShippedQty: 1, Status: 'Completed', InvoiceType: 'Invoice', InvoiceNbr: 'INV000001', InventoryDocType: 'Issue', InventoryRefNbr: '000001' })] : []; // prettier-ignore
    s.add('SalesOrder', { OrderType: 'SO', OrderNbr: nbr, CustomerID: 'C000000003', Date: day(i), RequestedOn: day(i + 3), CurrencyID: 'USD', Hold: false, Description: `Bakery order ${i + 1}`, ...extra }, { Details: details, Shipments: shipments }); // prettier-ignore
  });
  s.add('Shipment', { ShipmentNbr: String(s.store.next('Shipment')).padStart(6, '0'), Type: 'Shipment', CustomerID: 'C000000003', WarehouseID: 'MAIN', ShipmentDate: day(3), Hold: false, Status: 'Completed', Operation: 'Issue' }, { Details: [s.row({ OrderType: 'SO', OrderNbr: '000001', OrderLineNbr: 1, InventoryID: 'AACOMPUT01', ShippedQty: 1, OrderedQty: 1, UOM: 'EA', WarehouseID: 'MAIN' })] }); // prettier-ignore

  const invoiceLine = (item: string, qty: number) => s.row({ InventoryID: item, Qty: qty, UnitPrice: ITEMS.find((i) => i.id === item)!.price, UOM: 'EA', WarehouseID: 'MAIN' }); // prettier-ignore
  s.add('SalesInvoice', { Type: 'Invoice', ReferenceNbr: 'INV000001', CustomerID: 'C000000003', Date: day(4), DueDate: day(34), Hold: false, Status: 'Closed', Balance: 0, Currency: 'USD', Description: 'Order 000001' }, { Details: [invoiceLine('AACOMPUT01', 1)] }, { custom: { Document: { CuryBalanceWOTotal: { type: 'CustomDecimalField', value: 0 } } } }); // prettier-ignore
  s.add('SalesInvoice', { Type: 'Invoice', ReferenceNbr: 'INV000046', CustomerID: 'C000000003', Date: day(20), DueDate: day(50), Hold: true, Currency: 'USD', Description: 'Catering supplies' }, { Details: [invoiceLine('AALEGO500', 2), invoiceLine('CONGRILL', 1)] }, { custom: { Document: { CuryBalanceWOTotal: { type: 'CustomDecimalField', value: 189.93 } } } }); // prettier-ignore
  s.store.next('ARInvoice:Invoice', 46);

  s.add('Payment', { Type: 'Payment', ReferenceNbr: String(s.store.next('Payment')).padStart(6, '0'), CustomerID: 'C000000003', ApplicationDate: day(10), PaymentAmount: 1499, AppliedToDocuments: 1499, PaymentMethod: 'CHECK', CashAccount: '10200', Hold: false, Status: 'Closed', CurrencyID: 'USD', Description: 'Payment for INV000001' }, { ApplicationHistory: [s.row({ DisplayDocType: 'Invoice', DisplayRefNbr: 'INV000001', AdjustedDocType: 'Invoice', AdjustedRefNbr: 'INV000001', AmountPaid: 1499, Balance: 0, Customer: 'C000000003', Date: day(10) })] }); // prettier-ignore

  s.add('JournalTransaction', { Module: 'GL', BatchNbr: String(s.store.next('Batch:GL')).padStart(6, '0'), LedgerID: 'ACTUAL', TransactionDate: day(0), PostPeriod: '032024', Hold: false, Description: 'Opening balance', CurrencyID: 'USD' }, { Details: [s.row({ Account: '10200', Subaccount: '000000', DebitAmount: 5000, CreditAmount: 0, Description: 'Cash' }), s.row({ Account: '30000', Subaccount: '000000', DebitAmount: 0, CreditAmount: 5000, Description: 'Equity' })] }); // prettier-ignore
}
