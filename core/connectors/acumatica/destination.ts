/**
 * Writes records to a top-level entity with the shared operations (write-operations.ts), one PUT each, as many side
 * by side as the connection's pool allows. Acumatica decides existence itself, atomically, by a conditional PUT:
 * - createOnly (and create): If-None-Match: * — Acumatica answers 412 for a record it holds, never overwritten;
 * - updateOnly (and update): If-Match: * — 412 for a record it does not hold, never created;
 * - upsert: neither — Acumatica finds the record by its key fields. Whether that created or updated it is read from
 *   an index of the keys (one `$select` read of the key fields when the first batch comes), kept current after.
 * The 412 becomes the shared outcome (skipped "already exists" / "does not exist" for the "only" operations). Flow
 * files written before the shared operations say create / update for the "only" ones: that meaning is kept
 * (descriptor.ts). Each outcome carries Acumatica's answer to the PUT (the record as saved, unwrapped).
 * A 422 fails the record with Acumatica's per-field errors. A write whose fate is unknown (timeout, reset, 502/504)
 * is sent once more: PUT sets the same values again, and a create answered 412 the second time was the first one's.
 * A configured action (ReleaseSalesOrder…) runs on each written record, polled to its end; it is never repeated.
 * Two records with the same key in one batch go one after the other, so the second sees the first.
 */
import type { FlowRecord, Outcome, RecordData } from '../../engine/record.js';
import { ConfigError } from '../errors.js';
import { inParallel } from '../parallel.js';
import type { DestinationWriter, WriteOptions } from '../types.js';
import { type WriteOperation, decideWrite } from '../write-operations.js';
import type { AcuEntity } from './catalog.js';
import type { AcuClient, PutResult, WriteMode } from './client.js';
import { ACU_BATCH_SIZE, type AcuDestinationConfig } from './descriptor.js';
import { checkFieldPaths } from './paths.js';
import { type CustomTypes, CUSTOM_PREFIX, convert, keyValues, wrapRecord } from './wire.js';

export function createDestinationWriter(
  client: AcuClient,
  config: AcuDestinationConfig,
  close: () => Promise<void>,
): DestinationWriter {
  const entity = client.entity(config.entity);
  const key = config.key ?? entity.keys;
  checkFieldPaths(client.catalog, entity, key);
  if (config.operation === 'upsert' && key.length === 0) {
    throw new ConfigError(
      `upsert into ${entity.name} needs the fields that identify a record: the catalog names no key fields for it, ` +
        'so set key',
    );
  }
  if (config.action && !entity.actions.includes(config.action)) {
    const known = entity.actions.length > 0 ? entity.actions.join(', ') : 'none';
    throw new ConfigError(`${entity.name} has no action "${config.action}" (its actions: ${known})`);
  }
  const writer = new Writer(client, config, entity, key);
  return { batchSize: ACU_BATCH_SIZE, write: (batch, options) => writer.write(batch, options), close };
}

class Writer {
  private index: Set<string> | undefined;
  private customTypes: CustomTypes | undefined;

  constructor(
    private readonly client: AcuClient,
    private readonly config: AcuDestinationConfig,
    private readonly entity: AcuEntity,
    private readonly key: readonly string[],
  ) {}

  async write(batch: readonly FlowRecord[], options: WriteOptions): Promise<Outcome[]> {
    const { signal } = options;
    if (this.config.operation === 'upsert') await this.loadIndex(signal);
    if (batch.some((r) => hasCustom(r.data))) await this.loadCustomTypes(signal);
    const outcomes = new Array<Outcome>(batch.length);
    let remaining = batch.map((_, i) => i);
    while (remaining.length > 0) {
      const round: number[] = [];
      const later: number[] = [];
      const seen = new Set<string>();
      for (const i of remaining) {
        const keyText = this.keyText(batch[i]!.data);
        if (keyText !== undefined && seen.has(keyText)) later.push(i);
        else {
          if (keyText !== undefined) seen.add(keyText);
          round.push(i);
        }
      }
      await inParallel(round.length, this.client.transport.parallel, signal, async (n, taskSignal) => {
        const i = round[n]!;
        outcomes[i] = await this.one(batch[i]!, options.dryRun, taskSignal);
      });
      remaining = later;
    }
    return outcomes;
  }

  private keyText(data: RecordData): string | undefined {
    return this.key.length > 0 ? keyValues(data, this.key)?.join('/') : undefined;
  }

  private async one(record: FlowRecord, dryRun: boolean, signal: AbortSignal): Promise<Outcome> {
    const op = this.config.operation;
    const mode = putMode(op);
    const keyText = this.keyText(record.data);
    const exists = mode === 'update' || (mode === 'upsert' && keyText !== undefined && this.index!.has(keyText));
    const data = exists && record.createOnly?.length ? omit(record.data, record.createOnly) : record.data;
    const wrapped = wrapRecord(this.client.catalog, this.entity, data, this.customTypes);
    if (!wrapped.ok) return { status: 'failed', error: wrapped.error };
    const status = exists ? 'updated' : 'created';
    if (dryRun) {
      if (keyText !== undefined) this.index?.add(keyText);
      return keyText ? { status, targetKey: keyText } : { status };
    }
    let result = await this.client.put(this.entity.name, wrapped.body, mode, signal);
    if (result.kind === 'uncertain') {
      const again = await this.client.put(this.entity.name, wrapped.body, mode, signal);
      // The first PUT created it: If-None-Match now refuses the second.
      result = mode === 'create' && again.kind === 'precondition' ? { kind: 'ok', record: {} } : again;
      if (result.kind === 'uncertain') result = { ...result, reason: `${result.reason} (sent twice)` };
    }
    const outcome = this.outcome(result, status, keyText, record);
    if (outcome.status !== 'created' && outcome.status !== 'updated') return outcome;
    if (keyText !== undefined) this.index?.add(keyText);
    if (!this.config.action || result.kind !== 'ok') return outcome;
    const failure = await this.runAction(result.record, data, signal);
    if (!failure) return outcome;
    const what = `${outcome.status} ${this.entity.name} ${outcome.targetKey ?? ''}`.trimEnd();
    return { status: 'failed', error: `${what}, but ${this.config.action} failed: ${failure}` };
  }

  private outcome(
    result: PutResult,
    status: 'created' | 'updated',
    keyText: string | undefined,
    record: FlowRecord,
  ): Outcome {
    const mode = putMode(this.config.operation);
    switch (result.kind) {
      case 'ok': {
        const written = this.keyText(result.record) ?? keyText ?? stringId(result.record);
        const answer = Object.keys(result.record).length > 0 ? { result: result.record } : {};
        return { status: mode === 'update' ? 'updated' : status, ...target(written), ...answer };
      }
      case 'precondition': {
        if (mode === 'upsert')
          return { status: 'failed', error: 'Acumatica answered 412 Precondition Failed to a PUT without conditions' };
        // If-None-Match refused: the record exists; If-Match refused: it does not.
        const decision = decideWrite(this.config.operation, mode === 'create');
        if (decision.action === 'skip') return { status: 'skipped', reason: decision.reason, ...target(keyText) };
        return { status: 'failed', error: decision.action === 'fail' ? decision.reason : 'Acumatica answered 412' };
      }
      case 'invalid':
        return { status: 'failed', error: this.client.init.redact(result.errors.join('; ')) };
      case 'error':
        return { status: 'failed', error: this.client.init.redact(result.message) };
      case 'uncertain':
        return {
          status: 'failed',
          error: `${result.reason}: ${record.lineage.key} may have been written; check ${this.entity.name} in Acumatica`,
        };
    }
  }

  /** The action on the record just written: addressed by its id when the answer gave one, else by its keys. */
  private async runAction(written: RecordData, sent: RecordData, signal: AbortSignal): Promise<string | undefined> {
    const action = this.config.action!;
    const target: RecordData = {};
    if (typeof written.id === 'string' && written.id !== '') target.id = written.id;
    else for (const k of this.entity.keys) target[k] = { value: written[k] ?? sent[k] };
    const parameters: RecordData = {};
    const types = this.entity.actionParameters[action] ?? [];
    for (const [name, value] of Object.entries(this.config.actionParameters ?? {})) {
      const type = types.find((t) => t.name === name)?.type;
      if (!type)
        throw new ConfigError(
          `${action} has no parameter "${name}" (its parameters: ${types.map((t) => t.name).join(', ') || 'none'})`,
        );
      const converted = convert(type, value);
      if ('error' in converted) throw new ConfigError(`${action} parameter ${name}: ${converted.error}`);
      parameters[name] = { value: converted.value };
    }
    const timeout = this.config.actionTimeoutSeconds * 1000;
    return this.client.invoke(this.entity.name, action, target, parameters, signal, timeout);
  }

  /** The keys Acumatica holds, read once per writer with the key fields only. */
  private async loadIndex(signal: AbortSignal): Promise<void> {
    if (this.index) return;
    const index = new Set<string>();
    for await (const page of this.client.pages(this.entity.name, { fields: [...this.key], pageSize: 1000, signal })) {
      for (const record of page) {
        const text = this.keyText(record);
        if (text !== undefined) index.add(text);
      }
    }
    this.index = index;
  }

  /**
   * The custom fields' types from `GET {Entity}/$adHocSchema` (the instance's own customisation), once; where the
   * server does not give it, wire.ts takes the type from the value.
   */
  private async loadCustomTypes(signal: AbortSignal): Promise<void> {
    if (this.customTypes) return;
    const types = new Map<string, string>();
    const response = await this.client.send({
      method: 'GET',
      url: `${this.client.entityUrl(this.entity.name)}/$adHocSchema`,
      signal,
      maxAttempts: 2,
    });
    const custom = (response.json as { custom?: unknown } | undefined)?.custom;
    if (response.status === 200 && custom && typeof custom === 'object') {
      for (const [view, fields] of Object.entries(custom as Record<string, unknown>)) {
        if (!fields || typeof fields !== 'object') continue;
        for (const [field, wrapper] of Object.entries(fields as Record<string, unknown>)) {
          const type = (wrapper as { type?: unknown } | null)?.type;
          if (typeof type === 'string') types.set(`${view}.${field}`, type);
        }
      }
    }
    this.customTypes = types;
  }
}

function hasCustom(data: RecordData): boolean {
  return Object.keys(data).some((k) => k === 'custom' || k.startsWith(CUSTOM_PREFIX));
}

function omit(data: RecordData, fields: readonly string[]): RecordData {
  const out = { ...data };
  for (const f of fields) delete out[f];
  return out;
}

/** The PUT's condition: Acumatica itself tells whether the record exists, atomically. */
function putMode(operation: WriteOperation): WriteMode {
  if (operation === 'create' || operation === 'createOnly') return 'create';
  if (operation === 'update' || operation === 'updateOnly') return 'update';
  return 'upsert';
}

function stringId(record: RecordData): string | undefined {
  return typeof record.id === 'string' && record.id !== '' ? record.id : undefined;
}

function target(keyText: string | undefined): { targetKey?: string } {
  return keyText ? { targetKey: keyText } : {};
}
