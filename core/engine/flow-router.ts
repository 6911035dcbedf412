import type { DestinationWriter } from '../connectors/types.js';
import { DOES_NOT_EXIST } from '../connectors/write-operations.js';
import type { Flow, FlowEdge } from '../model/flow.js';
import { buildGraph, portKey, topologicalOrder } from './graph.js';
import type { PreparedNode } from './prepare-nodes.js';
import type { PreviewCollector } from './preview.js';
import type { FlowRecord, Outcome, RecordData } from './record.js';
import { type RunRecorder, countPort } from './run-recorder.js';

export interface DeliveryTarget {
  dryRun: boolean;
  signal: AbortSignal;
  /** `pending`: the record had been buffered in a destination (the watermark tracker counted it). */
  settle(nodeId: string, record: FlowRecord, outcome: Outcome, pending: boolean): void;
  /**
   * Records entered a destination's buffer (their outcomes come with a later write), or a chain: written records on
   * their way to the nodes after a destination. Each is balanced by a `pending` settle or by `released`.
   */
  buffered(records: readonly FlowRecord[]): void;
  /** Chained records went through the nodes after their destination (buffered again further on, or settled). */
  released(records: readonly FlowRecord[]): void;
}

interface DestinationState {
  nodeId: string;
  writer: DestinationWriter;
  buffer: FlowRecord[];
}

/** Fan-out hands each branch its own copy, so one branch's changes never leak into another. */
function copyRecord(r: FlowRecord): FlowRecord {
  return { ...r, data: structuredClone(r.data) };
}

/** Moves pages of records along the flow's edges, node by node, and batches them into destinations. */
export class FlowRouter {
  private readonly outgoing: Map<string, FlowEdge[]>;
  /** Destinations upstream first: a chain's next destination is flushed after the one feeding it. */
  private readonly destinations = new Map<string, DestinationState>();
  /** Records per destination skipped because the target does not hold them (the run warns of them). */
  readonly missing = new Map<string, number>();

  constructor(
    flow: Flow,
    private readonly prepared: Map<string, PreparedNode>,
    private readonly recorder: RunRecorder,
    private readonly target: DeliveryTarget,
    private readonly preview?: PreviewCollector,
  ) {
    this.outgoing = buildGraph(flow).outgoing;
    for (const id of topologicalOrder(flow)) {
      const p = prepared.get(id);
      if (p?.kind === 'destination') this.destinations.set(id, { nodeId: id, writer: p.writer, buffer: [] });
    }
  }

  private connected(nodeId: string, port: string): boolean {
    return (this.outgoing.get(portKey(nodeId, port))?.length ?? 0) > 0;
  }

  async deliver(fromNode: string, port: string, records: FlowRecord[]): Promise<void> {
    if (records.length === 0) return;
    const edges = this.outgoing.get(portKey(fromNode, port)) ?? [];
    if (edges.length === 1) return this.process(edges[0]!.to.node, records);
    const copies = edges.map((_, i) => (i === 0 ? records : records.map(copyRecord)));
    for (let i = 0; i < edges.length; i++) await this.process(edges[i]!.to.node, copies[i]!);
  }

  private async process(nodeId: string, records: FlowRecord[]): Promise<void> {
    const p = this.prepared.get(nodeId)!;
    const stats = this.recorder.node(nodeId);
    stats.in += records.length;
    this.preview?.in(nodeId, records);
    const fail = (r: FlowRecord, error: string) => this.target.settle(nodeId, r, { status: 'failed', error }, false);
    switch (p.kind) {
      case 'map': {
        const out: FlowRecord[] = [];
        const done = p.map.run(records, (r) => out.push(r), fail);
        if (done) await done;
        stats.out += out.length;
        this.preview?.out(nodeId, out);
        return this.deliver(nodeId, 'out', out);
      }
      case 'filter': {
        const passed: FlowRecord[] = [];
        const rejected: FlowRecord[] = [];
        const rejectedConnected = this.connected(nodeId, 'rejected');
        const done = p.filter.run(
          records,
          (r) => passed.push(r),
          (r, reason) => {
            this.preview?.rejected(nodeId, r, reason);
            if (rejectedConnected) rejected.push(r);
            else this.target.settle(nodeId, r, { status: 'filtered', reason }, false);
          },
          fail,
        );
        if (done) await done;
        stats.out += passed.length;
        if (rejectedConnected) {
          countPort(stats, 'out', passed.length);
          countPort(stats, 'rejected', rejected.length);
        }
        this.preview?.out(nodeId, passed);
        await this.deliver(nodeId, 'out', passed);
        if (rejected.length) await this.deliver(nodeId, 'rejected', rejected);
        return;
      }
      case 'lookup': {
        const { found, notFound, failed } = await p.lookup.run(records, this.target.signal);
        for (const f of failed) fail(f.record, f.error);
        const notFoundConnected = this.connected(nodeId, 'notFound');
        if (!notFoundConnected) {
          for (const r of notFound) this.target.settle(nodeId, r, { status: 'skipped', reason: 'not found' }, false);
        }
        // An unconnected found: the lookup is an existence check (an order already in the target is not sent again).
        const foundConnected = this.connected(nodeId, 'found');
        if (!foundConnected) {
          for (const r of found) this.target.settle(nodeId, r, { status: 'skipped', reason: 'already exists' }, false);
        }
        stats.out += (foundConnected ? found.length : 0) + (notFoundConnected ? notFound.length : 0);
        countPort(stats, 'found', found.length);
        countPort(stats, 'notFound', notFound.length);
        this.preview?.out(nodeId, found);
        this.preview?.outOn(nodeId, 'notFound', notFound);
        if (foundConnected) await this.deliver(nodeId, 'found', found);
        if (notFoundConnected) await this.deliver(nodeId, 'notFound', notFound);
        return;
      }
      case 'destination': {
        const dest = this.destinations.get(nodeId)!;
        const buffer = dest.buffer;
        for (let i = 0; i < records.length; i++) buffer.push(records[i]!);
        this.target.buffered(records);
        while (dest.buffer.length >= dest.writer.batchSize) await this.write(dest, dest.writer.batchSize);
        return;
      }
      default:
        throw new Error(`node "${nodeId}" of kind ${p.kind} cannot receive records`);
    }
  }

  private async write(dest: DestinationState, count: number): Promise<void> {
    const batch = dest.buffer.splice(0, count);
    const outcomes = await dest.writer.write(batch, { dryRun: this.target.dryRun, signal: this.target.signal });
    if (outcomes.length !== batch.length) {
      throw new Error(`destination "${dest.nodeId}" returned ${outcomes.length} outcomes for ${batch.length} records`);
    }
    this.preview?.written(dest.nodeId, batch, outcomes);
    const chained = this.connected(dest.nodeId, 'out') ? this.chained(batch, outcomes) : [];
    // Held before the batch settles, so no page completes (and no watermark moves) while its records are still on
    // their way to the next destination of the chain.
    if (chained.length) this.target.buffered(chained);
    const stats = this.recorder.node(dest.nodeId);
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome.status !== 'failed') stats.out++;
      if (outcome.status === 'skipped' && outcome.reason === DOES_NOT_EXIST)
        this.missing.set(dest.nodeId, (this.missing.get(dest.nodeId) ?? 0) + 1);
      this.target.settle(dest.nodeId, batch[i]!, outcome, true);
    }
    if (chained.length) {
      await this.deliver(dest.nodeId, 'out', chained);
      this.target.released(chained);
    }
  }

  /**
   * What a destination's "out" carries for each record it did not fail: the data it was given, what the target
   * answered (in a dry run, where nothing answers, the data itself: a would-be result without the target's keys),
   * the outcome and the target's key. Source record and lineage stay, so `$source` and the history still lead back.
   */
  private chained(batch: readonly FlowRecord[], outcomes: readonly Outcome[]): FlowRecord[] {
    const out: FlowRecord[] = [];
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome.status === 'failed' || outcome.status === 'filtered') continue;
      const record = batch[i]!;
      const result: RecordData = outcome.result ?? (this.target.dryRun ? { ...record.data } : {});
      const data: RecordData = { record: record.data, result, outcome: outcome.status };
      if (outcome.targetKey !== undefined) data.targetKey = outcome.targetKey;
      if (outcome.status === 'skipped') data.reason = outcome.reason;
      out.push({ data, source: record.source, lineage: record.lineage });
    }
    return out;
  }

  /**
   * Writes what is left in every destination's buffer (end of a source), upstream first: the last writes of one
   * destination fill the buffer of the next in its chain, which is flushed after it.
   */
  async flushAll(): Promise<void> {
    for (const dest of this.destinations.values()) {
      while (dest.buffer.length > 0) await this.write(dest, Math.min(dest.buffer.length, dest.writer.batchSize));
    }
  }
}
