import {
  ApiError,
  type ApiEvent,
  type ApiMethodName,
  type FerryApi,
  apiMethodNames,
} from '../../core/model/contract.js';

declare global {
  interface Window {
    /** Exposed by Electron's preload: exactly the contract's methods plus subscribe. */
    ferry?: FerryApi;
  }
}

function asApiError(body: unknown, status: number): ApiError {
  const b = body as { code?: string; message?: string; problems?: [] } | null;
  if (b && typeof b.message === 'string' && typeof b.code === 'string') {
    return new ApiError({ code: b.code as ApiError['code'], message: b.message, problems: b.problems });
  }
  if (body instanceof Error) return new ApiError({ code: 'internal', message: body.message });
  return new ApiError({ code: 'internal', message: status ? `HTTP ${status}` : String(body) });
}

/**
 * The browser transport of `ferry serve`: one POST per call (the session cookie carries the token) and one
 * EventSource for events, shared by every subscriber.
 */
export function createHttpApi(base = '', fetchImpl: typeof fetch = (...a) => fetch(...a)): FerryApi {
  const listeners = new Set<(event: ApiEvent) => void>();
  let source: EventSource | undefined;
  const api: Record<string, unknown> = {
    subscribe(listener: (event: ApiEvent) => void) {
      listeners.add(listener);
      if (!source) {
        source = new EventSource(`${base}/api/events`);
        source.onmessage = (message: MessageEvent<string>) => {
          const event = JSON.parse(message.data) as ApiEvent;
          for (const l of listeners) l(event);
        };
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = undefined;
        }
      };
    },
  };
  for (const name of apiMethodNames) {
    api[name] = async (input: unknown) => {
      let response: Response;
      try {
        response = await fetchImpl(`${base}/api/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new ApiError({ code: 'connection', message: 'Ferry is not reachable: is `ferry serve` still running?' });
      }
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw asApiError(body, response.status);
      return body;
    };
  }
  return api as FerryApi;
}

/**
 * Electron's preload rejects with plain `{name, code, message, problems}` objects (contextBridge would strip an
 * Error's fields); turn them back into ApiError so both transports fail the same way.
 */
export function wrapPreloadApi(bridge: FerryApi): FerryApi {
  const api: Record<string, unknown> = { subscribe: (l: (e: ApiEvent) => void) => bridge.subscribe(l) };
  for (const name of apiMethodNames) {
    const call = bridge[name] as (input: unknown) => Promise<unknown>;
    api[name] = (input: unknown) => call(input).catch((error: unknown) => Promise.reject(asApiError(error, 0)));
  }
  return api as FerryApi;
}

let client: FerryApi | undefined;

/** The one client of the renderer: Electron's preload API when present, else HTTP to `ferry serve`. */
export function api(): FerryApi {
  client ??= window.ferry ? wrapPreloadApi(window.ferry) : createHttpApi();
  return client;
}

/** Tests install a fake. */
export function setApi(next: FerryApi | undefined): void {
  client = next;
}

export type { ApiMethodName };
