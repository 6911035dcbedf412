import type { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiMethodNames } from '../core/model/contract.js';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES } from './app-protocol.js';

/** A stand-in for Electron, recording what main asks of it (the Electron binary is not installed in CI). */
const loadFake = vi.hoisted(async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const state = {
    lock: true,
    windows: [] as {
      options: unknown;
      webContents: { send: ReturnType<typeof vi.fn>; on: ReturnType<typeof vi.fn>; mainFrame: unknown };
    }[],
    engines: [] as EventEmitter[],
    handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
    menu: undefined as unknown,
  };
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    setName: vi.fn(),
    setPath: vi.fn(),
    getPath: vi.fn(() => '/data/Ferry'),
    getVersion: () => '0.1.0',
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => state.lock),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
  });
  class BrowserWindow extends Emitter {
    readonly webContents: { send: ReturnType<typeof vi.fn>; on: ReturnType<typeof vi.fn>; mainFrame: unknown };
    readonly loadURL = vi.fn(async () => undefined);
    readonly isMinimized = vi.fn(() => true);
    readonly restore = vi.fn();
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly maximize = vi.fn();
    readonly isDestroyed = () => false;
    readonly getNormalBounds = () => ({ x: 0, y: 0, width: 1000, height: 700 });
    readonly isMaximized = () => false;
    constructor(readonly options: unknown) {
      super();
      this.webContents = {
        send: vi.fn(),
        on: vi.fn(),
        mainFrame: { processId: 1, routingId: 1, parent: null, url: 'ferry-app://app/index.html' },
      };
      state.windows.push(this);
    }
  }
  const electron = {
    app,
    BrowserWindow,
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
      },
    },
    ipcMain: {
      handle: vi.fn((channel: string, handler: (event: unknown, input: unknown) => Promise<unknown>) =>
        state.handlers.set(channel, handler),
      ),
      removeHandler: vi.fn(),
    },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn((m: unknown) => (state.menu = m)) },
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn(), showMessageBox: vi.fn(async () => ({})) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: { openExternal: vi.fn(async () => undefined) },
    utilityProcess: {
      fork: vi.fn(() => {
        const engine = Object.assign(new Emitter(), { postMessage: vi.fn(), kill: vi.fn(() => true) });
        state.engines.push(engine);
        return engine;
      }),
    },
  };
  return { state, electron };
});

vi.mock('electron', async () => (await loadFake).electron);
vi.mock('electron-store', () => ({
  default: class {
    private readonly values = new Map<string, unknown>();
    get(key: string) {
      return this.values.get(key);
    }
    set(key: string, value: unknown) {
      this.values.set(key, value);
    }
  },
}));

let fake: Awaited<typeof loadFake>;
let rendererDir: string;
const tick = () => new Promise((resolve) => setImmediate(resolve));

beforeAll(async () => {
  fake = await loadFake;
  rendererDir = await mkdtemp(join(tmpdir(), 'ferry-main-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html>');
  vi.stubEnv('FERRY_RENDERER_DIR', rendererDir);
  vi.stubEnv('FERRY_DATA_DIR', rendererDir);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(rendererDir, { recursive: true, force: true });
});

beforeEach(() => {
  vi.resetModules();
  vi.clearAllMocks();
  fake.electron.app.removeAllListeners();
  Object.assign(fake.state, { lock: true, windows: [], engines: [], menu: undefined });
  fake.state.handlers.clear();
});

async function startMain() {
  await import('./main.js');
  await tick();
  await tick();
  const win = fake.state.windows[0];
  const engine = fake.state.engines[0] as EventEmitter & { postMessage: ReturnType<typeof vi.fn> };
  return { win, engine };
}

describe('main', () => {
  it('registers the app scheme as privileged and sandboxes every renderer before ready', async () => {
    await startMain();
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([APP_SCHEME_PRIVILEGES]);
    expect(fake.electron.app.enableSandbox).toHaveBeenCalled();
    expect(fake.electron.app.setPath).toHaveBeenCalledWith('userData', rendererDir);
  });

  it('opens one secure window on the app protocol, with permissions denied', async () => {
    const { win } = await startMain();
    expect(fake.state.windows).toHaveLength(1);
    const options = win?.options as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(options.webPreferences.preload)).toMatch(/preload\.cjs$/);
    expect((win as unknown as { loadURL: ReturnType<typeof vi.fn> }).loadURL).toHaveBeenCalledWith(APP_ENTRY_URL);
    expect(fake.electron.protocol.handle).toHaveBeenCalledWith('ferry-app', expect.any(Function));
    // Electron would otherwise swallow the page's unsaved-changes veto silently.
    expect(win?.webContents.on).toHaveBeenCalledWith('will-prevent-unload', expect.any(Function));
    expect(fake.electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(fake.electron.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
    expect(fake.electron.utilityProcess.fork).toHaveBeenCalledWith(
      expect.stringMatching(/engine-process\.mjs$/),
      ['--data-dir=/data/Ferry'],
      expect.objectContaining({ serviceName: 'Ferry engine' }),
    );
  });

  it('hardens every web contents that is created', async () => {
    await startMain();
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    fake.electron.app.emit('web-contents-created', {}, contents);
    expect(contents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  });

  it('relays contract calls from the window to the engine, and engine events back', async () => {
    const { win, engine } = await startMain();
    expect([...fake.state.handlers.keys()].sort()).toEqual(apiMethodNames.map((n) => `ferry:${n}`).sort());
    const handler = fake.state.handlers.get('ferry:loadFlow');
    const answer = handler?.({ senderFrame: win?.webContents.mainFrame }, { flowId: 'orders' });
    await tick();
    const request = engine.postMessage.mock.calls[0]?.[0] as { id: number; method: string };
    expect(request).toMatchObject({ method: 'loadFlow', input: { flowId: 'orders' } });
    engine.emit('message', { id: request.id, result: { ok: true, value: 'doc' } });
    expect(await answer).toEqual({ ok: true, value: 'doc' });

    const event = { type: 'run', event: { type: 'run-finished', runId: 'r', summary: {} } };
    engine.emit('message', { event });
    expect(win?.webContents.send).toHaveBeenCalledWith('ferry:event', event);
  });

  it('opens the page of a started browser sign-in in the system browser', async () => {
    const { win, engine } = await startMain();
    const handler = fake.state.handlers.get('ferry:startAuthorization');
    const answer = handler?.({ senderFrame: win?.webContents.mainFrame }, { connectionId: 'acu' });
    await tick();
    const request = engine.postMessage.mock.calls[0]?.[0] as { id: number };
    const url = 'https://contoso.acumatica.com/identity/connect/authorize?state=s';
    engine.emit('message', { id: request.id, result: { ok: true, value: { url, expiresAt: 'soon' } } });
    expect(await answer).toEqual({ ok: true, value: { url, expiresAt: 'soon' } });
    expect(fake.electron.shell.openExternal).toHaveBeenCalledWith(url);
  });

  it('sends menu commands to the window as contract events', async () => {
    const { win } = await startMain();
    const edit = (fake.state.menu as { label?: string; submenu: { id?: string; click?: () => void }[] }[]).find(
      (m) => m.label === '&Edit',
    );
    edit?.submenu.find((i) => i.id === 'undo')?.click?.();
    expect(win?.webContents.send).toHaveBeenCalledWith('ferry:event', { type: 'command', command: 'undo' });
  });

  it('focuses the first window when a second instance starts', async () => {
    const { win } = await startMain();
    fake.electron.app.emit('second-instance');
    const w = win as unknown as { restore: ReturnType<typeof vi.fn>; focus: ReturnType<typeof vi.fn> };
    expect(w.restore).toHaveBeenCalled();
    expect(w.focus).toHaveBeenCalled();
  });

  it('quits at once when another instance holds the lock', async () => {
    fake.state.lock = false;
    await startMain();
    expect(fake.electron.app.quit).toHaveBeenCalled();
    expect(fake.state.windows).toHaveLength(0);
    expect(fake.electron.utilityProcess.fork).not.toHaveBeenCalled();
  });
});

describe('startupArgs', () => {
  it('passes the workspace folder and --demo from the command line to the engine', async () => {
    const { startupArgs } = await import('./main.js');
    expect(startupArgs(['/usr/bin/electron', '.', '--demo'], false)).toEqual(['--demo']);
    expect(startupArgs(['/usr/bin/electron', '.', '/work/ws'], false)).toEqual(['--workspace=/work/ws']);
    expect(startupArgs(['/opt/Ferry/ferry', '/work/ws'], true)).toEqual(['--workspace=/work/ws']);
    expect(startupArgs(['/opt/Ferry/ferry'], true)).toEqual([]);
  });
});
