import type { MenuItemConstructorOptions } from 'electron';
import type { menuCommands } from '../core/model/contract.js';

export type MenuCommand = (typeof menuCommands)[number];

export interface MenuActions {
  /** Sends a contract `command` event to the window; the renderer owns what it does. */
  command(command: MenuCommand): void;
  openWorkspace(): void;
  newWorkspace(): void;
  about(): void;
}

export interface MenuEnv {
  isMac: boolean;
  /** Running from source: reload and devtools are offered only then. */
  isDev: boolean;
  appName: string;
}

/**
 * The native menu. Keys the page handles itself (copy/paste of nodes, Ctrl+0, F1, Ctrl+Enter) reach the page first
 * and it prevents the default, so these accelerators fire only when the page leaves a key alone — e.g. Ctrl+Z
 * outside a text field undoes the flow edit, inside one the field undoes its typing. Cut/copy/paste/select-all keep
 * their roles so text fields work.
 */
export function menuTemplate(env: MenuEnv, actions: MenuActions): MenuItemConstructorOptions[] {
  const send = (command: MenuCommand) => () => actions.command(command);
  const separator: MenuItemConstructorOptions = { type: 'separator' };

  const appMenu: MenuItemConstructorOptions[] = env.isMac
    ? [
        {
          label: env.appName,
          submenu: [
            { label: `About ${env.appName}`, click: () => actions.about() },
            separator,
            { role: 'services' },
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            { role: 'quit' },
          ],
        },
      ]
    : [];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'new-flow', label: 'New Flow', accelerator: 'CmdOrCtrl+N', click: send('new-flow') },
      separator,
      {
        id: 'open-workspace',
        label: 'Open Workspace…',
        accelerator: 'CmdOrCtrl+O',
        click: () => actions.openWorkspace(),
      },
      { id: 'new-workspace', label: 'New Workspace…', click: () => actions.newWorkspace() },
      separator,
      { id: 'save', label: 'Save', accelerator: 'CmdOrCtrl+S', click: send('save') },
      separator,
      env.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { id: 'undo', label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: send('undo') },
      { id: 'redo', label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: send('redo') },
      // Windows and Linux users expect Ctrl+Y too; a hidden item keeps the menu uncluttered.
      ...(env.isMac
        ? []
        : [{ id: 'redo-alt', label: 'Redo', accelerator: 'Ctrl+Y', visible: false, click: send('redo') }]),
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const flow: MenuItemConstructorOptions = {
    label: 'F&low',
    submenu: [
      // The page handles Ctrl+Enter itself (in the browser too): shown here, not registered twice.
      { id: 'run', label: 'Run', accelerator: 'CmdOrCtrl+Enter', registerAccelerator: false, click: send('run') },
      {
        id: 'dry-run',
        label: 'Dry Run',
        accelerator: 'CmdOrCtrl+Shift+Enter',
        registerAccelerator: false,
        click: send('dry-run'),
      },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { id: 'fit-view', label: 'Fit View', accelerator: 'CmdOrCtrl+0', click: send('fit-view') },
      separator,
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      // Ctrl+0 is Fit View on the canvas; page zoom resets with a shifted key instead.
      { role: 'resetZoom', accelerator: 'CmdOrCtrl+Shift+0' },
      separator,
      { role: 'togglefullscreen' },
      ...(env.isDev ? [separator, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { id: 'help', label: 'Keyboard Shortcuts', accelerator: 'F1', click: send('help') },
      ...(env.isMac ? [] : [separator, { label: `About ${env.appName}`, click: () => actions.about() }]),
    ],
  };

  return [...appMenu, file, edit, flow, view, help];
}
