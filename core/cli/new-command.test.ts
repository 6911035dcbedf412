import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DemoSystems, demoPorts, demoSystemRegistry } from '../host/demo-systems.js';
import { prepareDemoWorkspace } from '../host/demo-workspace.js';
import { envSecretName } from '../secrets/secret-store.js';
import { exampleWorkspace, ferry } from './testing/cli-harness.js';

const TEMPLATE = 'acumatica-stock-items-to-bc-items';
let ws: string;
let dataDir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ ws, dataDir, cleanup } = await exampleWorkspace());
});
afterEach(() => cleanup());

describe('ferry new', () => {
  it('lists the templates with their roles and settings', async () => {
    const listed = await ferry(['new', '--list-templates'], { cwd: ws });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(
      `${TEMPLATE}\n    Acumatica stock items → Business Central items\n` +
        '    connections: source = acumatica, destination = business-central\n    settings:\n' +
        '      operation (upsert | createOnly, default upsert): Items that exist in Business Central\n',
    );
    expect((await ferry(['new', '--help'], { cwd: ws })).stdout).toContain('--set <key>=<value>');
    expect((await ferry(['--help'], { cwd: ws })).stdout).toContain('ferry new <workspace> --template <id>');
  });

  it('refuses what it cannot use, naming the option or the setting', async () => {
    const cases: [string[], string][] = [
      [['new', '.'], 'ferry: ferry new needs --template <id>; ferry new --list-templates lists them.\n'],
      [
        ['new', '.', '--template', 'nope'],
        `ferry: --template nope: no such template (templates: ${TEMPLATE}, bc-inventory-to-lightspeed, ` +
          'bc-items-to-lightspeed-products, lightspeed-customers-to-bc-customers, lightspeed-orders-to-bc-sales-orders)\n',
      ],
      [
        ['new', '.', '-t', TEMPLATE, '--set', 'colour=red'],
        `ferry: --set colour: the template ${TEMPLATE} has no setting "colour" (its settings: operation, ` +
          'onlyActive, itemType, generalProductPostingGroup, inventoryPostingGroup, itemCategory)\n',
      ],
      [
        ['new', '.', '-t', TEMPLATE, '--set', 'onlyActive=maybe'],
        'ferry: --set onlyActive=maybe: expected true or false, got "maybe"\n',
      ],
      [['new', '.', '-t', TEMPLATE, '--set', 'operation'], 'ferry: --set operation: expected <name>=<value>\n'],
      [
        ['new', '.', '-t', TEMPLATE, '--set', 'operation=merge'],
        'ferry: invalid input:\n  settings.operation: expected one of upsert, createOnly\n',
      ],
      [
        ['new', '.', '-t', TEMPLATE],
        'ferry: invalid input:\n  connections.source: no acumatica connection in this workspace: create one first\n',
      ],
    ];
    const flowsBefore = await readdir(join(ws, 'flows'));
    for (const [args, stderr] of cases) {
      expect(await ferry(args, { cwd: ws }), args.join(' ')).toMatchObject({ code: 2, stderr });
    }
    expect(await readdir(join(ws, 'flows'))).toEqual(flowsBefore);
  });

  it('makes a flow that ferry run runs against the demo systems', async () => {
    const demo = new DemoSystems(demoPorts({ FERRY_DEMO_PORTS: '0' }), demoSystemRegistry);
    try {
      await demo.start();
      await prepareDemoWorkspace(ws, demo.connections(), [], () => undefined);
      const args = ['--name', 'Items', '--set', 'itemCategory=MISC', '--connection', 'source=acumatica-demo'];
      const made = await ferry(['new', '.', '--template', TEMPLATE, ...args], { cwd: ws });
      expect(made).toEqual({
        code: 0,
        stdout:
          `Created flows/items.flow.json from the template "Acumatica stock items → Business Central items"\n` +
          '  source: connection acumatica-demo\n  destination: connection bc-demo\n' +
          '  added value-maps/acumatica-units-to-bc.value-map.json\nRun it with: ferry run . items\n',
        stderr: '',
      });
      const flow = JSON.parse(await readFile(join(ws, 'flows/items.flow.json'), 'utf8'));
      expect(flow.nodes[2].config.fields).toContainEqual({
        target: 'itemCategoryCode',
        expression: '"MISC"',
        apply: 'createOnly',
      });
      const env: NodeJS.ProcessEnv = { FERRY_SECRETS: 'env', FERRY_DATA_DIR: dataDir };
      for (const c of demo.connections()) {
        for (const [field, value] of Object.entries(c.secrets)) env[envSecretName(c.id, field)] = value;
      }
      const run = await ferry(['run', '.', 'items'], { cwd: ws, env });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/created 35 · updated 0 · unchanged 0 · skipped 0 · filtered 0 · failed 0/);
      const bcItems = demo.data('business-central')!.page('items', { limit: 100, offset: 0 })!;
      expect(bcItems.total).toBe(65);
      expect(bcItems.rows.slice(0, 35).every((row) => row.itemCategoryCode === 'MISC')).toBe(true);
    } finally {
      await demo.close();
    }
  });
});
