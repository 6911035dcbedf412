/**
 * Inventory per outlet: records `{product_id or sku, outlet_id, inventory_level, reorder_point, reorder_amount}`
 * set the stock of a product at an outlet (docs/inventory_updates: a PUT of the product with `details.inventory`).
 * Only ever an update — a product Lightspeed does not hold is skipped as "does not exist" (updateOnly, with the run's
 * warning) or failed (update), never created. The records of one product in a batch go in one request.
 */
import type { FlowRecord, Outcome, RecordData } from '../../engine/record.js';
import { ConfigError } from '../errors.js';
import { inParallel } from '../parallel.js';
import type { DestinationWriter } from '../types.js';
import { DOES_NOT_EXIST, refusalText } from '../write-operations.js';
import type { LsClient } from './client.js';
import { LS_BATCH_SIZE, type LsDestinationConfig } from './descriptor.js';
import { KeyIndex, keyText } from './key-index.js';
import { recordBody } from './record-check.js';
import { updateInventory } from './writes.js';

const LEVELS = ['inventory_level', 'reorder_point', 'reorder_amount'];

/**
 * What a missing product ends as: skipped "does not exist" (updateOnly; the engine counts these skips into the run's
 * warning), or failed with what was looked for (update).
 */
function missing(operation: 'update' | 'updateOnly', key: string, target: string): Outcome {
  if (operation === 'updateOnly') return { status: 'skipped', reason: DOES_NOT_EXIST, targetKey: target };
  return { status: 'failed', error: refusalText(DOES_NOT_EXIST, `no product with ${key} ${target} in Lightspeed`) };
}

export function createInventoryWriter(
  client: LsClient,
  config: LsDestinationConfig,
  close: () => Promise<void>,
): DestinationWriter {
  const operation = config.operation;
  if (operation !== 'update' && operation !== 'updateOnly') {
    throw new ConfigError(`operation ${operation}: inventory is only updated (update or updateOnly), never created`);
  }
  const op: 'update' | 'updateOnly' = operation;
  const key = config.key ?? 'product_id';
  if (key !== 'product_id' && key !== 'sku') {
    throw new ConfigError(`key "${key}": inventory records find their product by product_id or sku`);
  }
  const products = new KeyIndex(client, 'products', key === 'sku' ? 'sku' : 'id');
  const entity = client.entity('inventory');

  async function write(batch: readonly FlowRecord[], options: { dryRun: boolean; signal: AbortSignal }) {
    const { signal } = options;
    await products.find(
      batch.map((r) => r.data[key]),
      signal,
    );
    const outcomes = new Array<Outcome>(batch.length);
    const byProduct = new Map<string, { index: number; row: RecordData }[]>();
    batch.forEach((record, index) => {
      const target = keyText(key, record.data[key]);
      if (target === undefined) return void (outcomes[index] = { status: 'failed', error: `${key}: required to find the product` }); // prettier-ignore
      const productId = products.get(record.data[key]);
      if (productId === undefined) {
        return void (outcomes[index] = missing(op, key, target));
      }
      const { sku: _sku, ...data } = record.data;
      const body = recordBody(entity, 'update', { ...data, product_id: productId });
      if (!body.ok) return void (outcomes[index] = { status: 'failed', error: body.error });
      if (!('outlet_id' in body.body)) return void (outcomes[index] = { status: 'failed', error: 'outlet_id: required (the outlet whose stock this is)' }); // prettier-ignore
      if (!LEVELS.some((f) => f in body.body)) return void (outcomes[index] = { status: 'failed', error: `${LEVELS.join(' / ')}: one of them is required` }); // prettier-ignore
      let list = byProduct.get(productId);
      if (!list) byProduct.set(productId, (list = []));
      list.push({ index, row: body.body });
    });
    const groups = [...byProduct];
    await inParallel(groups.length, client.transport.parallel, signal, async (n, taskSignal) => {
      const [productId, rows] = groups[n]!;
      const target = (i: number) => keyText(key, batch[i]!.data[key]);
      if (options.dryRun) {
        for (const { index } of rows) outcomes[index] = { status: 'updated', targetKey: target(index)! };
        return;
      }
      let result = await updateInventory(
        client,
        productId,
        rows.map((r) => r.row),
        taskSignal,
      );
      // A PUT of the same levels may go again.
      if (result.kind === 'uncertain') result = await updateInventory(client, productId, rows.map((r) => r.row), taskSignal); // prettier-ignore
      for (const { index, row } of rows) {
        // By product_id nothing was looked up first: the product's 404 says it does not exist.
        if (result.kind === 'refused' && result.status === 404) {
          outcomes[index] = missing(op, key, target(index)!);
          continue;
        }
        outcomes[index] =
          result.kind === 'ok'
            ? { status: 'updated', targetKey: target(index)!, result: row }
            : { status: 'failed', error: result.kind === 'refused' ? `Lightspeed refused the inventory update (HTTP ${result.status}): ${result.message}` : `${result.reason}: the stock of ${target(index)} may have been set` }; // prettier-ignore
      }
    });
    return outcomes;
  }

  return { batchSize: LS_BATCH_SIZE, write, close };
}
