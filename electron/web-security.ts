import type { BrowserWindowConstructorOptions, Session, WebContents, WebFrameMain } from 'electron';
import type { WindowBounds } from '../core/store/settings.js';
import { isAppUrl } from './app-protocol.js';

/**
 * Electron's security checklist, as named functions main wires up and the unit tests check. The renderer is our own
 * code, but it renders workspace data (names, expressions, previews of remote records): everything here assumes a
 * page that might one day run script it did not mean to, and gives such a page nothing beyond the contract.
 */

export interface WindowOptionsInput {
  preload: string;
  bounds: WindowBounds;
  isDev: boolean;
}

export const MIN_WINDOW_WIDTH = 720;
export const MIN_WINDOW_HEIGHT = 480;

export function windowOptions({ preload, bounds, isDev }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_WINDOW_WIDTH,
    minHeight: MIN_WINDOW_HEIGHT,
    title: 'Ferry',
    // Shown on 'ready-to-show', so the window never flashes an empty frame.
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // A packaged app has no devtools: the View menu offers them only when running from source.
      devTools: isDev,
    },
  };
}

/**
 * Only the main window's top frame, showing the app's own origin, may call the contract. `senderFrame` is null when
 * the frame navigated or was destroyed before the call arrived; a detached frame throws on access.
 */
export function isTrustedSender(
  frame: WebFrameMain | null | undefined,
  mainFrame: WebFrameMain | null | undefined,
): boolean {
  if (!frame || !mainFrame) return false;
  try {
    const sameFrame =
      frame === mainFrame || (frame.processId === mainFrame.processId && frame.routingId === mainFrame.routingId);
    return sameFrame && frame.parent === null && isAppUrl(frame.url);
  } catch {
    return false;
  }
}

/**
 * Links the app may hand to the system browser: plain https without credentials in the URL. Anything else
 * (file:, custom schemes, javascript:, http:) could start a local program or leak data, so it is dropped.
 */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.username === '' && url.password === '' && url.hostname !== '';
  } catch {
    return false;
  }
}

type Preventable = { preventDefault(): void };
type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export interface HardenOptions {
  openExternal(url: string): Promise<void> | void;
}

/** Navigation stays inside the app, no window is ever opened, no <webview> attaches. */
export function hardenWebContents(contents: HardenableContents, options: HardenOptions): void {
  const stayInApp = (event: Preventable, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event: Preventable) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void Promise.resolve(options.openExternal(url)).catch(() => undefined);
    return { action: 'deny' };
  });
}

type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** Ferry needs no camera, notifications, geolocation, USB, ...: every permission request and check says no. */
export function denyPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
