import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BrowserWindow,
  Menu,
  type OpenDialogOptions,
  app,
  dialog,
  ipcMain,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
} from 'electron';
import Store, { type Schema } from 'electron-store';
import type { ApiEvent } from '../core/model/contract.js';
import { appDataDir } from '../core/store/app-data.js';
import { SETTINGS_FILE_NAME, type Settings, settingsJsonSchemaProperties } from '../core/store/settings.js';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol.js';
import { type MenuCommand, menuTemplate } from './app-menu.js';
import { createEngineHost } from './engine-host.js';
import { EVENT_CHANNEL } from './ipc-channels.js';
import { createIpcRelay } from './ipc-relay.js';
import { denyPermissions, hardenWebContents, isTrustedSender, windowOptions } from './web-security.js';
import { LEAVE_DIALOG, guardUnsavedChanges } from './unsaved-changes.js';
import { openSignInPage } from './sign-in-browser.js';
import { restoreBounds, trackWindowBounds } from './window-state.js';
import { type WorkspaceDialogDeps, newWorkspaceFromDialog, openWorkspaceFromDialog } from './workspace-dialogs.js';

/**
 * The desktop shell's entry (bundled to dist/electron/main.mjs). Thin wiring only: every decision is a named
 * function in a sibling module with its own tests; the engine itself runs in a utility process.
 */

const APP_NAME = 'Ferry';
const isDev = !app.isPackaged;
const isMac = process.platform === 'darwin';
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

// Before anything reads userData: the CLI, `ferry serve` and the app share one app-data folder (and FERRY_DATA_DIR).
app.setName(APP_NAME);
app.setPath('userData', appDataDir());
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let mainWindow: BrowserWindow | undefined;

/** dist/renderer next to dist/electron. The override is for development only: a packaged app loads only its own files. */
function rendererDir(): string {
  return (isDev ? process.env.FERRY_RENDERER_DIR : undefined) ?? here('../renderer');
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function sendEvent(event: ApiEvent): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, event);
}

/**
 * `ferry-desktop [workspace] [--demo]` (npm start passes --demo): the engine opens that folder, or the demo workspace
 * with its demo systems. Electron's own argv starts with the binary (and the app path when run from source).
 */
export function startupArgs(argv: readonly string[] = process.argv, packaged = app.isPackaged): string[] {
  const args = argv.slice(packaged ? 1 : 2);
  const folder = args.find((a) => !a.startsWith('-'));
  return [...(folder ? [`--workspace=${resolve(folder)}`] : []), ...(args.includes('--demo') ? ['--demo'] : [])];
}

function start(): void {
  const staticDir = rendererDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    dialog.showErrorBox('Ferry', `The Ferry UI is not built (no ${staticDir}/index.html): run \`npm run build\`.`);
    app.exit(1);
    return;
  }
  // Same file and schema as `conf` in core/store/settings.ts: the engine keeps recent workspaces, main the bounds.
  const settings = new Store<Settings>({
    name: SETTINGS_FILE_NAME,
    schema: settingsJsonSchemaProperties() as Schema<Settings>,
  });

  denyPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(staticDir));

  const engine = createEngineHost({
    fork: () =>
      utilityProcess.fork(here('./engine-process.mjs'), [`--data-dir=${app.getPath('userData')}`, ...startupArgs()], {
        serviceName: 'Ferry engine',
        stdio: 'inherit',
      }),
    onEvent: sendEvent,
    log: (message) => console.warn(`[ferry] ${message}`),
  });

  createIpcRelay({
    ipcMain,
    forward: async (method, input) => {
      const result = await engine.call(method, input);
      openSignInPage(method, result, (url) => shell.openExternal(url));
      return result;
    },
    isTrusted: (frame) => isTrustedSender(frame, mainWindow?.webContents.mainFrame),
  });

  const dialogs: WorkspaceDialogDeps = {
    chooseFolder: async ({ title, buttonLabel, create }) => {
      const options: OpenDialogOptions = {
        title,
        buttonLabel,
        properties: create ? ['openDirectory', 'createDirectory', 'promptToCreate'] : ['openDirectory'],
      };
      const result = mainWindow
        ? await dialog.showOpenDialog(mainWindow, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? undefined : result.filePaths[0];
    },
    call: (method, input) => engine.call(method, input),
    showError: (title, message) => dialog.showErrorBox(title, message),
  };

  const menu = menuTemplate(
    { isMac, isDev, appName: APP_NAME },
    {
      command: (command: MenuCommand) => sendEvent({ type: 'command', command }),
      openWorkspace: () => void openWorkspaceFromDialog(dialogs),
      newWorkspace: () => void newWorkspaceFromDialog(dialogs),
      about: () =>
        void dialog.showMessageBox({
          type: 'info',
          title: `About ${APP_NAME}`,
          message: `${APP_NAME} ${app.getVersion()}`,
          detail: `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
        }),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu));

  const createWindow = () => {
    const workAreas = screen.getAllDisplays().map((d) => d.workArea);
    const bounds = restoreBounds(settings.get('windowBounds'), workAreas);
    const win = new BrowserWindow(windowOptions({ preload: here('./preload.cjs'), bounds, isDev }));
    trackWindowBounds(win, (saved) => settings.set('windowBounds', saved));
    guardUnsavedChanges(win.webContents, () => dialog.showMessageBoxSync(win, LEAVE_DIALOG) === 0);
    win.once('ready-to-show', () => {
      if (bounds.maximized) win.maximize();
      win.show();
    });
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = undefined;
    });
    mainWindow = win;
    void win.loadURL(APP_ENTRY_URL);
  };

  createWindow();
  app.on('activate', () => {
    if (!mainWindow) createWindow();
  });

  let engineStopped = false;
  app.on('will-quit', (event) => {
    if (engineStopped) return;
    // Let the engine close SQLite and its watchers before the process goes away.
    event.preventDefault();
    void engine.stop().finally(() => {
      engineStopped = true;
      app.quit();
    });
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Ferry is running: it gets the focus (see 'second-instance'), this one leaves.
  app.quit();
} else {
  app.on('second-instance', focusWindow);
  // Every web contents, including any a future feature creates, gets the same navigation and window-open rules.
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { openExternal: (url) => shell.openExternal(url) }),
  );
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Ferry could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
