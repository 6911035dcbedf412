import type { WebContents, WebFrameMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL } from './app-protocol.js';
import {
  denyPermissions,
  hardenWebContents,
  isSafeExternalUrl,
  isTrustedSender,
  windowOptions,
} from './web-security.js';

describe('windowOptions', () => {
  it('turns on every isolation flag and points at the preload', () => {
    const options = windowOptions({ preload: '/app/preload.cjs', bounds: { width: 1000, height: 700 }, isDev: false });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(options).toMatchObject({ width: 1000, height: 700, show: false });
  });

  it('offers devtools only when running from source', () => {
    const dev = windowOptions({ preload: '/p.cjs', bounds: { x: 5, y: 6, width: 800, height: 600 }, isDev: true });
    expect(dev.webPreferences?.devTools).toBe(true);
    expect(dev.webPreferences?.sandbox).toBe(true);
    expect(dev).toMatchObject({ x: 5, y: 6 });
  });
});

function frame(over: Partial<WebFrameMain> = {}): WebFrameMain {
  return { processId: 4, routingId: 1, parent: null, url: APP_ENTRY_URL, ...over } as WebFrameMain;
}

describe('isTrustedSender', () => {
  const main = frame();

  it('accepts the main window top frame on the app origin', () => {
    expect(isTrustedSender(main, main)).toBe(true);
    // WebFrameMain objects may be re-created: the same process and routing id is the same frame.
    expect(isTrustedSender(frame(), main)).toBe(true);
  });

  it('rejects subframes, other frames, other origins and missing frames', () => {
    expect(isTrustedSender(frame({ parent: main }), main)).toBe(false);
    expect(isTrustedSender(frame({ routingId: 2 }), main)).toBe(false);
    expect(isTrustedSender(frame({ processId: 9 }), main)).toBe(false);
    expect(isTrustedSender(frame({ url: 'https://evil.example/' }), main)).toBe(false);
    expect(isTrustedSender(frame({ url: 'file:///tmp/index.html' }), main)).toBe(false);
    expect(isTrustedSender(frame({ url: 'ferry-app://other/index.html' }), main)).toBe(false);
    expect(isTrustedSender(null, main)).toBe(false);
    expect(isTrustedSender(main, undefined)).toBe(false);
  });

  it('rejects a frame that throws on access (destroyed)', () => {
    const destroyed = {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
      processId: 4,
      routingId: 1,
      parent: null,
    } as unknown as WebFrameMain;
    expect(isTrustedSender(destroyed, main)).toBe(false);
  });
});

type Listener = (event: { preventDefault(): void }, url: string) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  };
  const fire = (name: string, url = '') => {
    const event = { preventDefault: vi.fn() };
    listeners.get(name)?.(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  return {
    contents: contents as unknown as Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
    fire,
    open: (url: string) => openHandler?.({ url }),
  };
}

describe('hardenWebContents', () => {
  it('denies navigation and redirects away from the app', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, { openExternal: vi.fn() });
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'ferry-app://app/index.html')).toBe(false);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('never opens a window; only plain https links go to the system browser', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn();
    hardenWebContents(contents, { openExternal });
    expect(open('https://ferry.app/docs')).toEqual({ action: 'deny' });
    expect(open('ferry-app://app/index.html')).toEqual({ action: 'deny' });
    expect(open('file:///bin/sh')).toEqual({ action: 'deny' });
    expect(open('http://example.com/')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://ferry.app/docs']]);
  });

  it('classifies external URLs', () => {
    expect(isSafeExternalUrl('https://example.com/a?b=c')).toBe(true);
    expect(isSafeExternalUrl('https://user:pw@example.com/')).toBe(false);
    expect(isSafeExternalUrl('smb://server/share')).toBe(false);
    expect(isSafeExternalUrl('not a url')).toBe(false);
  });
});

describe('denyPermissions', () => {
  it('answers no to every permission request and check', () => {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    denyPermissions(session as never);
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(check({}, 'media', 'ferry-app://app')).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(device({ deviceType: 'usb' })).toBe(false);
  });
});
