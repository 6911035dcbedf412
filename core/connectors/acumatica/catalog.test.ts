import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSwagger } from '../../../scripts/acumatica-catalog/swagger.js';
import {
  acumaticaCatalogDir,
  generateAcumaticaCatalogs,
  readAcumaticaSpec,
} from '../../../scripts/generate-acumatica-catalog.js';
import { ACUMATICA_CATALOG_DATA } from './catalog-data.js';
import { acumaticaCatalog, acumaticaVersions, type AcumaticaEndpoint } from './catalog.js';
import { ACUMATICA_KEYS } from './keys.js';

describe('Acumatica catalog', () => {
  it('is exactly what the generator makes of the spec copies (run npm run generate:acumatica-catalog after a spec change)', async () => {
    const generated = await generateAcumaticaCatalogs();
    expect((await readdir(acumaticaCatalogDir)).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, text] of Object.entries(generated)) {
      expect(await readFile(path.join(acumaticaCatalogDir, file), 'utf8'), file).toBe(text);
    }
    // catalog-data.ts imports every generated file (a new version is not silently left out of the bundle).
    expect(ACUMATICA_CATALOG_DATA.map((d) => `${d.endpoint}-${d.version}.json`).sort()).toEqual(
      Object.keys(generated).sort(),
    );
  });

  it('lists the shipped versions oldest first and defaults to the newest', () => {
    expect(acumaticaVersions('Default')).toEqual(['20.200.001', '22.200.001', '23.200.001', '24.200.001']);
    expect(acumaticaVersions('MANUFACTURING')).toEqual([
      '20.200.001',
      '21.200.001',
      '23.100.001',
      '23.200.001',
      '24.200.001',
    ]);
    expect(acumaticaVersions('eCommerce')).toEqual(['20.200.001', '22.200.001', '23.200.001', '24.200.001']);
    expect(acumaticaCatalog('Default').version).toBe('24.200.001');
    expect(acumaticaCatalog('Default', '20.200.001').version).toBe('20.200.001');
  });

  it('covers the entities a sync needs, with keys, details, linked entities, actions and the delta field', () => {
    const catalog = acumaticaCatalog('Default');
    for (const name of [
      'Customer',
      'Contact',
      'Vendor',
      'StockItem',
      'NonStockItem',
      'SalesOrder',
      'SalesInvoice',
      'Shipment',
      'JournalTransaction',
      'Payment',
      'InventorySummaryInquiry',
      'ItemWarehouse',
    ]) {
      expect(catalog.entity(name)?.topLevel, name).toBe(true);
    }
    const order = catalog.entity('SalesOrder')!;
    expect(order).toMatchObject({ keys: ['OrderType', 'OrderNbr'], screen: 'SO301000', deltaField: 'LastModified' });
    expect(order.links).toContainEqual({ name: 'Details', entity: 'SalesOrderDetail', collection: true });
    expect(order.links).toContainEqual({ name: 'ShippingSettings', entity: 'ShippingSettings', collection: false });
    expect(order.links).toContainEqual({ name: 'BillToAddress', entity: 'Address', collection: false });
    expect(order.fields).toContainEqual({ name: 'OrderTotal', type: 'DecimalValue' });
    expect(order.actions).toContain('CancelSalesOrder');
    expect(catalog.entity('SalesOrderDetail')).toMatchObject({ topLevel: false, kind: 'detail', keys: [] });
    expect(catalog.entity('Address')?.kind).toBe('linked');
    expect(catalog.entity('Customer')).toMatchObject({ keys: ['CustomerID'], deltaField: 'LastModifiedDateTime' });
    expect(catalog.entity('Customer')?.links).toContainEqual({
      name: 'MainContact',
      entity: 'Contact',
      collection: false,
    });
    expect(catalog.entity('JournalTransaction')).toMatchObject({
      keys: ['Module', 'BatchNbr'],
      actions: ['ReleaseJournalTransaction'],
    });
    expect(catalog.entity('SalesInvoice')?.actions).toContain('ReleaseSalesInvoice');
    expect(catalog.entity('Bill')?.actionParameters.ReleaseRetainage).toEqual([
      { name: 'AmtToRelease', type: 'DecimalValue' },
      { name: 'Date', type: 'DateTimeValue' },
      { name: 'PostPeriod', type: 'StringValue' },
    ]);
    expect(catalog.entity('StockItem')?.links).toContainEqual({
      name: 'WarehouseDetails',
      entity: 'StockItemWarehouseDetail',
      collection: true,
    });
    expect(catalog.entity('ItemWarehouse')?.keys).toEqual(['InventoryID', 'WarehouseID']);
    const types = new Set(catalog.entities.flatMap((e) => e.fields.map((f) => f.type)));
    expect([...types].sort()).toEqual([
      'BooleanValue',
      'ByteValue',
      'DateTimeValue',
      'DecimalValue',
      'GuidValue',
      'IntValue',
      'LongValue',
      'ShortValue',
      'StringValue',
    ]);
  });

  it('MANUFACTURING stands alone; eCommerce merges its entities into Default of the same version', () => {
    const mfg = acumaticaCatalog('MANUFACTURING');
    expect(mfg.extends).toBeUndefined();
    expect(mfg.entity('ProductionOrder')).toMatchObject({ topLevel: true, keys: ['OrderType', 'ProductionNbr'] });
    expect(mfg.entity('BillOfMaterial')?.keys).toEqual(['BOMID', 'Revision']);
    expect(mfg.entity('SalesOrder')).toBeUndefined();

    const shop = acumaticaCatalog('eCommerce', '20.200.001');
    expect(shop.extends).toEqual({ endpoint: 'Default', version: '20.200.001' });
    const customer = shop.entity('Customer')!;
    expect(customer.keys).toEqual(['CustomerID']);
    expect(customer.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['CustomerName', 'RestrictVisibilityTo']),
    );
    expect(acumaticaCatalog('eCommerce').entity('ItemImages')?.topLevel).toBe(true);
    expect(acumaticaCatalog('eCommerce').entity('SalesOrder')?.keys).toEqual(['OrderType', 'OrderNbr']);
  });

  it.each([
    ['default-24.200.001', 'Default', '24.200.001'],
    ['default-20.200.001', 'Default', '20.200.001'],
    ['manufacturing-24.200.001', 'MANUFACTURING', '24.200.001'],
    ['ecommerce-24.200.001', 'eCommerce', '24.200.001'],
  ] as const)(
    'agrees with the swagger of %s: every entity, field, wrapper type, top-level path and action',
    async (folder, endpoint: AcumaticaEndpoint, version) => {
      const swagger = readSwagger(await readAcumaticaSpec(`${folder}/swagger.json.gz`));
      expect(swagger.basePath).toBe(`/entity/${endpoint}/${version}`);
      const catalog = acumaticaCatalog(endpoint, version);
      for (const entity of catalog.entities) {
        const expected = new Map([
          ...entity.fields.map((f) => [f.name, f.type] as const),
          ...entity.links.map((l) => [l.name, l.collection ? `${l.entity}[]` : l.entity] as const),
        ]);
        expect(swagger.entities.get(entity.name), entity.name).toEqual(expected);
        if (entity.topLevel) expect(swagger.paths, entity.name).toContain(`/${entity.name}`);
        for (const action of entity.actions) expect(swagger.paths).toContain(`/${entity.name}/${action}`);
      }
      // Nothing in the swagger is missing from the catalog.
      const names = new Set(catalog.entities.map((e) => e.name));
      expect([...swagger.entities.keys()].filter((name) => !names.has(name))).toEqual([]);
    },
  );

  it('names only key fields that exist in the newest version of the endpoint defining the entity', () => {
    for (const [name, keys] of Object.entries(ACUMATICA_KEYS)) {
      const entity = acumaticaCatalog('Default').entity(name) ?? acumaticaCatalog('MANUFACTURING').entity(name);
      expect(entity?.keys, name).toEqual(keys);
    }
  });

  it('refuses an unknown endpoint or version and answers undefined for an unknown entity', () => {
    expect(acumaticaCatalog('Default').entity('Nope')).toBeUndefined();
    expect(() => acumaticaCatalog('Default', '9.9.9')).toThrow(/unknown version "9.9.9".*24\.200\.001/);
    expect(() => acumaticaCatalog('Nope' as never)).toThrow(/unknown Acumatica endpoint/);
  });
});
