import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  generateLightspeedCatalog,
  lightspeedCatalogFile,
  readLightspeedSpec,
} from '../../../scripts/generate-lightspeed-catalog.js';
import { lightspeedCatalog } from './catalog.js';

describe('Lightspeed catalog', () => {
  it('is exactly what the generator makes of the spec copy (run npm run generate:lightspeed-catalog after a change)', async () => {
    expect(await readFile(lightspeedCatalogFile, 'utf8')).toBe(await generateLightspeedCatalog());
  });

  it('holds the entities a retail integration needs, each paged and synced by version', () => {
    const catalog = lightspeedCatalog();
    expect(catalog.entities.map((e) => e.name)).toEqual(['products', 'customers', 'sales', 'inventory', 'outlets', 'registers', 'taxes', 'payment_types']); // prettier-ignore
    for (const entity of catalog.entities) {
      expect(entity, entity.name).toMatchObject({ key: 'id', deltaField: 'version' });
      expect(entity.fields.find((f) => f.name === 'version'), entity.name).toMatchObject({ type: 'integer', readOnly: true }); // prettier-ignore
    }
  });

  it('types and flags product fields from the spec: SKU, barcodes, both prices, brand, type, tags, images, variants', () => {
    const products = lightspeedCatalog().entity('products')!;
    const field = (name: string) => products.fields.find((f) => f.name === name);
    expect(field('name')).toMatchObject({ type: 'string', required: true });
    expect(field('sku')).toMatchObject({ type: 'string', nullable: true });
    expect(field('price_excluding_tax')).toMatchObject({ type: 'number' });
    expect(field('price_including_tax')).toMatchObject({ type: 'number' });
    expect(field('product_codes')!.fields!.find((f) => f.name === 'type')!.enum).toContain('EAN');
    expect(field('brand')).toMatchObject({ type: 'object', readOnly: true });
    expect(field('tag_ids')).toMatchObject({ type: 'array', items: 'string' });
    expect(field('variant_parent_id')).toMatchObject({ readOnly: true, nullable: true });
    expect(field('product_category_id')).toMatchObject({ writeOnly: true });
    expect(field('variants')!.fields!.map((f) => f.name)).toContain('variant_definitions');
    expect(field('created_at')).toMatchObject({ type: 'datetime', readOnly: true });
    // Not in the Product schema, but in every example the spec gives.
    expect(field('is_active')).toMatchObject({ type: 'boolean', fromExample: true });
    expect(products.create).toMatchObject({ method: 'POST', path: '/api/2.0/products' });
    expect(products.update).toMatchObject({ method: 'PUT', path: '/api/2.1/products/{id}' });
    expect(products.update!.fields.some((f) => f.required)).toBe(false);
    expect(products.detailFields).toEqual(expect.arrayContaining(['sku', 'price_excluding_tax', 'inventory', 'product_codes'])); // prettier-ignore
    expect(products.detailFields).not.toContain('name');
    expect(products.search).toEqual(expect.arrayContaining(['sku', 'brand_id']));
  });

  it('says how customers, sales and inventory are written, and what is read-only', async () => {
    const catalog = lightspeedCatalog();
    const customers = catalog.entity('customers')!;
    expect(customers.fields.find((f) => f.name === 'date_of_birth')).toMatchObject({ type: 'date' });
    expect(customers.fields.find((f) => f.name === 'balance')).toMatchObject({ readOnly: true });
    expect(customers.fields.find((f) => f.name === 'company_name')?.readOnly).toBeUndefined();
    expect(customers.search).toEqual(expect.arrayContaining(['email', 'company_name']));
    const sales = catalog.entity('sales')!;
    expect(sales.create).toMatchObject({ method: 'POST', path: '/api/register_sales' });
    expect(sales.fields.find((f) => f.name === 'status')!.enum).toContain('CLOSED');
    expect(sales.search).toEqual(expect.arrayContaining(['invoice_number', 'status']));
    const inventory = catalog.entity('inventory')!;
    expect(inventory.create).toBeUndefined();
    expect(inventory.update!.fields.map((f) => f.name)).toEqual(['product_id', 'outlet_id', 'inventory_level', 'reorder_point', 'reorder_amount']); // prettier-ignore
    for (const name of ['outlets', 'registers', 'taxes', 'payment_types']) {
      const entity = catalog.entity(name)!;
      expect(entity.create ?? entity.update, name).toBeUndefined();
      expect(
        entity.fields.every((f) => f.readOnly),
        name,
      ).toBe(true);
    }
    // Every field the catalog reads is a property of the spec's schema or of its examples.
    const spec = JSON.parse(await readLightspeedSpec()) as { components: { schemas: Record<string, { properties: object }> } }; // prettier-ignore
    for (const entity of catalog.entities) {
      const properties = Object.keys(spec.components.schemas[entity.schema]!.properties);
      const extra = entity.fields.filter((f) => !properties.includes(f.name) && !f.fromExample && !f.writeOnly);
      expect(
        extra.map((f) => f.name),
        entity.name,
      ).toEqual([]);
    }
  });
});
