import type { DestinationWriter } from '../connectors/types.js';
import type { Flow, FlowEdge } from '../model/flow.js';
import { buildGraph, portKey } from './graph.js';
import type { PreparedNode } from './prepare-nodes.js';
import type { PreviewCollector } from './preview.js';
import type { FlowRecord, Outcome } from './record.js';
import type { RunRecorder } from './run-recorder.js';

export interface DeliveryTarget {
  dryRun: boolean;
  signal: AbortSignal;
  /** `pending`: the record had been buffered in a destination (the watermark tracker counted it). */
  settle(nodeId: string, record: FlowRecord, outcome: Outcome, pending: boolean): void;
  /** Records entered a destination's buffer; their outcomes come with a later write. */
  buffered(records: readonly FlowRecord[]): void;
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
  private readonly destinations = new Map<string, DestinationState>();

  constructor(
    flow: Flow,
    private readonly prepared: Map<string, PreparedNode>,
    private readonly recorder: RunRecorder,
    private readonly target: DeliveryTarget,
    private readonly preview?: PreviewCollector,
  ) {
    this.outgoing = buildGraph(flow).outgoing;
    for (const p of prepared.values()) {
      if (p.kind === 'destination')
        this.destinations.set(p.node.id, { nodeId: p.node.id, writer: p.writer, buffer: [] });
    }
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
        const rejectedConnected = (this.outgoing.get(portKey(nodeId, 'rejected'))?.length ?? 0) > 0;
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
        this.preview?.out(nodeId, passed);
        await this.deliver(nodeId, 'out', passed);
        if (rejected.length) await this.deliver(nodeId, 'rejected', rejected);
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
    const stats = this.recorder.node(dest.nodeId);
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome.status !== 'failed') stats.out++;
      this.target.settle(dest.nodeId, batch[i]!, outcome, true);
    }
  }

  /** Writes what is left in every destination's buffer (end of a source). */
  async flushAll(): Promise<void> {
    for (const dest of this.destinations.values()) {
      while (dest.buffer.length > 0) await this.write(dest, Math.min(dest.buffer.length, dest.writer.batchSize));
    }
  }
}
