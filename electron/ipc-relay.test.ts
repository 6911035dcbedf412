import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { apiMethodNames } from '../core/model/contract.js';
import type { DispatchResult } from '../core/host/dispatch.js';
import { APP_ENTRY_URL } from './app-protocol.js';
import { checkInput as validateCall } from '../core/host/dispatch.js';
import { type IpcMainLike, UntrustedSenderError, createIpcRelay } from './ipc-relay.js';
import { isTrustedSender } from './web-security.js';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

const mainFrame = { processId: 3, routingId: 7, parent: null, url: APP_ENTRY_URL } as WebFrameMain;

function setup() {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => handlers.set(channel, listener),
    removeHandler: (channel) => handlers.delete(channel),
  };
  const forward = vi.fn(async (method: string, input: unknown): Promise<DispatchResult> => ({
    ok: true,
    value: { method, input },
  }));
  const remove = createIpcRelay({ ipcMain, forward, isTrusted: (frame) => isTrustedSender(frame, mainFrame) });
  const invoke = (channel: string, input: unknown, senderFrame: WebFrameMain | null = mainFrame) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame } as IpcMainInvokeEvent, input);
  };
  return { handlers, forward, invoke, remove };
}

describe('the IPC relay', () => {
  it('registers exactly one channel per contract method, and removes them again', () => {
    const { handlers, remove } = setup();
    expect([...handlers.keys()].sort()).toEqual(apiMethodNames.map((n) => `ferry:${n}`).sort());
    remove();
    expect(handlers.size).toBe(0);
  });

  it('forwards a valid call from the app window and returns the engine result', async () => {
    const { forward, invoke } = setup();
    const result = await invoke('ferry:loadFlow', { flowId: 'orders' });
    expect(forward).toHaveBeenCalledWith('loadFlow', { flowId: 'orders' });
    expect(result).toEqual({ ok: true, value: { method: 'loadFlow', input: { flowId: 'orders' } } });
    // Methods without input may be called with none.
    await invoke('ferry:currentWorkspace', undefined);
    expect(forward).toHaveBeenLastCalledWith('currentWorkspace', {});
  });

  it('rejects invalid input in main with the contract error body, without forwarding', async () => {
    const { forward, invoke } = setup();
    const result = (await invoke('ferry:openWorkspace', { dir: '' })) as DispatchResult;
    expect(forward).not.toHaveBeenCalled();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.problems).toEqual([expect.objectContaining({ file: 'openWorkspace', path: 'dir' })]);
    expect(result.error.message).toContain('dir');

    const wrongType = (await invoke('ferry:startRun', { flowId: 'x', dryRun: 'yes' })) as DispatchResult;
    expect(wrongType.ok).toBe(false);
    expect(await invoke('ferry:listRuns', 'not an object')).toMatchObject({ ok: false });
    expect(forward).not.toHaveBeenCalled();
  });

  it('refuses foreign senders without forwarding: subframes, other frames, other origins, no frame', async () => {
    const { forward, invoke } = setup();
    const foreign: (WebFrameMain | null)[] = [
      { ...mainFrame, parent: mainFrame } as WebFrameMain,
      { ...mainFrame, routingId: 99 } as WebFrameMain,
      { ...mainFrame, url: 'https://evil.example/' } as WebFrameMain,
      { ...mainFrame, url: 'file:///tmp/index.html' } as WebFrameMain,
      null,
    ];
    for (const frame of foreign) {
      await expect(invoke('ferry:currentWorkspace', {}, frame)).rejects.toBeInstanceOf(UntrustedSenderError);
    }
    expect(forward).not.toHaveBeenCalled();
  });

  it('validates like dispatch does', () => {
    expect(validateCall('createFlow', { name: '  Orders ' })).toEqual({ ok: true, value: { name: 'Orders' } });
    expect(validateCall('cancelRun', {})).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
