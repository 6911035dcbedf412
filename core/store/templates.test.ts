import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { putFile } from '../cli/testing/workspace-files.js';
import { defaultRegistry } from '../connectors/registry.js';
import { validateFlow } from '../engine/validate-flow.js';
import { toCanonicalJson } from '../model/canonical-json.js';
import { flowSchema } from '../model/flow.js';
import { ValidationError } from '../model/validation-error.js';
import { instantiateTemplate } from './template-instantiate.js';
import { type LoadedTemplate, loadTemplate, loadTemplates } from './templates.js';
import { flowFile, loadWorkspace } from './workspace-store.js';

let root: string;
let ws: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-templates-'));
  ws = join(root, 'ws');
  await putFile(ws, 'ferry.workspace.json', { schemaVersion: 1, id: 'tpl', name: 'Templates' });
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function addConnection(id: string, connector: string): Promise<void> {
  await putFile(ws, `connections/${id}.connection.json`, { schemaVersion: 1, id, name: id, connector, settings: {} });
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error.problems.map((p) => [p.file, p.path, p.message].filter(Boolean).join(': '));
}

describe('shipped templates', () => {
  it('all load, and each makes a flow the engine accepts with its defaults', async () => {
    const { templates, problems } = await loadTemplates();
    expect(problems).toEqual([]);
    expect(templates.map((t) => t.manifest.id)).toContain('acumatica-stock-items-to-bc-items');
    for (const template of templates) {
      for (const [role, connector] of Object.entries(template.manifest.connectors)) {
        await addConnection(`${template.manifest.id}-${role}`.slice(0, 60), connector);
      }
      const workspace = await loadWorkspace(ws);
      const connections = Object.fromEntries(
        Object.keys(template.manifest.connectors).map((role) => [role, `${template.manifest.id}-${role}`.slice(0, 60)]),
      );
      // A setting with neither default nor a value the user gave is refused; give those one.
      const settings = Object.fromEntries(
        Object.entries(template.manifest.settings)
          .filter(([, setting]) => setting.default === undefined && setting.type === 'string' && setting.required)
          .map(([key]) => [key, `sample-${key}`]),
      );
      const made = await instantiateTemplate(workspace, template, { connections, settings });
      const after = await loadWorkspace(ws);
      expect(after.problems).toEqual([]);
      const problems = validateFlow(made.flow, {
        registry: defaultRegistry(),
        connections: after.connections,
        valueMaps: after.valueMaps,
        file: flowFile(made.flow.id),
      });
      expect(problems, template.manifest.id).toEqual([]);
      expect(after.flows.get(made.flow.id)).toEqual(made.flow);
      expect(made.addedValueMaps).toEqual(template.manifest.valueMaps);
    }
  });
});

describe('instantiateTemplate', () => {
  let template: LoadedTemplate;
  beforeEach(async () => {
    template = (await loadTemplates()).templates.find((t) => t.manifest.id === 'acumatica-stock-items-to-bc-items')!;
    await addConnection('acu', 'acumatica');
    await addConnection('bc', 'business-central');
  });

  it('fills in settings with their types, the chosen connections and a fresh id; never over a file', async () => {
    const first = await instantiateTemplate(await loadWorkspace(ws), template, {
      settings: { operation: 'createOnly', onlyActive: false, itemCategory: 'MISC' },
      name: 'Items from Acumatica',
    });
    expect(first.connections).toEqual({ source: 'acu', destination: 'bc' });
    expect(first.flow).toMatchObject({ id: 'items-from-acumatica', name: 'Items from Acumatica' });
    // The origin keeps the settings as used, defaults filled in, so the mapper can re-make the template's mapping.
    expect(first.flow.template).toEqual({
      id: 'acumatica-stock-items-to-bc-items',
      settings: expect.objectContaining({ operation: 'createOnly', onlyActive: false, itemCategory: 'MISC' }),
    });
    const written = await readFile(join(ws, flowFile(first.flow.id)), 'utf8');
    expect(written).toBe(toCanonicalJson(first.flow));
    expect(toCanonicalJson(flowSchema.parse(JSON.parse(written)))).toBe(written);
    const [source, filter, map, destination] = first.flow.nodes;
    expect(source!.config.connection).toBe('acu');
    expect(filter!.config.expression).toBe('$not(false) or ItemStatus = "Active"');
    expect(map!.config.fields).toContainEqual({
      target: 'itemCategoryCode',
      expression: '"MISC"',
      apply: 'createOnly',
    });
    expect(destination!.config).toEqual({ connection: 'bc', entity: 'items', operation: 'createOnly', key: 'number' });

    // The value map the workspace now has is someone's to edit: a second flow keeps it as it is.
    const mapFile = join(ws, 'value-maps/acumatica-units-to-bc.value-map.json');
    await putFile(ws, 'value-maps/acumatica-units-to-bc.value-map.json', {
      ...template.valueMaps[0],
      entries: [{ from: 'EA', to: 'STK' }],
    });
    const edited = await readFile(mapFile, 'utf8');
    const second = await instantiateTemplate(await loadWorkspace(ws), template, { name: 'Items from Acumatica' });
    expect(second.flow.id).toBe('items-from-acumatica-2');
    expect(second.addedValueMaps).toEqual([]);
    expect(await readFile(mapFile, 'utf8')).toBe(edited);
    expect((await readdir(join(ws, 'flows'))).sort()).toEqual([
      'items-from-acumatica-2.flow.json',
      'items-from-acumatica.flow.json',
    ]);
  });

  it('refuses settings that do not fit, naming each field', async () => {
    const workspace = await loadWorkspace(ws);
    expect(
      await problemsOf(
        instantiateTemplate(workspace, template, {
          settings: { operation: 'merge', onlyActive: 'yes', generalProductPostingGroup: ' ', colour: 'red' },
        }),
      ),
    ).toEqual([
      'settings.operation: expected one of upsert, createOnly',
      'settings.onlyActive: expected boolean, got "yes"',
      'settings.generalProductPostingGroup: must not be empty',
      'settings: unknown field colour',
    ]);
    expect(await readdir(ws)).not.toContain('flows');
  });

  it('chooses connections by connector, and says which role lacks one', async () => {
    await addConnection('bc2', 'business-central');
    const workspace = await loadWorkspace(ws);
    expect(await problemsOf(instantiateTemplate(workspace, template, {}))).toEqual([
      'connections.destination: choose the business-central connection: bc, bc2',
    ]);
    expect(
      await problemsOf(
        instantiateTemplate(workspace, template, { connections: { source: 'bc', destination: 'nope', sink: 'acu' } }),
      ),
    ).toEqual([
      'connections.sink: the template has no role "sink" (its roles: source, destination)',
      'connections.source: "bc" is a business-central connection, expected acumatica',
      'connections.destination: no connection "nope" in this workspace',
    ]);
    await rm(join(ws, 'connections/acu.connection.json'));
    expect(
      await problemsOf(instantiateTemplate(await loadWorkspace(ws), template, { connections: { destination: 'bc' } })),
    ).toEqual(['connections.source: no acumatica connection in this workspace: create one first']);
  });
});

describe('loadTemplate', () => {
  const manifest = {
    schemaVersion: 1,
    id: 'fixture',
    name: 'Fixture',
    description: 'A test template.',
    connectors: { source: 'business-central' },
    settings: { limit: { type: 'number', title: 'Limit', default: 5 } },
  };
  const flow = (config: Record<string, unknown>) => ({
    schemaVersion: 2,
    id: 'fixture',
    name: 'Fixture',
    nodes: [{ id: 'a', kind: 'source', type: 'business-central', typeVersion: 1, position: { x: 0, y: 0 }, config }],
    edges: [],
  });
  const templates = () => join(root, 'templates');

  it('names the file and JSON path of each problem', async () => {
    await putFile(templates(), 'fixture/template.json', {
      ...manifest,
      id: 'other',
      settings: { x: { type: 'date' } },
    });
    await putFile(templates(), 'fixture/flow.json', flow({}));
    expect(await problemsOf(loadTemplate(templates(), 'fixture'))).toEqual([
      "fixture/template.json: settings.x.type: Invalid discriminator value. Expected 'string' | 'number' | 'boolean' | 'choice'",
    ]);
    const choice = { type: 'choice', title: 'Mode', options: ['a', 'b'], default: 'c', labels: { z: 'Zed' } };
    await putFile(templates(), 'fixture/template.json', { ...manifest, settings: { mode: choice } });
    expect(await problemsOf(loadTemplate(templates(), 'fixture'))).toEqual([
      'fixture/template.json: settings.mode.default: expected one of the options a, b',
      'fixture/template.json: settings.mode.labels.z: expected one of the options a, b',
    ]);
    await putFile(templates(), 'fixture/template.json', { ...manifest, id: 'other' });
    expect(await problemsOf(loadTemplate(templates(), 'fixture'))).toEqual([
      'fixture/template.json: id: expected "fixture" (the folder name), got "other"',
    ]);
    await putFile(templates(), 'fixture/template.json', manifest);
    await putFile(
      templates(),
      'fixture/flow.json',
      flow({ connection: '{{connection.src}}', top: '{{settings.limit}}', filter: 'x {{setting.limit}}' }),
    );
    expect(await problemsOf(loadTemplate(templates(), 'fixture'))).toEqual([
      'fixture/flow.json: nodes[0].config.connection: {{connection.src}}: no role "src" in template.json (expected one of source)',
      'fixture/flow.json: nodes[0].config.filter: {{setting.limit}}: expected {{connection.<role>}}, {{settings.<key>}} or {{settings.<key> | json}}',
      'fixture/flow.json: (root): the role "source" of template.json is used nowhere in the flow',
    ]);
    await putFile(templates(), 'fixture/flow.json', { ...flow({ connection: '{{connection.source}}' }), edges: 'no' });
    expect(await problemsOf(loadTemplate(templates(), 'fixture'))).toEqual([
      'fixture/flow.json: edges: expected array, got "no"',
    ]);
  });

  it('lists the good templates and reports the broken ones', async () => {
    await putFile(templates(), 'fixture/template.json', manifest);
    const config = { connection: '{{connection.source}}', top: '{{settings.limit}}' };
    await putFile(templates(), 'fixture/flow.json', flow(config));
    await putFile(templates(), 'broken/template.json', '{ "id": ');
    const { templates: loaded, problems } = await loadTemplates(templates());
    expect(loaded.map((t) => t.manifest.id)).toEqual(['fixture']);
    expect(problems).toEqual([
      { file: 'broken/template.json', path: '(root)', message: expect.stringMatching(/^invalid JSON/) },
    ]);
  });
});
