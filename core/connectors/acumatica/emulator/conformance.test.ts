import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSwagger, type SwaggerContract } from '../../../../scripts/acumatica-catalog/swagger.js';
import { readAcumaticaSpec } from '../../../../scripts/generate-acumatica-catalog.js';
import { type AcuCatalog, type AcuEntity, acumaticaCatalog, type AcumaticaEndpoint } from '../catalog.js';
import { type AcumaticaEmulator, startAcumaticaEmulator } from './server.js';
import { client } from './test-support.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SYSTEM = new Set(['id', 'rowNumber', 'note', 'custom', '_links', 'files', 'error']);

function valueProblem(type: string, value: unknown): string | undefined {
  const ok: Record<string, (v: unknown) => boolean> = {
    StringValue: (v) => typeof v === 'string',
    DecimalValue: (v) => typeof v === 'number',
    BooleanValue: (v) => typeof v === 'boolean',
    DateTimeValue: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?\+00:00$/.test(v),
    GuidValue: (v) => typeof v === 'string' && GUID.test(v),
  };
  const check = ok[type] ?? ((v: unknown) => Number.isInteger(v));
  return check(value) ? undefined : `${JSON.stringify(value)} is not a ${type}`;
}

/** Every problem of one answered entity against its catalog entity (and the swagger schema of that name). */
function problems(
  catalog: AcuCatalog,
  entity: AcuEntity,
  json: Record<string, unknown>,
  at: string,
  swagger?: SwaggerContract,
): string[] {
  // prettier-ignore
  const found: string[] = [];
  if (typeof json.id !== 'string' || !GUID.test(json.id)) found.push(`${at}.id`);
  if (typeof json.rowNumber !== 'number') found.push(`${at}.rowNumber`);
  const schema = swagger?.entities.get(entity.name);
  for (const [name, value] of Object.entries(json)) {
    if (SYSTEM.has(name)) continue;
    if (schema && !schema.has(name)) found.push(`${at}.${name}: not in the swagger schema`);
    const field = entity.fields.find((f) => f.name === name);
    if (field) {
      const wrapper = value as Record<string, unknown>;
      const extra = Object.keys(wrapper).filter((k) => k !== 'value' && k !== 'error');
      if (extra.length > 0) found.push(`${at}.${name}: wrapper has ${extra.join(', ')}`);
      const problem = 'value' in wrapper ? valueProblem(field.type, wrapper.value) : undefined;
      if (problem) found.push(`${at}.${name}: ${problem}`);
      continue;
    }
    const link = entity.links.find((l) => l.name === name);
    const target = link && catalog.entity(link.entity);
    if (!link || !target) {
      found.push(`${at}.${name}: not a field or link of ${entity.name}`);
      continue;
    }
    if (link.collection !== Array.isArray(value)) found.push(`${at}.${name}: collection ${link.collection}`);
    const rows = (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown>>;
    rows.forEach((row, i) => found.push(...problems(catalog, target, row, `${at}.${name}[${i}]`, swagger)));
  }
  return found;
}

/** $expand of every link, and of the links of linked entities (MainContact/Address). */
function expandAll(catalog: AcuCatalog, entity: AcuEntity): string {
  return entity.links
    .flatMap((l) => [
      l.name,
      ...(catalog.entity(l.entity)?.links ?? []).filter((n) => !n.collection).map((n) => `${l.name}/${n.name}`),
    ]) // prettier-ignore
    .join(',');
}

describe('Acumatica emulator: every answer conforms to the catalog of the version called', () => {
  let acu: AcumaticaEmulator;
  beforeAll(async () => {
    acu = await startAcumaticaEmulator({ limits: { apiUsers: 10 }, size: { customers: 3, stockItems: 3, salesOrders: 3, vendors: 2, journalTransactions: 2 } }); // prettier-ignore
  });
  afterAll(async () => {
    await acu.close();
  });

  it.each([
    ['Default', '24.200.001', 'default-24.200.001'],
    ['Default', '20.200.001', 'default-20.200.001'],
    ['eCommerce', '24.200.001', 'ecommerce-24.200.001'],
    ['MANUFACTURING', '24.200.001', 'manufacturing-24.200.001'],
  ] as const)(
    '%s %s: every record of every entity, fully expanded, and the answers of PUT and inquiries',
    async (endpoint: AcumaticaEndpoint, version, specFolder) => {
      const swagger = readSwagger(await readAcumaticaSpec(`${specFolder}/swagger.json.gz`));
      const catalog = acumaticaCatalog(endpoint, version);
      const c = await client(acu, { endpoint: acu.endpointUrl(endpoint, version) });
      // The check itself finds what does not belong.
      const customer = catalog.entity('ProductionOrder') ?? catalog.entity('Customer')!;
      expect(problems(catalog, customer, { id: 'x', rowNumber: 1, Bogus: {} }, 'probe')).toHaveLength(2);
      const found: string[] = [];
      let checked = 0;
      for (const entity of catalog.entities.filter((e) => e.topLevel && acu.store.count(e.name) > 0)) {
        for (const record of acu.store.records(entity.name)) {
          const answer = await c.get(`${entity.name}/${record.id}?$expand=${expandAll(catalog, entity)}`);
          expect(answer.status, `${entity.name} ${JSON.stringify(answer.body)}`).toBe(200);
          found.push(...problems(catalog, entity, answer.body, entity.name, swagger));
          checked++;
        }
      }
      if (endpoint !== 'MANUFACTURING') {
        expect(checked).toBeGreaterThan(40);
        const put = await c.put('SalesOrder?$expand=Details', { CustomerID: { value: 'C000000001' }, Details: [{ InventoryID: { value: 'AALEGO500' }, OrderQty: { value: 1 } }] }); // prettier-ignore
        found.push(...problems(catalog, catalog.entity('SalesOrder')!, put.body, 'PUT SalesOrder', swagger));
        const inquiry = catalog.entity('InventorySummaryInquiry') && (await c.put('InventorySummaryInquiry?$expand=Results', { InventoryID: { value: 'AALEGO500' } })); // prettier-ignore
        if (inquiry) {
          expect(inquiry.body.Results.length).toBeGreaterThan(0);
          found.push(
            ...problems(catalog, catalog.entity('InventorySummaryInquiry')!, inquiry.body, 'Inquiry', swagger),
          );
        }
      }
      expect(found).toEqual([]);
      await c.logout();
    },
  );
});
