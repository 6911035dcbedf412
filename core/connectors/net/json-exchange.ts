/**
 * One JSON request/response exchange as the ERP connectors send it: each attempt holds its slots (the connection's
 * pool, then the principal's budget) only while it is on the wire, has its own timeout besides the run's signal, and
 * comes back with the body read as text and parsed (undefined when empty or not JSON, e.g. an HTML error page).
 */
import type { RequestInit, Response } from 'undici';
import { RequestTimeout, parseJsonBody } from './retry.js';

export interface JsonRequest {
  method: string;
  url: string;
  body?: unknown;
  /** A body sent as it is (a form), instead of `body` as JSON. */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** The answer is bytes (a media stream): a successful one comes back in `bytes`, not parsed. */
  binary?: boolean;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  url: string;
  text: string;
  json: unknown;
  attempts: number;
  /** The body of a successful `binary` request. */
  bytes?: Buffer;
}

export type Acquire = (signal: AbortSignal) => Promise<() => void>;

/** Runs `fn` holding one slot of each `acquire`, in order; all are given back when it settles (or a later one fails). */
export async function inSlots<T>(acquires: readonly Acquire[], signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  const releases: (() => void)[] = [];
  try {
    for (const acquire of acquires) releases.push(await acquire(signal));
    return await fn();
  } finally {
    for (const release of releases.reverse()) release();
  }
}

/** Sends `req` through `send` (which adds credentials) with a timeout of its own and reads the whole answer. */
export async function exchangeJson(
  send: (url: string, init: RequestInit) => Promise<Response>,
  req: JsonRequest,
  timeoutMs: number,
  attempt: number,
): Promise<JsonResponse> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([req.signal, timeout]);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.body !== undefined) headers['content-type'] ??= 'application/json';
  const init: RequestInit = {
    method: req.method,
    headers,
    body: req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
    signal,
  };
  try {
    const res = await send(req.url, init);
    if (req.binary && res.status >= 200 && res.status < 300) {
      const bytes = Buffer.from(await res.arrayBuffer());
      return { status: res.status, headers: res.headers as unknown as Headers, url: res.url || req.url, text: '', json: undefined, attempts: attempt, bytes }; // prettier-ignore
    }
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers as unknown as Headers,
      url: res.url || req.url,
      text,
      json: parseJsonBody(text),
      attempts: attempt,
    };
  } catch (error) {
    if (req.signal.aborted) throw req.signal.reason;
    if (timeout.aborted) throw new RequestTimeout();
    throw error;
  }
}
