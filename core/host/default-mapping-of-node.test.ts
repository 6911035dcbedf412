import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Flow, FlowTemplateOrigin } from '../model/flow.js';
import type { MappingFields } from '../model/mapper-contract.js';
import type { MapConfig } from '../model/mapping.js';
import { substitutePlaceholders } from '../model/template-placeholders.js';
import { type LoadedTemplate, loadTemplates } from '../store/templates.js';
import { templateMappingOfNode } from './default-mapping-of-node.js';
import { dispatch } from './dispatch.js';
import { type ServiceHarness, serviceOverExamples } from './testing/service-harness.js';

let tmp: ServiceHarness;
let templates: LoadedTemplate[];

beforeEach(async () => {
  tmp = await serviceOverExamples({ watch: false });
  await tmp.service.open(tmp.ws);
  templates = (await loadTemplates()).templates;
});
afterEach(() => tmp.close());

const template = (id: string) => templates.find((t) => t.manifest.id === id)!;

/** A flow as instantiateTemplate makes it, held by the editor (unsaved): the template filled in, its origin kept. */
function madeFrom(id: string, settings: Record<string, string | boolean>, origin: Flow['template']): Flow {
  const filled = substitutePlaceholders(template(id).flow, {
    connections: { source: 'src-conn', destination: 'dst-conn' },
    settings,
  }) as Flow;
  return { ...filled, id: 'made', name: 'Made', ...(origin === undefined ? {} : { template: origin }) };
}

async function fieldsOf(flow: Flow, nodeId: string): Promise<MappingFields> {
  const result = await dispatch(tmp.service.handlers, 'mappingFields', { flowId: flow.id, nodeId, flow });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as MappingFields;
}

const customers = 'lightspeed-customers-to-bc-customers';
const settings = { operation: 'upsert', address: 'physical', currencyCode: 'EUR', taxLiable: false };

describe('the default mapping of a map node', () => {
  it("is the template's mapping, re-made with the flow's recorded settings, after the user changed it", async () => {
    const origin: FlowTemplateOrigin = { id: customers, settings };
    const flow = madeFrom(customers, settings, origin);
    const original = structuredClone(flow.nodes.find((n) => n.id === 'to-bc-customer')!.config) as MapConfig;
    const edited: Flow = {
      ...flow,
      nodes: flow.nodes.map((n) =>
        n.id === 'to-bc-customer' ? { ...n, config: { fields: [{ target: 'email', expression: '"x"' }] } } : n,
      ),
    };
    const fields = await fieldsOf(edited, 'to-bc-customer');
    expect(fields.defaultMapping?.origin).toEqual({
      kind: 'template',
      templateId: customers,
      templateName: template(customers).manifest.name,
    });
    expect(fields.defaultMapping?.mapping).toEqual(original);
    expect(fields.defaultMapping?.mapping.fields).toContainEqual({
      target: 'currencyCode',
      expression: '"EUR"',
      apply: 'createOnly',
    });
    expect(JSON.stringify(fields.defaultMapping?.mapping)).toContain('$a := \\"physical\\"');
    expect(fields.defaultMapping?.valueMaps).toEqual([]);
  });

  it('is the shipped pair mapping without a recorded origin, for a bare template id, or a node the template lacks', async () => {
    const pair = { kind: 'pair', pair: 'Lightspeed Retail (X-Series) customers → Business Central customers' };
    const none = madeFrom(customers, settings, undefined);
    expect((await fieldsOf(none, 'to-bc-customer')).defaultMapping?.origin).toEqual(pair);
    const bare = madeFrom(customers, settings, customers);
    expect((await fieldsOf(bare, 'to-bc-customer')).defaultMapping?.origin).toEqual(pair);
    const renamed = madeFrom(customers, settings, { id: customers, settings });
    renamed.nodes = renamed.nodes.map((n) => (n.id === 'to-bc-customer' ? { ...n, id: 'mine' } : n));
    renamed.edges = renamed.edges.map((e) => ({
      from: e.from.node === 'to-bc-customer' ? { ...e.from, node: 'mine' } : e.from,
      to: e.to.node === 'to-bc-customer' ? { ...e.to, node: 'mine' } : e.to,
    }));
    const fields = await fieldsOf(renamed, 'mine');
    expect(fields.defaultMapping?.origin).toEqual(pair);
    expect(fields.defaultMapping?.mapping.fields.map((f) => f.target)).toContain('addressLine1');
  });

  it('is the pair mapping when the template is gone or its settings no longer fit the recorded ones', async () => {
    const gone = madeFrom(customers, settings, { id: 'no-such-template', settings });
    expect((await fieldsOf(gone, 'to-bc-customer')).defaultMapping?.origin.kind).toBe('pair');
    const misfit = madeFrom(customers, settings, { id: customers, settings: { ...settings, address: 'moon' } });
    expect(templateMappingOfNode(template(customers), misfit, 'to-bc-customer')).toBeUndefined();
  });

  it("brings the template's value maps that the node's mapping uses", () => {
    const orders = 'lightspeed-orders-to-bc-sales-orders';
    const defaults = Object.fromEntries(
      Object.entries(template(orders).manifest.settings).flatMap(([k, s]) =>
        s.default === undefined ? [] : [[k, s.default]],
      ),
    ) as Record<string, string | boolean>;
    const flow = madeFrom(orders, defaults, { id: orders, settings: defaults });
    expect(templateMappingOfNode(template(orders), flow, 'to-bc-order')?.valueMaps.map((m) => m.id)).toEqual([
      'lightspeed-payment-types-to-bc-payment-terms',
      'lightspeed-sale-statuses-to-bc-shipment-methods',
    ]);
    expect(templateMappingOfNode(template(orders), flow, 'to-bc-contact')?.valueMaps).toEqual([]);
  });
});
