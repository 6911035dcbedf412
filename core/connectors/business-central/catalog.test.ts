import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bcCatalogDir, generateBcCatalogs } from '../../../scripts/generate-bc-catalog.js';
import { bcCatalog } from './catalog.js';

describe('Business Central catalog', () => {
  it('is exactly what the generator makes of the spec copies (run npm run generate:bc-catalog after a spec change)', async () => {
    const generated = await generateBcCatalogs();
    for (const [file, text] of Object.entries(generated)) {
      expect(await readFile(path.join(bcCatalogDir, file), 'utf8'), file).toBe(text);
    }
  });

  it('covers the entity sets a sync needs, in both versions', () => {
    const common = [
      'companies',
      'customers',
      'vendors',
      'items',
      'itemCategories',
      'salesOrders',
      'salesOrderLines',
      'salesInvoices',
      'salesInvoiceLines',
      'salesQuotes',
      'salesQuoteLines',
      'journals',
      'journalLines',
      'generalLedgerEntries',
      'paymentTerms',
      'shipmentMethods',
      'currencies',
      'customerPaymentJournals',
      'customerPayments',
      'dimensions',
      'accounts',
    ];
    for (const version of ['v1.0', 'v2.0'] as const) {
      const catalog = bcCatalog(version);
      for (const name of common) expect(catalog.entitySet(name), `${version} ${name}`).toBeDefined();
    }
    expect(bcCatalog('v2.0').entitySet('contacts')).toBeDefined();
    expect(bcCatalog('v2.0').entitySet('itemVariants')?.containedIn).toBe('items');
  });

  it('v2.0: GUID keys, enums with escaped members, capabilities, actions, lines contained in their document', () => {
    const catalog = bcCatalog('v2.0');
    const customers = catalog.entitySet('customers')!;
    expect(customers).toMatchObject({ entityType: 'customer', key: ['id'], scope: 'company' });
    expect(customers.deltaField).toBe('lastModifiedDateTime');
    expect(customers.properties.find((p) => p.name === 'id')).toEqual({
      name: 'id',
      edmType: 'Edm.Guid',
      nullable: false,
    });
    expect(customers.properties.find((p) => p.name === 'number')?.maxLength).toBe(20);
    expect(customers.properties.find((p) => p.name === 'blocked')?.enumMembers).toEqual([
      '_x0020_',
      'Ship',
      'Invoice',
      'All',
    ]);
    expect(catalog.entitySet('salesOrderLines')).toMatchObject({ containedIn: 'salesOrders', key: ['id'] });
    expect(catalog.entitySet('journalLines')?.containedIn).toBe('journals');
    expect(catalog.entitySet('salesOrders')?.actions).toEqual(['shipAndInvoice']);
    expect(catalog.entitySet('journals')?.actions).toEqual(['post']);
    expect(catalog.entitySet('generalLedgerEntries')?.capabilities).toEqual({
      read: true,
      create: false,
      update: false,
      delete: false,
    });
    expect(catalog.entitySet('companies')).toMatchObject({ scope: 'root', capabilities: { create: false } });
    expect(catalog.entitySet('dimensionSetLines')?.containedIn).toBeUndefined();
    expect(catalog.entitySet('dimensionSetLines')?.parents).toContain('salesOrderLines');
    expect(catalog.entitySet('salesOrders')?.navigation.find((n) => n.name === 'salesOrderLines')).toEqual({
      name: 'salesOrderLines',
      entityType: 'salesOrderLine',
      entitySet: 'salesOrderLines',
      collection: true,
      contained: true,
      constraint: { property: 'id', referencedProperty: 'documentId' },
    });
    const lineType = catalog.entitySet('journalLines')!.properties.find((p) => p.name === 'accountType')!;
    expect(lineType.enumMembers).toContain('G_x002F_L_x0020_Account');
  });

  it('v1.0: complex addresses, string line keys, entry-number ledger keys, options as strings', () => {
    const catalog = bcCatalog('v1.0');
    const address = catalog.entitySet('customers')!.properties.find((p) => p.name === 'address')!;
    expect(address.properties?.map((p) => p.name)).toEqual([
      'street',
      'city',
      'state',
      'countryLetterCode',
      'postalCode',
    ]);
    const lineId = catalog.entitySet('salesOrderLines')!.properties.find((p) => p.name === 'id')!;
    expect(lineId).toMatchObject({ edmType: 'Edm.String', maxLength: 50 });
    expect(catalog.entitySet('salesOrderLines')?.containedIn).toBe('salesOrders');
    const ledger = catalog.entitySet('generalLedgerEntries')!;
    expect(ledger.key).toEqual(['id']);
    expect(ledger.properties[0]).toMatchObject({ name: 'id', edmType: 'Edm.Int32' });
    expect(ledger.capabilities.create).toBe(false);
    const blocked = catalog.entitySet('customers')!.properties.find((p) => p.name === 'blocked')!;
    expect(blocked).toMatchObject({ edmType: 'Edm.String' });
    expect(blocked.enumMembers).toBeUndefined();
    expect(catalog.entitySet('defaultDimensions')?.key).toEqual(['parentId', 'dimensionId']);
    expect(catalog.entitySet('salesOrders')?.actions).toEqual(['shipAndInvoice']);
  });

  it('answers undefined for an unknown set and refuses an unknown version', () => {
    expect(bcCatalog('v2.0').entitySet('nope')).toBeUndefined();
    expect(() => bcCatalog('v3.0' as never)).toThrow(/unknown Business Central API version/);
  });
});
