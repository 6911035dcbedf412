import type { ApiErrorBody, ApiEvent } from '../core/model/contract.js';
import type { DispatchResult } from '../core/host/dispatch.js';

/** Main → engine process. */
export type EngineRequest = { id: number; method: string; input: unknown } | { shutdown: true };

/** Engine process → main: the answer to one request, or one service event. */
export type EngineReply = { id: number; result: DispatchResult } | { event: ApiEvent };

export function failure(error: ApiErrorBody): DispatchResult {
  return { ok: false, error };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isCallRequest(value: unknown): value is { id: number; method: string; input: unknown } {
  return isObject(value) && typeof value.id === 'number' && typeof value.method === 'string';
}

export function isShutdownRequest(value: unknown): value is { shutdown: true } {
  return isObject(value) && value.shutdown === true;
}

export function isResultReply(value: unknown): value is { id: number; result: DispatchResult } {
  return isObject(value) && typeof value.id === 'number' && isObject(value.result);
}

export function isEventReply(value: unknown): value is { event: ApiEvent } {
  return isObject(value) && isObject(value.event) && typeof value.event.type === 'string';
}
