import type { NodePreview } from '../model/contract.js';
import type { JsonValue } from '../model/json-value.js';
import type { FlowRecord, Outcome } from './record.js';

/** Plain JSON of a record's data: what the preview table shows (dates as ISO text, no functions, no cycles). */
function toJson(data: unknown): JsonValue {
  return JSON.parse(JSON.stringify(data ?? null)) as JsonValue;
}

/**
 * Keeps the first `limit` records into and out of every node, for the editor's preview table. Once a node's lists
 * are full the cost is one comparison per page, so previews stay on for every UI run.
 */
export class PreviewCollector {
  private readonly nodes = new Map<string, NodePreview>();
  constructor(private readonly limit: number) {}

  private of(nodeId: string): NodePreview {
    let p = this.nodes.get(nodeId);
    if (!p) this.nodes.set(nodeId, (p = { in: [], out: [] }));
    return p;
  }

  in(nodeId: string, records: readonly FlowRecord[]): void {
    const list = this.of(nodeId).in;
    for (let i = 0; i < records.length && list.length < this.limit; i++) list.push(toJson(records[i]!.data));
  }

  out(nodeId: string, records: readonly FlowRecord[]): void {
    const list = this.of(nodeId).out;
    for (let i = 0; i < records.length && list.length < this.limit; i++) list.push(toJson(records[i]!.data));
  }

  /** Records a filter stopped, each with its reason, so the preview can say which rule stopped which record. */
  rejected(nodeId: string, record: FlowRecord, reason: string): void {
    const preview = this.of(nodeId);
    const list = (preview.rejected ??= []);
    if (list.length < this.limit) list.push({ record: toJson(record.data), reason });
  }

  /** Records leaving by a port other than the node's main one (a lookup's "notFound"), marked with the port. */
  outOn(nodeId: string, port: string, records: readonly FlowRecord[]): void {
    const list = this.of(nodeId).out;
    for (let i = 0; i < records.length && list.length < this.limit; i++)
      list.push({ '@port': port, ...(toJson(records[i]!.data) as Record<string, JsonValue>) });
  }

  /** A destination's "out" is what it did with each record: the outcome beside the data it was given. */
  written(nodeId: string, records: readonly FlowRecord[], outcomes: readonly Outcome[]): void {
    const list = this.of(nodeId).out;
    for (let i = 0; i < records.length && list.length < this.limit; i++) {
      const o = outcomes[i]!;
      const detail = o.status === 'failed' ? o.error : 'reason' in o ? o.reason : undefined;
      const key = 'targetKey' in o ? o.targetKey : undefined;
      list.push({
        '@outcome': o.status,
        ...(key !== undefined ? { '@key': key } : {}),
        ...(detail !== undefined ? { '@detail': detail } : {}),
        ...(toJson(records[i]!.data) as Record<string, JsonValue>),
      });
    }
  }

  result(): Record<string, NodePreview> {
    return Object.fromEntries(this.nodes);
  }
}
