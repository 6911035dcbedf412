import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { apiErrorCodes, apiMethodNames } from '../core/model/api-names.js';
import type { ApiErrorBody, ApiEvent, FerryApi } from '../core/model/contract.js';
import { EVENT_CHANNEL, methodChannel } from './ipc-channels.js';

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/**
 * A rejected call as the page receives it: the `ApiError` shape (`name`, `message`, `code`, `problems`) as a plain
 * object. contextBridge rebuilds an `Error` thrown in the preload from its message alone — `code` and `problems`
 * would be lost — while a plain object crosses with its fields (and its `toString`, so `String(error)` reads well).
 */
export interface BridgedApiError extends ApiErrorBody {
  name: 'ApiError';
  toString(): string;
}

export function bridgedError(body: ApiErrorBody): BridgedApiError {
  const message = body.message;
  return {
    name: 'ApiError',
    code: body.code,
    message,
    ...(body.problems ? { problems: body.problems } : {}),
    toString: () => message,
  };
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  const v = value as Partial<ApiErrorBody> | null;
  return (
    !!v &&
    typeof v.message === 'string' &&
    (apiErrorCodes as readonly string[]).includes(v.code as string) &&
    (v.problems === undefined || Array.isArray(v.problems))
  );
}

/** Main answers `{ok: true, value}` or `{ok: false, error}`; anything else is a bug worth a clear message. */
export function unwrapResult(result: unknown): unknown {
  const r = result as { ok?: unknown; value?: unknown; error?: unknown } | null;
  if (r && r.ok === true) return r.value;
  if (r && r.ok === false && isErrorBody(r.error)) throw bridgedError(r.error);
  throw bridgedError({ code: 'internal', message: 'Internal error: the desktop shell sent an unexpected answer' });
}

function rejection(error: unknown): BridgedApiError {
  if (isErrorBody(error)) return bridgedError(error);
  const message = error instanceof Error ? error.message : String(error);
  return bridgedError({ code: 'internal', message: `Internal error: ${message}` });
}

/**
 * `window.ferry`: exactly one function per contract method plus `subscribe`. The page never sees `ipcRenderer`,
 * a channel name or an `IpcRendererEvent` (whose `sender` would hand it the raw IPC object).
 */
export function createPreloadApi(ipc: IpcRendererLike): FerryApi {
  const listeners = new Set<(event: ApiEvent) => void>();
  let attached = false;
  const onEvent = (_event: IpcRendererEvent, payload: unknown) => {
    if (typeof payload !== 'object' || payload === null) return;
    for (const listener of [...listeners]) {
      try {
        listener(payload as ApiEvent);
      } catch (error) {
        // One failing listener must not starve the others; the error still shows in the console.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  const api: Record<string, unknown> = {};
  for (const name of apiMethodNames) {
    api[name] = async (input: unknown) => {
      let result: unknown;
      try {
        result = await ipc.invoke(methodChannel(name), input ?? {});
      } catch (error) {
        throw rejection(error);
      }
      return unwrapResult(result);
    };
  }
  api.subscribe = (listener: (event: ApiEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('subscribe(listener): listener must be a function');
    listeners.add(listener);
    if (!attached) {
      ipc.on(EVENT_CHANNEL, onEvent);
      attached = true;
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && attached) {
        ipc.removeListener(EVENT_CHANNEL, onEvent);
        attached = false;
      }
    };
  };
  return api as FerryApi;
}
