import type { FlowRecord, Outcome, RecordData } from '../../engine/record.js';
import type { ConnectorContext, DestinationWriter, WriteOptions } from '../types.js';
import { inParallel } from '../parallel.js';
import { ALREADY_EXISTS, refusalText } from '../write-operations.js';
import { HttpRequestError, RETRYABLE_STATUSES, isSuccess, remoteErrorText, type HttpClient } from './client.js';
import type { HttpDestinationConfig } from './descriptor.js';
import { expandTemplate, getPath } from './template.js';

export function createDestinationWriter(
  client: HttpClient,
  config: HttpDestinationConfig,
  concurrency: number,
  ctx: ConnectorContext,
): DestinationWriter {
  return {
    batchSize: config.batchSize,
    write: (batch, options) => writeBatch(client, config, Math.max(1, concurrency), batch, options, ctx),
    // Each request stands on its own: nothing is buffered, nothing can be rolled back.
    close: () => client.close(),
  };
}

/**
 * One request per record, at most `concurrency` in flight. Outcomes keep the batch's order whatever order the
 * answers arrive in. The first error that stops the run (ConnectionError, abort) aborts the requests still in
 * flight, so a dead remote is not hit `concurrency` more times.
 */
async function writeBatch(
  client: HttpClient,
  config: HttpDestinationConfig,
  concurrency: number,
  batch: readonly FlowRecord[],
  options: WriteOptions,
  ctx: ConnectorContext,
): Promise<Outcome[]> {
  const cancel = AbortSignal.any([options.signal, ctx.signal]);
  const outcomes: Outcome[] = new Array<Outcome>(batch.length);
  await inParallel(batch.length, concurrency, cancel, async (index, signal) => {
    outcomes[index] = await writeOne(client, config, batch[index]!, options.dryRun, signal);
  });
  return outcomes;
}

async function writeOne(
  client: HttpClient,
  config: HttpDestinationConfig,
  record: FlowRecord,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<Outcome> {
  const { method } = config;
  const data = record.data;
  const path = expandTemplate(config.path, (name) => getPath(data, name), true);
  if (!path.ok) {
    return { status: 'failed', error: `cannot build the path ${config.path}: field "${path.missing}" ${path.reason}` };
  }
  const updating = method !== 'POST';
  if (dryRun) return updating ? { status: 'updated' } : { status: 'created' };

  const response = await client
    .request({
      method,
      url: client.resolve(path.value),
      body: requestBody(config, record),
      headers: config.headers,
      signal,
    })
    .catch((error: unknown) => {
      // The remote answered before but not this time: this record fails, the run goes on.
      if (error instanceof HttpRequestError) return error;
      throw error;
    });
  if (response instanceof HttpRequestError) return { status: 'failed', error: response.message };

  const where = `${method} ${client.redact(path.value)}`;
  if (isSuccess(response.status)) {
    const wrapped = config.wrapIn ? getPath(response.json, config.wrapIn) : undefined;
    const targetKey = idOf(response.json) ?? idOf(wrapped);
    const status = updating ? 'updated' : 'created';
    // The API's answer (unwrapped like the request), for a chained write that needs the id or number it gave.
    const body = isObject(wrapped) ? wrapped : isObject(response.json) ? response.json : undefined;
    const answer = body && Object.keys(body).length > 0 ? body : undefined;
    return { status, ...(targetKey === undefined ? {} : { targetKey }), ...(answer ? { result: answer } : {}) };
  }
  const auth = client.authFailure(response, where);
  if (auth) throw auth;
  const text = client.redact(remoteErrorText(response));
  if (response.status === 409) {
    return { status: 'skipped', reason: refusalText(ALREADY_EXISTS, `HTTP 409${text ? ` ${text}` : ''}`) };
  }
  const gaveUp =
    RETRYABLE_STATUSES.has(response.status) && response.attempts > 1
      ? ` (gave up after ${response.attempts} attempts)`
      : '';
  return { status: 'failed', error: `HTTP ${response.status} ${where}: ${text || 'no error text'}${gaveUp}` };
}

/** record.data, less the create-only fields on an update (the destination keeps its values), optionally wrapped. */
function requestBody(config: HttpDestinationConfig, record: FlowRecord): RecordData {
  let body = record.data;
  if (config.method !== 'POST' && record.createOnly && record.createOnly.length > 0) {
    body = { ...body };
    for (const field of record.createOnly) delete body[field];
  }
  return config.wrapIn ? { [config.wrapIn]: body } : body;
}

function isObject(value: unknown): value is RecordData {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function idOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const id = (body as Record<string, unknown>).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
