/**
 * Writes: POST (create, with contained lines as a deep insert), PATCH with If-Match, bound actions — sent as JSON
 * `$batch` requests of up to 100 operations (webservices/use-odata-batch.md), or one by one when the batch size is
 * 1. Inner URLs are relative to the API root; answers come back by operation id and are mapped to each operation.
 * Operations answered 429/503 inside a batch were not processed and go again in the next round, after a backoff.
 * A batch (or single write) whose fate is unknown comes back as `uncertain` for each of its operations: the caller
 * checks what happened before anything is sent again.
 */
import type { RecordData } from '../../engine/record.js';
import { type BcError, formatBcError, parseBcError } from './bc-error.js';
import type { BcEntitySet } from './catalog.js';
import type { BcClient } from './client.js';
import { toV1 } from './shape.js';
import { WriteUncertainError } from './transport.js';

export type WriteOp =
  | { kind: 'create'; set: BcEntitySet; body: RecordData }
  | { kind: 'update'; set: BcEntitySet; id: string; etag?: string; body: RecordData }
  | { kind: 'action'; set: BcEntitySet; id: string; action: string };

export type WriteResult =
  | { kind: 'ok'; status: number; record?: RecordData }
  | { kind: 'error'; error: BcError; message: string }
  | { kind: 'uncertain'; reason: string };

export interface BatchOptions {
  /** Operations per `$batch`; 1 sends each operation as its own request. Several chunks are sent concurrently. */
  batchSize: number;
  signal: AbortSignal;
}

interface WireRequest {
  id: string;
  method: 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body?: RecordData;
}

/** Sends the operations and returns one result per operation, in their order. */
export async function runWrites(
  client: BcClient,
  ops: readonly WriteOp[],
  options: BatchOptions,
): Promise<WriteResult[]> {
  const results = new Array<WriteResult>(ops.length);
  const size = Math.max(1, options.batchSize);
  // The chunks go out side by side; the pool and the principal's budget decide how many are in flight. The first
  // error that stops the run (bad credentials, abort) cancels the chunks not yet sent.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  const chunks: Promise<void>[] = [];
  for (let start = 0; start < ops.length; start += size) {
    const indexes = ops.slice(start, start + size).map((_, i) => start + i);
    const run = async () => {
      const chunk =
        size === 1
          ? [await single(client, ops[start]!, signal)]
          : await batch(
              client,
              indexes.map((i) => ops[i]!),
              signal,
            );
      chunk.forEach((result, i) => (results[indexes[i]!] = result));
    };
    chunks.push(
      run().catch((error: unknown) => {
        stop.abort(error);
        throw error;
      }),
    );
  }
  const settled = await Promise.allSettled(chunks);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw options.signal.aborted ? options.signal.reason : stop.signal.reason;
  return results;
}

function wire(client: BcClient, op: WriteOp, id: string): WireRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (op.kind === 'create') {
    return { id, method: 'POST', url: client.setPath(op.set), headers, body: outgoing(client, op.set, op.body) };
  }
  if (op.kind === 'update') {
    // BC refuses a PATCH without If-Match; '*' when the record carries no etag (then the last writer wins).
    headers['if-match'] = op.etag ?? '*';
    return {
      id,
      method: 'PATCH',
      url: client.entityPath(op.set, op.id),
      headers,
      body: outgoing(client, op.set, op.body),
    };
  }
  return { id, method: 'POST', url: `${client.entityPath(op.set, op.id)}/Microsoft.NAV.${op.action}`, headers };
}

/** The body as the API version wants it (v1.0 nests addresses). */
function outgoing(client: BcClient, set: BcEntitySet, body: RecordData): RecordData {
  return client.catalog.version === 'v1.0' ? toV1(set.name, body) : body;
}

async function single(client: BcClient, op: WriteOp, signal: AbortSignal): Promise<WriteResult> {
  const request = wire(client, op, '1');
  try {
    const response = await client.send({
      method: request.method,
      url: client.url(request.url),
      headers: request.headers,
      body: request.body,
      signal,
    });
    const fatal = client.failure(response, request.method);
    if (fatal) throw fatal;
    return toResult(client, op, response.status, response.json, response.text);
  } catch (error) {
    if (error instanceof WriteUncertainError) return { kind: 'uncertain', reason: error.message };
    throw error;
  }
}

async function batch(client: BcClient, ops: readonly WriteOp[], signal: AbortSignal): Promise<WriteResult[]> {
  const results = new Array<WriteResult | undefined>(ops.length);
  let pending = ops.map((_, i) => i);
  const transport = client.transport;
  for (let round = 1; pending.length > 0; round++) {
    const requests = pending.map((i) => wire(client, ops[i]!, `r${i + 1}`));
    let response;
    try {
      response = await client.send({ method: 'POST', url: client.url('$batch'), body: { requests }, signal });
    } catch (error) {
      if (!(error instanceof WriteUncertainError)) throw error;
      for (const i of pending) results[i] = { kind: 'uncertain', reason: error.message };
      break;
    }
    const fatal = client.failure(response, 'POST');
    if (fatal) throw fatal;
    if (response.status >= 300) {
      // The batch as a whole was refused (malformed, too many operations): every operation fails with its reason.
      const error = parseBcError(response.status, response.json, response.text);
      for (const i of pending) results[i] = { kind: 'error', error, message: formatBcError(error) };
      break;
    }
    const answers = new Map<string, { status: number; body?: unknown }>();
    const list = (response.json as { responses?: unknown } | undefined)?.responses;
    for (const answer of Array.isArray(list) ? list : []) {
      const a = answer as { id?: unknown; status?: unknown; body?: unknown };
      if (typeof a.id === 'string' || typeof a.id === 'number')
        answers.set(String(a.id), { status: Number(a.status), body: a.body });
    }
    const again: number[] = [];
    for (const i of pending) {
      const answer = answers.get(`r${i + 1}`);
      if (!answer) results[i] = { kind: 'uncertain', reason: 'the $batch answer has no result for this operation' };
      else if (answer.status === 429 || answer.status === 503) again.push(i);
      else results[i] = toResult(client, ops[i]!, answer.status, answer.body, '');
    }
    pending = again;
    if (pending.length > 0) {
      if (round >= 8) {
        for (const i of pending) {
          const error = parseBcError(429, undefined, 'still throttled after 8 rounds');
          results[i] = { kind: 'error', error, message: formatBcError(error) };
        }
        break;
      }
      await transport.pause(round, signal);
    }
  }
  return results.map((r) => r!);
}

function toResult(client: BcClient, op: WriteOp, status: number, body: unknown, text: string): WriteResult {
  if (status >= 200 && status < 300) {
    const record =
      body && typeof body === 'object' && !Array.isArray(body)
        ? client.fromWire(op.set.name, body as RecordData)
        : undefined;
    return record ? { kind: 'ok', status, record } : { kind: 'ok', status };
  }
  const error = parseBcError(status, body, text);
  return { kind: 'error', error, message: formatBcError(error) };
}
