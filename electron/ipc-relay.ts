import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { type ApiMethodName, apiMethodNames } from '../core/model/api-names.js';
import { type DispatchResult, checkInput } from '../core/host/dispatch.js';
import { methodChannel } from './ipc-channels.js';

export class UntrustedSenderError extends Error {
  constructor(method: string) {
    super(`ferry: refused "${method}" from a frame that is not the Ferry window`);
    this.name = 'UntrustedSenderError';
  }
}

/** The part of `ipcMain` the relay uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcRelayOptions {
  ipcMain: IpcMainLike;
  /** Forwards a validated call to the engine (`EngineHost.call`). */
  forward(method: ApiMethodName, input: unknown): Promise<DispatchResult>;
  /** Whether the frame may call the contract at all (`isTrustedSender` against the current main window). */
  isTrusted(frame: WebFrameMain | null): boolean;
}

/**
 * One `ipcMain.handle('ferry:<method>')` per contract method — no generic channel. Each checks the sender, then
 * the input, then forwards. The result is `{ok, value}` or `{ok: false, error}`: a thrown error would reach the
 * renderer as a bare string, without the code and problems. Returns the function that removes the handlers.
 */
export function createIpcRelay({ ipcMain, forward, isTrusted }: IpcRelayOptions): () => void {
  for (const method of apiMethodNames) {
    ipcMain.handle(methodChannel(method), async (event, input) => {
      if (!isTrusted(event.senderFrame)) throw new UntrustedSenderError(method);
      // A malformed call never crosses a second process boundary; the error body is the one `ferry serve` sends.
      const checked = checkInput(method, input);
      if (!checked.ok) return checked;
      return forward(method, input ?? {});
    });
  }
  return () => {
    for (const method of apiMethodNames) ipcMain.removeHandler(methodChannel(method));
  };
}
