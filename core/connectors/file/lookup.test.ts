import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFlow } from '../../engine/run-flow.js';
import { graphFlow } from '../../engine/testing/flow-builder.js';
import { createWorld } from '../../engine/testing/memory-connector.js';
import { memoryRunContext } from '../../engine/testing/memory-run.js';
import { ConnectorRegistry } from '../registry.js';
import type { LookupRuntime } from '../types.js';
import { fileConnector } from './index.js';
import { type TempDir, makeContext, makeTempDir } from './test-support.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => dir.remove());

const signal = new AbortController().signal;
const open = (config: Record<string, unknown>, ctx = makeContext(dir.path)): Promise<LookupRuntime> => {
  const role = fileConnector.lookup!;
  return role.open(role.configSchema.parse(config), ctx);
};

describe('file lookup', () => {
  it('reads a CSV table once per run and answers by the matched columns, as text', async () => {
    await writeFile(dir.file('prices.csv'), 'sku,region,price\nA-1,EU,10\nA-1,US,12\nB-2,EU,7\nA-1,EU,99\n');
    const table = await open({ path: 'prices.csv', types: { price: 'number' } });
    expect(await table.find([{ sku: 'A-1', region: 'US' }, { sku: 'B-2', region: 'EU' }, { sku: 'C', region: 'EU' }], signal)).toEqual([
      { sku: 'A-1', region: 'US', price: 12 },
      { sku: 'B-2', region: 'EU', price: 7 },
      undefined,
    ]); // prettier-ignore
    // Read once: the file changing under the run does not change the answers; the first row of a key wins.
    await writeFile(dir.file('prices.csv'), 'sku,region,price\nA-1,EU,1\n');
    expect(await table.find([{ sku: 'A-1', region: 'EU' }], signal)).toEqual([{ sku: 'A-1', region: 'EU', price: 10 }]);
  });

  it('takes JSON Lines too, and numbers match their text', async () => {
    await writeFile(dir.file('customers.jsonl'), '{"no":30,"name":"Ann"}\n{"no":"31","name":"Bob"}\n');
    const table = await open({ path: 'customers.jsonl' });
    expect(await table.find([{ no: '30' }, { no: 31 }], signal)).toEqual([
      { no: 30, name: 'Ann' },
      { no: '31', name: 'Bob' },
    ]);
  });

  it('names a missing file when the node opens, and warns of rows it leaves out', async () => {
    await expect(open({ path: 'nope.csv' })).rejects.toThrow(/^file not found: nope\.csv/);
    await writeFile(dir.file('bad.csv'), 'id,qty\n1,2\n2,lots\n');
    const ctx = makeContext(dir.path);
    const table = await open({ path: 'bad.csv', types: { qty: 'integer' } }, ctx);
    expect(await table.find([{ id: '1' }, { id: '2' }], signal)).toEqual([{ id: '1', qty: 2 }, undefined]);
    expect(ctx.warnings).toEqual(['bad.csv: 1 rows of the lookup table could not be read and are left out']);
  });

  it('enriches records in a run, without a connection', async () => {
    await writeFile(dir.file('regions.csv'), 'country,region\nDE,EU\nUS,NA\n');
    const world = createWorld({
      orders: [
        { id: 'O1', country: 'DE' },
        { id: 'O2', country: 'BR' },
      ],
    });
    const { ctx, store } = memoryRunContext(world);
    const run = { ...ctx, workspace: { ...ctx.workspace, dir: dir.path }, registry: new ConnectorRegistry([ctx.registry.get('memory')!, fileConnector]) }; // prettier-ignore
    const flow = graphFlow(
      'regions',
      [
        { id: 'src', kind: 'source', config: { dataset: 'orders', key: 'id' } },
        { id: 'region', kind: 'lookup', type: 'file', config: { path: 'regions.csv', match: [{ field: 'country', expression: 'country' }], into: 'area' } }, // prettier-ignore
        { id: 'out', kind: 'destination', config: { target: 'out' } },
      ],
      ['src -> region', 'region:found -> out'],
    );
    const summary = await runFlow(flow, run);
    store.close();
    expect(summary.counts).toMatchObject({ created: 1, skipped: 1 });
    expect(world.written.out).toEqual([{ id: 'O1', country: 'DE', area: { country: 'DE', region: 'EU' } }]);
  });
});
