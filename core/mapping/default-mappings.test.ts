import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acumaticaCatalog } from '../connectors/acumatica/catalog.js';
import { defaultRegistry } from '../connectors/registry.js';
import type { RecordData } from '../engine/record.js';
import type { EntityDescriptor } from '../model/descriptor.js';
import type { MapField } from '../model/mapping.js';
import { DEFAULT_MAPPING_FILES } from './default-mappings-data.js';
import {
  findDefaultMapping,
  loadDefaultMappingFiles,
  loadDefaultMappings,
  type DefaultMappingFile,
  type MappingEnd,
} from './default-mappings.js';
import { expressionFields } from './expression-fields.js';
import { previewMapping } from './preview-mapping.js';

const registry = defaultRegistry();
const shipped = [...loadDefaultMappings().byPair.values()];

function entityOf(end: MappingEnd): EntityDescriptor | undefined {
  const connector = registry.get(end.connector);
  if (!connector) throw new Error(`no connector "${end.connector}"`);
  return connector.descriptor.entities?.find((e) => e.name === end.entity);
}

/**
 * Why `path` is not a field of the entity, or undefined when it is. A linked entity's fields (`MainContact.Address.
 * City`) are looked up in Acumatica's catalog; other connectors' catalogs describe top-level fields only.
 */
function fieldProblem(end: MappingEnd, entity: EntityDescriptor, path: readonly string[]): string | undefined {
  const top = entity.fields.find((f) => f.name === path[0]);
  if (!top) return `${end.connector} ${entity.name} has no field "${path[0]}"`;
  if (path.length === 1) return undefined;
  if (top.type !== 'object' && top.type !== 'array' && top.type !== 'unknown')
    return `${entity.name}.${top.name} is ${top.type}, not an object`;
  if (end.connector !== 'acumatica') return undefined;
  const catalog = acumaticaCatalog('Default');
  let current = catalog.entity(entity.name)!;
  for (let i = 1; i < path.length; i++) {
    const link = current.links.find((l) => l.name === path[i - 1]);
    if (!link) return `${current.name} has no linked entity "${path[i - 1]}"`;
    current = catalog.entity(link.entity)!;
    const name = path[i]!;
    const isLast = i === path.length - 1;
    if (isLast && !current.fields.some((f) => f.name === name) && !current.links.some((l) => l.name === name))
      return `${current.name} (${path.slice(0, i).join('.')}) has no field "${name}"`;
  }
  return undefined;
}

/** Every (top-level) expression's record fields; line fields read their line, not the record. */
function sourcePaths(fields: readonly MapField[]): string[][] {
  return fields.flatMap((f) => expressionFields(f.expression).map((r) => r.path));
}

describe('shipped default mappings', () => {
  it('lists every file of resources/default-mappings (bundles carry only listed ones)', () => {
    const dir = fileURLToPath(new URL('../../resources/default-mappings', import.meta.url));
    const onDisk = readdirSync(dir).filter((n) => n.endsWith('.json'));
    expect(Object.keys(DEFAULT_MAPPING_FILES).sort()).toEqual(onDisk.sort());
  });

  it('all validate: shape, expressions, value-map references, one file per pair', () => {
    expect(loadDefaultMappings().problems).toEqual([]);
    expect(shipped.length).toBe(Object.keys(DEFAULT_MAPPING_FILES).length);
  });

  it('name their file after their pair', () => {
    for (const { file, doc } of shipped) {
      const end = (e: MappingEnd) => (e.entity ? `${e.connector}.${e.entity}` : e.connector);
      expect(file).toBe(`resources/default-mappings/${end(doc.source)}--${end(doc.destination)}.json`);
    }
  });

  it('the catalog check finds fields that do not exist, down into Acumatica linked entities', () => {
    const customer = entityOf({ connector: 'acumatica', entity: 'Customer' })!;
    const acu = { connector: 'acumatica', entity: 'Customer' };
    expect(fieldProblem(acu, customer, ['MainContact', 'Address', 'City'])).toBeUndefined();
    expect(fieldProblem(acu, customer, ['MainContact', 'Address', 'Town'])).toBe(
      'Address (MainContact.Address) has no field "Town"',
    );
    expect(fieldProblem(acu, customer, ['Nope'])).toBe('acumatica Customer has no field "Nope"');
    expect(fieldProblem(acu, customer, ['CustomerName', 'x'])).toBe('Customer.CustomerName is string, not an object');
  });

  it('name only fields that exist in the two catalogs (an end without a catalog: any field)', () => {
    for (const { file, doc } of shipped) {
      for (const [side, end] of [
        ['source', doc.source],
        ['destination', doc.destination],
      ] as const) {
        const connector = registry.get(end.connector)!;
        const hasCatalog = (connector.descriptor.entities ?? []).length > 0 || connector.entities !== undefined;
        expect(end.entity !== undefined, `${file}: ${side} names an entity iff it has a catalog`).toBe(hasCatalog);
        if (!hasCatalog) continue;
        const entity = entityOf(end);
        expect(entity, `${file}: ${side} entity ${end.entity}`).toBeDefined();
        const paths =
          side === 'source' ? sourcePaths(doc.mapping.fields) : doc.mapping.fields.map((f) => f.target.split('.'));
        for (const path of paths)
          expect(fieldProblem(end, entity!, path), `${file}: ${side} ${path.join('.')}`).toBe(undefined);
        if (side === 'destination') {
          for (const f of doc.mapping.fields) {
            const field = entity!.fields.find((x) => x.name === f.target.split('.')[0]);
            expect(field?.readOnly, `${file}: ${f.target} is read-only`).not.toBe(true);
          }
        }
      }
    }
  });

  it('map sample records of the source without a field error against the destination catalog', async () => {
    const samples: Record<string, RecordData[]> = {
      'business-central.customers': [
        {
          number: '10000',
          displayName: 'Adatum Corporation',
          addressLine1: '100 Main Street',
          addressLine2: '',
          city: 'Atlanta',
          state: 'GA',
          country: 'US',
          postalCode: '31772',
          phoneNumber: '+1 425 555 1000',
          email: 'info@adatum.example',
          website: '',
          creditLimit: 0,
          balanceDue: 0,
          currencyCode: 'USD',
          blocked: '_x0020_',
        },
        { number: '20000', displayName: 'Trey Research', currencyCode: '', blocked: 'Ship', creditLimit: 500 },
      ],
      'business-central.items': [
        { number: '1000', displayName: 'ATHENS Desk', blocked: false, unitPrice: 460.54, baseUnitOfMeasureCode: 'PCS' },
        { number: '1001', displayName: 'Chair', blocked: true, unitPrice: 99, baseUnitOfMeasureCode: 'BOX' },
      ],
      'acumatica.Customer': [
        {
          CustomerID: 'C000000001',
          CustomerName: 'Coffee Corner',
          Status: 'Active',
          CurrencyID: 'USD',
          Email: 'orders@coffeecorner.example',
          CreditLimit: 1000,
          MainContact: {
            Phone1: '+1 (206) 555-0100',
            Address: { AddressLine1: '1 Market St', City: 'Seattle', State: 'WA', PostalCode: '98101', Country: 'US' },
          },
        },
        { CustomerID: 'C000000002', CustomerName: 'Tea House', Status: 'CreditHold' },
      ],
      'acumatica.StockItem': [
        {
          InventoryID: 'AACOMPUT01',
          Description: 'Computer',
          ItemStatus: 'Active',
          BaseUOM: 'EA',
          DefaultPrice: 1499,
          ValuationMethod: 'Average',
          AverageCost: 900,
        },
        {
          InventoryID: 'STD1',
          Description: 'Standard',
          ItemStatus: 'Inactive',
          BaseUOM: 'BOX',
          ValuationMethod: 'Standard',
          CurrentStdCost: 5,
        },
      ],
      'lightspeed.customers': [
        {
          first_name: 'Anna',
          last_name: 'Berg',
          email: ' Anna.Berg@Example.com ',
          mobile: '+46 70 123 45 67',
          physical_address_1: 'Storgatan 1',
          physical_city: 'Uppsala',
          physical_postcode: '753 20',
          physical_country_id: 'SE',
        },
        {
          first_name: 'Tom',
          last_name: 'Hale',
          company_name: 'Hale & Sons',
          email: 'tom@hale.example',
          phone: '+44 20 7946 0000',
          postal_address_1: '2 High Street',
          postal_city: 'London',
          postal_postcode: 'EC1A 1BB',
          postal_country_id: 'GB',
        },
      ],
      file: [{ number: 'C1', displayName: 'From a file', email: 'a@b.example', city: 'Oslo', currencyCode: '' }],
    };
    for (const { file, doc } of shipped) {
      const key = doc.source.entity ? `${doc.source.connector}.${doc.source.entity}` : doc.source.connector;
      const records = samples[key];
      expect(records, `samples for ${key}`).toBeDefined();
      const destination = doc.destination.entity ? entityOf(doc.destination) : undefined;
      const preview = await previewMapping(doc.mapping, records!, {
        valueMaps: new Map((doc.valueMaps ?? []).map((m) => [m.id, m])),
        targetFields: destination?.fields,
      });
      expect(preview.problems, file).toEqual([]);
      for (const row of preview.rows) {
        expect(row.error, `${file}: ${JSON.stringify(row.input)}`).toBeUndefined();
        expect(row.fieldErrors, `${file}: ${JSON.stringify(row.input)}`).toEqual([]);
      }
    }
  });
});

describe('findDefaultMapping', () => {
  it('finds the mapping of a pair, with the value maps it uses, as the caller’s own copy', () => {
    const found = findDefaultMapping(
      { connector: 'business-central', entity: 'customers' },
      { connector: 'acumatica', entity: 'Customer' },
    );
    expect(found?.file).toBe('resources/default-mappings/business-central.customers--acumatica.Customer.json');
    expect(found?.mapping.fields.map((f) => f.target)).toContain('MainContact.Address.City');
    expect(found?.valueMaps.map((m) => m.id)).toEqual(['bc-blocked-to-acumatica-status']);
    found!.mapping.fields.length = 0;
    const again = findDefaultMapping(
      { connector: 'business-central', entity: 'customers' },
      { connector: 'acumatica', entity: 'Customer' },
    );
    expect(again!.mapping.fields.length).toBeGreaterThan(0);
  });

  it('matches connector and entity exactly; a file end has no entity', () => {
    expect(
      findDefaultMapping({ connector: 'file' }, { connector: 'business-central', entity: 'customers' }),
    ).toBeDefined();
    expect(
      findDefaultMapping({ connector: 'business-central', entity: 'customers' }, { connector: 'file' }),
    ).toBeDefined();
    expect(
      findDefaultMapping(
        { connector: 'business-central', entity: 'vendors' },
        { connector: 'acumatica', entity: 'Customer' },
      ),
    ).toBeUndefined();
    expect(
      findDefaultMapping(
        { connector: 'acumatica', entity: 'StockItem' },
        { connector: 'business-central', entity: 'items' },
      )?.valueMaps,
    ).toHaveLength(1);
    expect(
      findDefaultMapping(
        { connector: 'acumatica', entity: 'Customer' },
        { connector: 'acumatica', entity: 'Customer' },
      ),
    ).toBeUndefined();
  });
});

describe('loadDefaultMappingFiles', () => {
  const good: DefaultMappingFile = {
    source: { connector: 'file' },
    destination: { connector: 'business-central', entity: 'customers' },
    mapping: { fields: [{ target: 'number', expression: 'id', valueMap: 'm' }] },
    valueMaps: [{ schemaVersion: 1, id: 'm', name: 'M', entries: [], fallback: { kind: 'keep' } }],
  };

  it('reports broken files by file and JSON path and leaves them out', () => {
    const { byPair, problems } = loadDefaultMappingFiles({
      'a.json': good,
      'b.json': {
        ...good,
        source: { connector: 'file', entity: 'x' },
        mapping: { fields: [{ target: 'a', expression: '1 +' }] },
      },
      'c.json': { ...good, mapping: { fields: [{ target: 'a', expression: 'a', valueMap: 'missing' }] } },
      'd.json': { ...good, destination: { entity: 'x' } },
      'e.json': good,
    });
    expect(byPair.size).toBe(1);
    expect(problems.map((p) => `${p.file}: ${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^resources\/default-mappings\/b\.json: mapping\.fields\[0\]\.expression: S0\d+/),
      'resources/default-mappings/c.json: mapping.fields[0].valueMap: unknown value map "missing" (expected one of m)',
      'resources/default-mappings/d.json: destination.connector: required: expected string',
      'resources/default-mappings/e.json: source: the same pair as resources/default-mappings/a.json: one default per pair',
    ]);
  });
});
