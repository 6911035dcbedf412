/**
 * Writes records to an entity set with the shared operations (write-operations.ts): create (deep insert of contained
 * lines; BC refusing a duplicate key is "already exists"), update by the record's id with its etag (a 404 is "does
 * not exist"), and upsert / createOnly / updateOnly, which decide per record from an index key → id/etag loaded once
 * with `$select` and then kept up to date. Each outcome carries BC's answer (`result`: the entity as BC returned it,
 * with id, number and etag) for chained writes. Conflicts and unknown outcomes are resolved here, never by blind
 * re-sending:
 * - 409 Request_EntityChanged (a stale etag): re-read the entity, PATCH once more with its etag (the flow's values
 *   win over the change made meanwhile); a second conflict fails the record.
 * - uncertain (a timeout, reset or gateway error after the write left): a create is looked up by its key field
 *   (`key`, else `number`/`code`) — found means created, not found means it is sent again; without a key value the
 *   record fails with "may have been created". An update is re-read: if BC already holds the values it is done,
 *   else it is sent again with the fresh etag. A bound action is never repeated.
 */
import type { FlowRecord, Outcome, RecordData } from '../../engine/record.js';
import { ConfigError } from '../errors.js';
import type { DestinationWriter, WriteOptions } from '../types.js';
import {
  ALREADY_EXISTS,
  DOES_NOT_EXIST,
  decideWrite,
  decidesBeforeSending,
  refusalText,
  writesNeeded,
} from '../write-operations.js';
import { type WriteOp, type WriteResult, runWrites } from './batch.js';
import { type BcEntitySet, bcCatalog } from './catalog.js';
import type { BcClient } from './client.js';
import type { BcDestinationConfig } from './descriptor.js';
import { type Checked, checkRecord } from './record-check.js';

interface Entry {
  id: string;
  etag?: string;
}

interface Planned {
  index: number;
  op: WriteOp;
  key?: string;
}

/** BC's codes for the refusals the shared operations name. */
const DUPLICATE_KEY = 'Internal_EntityWithSameKeyExists';

export function createDestinationWriter(
  client: BcClient,
  config: BcDestinationConfig,
  close: () => Promise<void>,
): DestinationWriter {
  const set = client.entitySet(config.entity);
  if (config.action && !set.actions.includes(config.action)) {
    const known = set.actions.length ? set.actions.join(', ') : 'none';
    throw new ConfigError(`${set.name} has no bound action "${config.action}" (its actions: ${known})`);
  }
  for (const w of writesNeeded(config.operation)) {
    if (!set.capabilities[w]) throw new ConfigError(`Business Central does not allow ${w} on ${set.name}`);
  }
  const names = new Set(set.properties.map((p) => p.name));
  const key = config.key ?? ['number', 'code'].find((n) => names.has(n));
  if (decidesBeforeSending(config.operation) && (!key || !names.has(key))) {
    throw new ConfigError(
      `${config.operation} into ${set.name} needs a key field of the entity (key: ${config.key ?? 'not set'})`,
    );
  }
  const writer = new Writer(client, config, set, key);
  // An engine batch fills one `$batch` per request the connection may have in flight; they go out side by side.
  const batchSize = config.batchSize * client.transport.parallel;
  return { batchSize, write: (batch, options) => writer.write(batch, options), close };
}

class Writer {
  private index: Map<string, Entry> | undefined;
  private readonly lines: Set<string>;
  /** The set in the one (v2.0) shape the records have, whatever the API version. */
  private readonly shape: BcEntitySet;

  constructor(
    private readonly client: BcClient,
    private readonly config: BcDestinationConfig,
    private readonly set: BcEntitySet,
    private readonly key: string | undefined,
  ) {
    this.lines = new Set(set.navigation.filter((n) => n.collection).map((n) => n.name));
    this.shape = bcCatalog('v2.0').entitySet(set.name) ?? set;
  }

  async write(batch: readonly FlowRecord[], options: WriteOptions): Promise<Outcome[]> {
    const { signal } = options;
    if (decidesBeforeSending(this.config.operation)) await this.loadIndex(signal);
    const outcomes = new Array<Outcome>(batch.length);
    // A key new to BC twice in one batch would be created twice: later occurrences wait for the next round.
    let remaining = batch.map((_, i) => i);
    while (remaining.length > 0) {
      const round: Planned[] = [];
      const later: number[] = [];
      const seen = new Set<string>();
      for (const i of remaining) {
        const planned = this.plan(batch[i]!, i);
        if ('error' in planned) outcomes[i] = { status: 'failed', error: planned.error };
        else if ('skipped' in planned) outcomes[i] = planned.skipped;
        else if (planned.key !== undefined && seen.has(planned.key)) later.push(i);
        else {
          if (planned.key !== undefined) seen.add(planned.key);
          round.push(planned);
        }
      }
      if (options.dryRun) {
        for (const p of round) outcomes[p.index] = { status: p.op.kind === 'create' ? 'created' : 'updated' };
        // A later record with the same key is then planned as the update it would be (nothing is sent).
        for (const p of round)
          if (p.key !== undefined && p.op.kind === 'create') this.index?.set(p.key, { id: '(new)' });
      } else {
        await this.execute(round, outcomes, signal);
      }
      remaining = later;
    }
    return outcomes;
  }

  private plan(record: FlowRecord, index: number): Planned | { error: string } | { skipped: Outcome } {
    const data = record.data;
    const keyValue = this.key !== undefined ? data[this.key] : undefined;
    const keyText = keyValue === undefined || keyValue === null || keyValue === '' ? undefined : String(keyValue);
    const op = this.config.operation;
    let action: 'create' | 'update' = op === 'update' ? 'update' : 'create';
    let entry: Entry | undefined;
    if (decidesBeforeSending(op)) {
      if (keyText === undefined) return { error: `${op} needs a value in the key field "${this.key}"` };
      entry = this.index!.get(keyText);
      const decision = decideWrite(op, entry !== undefined);
      if (decision.action === 'skip') {
        // What the index knows of a record BC holds, for a chain that continues with it (an order for a customer
        // that existed already); nothing for one BC does not hold.
        const held = entry && { targetKey: entry.id, result: { id: entry.id, [this.key!]: keyValue } };
        return { skipped: { status: 'skipped', reason: decision.reason, ...held } };
      }
      if (decision.action === 'fail') return { error: decision.reason };
      action = decision.action;
    }
    if (action === 'update') {
      const id = entry?.id ?? (typeof data.id === 'string' && data.id !== '' ? data.id : undefined);
      if (!id) return { error: `update of ${this.set.name} needs the record's id` };
      const etag = entry?.etag ?? etagOf(data);
      const checked = this.check(this.updateBody(record));
      if (!checked.ok) return { error: checked.error };
      return { index, key: keyText, op: { kind: 'update', set: this.set, id, etag, body: checked.body } };
    }
    const checked = this.check(this.createBody(data));
    if (!checked.ok) return { error: checked.error };
    return { index, key: keyText, op: { kind: 'create', set: this.set, body: checked.body } };
  }

  /** The body checked and converted against the catalog (record-check.ts), or why it cannot be sent. */
  private check(body: RecordData): Checked {
    return checkRecord(bcCatalog('v2.0'), this.shape, body, this.client.catalog.version === 'v2.0');
  }

  private async execute(round: Planned[], outcomes: Outcome[], signal: AbortSignal): Promise<void> {
    const batchSize = this.config.batchSize;
    let results = await runWrites(
      this.client,
      round.map((p) => p.op),
      { batchSize, signal },
    );
    // Second chances: a conflict re-read, an uncertain write checked — then at most one more send each.
    const retries = await Promise.all(round.map((planned, i) => this.secondChance(planned, results[i]!, signal)));
    const again: { planned: Planned; slot: number }[] = [];
    retries.forEach((retry, i) => {
      if (retry && retry !== 'done') again.push({ planned: { ...round[i]!, op: retry }, slot: i });
    });
    if (again.length > 0) {
      const second = await runWrites(
        this.client,
        again.map((a) => a.planned.op),
        { batchSize, signal },
      );
      results = [...results];
      again.forEach((a, j) => {
        round[a.slot] = a.planned;
        results[a.slot] =
          second[j]!.kind === 'uncertain'
            ? {
                kind: 'uncertain',
                reason: `${(second[j] as { reason: string }).reason} (after a check and one more send)`,
              }
            : second[j]!;
      });
    }
    const written: { planned: Planned; id: string }[] = [];
    round.forEach((planned, i) => {
      const result = results[i]!;
      const outcome = this.outcome(planned, result);
      outcomes[planned.index] = outcome;
      if (outcome.status !== 'failed' && 'targetKey' in outcome && outcome.targetKey)
        written.push({ planned, id: outcome.targetKey });
    });
    if (this.config.action && written.length > 0) await this.runAction(written, outcomes, signal);
  }

  /** 'done' when the check settled the record (results patched in place), a new op to send, or undefined. */
  private async secondChance(
    planned: Planned,
    result: WriteResult,
    signal: AbortSignal,
  ): Promise<WriteOp | 'done' | undefined> {
    const op = planned.op;
    if (
      op.kind === 'update' &&
      result.kind === 'error' &&
      (result.error.code === 'Request_EntityChanged' || result.error.status === 412)
    ) {
      const current = await this.client.getById(this.set, op.id, signal);
      return current ? { ...op, etag: etagOf(current) ?? '*' } : undefined;
    }
    if (result.kind !== 'uncertain') return undefined;
    if (op.kind === 'create') {
      const value = planned.key ?? (this.key !== undefined ? op.body[this.key] : undefined);
      if (value === undefined || this.key === undefined) return undefined;
      const found = await this.client.findBy(this.set, this.key, value, signal, 1);
      if (found.length === 0) return op;
      Object.assign(result, { kind: 'ok', status: 201, record: found[0] });
      return 'done';
    }
    if (op.kind === 'update') {
      const current = await this.client.getById(this.set, op.id, signal);
      if (!current) return undefined;
      if (Object.entries(op.body).every(([k, v]) => sameValue(current[k], v))) {
        Object.assign(result, { kind: 'ok', status: 200, record: current });
        return 'done';
      }
      return { ...op, etag: etagOf(current) ?? '*' };
    }
    return undefined;
  }

  private outcome(planned: Planned, result: WriteResult): Outcome {
    const op = planned.op;
    if (result.kind === 'ok') {
      const id = typeof result.record?.id === 'string' ? result.record.id : op.kind !== 'create' ? op.id : undefined;
      if (planned.key !== undefined && id)
        this.index?.set(planned.key, { id, etag: result.record ? etagOf(result.record) : undefined });
      const status = op.kind === 'create' ? 'created' : 'updated';
      return { status, ...(id ? { targetKey: id } : {}), ...(result.record ? { result: answer(result.record) } : {}) };
    }
    if (result.kind === 'error') {
      const message = this.client.init.redact(result.message);
      // BC's refusals that the shared table names: a duplicate key on create, a missing record on update (someone
      // created or deleted it since the index was read, or create/update sent without asking).
      const refused =
        op.kind === 'create' && result.error.code === DUPLICATE_KEY
          ? decideWrite(this.config.operation, true)
          : op.kind === 'update' && result.error.status === 404
            ? decideWrite(this.config.operation, false)
            : undefined;
      if (refused?.action === 'skip') return { status: 'skipped', reason: refused.reason };
      // An upsert that raced another writer lands here too: said as the refusal, not re-sent.
      if (refused) {
        const reason = op.kind === 'create' ? ALREADY_EXISTS : DOES_NOT_EXIST;
        return { status: 'failed', error: refusalText(reason, message) };
      }
      return { status: 'failed', error: message };
    }
    const what =
      op.kind === 'create'
        ? `may have been created${this.key ? '' : ' (no key field to check by)'}`
        : 'may have been applied';
    return {
      status: 'failed',
      error: `${result.reason}: ${what}; not sent again — check ${this.set.name} in Business Central`,
    };
  }

  private async runAction(
    written: { planned: Planned; id: string }[],
    outcomes: Outcome[],
    signal: AbortSignal,
  ): Promise<void> {
    const action = this.config.action!;
    const ops: WriteOp[] = written.map((w) => ({ kind: 'action', set: this.set, id: w.id, action }));
    const results = await runWrites(this.client, ops, { batchSize: this.config.batchSize, signal });
    results.forEach((result, i) => {
      if (result.kind === 'ok') return;
      const { planned, id } = written[i]!;
      const done = planned.op.kind === 'create' ? 'created' : 'updated';
      const why = result.kind === 'error' ? result.message : `${result.reason}: it may have run; not repeated`;
      outcomes[planned.index] = {
        status: 'failed',
        error: `${done} ${this.set.name} ${id}, but ${action} failed: ${why}`,
      };
    });
  }

  /** The key → id/etag index of an upsert, read once per writer with the key field only. */
  private async loadIndex(signal: AbortSignal): Promise<void> {
    if (this.index) return;
    const index = new Map<string, Entry>();
    const query = { fields: [this.key!], maxPageSize: 20_000, signal };
    for await (const page of this.client.pages(this.set.name, query)) {
      for (const record of page) {
        const value = record[this.key!];
        if (value !== undefined && value !== null && value !== '' && typeof record.id === 'string') {
          index.set(String(value), { id: record.id, etag: etagOf(record) });
        }
      }
    }
    this.index = index;
  }

  private createBody(data: RecordData): RecordData {
    const body: RecordData = {};
    for (const [name, value] of Object.entries(data)) {
      if (name.startsWith('@odata.') || name === 'etag' || name === this.set.deltaField) continue;
      if (name === 'id' && (value === undefined || value === null || value === '')) continue;
      body[name] = value;
    }
    return body;
  }

  /** An update leaves out the key, BC-maintained and create-only fields, and contained lines (patched on their own). */
  private updateBody(record: FlowRecord): RecordData {
    const body = this.createBody(record.data);
    for (const name of [...this.set.key, ...(record.createOnly ?? [])]) delete body[name];
    for (const name of this.lines) delete body[name];
    return body;
  }
}

/** The entity as BC returned it, for chained writes: without `@odata.context`, the metadata URL of the answer. */
function answer(record: RecordData): RecordData {
  const { '@odata.context': _context, ...rest } = record;
  return rest;
}

function etagOf(data: RecordData): string | undefined {
  const etag = data['@odata.etag'] ?? data.etag;
  return typeof etag === 'string' && etag !== '' ? etag : undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
