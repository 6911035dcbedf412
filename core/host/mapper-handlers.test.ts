import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchSampleResult, MappingFields, PreviewMappingResult } from '../model/mapper-contract.js';
import type { Flow } from '../model/flow.js';
import { dispatch } from './dispatch.js';
import { type ServiceHarness, serviceOverExamples } from './testing/service-harness.js';

let tmp: ServiceHarness;

beforeEach(async () => {
  tmp = await serviceOverExamples({ watch: false });
  await tmp.service.open(tmp.ws);
});
afterEach(() => tmp.close());

async function ok<T>(name: string, input: unknown): Promise<T> {
  const result = await dispatch(tmp.service.handlers, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as T;
}
async function refused(name: string, input: unknown) {
  const result = await dispatch(tmp.service.handlers, name, input);
  if (result.ok) throw new Error(`${name} succeeded`);
  return result.error;
}

const catalog = { flowId: 'products-to-catalog', nodeId: 'to-catalog' };

/** The catalog flow with its file destination swapped for Business Central customers (unsaved, as the editor has it). */
async function toBcCustomers(): Promise<Flow> {
  const { flow } = await ok<{ flow: Flow }>('loadFlow', { flowId: 'products-to-catalog' });
  return {
    ...flow,
    nodes: flow.nodes.map((n) =>
      n.id === 'catalog'
        ? { ...n, type: 'business-central', config: { connection: 'bc-demo', entity: 'customers' } }
        : n,
    ),
  };
}

describe('mappingFields', () => {
  it("lists the source's declared columns, says why the destination column is empty, and adds a run's fields", async () => {
    const before = await ok<MappingFields>('mappingFields', catalog);
    expect(before.source).toEqual({ nodeId: 'products', connector: 'file' });
    expect(before.sourceFields).toEqual([
      { name: 'cost', path: ['cost'], type: 'number', origin: 'catalog' },
      { name: 'price', path: ['price'], type: 'number', origin: 'catalog' },
      { name: 'qty', path: ['qty'], type: 'integer', origin: 'catalog' },
    ]);
    expect(before.destinationFields).toEqual([]);
    expect(before.notes).toEqual([
      'The destination "Catalog CSV" has no entity with a field list: type the target fields.',
    ]);

    const { runId } = await ok<{ runId: string }>('startRun', { flowId: catalog.flowId, dryRun: true });
    await tmp.service.runs.settled(runId);
    const after = await ok<MappingFields>('mappingFields', catalog);
    expect(after.sourceFields.map((f) => `${f.name}:${f.type}:${f.origin}`)).toEqual([
      'cost:number:catalog',
      'price:number:catalog',
      'qty:integer:catalog',
      'id:string:sample',
      'sku:string:sample',
      'name:string:sample',
      'description:string:sample',
      'category:string:sample',
      'email:string:sample',
      'country:string:sample',
      'updatedAt:datetime:sample',
      'status:string:sample',
    ]);
  });

  it("takes the destination entity's writable fields, required ones marked, from the editor's unsaved flow", async () => {
    const fields = await ok<MappingFields>('mappingFields', { ...catalog, flow: await toBcCustomers() });
    expect(fields.destination).toEqual({ nodeId: 'catalog', connector: 'business-central', entity: 'customers' });
    expect(fields.notes).toEqual([]);
    const names = fields.destinationFields.map((f) => f.name);
    expect(names).toContain('displayName');
    expect(names).not.toContain('id');
    expect(fields.destinationFields.every((f) => !f.readOnly)).toBe(true);
  });

  it("a filter's fields are its input's: the map before it names them", async () => {
    const fields = await ok<MappingFields>('mappingFields', { flowId: catalog.flowId, nodeId: 'active-only' });
    expect(fields.sourceFields.map((f) => f.name)).toEqual([
      'number',
      'sku',
      'displayName',
      'description',
      'unitPrice',
      'unitCost',
      'inventory',
      'category',
      'margin',
      'label',
    ]);
    expect(fields.sourceFields[0]).toEqual({ name: 'number', path: ['number'], type: 'unknown', origin: 'upstream' });
  });

  it("a lookup's other column is its entity's fields, which its match compares; a file lookup's its columns", async () => {
    const ref = { flowId: 'web-customers-update-or-create', nodeId: 'find-customer' };
    const fields = await ok<MappingFields>('mappingFields', ref);
    expect(fields.source).toEqual({ nodeId: 'web-customers', connector: 'file' });
    expect(fields.destinationFields).toEqual([]);
    expect(fields.notes).toEqual([]);
    const names = fields.lookupFields!.map((f) => f.name);
    // Read-only fields too (a system number is a fine key), but no linked objects or lists to compare one value with.
    expect(names).toEqual(expect.arrayContaining(['id', 'number', 'email', 'displayName']));
    expect(fields.lookupFields!.every((f) => f.type !== 'object' && f.type !== 'array')).toBe(true);

    const { flow } = await ok<{ flow: Flow }>('loadFlow', { flowId: ref.flowId });
    const asFile = (config: Record<string, unknown>): Flow => ({
      ...flow,
      nodes: flow.nodes.map((n) => (n.id === ref.nodeId ? { ...n, type: 'file', config } : n)),
    });
    const file = await ok<MappingFields>('mappingFields', {
      ...ref,
      flow: asFile({ path: 'data/crm.csv', columns: ['mail', 'no'], types: { no: 'integer', since: 'date' } }),
    });
    expect(file.lookupFields).toEqual([
      { name: 'mail', type: 'unknown' },
      { name: 'no', type: 'integer' },
      { name: 'since', type: 'date' },
    ]);
    expect(file.notes).toEqual(['This lookup has no field list: type the column names as the file names them.']);
    const noEntity = { ...flow, nodes: flow.nodes.map((n) => (n.id === ref.nodeId ? { ...n, config: {} } : n)) };
    expect((await ok<MappingFields>('mappingFields', { ...ref, flow: noEntity })).notes).toEqual([
      'Choose the entity to look in: its fields are what a match can compare.',
    ]);
  });

  it('names what is missing', async () => {
    expect(await refused('mappingFields', { flowId: catalog.flowId, nodeId: 'nope' })).toEqual({
      code: 'not-found',
      message: 'flow "products-to-catalog" has no node "nope"',
    });
    // as loadFlow says it
    expect((await refused('mappingFields', { flowId: 'gone', nodeId: 'x' })).message).toMatch(/file not found/);
  });
});

describe('fetchSample', () => {
  it('dry-runs the flow before the node on its first records and keeps no run in the history', async () => {
    const sample = await ok<FetchSampleResult>('fetchSample', { ...catalog, limit: 3 });
    expect(sample.records.map((r) => r.sku)).toEqual(['SKU-1001', 'SKU-1002', 'SKU-1003']);
    expect(await ok('listRuns', { flowId: catalog.flowId })).toEqual([]);
  });

  it('runs the nodes before a later node: the filter after the map gets mapped records', async () => {
    const sample = await ok<FetchSampleResult>('fetchSample', {
      flowId: catalog.flowId,
      nodeId: 'active-only',
      limit: 2,
    });
    expect(sample.records).toHaveLength(2);
    expect(sample.records[0]).toMatchObject({ number: '1', sku: 'SKU-1001', label: 'SKU-1001 TRAIL BIKE' });
  });

  it("a fetched sample's fields join the source column", async () => {
    const { records } = await ok<FetchSampleResult>('fetchSample', { ...catalog, limit: 1 });
    const fields = await ok<MappingFields>('mappingFields', { ...catalog, records });
    expect(fields.sourceFields.map((f) => f.name)).toContain('email');
  });
});

describe('previewMapping', () => {
  const records = [
    { id: '1', name: 'Trail bike', terms: '30' },
    { id: '2', name: 'City bike', terms: '45' },
  ];

  it('maps the records it is given with the workspace value maps, each problem at its field', async () => {
    await ok('saveValueMap', {
      valueMap: {
        schemaVersion: 1,
        name: 'Payment terms',
        entries: [{ from: '30', to: 'NET30' }],
        fallback: { kind: 'fail' },
      },
    });
    const preview = await ok<PreviewMappingResult>('previewMapping', {
      ...catalog,
      records,
      config: {
        fields: [
          { target: 'number', expression: 'id' },
          { target: 'label', expression: '$uppercase(name)' },
          { target: 'terms', expression: 'terms', valueMap: 'payment-terms' },
          { target: '', expression: 'half typed' },
        ],
      },
    });
    expect(preview.sample).toBe('given');
    expect(preview.rows[0]).toMatchObject({
      output: { number: '1', label: 'TRAIL BIKE', terms: 'NET30' },
      fieldErrors: [],
    });
    expect(preview.rows[1]!.error).toMatch(/45/);
    expect(preview.rows[1]!.fieldErrors).toEqual([{ target: 'terms', message: expect.stringMatching(/45/) }]);
    // A row still being typed is reported at its inputs; the other rows preview.
    expect(preview.problems.map((p) => p.path)).toEqual(['fields[3].target', 'fields[3].expression']);
  });

  it("previews the last run's records into the node, or none", async () => {
    const config = { fields: [{ target: 'sku', expression: 'sku' }] };
    expect(await ok('previewMapping', { ...catalog, config })).toEqual({ rows: [], problems: [], sample: 'none' });
    const { runId } = await ok<{ runId: string }>('startRun', { flowId: catalog.flowId, dryRun: true });
    await tmp.service.runs.settled(runId);
    const preview = await ok<PreviewMappingResult>('previewMapping', { ...catalog, config });
    expect(preview.sample).toBe('last-run');
    expect(preview.rows[0]!.output).toEqual({ sku: 'SKU-1001' });
  });

  it("checks the output against the destination entity's fields", async () => {
    const preview = await ok<PreviewMappingResult>('previewMapping', {
      ...catalog,
      flow: await toBcCustomers(),
      records,
      config: { fields: [{ target: 'number', expression: 'id' }] },
    });
    expect(preview.rows[0]!.fieldErrors).toContainEqual({ target: 'displayName', message: expect.any(String) });
  });
});

describe('default mappings', () => {
  it('offers the mapping shipped for the source and destination pair', async () => {
    const fields = await ok<MappingFields>('mappingFields', { ...catalog, flow: await toBcCustomers() });
    expect(fields.defaultMapping?.mapping.fields).toContainEqual({ target: 'displayName', expression: 'displayName' });
    expect((await ok<MappingFields>('mappingFields', catalog)).defaultMapping).toBeUndefined();
  });
});
