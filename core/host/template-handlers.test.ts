import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DemoHarness, demoHarness } from './testing/demo-harness.js';

let h: DemoHarness;

beforeEach(async () => {
  h = await demoHarness({ open: true });
});
afterEach(() => h.close());

const ok: DemoHarness['ok'] = (name, input) => h.ok(name, input);
const call = (name: string, input: unknown) => h.call(name, input);

describe('templates over the contract', () => {
  it('lists the shipped templates with their roles and the settings form', async () => {
    const { templates, problems } = await ok('listTemplates', {});
    expect(problems).toEqual([]);
    const template = templates.find((t) => t.id === 'acumatica-stock-items-to-bc-items')!;
    expect(template.connectors).toEqual({ source: 'acumatica', destination: 'business-central' });
    expect(template.valueMaps).toEqual(['acumatica-units-to-bc']);
    expect(template.settingsSchema).toMatchObject({
      type: 'object',
      properties: {
        operation: {
          enum: ['upsert', 'createOnly'],
          default: 'upsert',
          title: 'Items that exist in Business Central',
          enumLabels: { upsert: 'Create new items, update existing ones' },
        },
        onlyActive: { type: 'boolean', default: true },
        generalProductPostingGroup: { type: 'string', default: 'RETAIL', maxLength: 20 },
      },
    });
  });

  it('makes a flow the engine accepts; a role without a connection takes a running demo system’s', async () => {
    const refused = await call('createFlowFromTemplate', { templateId: 'acumatica-stock-items-to-bc-items' });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'connections.source: no acumatica connection in this workspace: create one first',
        problems: [
          { path: 'connections.source', message: 'no acumatica connection in this workspace: create one first' },
        ],
      },
    });
    await h.demo.start();
    const made = await ok('createFlowFromTemplate', {
      templateId: 'acumatica-stock-items-to-bc-items',
      settings: { itemType: 'Service', inventoryPostingGroup: '' },
      name: 'Services from Acumatica',
    });
    expect(made).toMatchObject({
      problems: [],
      connections: { source: 'acumatica-demo', destination: 'bc-demo' },
      createdConnections: ['acumatica-demo'],
      addedValueMaps: ['acumatica-units-to-bc'],
      flow: { id: 'services-from-acumatica', name: 'Services from Acumatica' },
    });
    expect(await readdir(join(h.ws, 'value-maps'))).toEqual(['acumatica-units-to-bc.value-map.json']);
    const workspace = await ok('currentWorkspace', {});
    expect(workspace?.flows.map((f) => f.id)).toContain('services-from-acumatica');
    expect(workspace?.connections.find((c) => c.id === 'acumatica-demo')?.storedSecrets).toEqual(['password']);
  });

  it('says which template does not exist', async () => {
    expect(await call('createFlowFromTemplate', { templateId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/^no template "nope" \(templates: acumatica-stock/) },
    });
  });
});
