/**
 * Writes products, customers and sales, one request per record, as many side by side as the connection's pool
 * allows (the store's rate budget paces them), with the shared operations (write-operations.ts). Existing records
 * are found by the key through /search — products by SKU, many SKUs per request; customers by e-mail, without
 * regard to case; sales by invoice number — or by an `id` the record carries; found and created keys are remembered
 * for the rest of the run. Create-only fields never go into an update. A create whose fate is unknown is looked up
 * by its key before it is sent again; an update (PUT, the same values) is sent again. Inventory: inventory.ts.
 */
import type { FlowRecord, Outcome, RecordData } from '../../engine/record.js';
import { ConfigError } from '../errors.js';
import { inKeyedRounds } from '../parallel.js';
import type { DestinationWriter, Logger, WriteOptions } from '../types.js';
import { ALREADY_EXISTS, decideWrite, decidesBeforeSending, refusalText, writesNeeded } from '../write-operations.js';
import type { LsEntity } from './catalog.js';
import type { LsClient, WriteResult } from './client.js';
import { LS_BATCH_SIZE, LS_DEFAULT_KEYS, type LsDestinationConfig } from './descriptor.js';
import { createInventoryWriter } from './inventory.js';
import { KeyIndex, keyText } from './key-index.js';
import { CategoryIndex, splitProductExtras, uploadImage } from './product-extras.js';
import { recordBody } from './record-check.js';
import { VariantAttributeIndex, isFamilyRecord, writeFamily } from './variant-families.js';
import { createRecord, updateRecord } from './writes.js';

export function createDestinationWriter(
  client: LsClient,
  config: LsDestinationConfig,
  close: () => Promise<void>,
  logger?: Logger,
): DestinationWriter {
  const entity = client.entity(config.entity);
  if (entity.name === 'inventory') return createInventoryWriter(client, config, close);
  for (const kind of writesNeeded(config.operation)) {
    if (!entity[kind]) throw new ConfigError(`operation ${config.operation}: Lightspeed does not ${kind} ${entity.name}`); // prettier-ignore
  }
  const key = config.key ?? LS_DEFAULT_KEYS[entity.name]!;
  if (key !== 'id' && !entity.search.includes(key)) {
    throw new ConfigError(`key "${key}": Lightspeed finds ${entity.name} by ${['id', ...entity.search].join(', ')}`);
  }
  const writer = new Writer(client, config, entity, key, logger);
  return { batchSize: LS_BATCH_SIZE, write: (batch, options) => writer.write(batch, options), close };
}

class Writer {
  private readonly index: KeyIndex;
  private readonly categories: CategoryIndex;
  private readonly attributes: VariantAttributeIndex;
  private user: string | undefined;

  constructor(
    private readonly client: LsClient,
    private readonly config: LsDestinationConfig,
    private readonly entity: LsEntity,
    private readonly key: string,
    private readonly logger?: Logger,
  ) {
    this.index = new KeyIndex(client, entity.name, key);
    this.categories = new CategoryIndex(client);
    this.attributes = new VariantAttributeIndex(client);
  }

  async write(batch: readonly FlowRecord[], options: WriteOptions): Promise<Outcome[]> {
    const { signal } = options;
    const op = this.config.operation;
    // Updates need the id, and three operations need to know beforehand whether the record exists.
    if (decidesBeforeSending(op) || op === 'update') {
      await this.index.find(
        batch.filter((r) => typeof r.data.id !== 'string').map((r) => r.data[this.key]),
        signal,
      );
    }
    if (this.entity.name === 'sales' && batch.some((r) => r.data.user_id === undefined)) await this.loadUser(signal);
    const outcomes = new Array<Outcome>(batch.length);
    // Two records with one key in a batch go one after the other, so the second sees the first.
    await inKeyedRounds(
      batch.length,
      (i) => keyText(this.key, batch[i]!.data[this.key]),
      this.client.transport.parallel,
      signal,
      async (i, taskSignal) => {
        outcomes[i] = await this.one(batch[i]!, options.dryRun, taskSignal);
      },
    );
    return outcomes;
  }

  /** Sales name the user who made them; a record without one is the signed-in user's. */
  private async loadUser(signal: AbortSignal): Promise<void> {
    this.user ??= String((await this.client.currentUser(signal)).id ?? '');
  }

  /**
   * Products: Ferry's category and image fields (product-extras.ts) taken out, the category turned into its id; a
   * record with `variants` is a variant family (variant-families.ts).
   */
  private async one(record: FlowRecord, dryRun: boolean, signal: AbortSignal): Promise<Outcome> {
    if (this.entity.name !== 'products') return this.writeOne(record, record.data, dryRun, signal);
    const extras = splitProductExtras(record.data);
    if ('error' in extras) return { status: 'failed', error: extras.error };
    const data = { ...extras.data };
    // No variants is a standard product: an empty list is no value (record-check.ts), not an update field.
    if (Array.isArray(data.variants) && data.variants.length === 0) delete data.variants;
    if (extras.category) {
      const id = await this.categories.id(extras.category, signal, dryRun);
      if (id) data.product_category_id = id;
    }
    const outcome = isFamilyRecord(data)
      ? await writeFamily(this.family(), record, data, dryRun, signal)
      : await this.writeOne(record, data, dryRun, signal);
    const image = extras.image && !(outcome.status === 'updated' && record.createOnly?.includes('image'));
    if (!image || dryRun || (outcome.status !== 'created' && outcome.status !== 'updated')) return outcome;
    const product = outcome.result ?? {};
    // On update only while the product has no image: a second upload would add a second image (product-extras.ts).
    if (outcome.status === 'updated' && Array.isArray(product.images) && product.images.length > 0) return outcome;
    if (typeof product.id !== 'string') return outcome;
    const refused = await uploadImage(this.client, product.id, extras.image!, signal);
    if (!refused) return outcome;
    return { status: 'failed', error: `${outcome.status}, but Lightspeed refused the image: ${refused}` };
  }

  private family() {
    const { client, entity, config, index, attributes, logger } = this;
    return { client, entity, config, index, attributes, logger };
  }

  private async writeOne(
    record: FlowRecord,
    given: RecordData,
    dryRun: boolean,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const data: RecordData = this.entity.name === 'sales' && given.user_id === undefined && this.user ? { ...given, user_id: this.user } : given; // prettier-ignore
    const keyValue = data[this.key];
    const target = keyText(this.key, keyValue) ?? (typeof data.id === 'string' ? data.id : undefined);
    const id = typeof data.id === 'string' && data.id !== '' ? data.id : this.index.get(keyValue);
    const decision = decideWrite(this.config.operation, id !== undefined);
    if (decision.action === 'skip') return { status: 'skipped', reason: decision.reason, ...targetKey(target) };
    if (decision.action === 'fail') return { status: 'failed', error: refusalText(decision.reason, `${this.key} ${target ?? '(none)'} in Lightspeed`) }; // prettier-ignore
    if (decision.action === 'create') {
      const body = recordBody(this.entity, 'create', data);
      if (!body.ok) return { status: 'failed', error: body.error };
      if (dryRun) {
        this.index.remember(keyValue, `(dry run ${target ?? ''})`);
        return { status: 'created', ...targetKey(target) };
      }
      let result = await createRecord(this.client, this.entity.name, body.body, signal);
      if (result.kind === 'uncertain') result = await this.createAgain(result, keyValue, body.body, signal);
      // create sends without asking: a refusal of a record the key finds is the table's "already exists".
      if (result.kind === 'refused' && (await this.index.lookUp(keyValue, signal))) {
        return { status: 'failed', error: refusalText(ALREADY_EXISTS, result.message), ...targetKey(target) };
      }
      return this.outcome(result, 'created', target, keyValue);
    }
    const createOnly = record.createOnly ?? [];
    // A category set "on create only" by name keeps its id out of updates as well.
    const leaveOut = ['id', ...createOnly, ...(createOnly.includes('product_category_name') ? ['product_category_id'] : [])]; // prettier-ignore
    const body = recordBody(this.entity, 'update', data, leaveOut);
    if (!body.ok) return { status: 'failed', error: body.error };
    if (dryRun) return { status: 'updated', ...targetKey(target) };
    let result = await updateRecord(this.client, this.entity.name, id!, body.body, signal);
    // A PUT (and a register sale with its id) sets the same values again.
    if (result.kind === 'uncertain') result = await updateRecord(this.client, this.entity.name, id!, body.body, signal);
    return this.outcome(result, 'updated', target, keyValue);
  }

  /** A create that may have happened: created if the key now finds it, else sent once more. */
  private async createAgain(first: WriteResult, keyValue: unknown, body: RecordData, signal: AbortSignal) {
    if (keyText(this.key, keyValue) === undefined) return first;
    const found = await this.index.lookUp(keyValue, signal);
    if (found) return { kind: 'ok', record: found } as const;
    return createRecord(this.client, this.entity.name, body, signal);
  }

  private outcome(
    result: WriteResult,
    status: 'created' | 'updated',
    target: string | undefined,
    keyValue: unknown,
  ): Outcome {
    // prettier-ignore
    switch (result.kind) {
      case 'ok': {
        const id = typeof result.record.id === 'string' ? result.record.id : undefined;
        if (id) this.index.remember(keyValue, id);
        const written = target ?? id;
        return { status, ...targetKey(written), result: result.record };
      }
      case 'refused':
        return { status: 'failed', error: `Lightspeed refused the ${status === 'created' ? 'create' : 'update'} (HTTP ${result.status}): ${result.message}` }; // prettier-ignore
      case 'uncertain':
        return { status: 'failed', error: `${result.reason}: ${this.entity.name} ${target ?? ''} may have been ${status}; check it in Lightspeed` }; // prettier-ignore
    }
  }
}

function targetKey(key: string | undefined): { targetKey?: string } {
  return key ? { targetKey: key } : {};
}
