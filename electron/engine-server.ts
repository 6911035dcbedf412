import type { ApiEvent } from '../core/model/contract.js';
import { type ApiHandlers, dispatch } from '../core/host/dispatch.js';
import { type EngineReply, failure, isCallRequest, isShutdownRequest } from './engine-messages.js';

/** What the engine needs of Electron's `process.parentPort` (tests pass a fake). */
export interface ParentPortLike {
  on(event: 'message', listener: (message: { data: unknown }) => void): unknown;
  postMessage(message: EngineReply): void;
}

export interface EngineService {
  handlers: ApiHandlers;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

/**
 * The engine process's loop: every request goes through the same `dispatch` as `ferry serve` (input and output
 * validated against the contract), every service event goes to main. `onShutdown` closes the stores so SQLite ends
 * cleanly before the process exits.
 */
export function serveEngine(port: ParentPortLike, service: EngineService, onShutdown: () => Promise<void>): void {
  const unsubscribe = service.subscribe((event) => port.postMessage({ event }));
  let closing = false;
  port.on('message', ({ data }) => {
    if (isShutdownRequest(data)) {
      if (closing) return;
      closing = true;
      unsubscribe();
      void onShutdown();
      return;
    }
    if (!isCallRequest(data)) return;
    const { id, method, input } = data;
    void dispatch(service.handlers, method, input)
      .then((result) => port.postMessage({ id, result }))
      // A value the structured clone cannot carry must still answer the call, or main would wait forever.
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        port.postMessage({ id, result: failure({ code: 'internal', message: `Internal error: ${message}` }) });
      });
  });
}
