import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApiEvent, type FerryApi, apiMethodNames } from '../core/model/contract.js';

type IpcListener = (event: unknown, payload: unknown) => void;

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<IpcListener>>();
  return {
    listeners,
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: {
      invoke: vi.fn(),
      on: vi.fn((channel: string, listener: IpcListener) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(listener);
      }),
      removeListener: vi.fn((channel: string, listener: IpcListener) => listeners.get(channel)?.delete(listener)),
      send: vi.fn(),
      sendSync: vi.fn(),
    },
  };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

let api: FerryApi;

beforeEach(async () => {
  vi.resetModules();
  electron.contextBridge.exposeInMainWorld.mockClear();
  electron.ipcRenderer.invoke.mockReset();
  electron.listeners.clear();
  await import('./preload.js');
  api = electron.contextBridge.exposeInMainWorld.mock.calls[0]?.[1] as FerryApi;
});

const emit = (payload: unknown) => {
  const fakeIpcEvent = { sender: electron.ipcRenderer, senderId: 0 };
  for (const l of electron.listeners.get('ferry:event') ?? []) l(fakeIpcEvent, payload);
};

describe('the preload', () => {
  it('exposes window.ferry with exactly the contract methods plus subscribe', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(electron.contextBridge.exposeInMainWorld.mock.calls[0]?.[0]).toBe('ferry');
    expect(Object.keys(api).sort()).toEqual([...apiMethodNames, 'subscribe'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    // Nothing of Electron leaks through: no ipcRenderer, no generic invoke.
    expect(Object.values(api)).not.toContain(electron.ipcRenderer);
    expect(api).not.toHaveProperty('invoke');
  });

  it('invokes the method channel and unwraps a successful result', async () => {
    electron.ipcRenderer.invoke.mockResolvedValue({ ok: true, value: { runId: 'r1' } });
    await expect(api.startRun({ flowId: 'orders', dryRun: true })).resolves.toEqual({ runId: 'r1' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('ferry:startRun', { flowId: 'orders', dryRun: true });
  });

  it('rejects with the ApiError shape (code, message, problems) that survives the context bridge', async () => {
    const problems = [{ file: 'flows/a.flow.json', path: 'nodes[0]', message: 'bad' }];
    electron.ipcRenderer.invoke.mockResolvedValue({
      ok: false,
      error: { code: 'invalid-input', message: 'nodes[0]: bad', problems },
    });
    const error = await api.saveFlow({ flow: {} as never }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ApiError', code: 'invalid-input', message: 'nodes[0]: bad', problems });
    expect(String(error)).toBe('nodes[0]: bad');
    // A plain object: contextBridge keeps its fields (an Error would arrive with its message only).
    expect(Object.getPrototypeOf(error)).toBe(Object.prototype);
  });

  it('turns a refused or broken IPC call into an internal error', async () => {
    electron.ipcRenderer.invoke.mockRejectedValue(new Error('refused'));
    await expect(api.currentWorkspace({})).rejects.toMatchObject({
      code: 'internal',
      message: 'Internal error: refused',
    });
    electron.ipcRenderer.invoke.mockResolvedValue('nonsense');
    await expect(api.currentWorkspace({})).rejects.toMatchObject({ code: 'internal' });
  });

  it('subscribe delivers event payloads only (never the IPC event) and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = api.subscribe((...args: unknown[]) => received.push(args));
    const other = vi.fn();
    const unsubscribeOther = api.subscribe(other);
    // One IPC listener serves every subscriber.
    expect(electron.ipcRenderer.on).toHaveBeenCalledTimes(1);

    const event: ApiEvent = { type: 'command', command: 'undo' };
    emit(event);
    expect(received).toEqual([[event]]);
    expect(other).toHaveBeenCalledWith(event);

    unsubscribe();
    emit({ type: 'command', command: 'redo' });
    expect(received).toHaveLength(1);
    expect(other).toHaveBeenCalledTimes(2);

    unsubscribeOther();
    expect(electron.listeners.get('ferry:event')?.size).toBe(0);
  });

  it('keeps delivering to other listeners when one throws, and still reports the error', () => {
    const rethrown: (() => void)[] = [];
    const microtask = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => rethrown.push(task));
    const seen = vi.fn();
    api.subscribe(() => {
      throw new Error('listener bug');
    });
    api.subscribe(seen);
    emit({ type: 'command', command: 'save' });
    microtask.mockRestore();
    expect(seen).toHaveBeenCalledTimes(1);
    expect(rethrown).toHaveLength(1);
    expect(() => rethrown[0]?.()).toThrow('listener bug');
  });
});
