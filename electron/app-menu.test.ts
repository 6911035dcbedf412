import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { type MenuActions, menuTemplate } from './app-menu.js';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

function setup(env: { isMac?: boolean; isDev?: boolean } = {}) {
  const actions: MenuActions = { command: vi.fn(), openWorkspace: vi.fn(), newWorkspace: vi.fn(), about: vi.fn() };
  const template = menuTemplate({ isMac: false, isDev: false, appName: 'Ferry', ...env }, actions);
  const all = items(template);
  const byId = (id: string) => all.find((i) => i.id === id);
  const click = (id: string) => (byId(id)?.click as (() => void) | undefined)?.();
  return { actions, template, all, byId, click };
}

describe('the application menu', () => {
  it('sends the contract commands for new flow, save, undo/redo, fit view, run and help', () => {
    const { actions, click } = setup();
    for (const id of ['new-flow', 'save', 'undo', 'redo', 'redo-alt', 'fit-view', 'run', 'dry-run', 'help']) click(id);
    expect(vi.mocked(actions.command).mock.calls.map(([c]) => c)).toEqual([
      'new-flow',
      'save',
      'undo',
      'redo',
      'redo',
      'fit-view',
      'run',
      'dry-run',
      'help',
    ]);
  });

  it('opens and creates workspaces through main', () => {
    const { actions, click } = setup();
    click('open-workspace');
    click('new-workspace');
    expect(actions.openWorkspace).toHaveBeenCalledTimes(1);
    expect(actions.newWorkspace).toHaveBeenCalledTimes(1);
  });

  it('keeps role-based cut/copy/paste/select-all so text fields work', () => {
    const roles = setup().all.map((i) => i.role);
    expect(roles).toEqual(expect.arrayContaining(['cut', 'copy', 'paste', 'selectAll', 'zoomIn', 'zoomOut']));
    expect(roles).not.toContain('undo');
  });

  it('offers reload and devtools only in development', () => {
    expect(setup().all.map((i) => i.role)).not.toEqual(expect.arrayContaining(['reload']));
    expect(setup().all.map((i) => i.role)).not.toContain('toggleDevTools');
    expect(setup({ isDev: true }).all.map((i) => i.role)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('never binds one accelerator twice', () => {
    const accelerators = setup()
      .all.filter((i) => i.accelerator && i.registerAccelerator !== false)
      .map((i) => String(i.accelerator));
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('puts About in the app menu on macOS and in Help elsewhere', () => {
    const mac = setup({ isMac: true });
    expect(mac.template[0]?.label).toBe('Ferry');
    const about = mac.all.find((i) => i.label === 'About Ferry');
    (about?.click as () => void)();
    expect(mac.actions.about).toHaveBeenCalled();
    const other = setup();
    expect(other.template.map((m) => m.label)).toEqual(['&File', '&Edit', 'F&low', '&View', '&Help']);
    expect(other.all.some((i) => i.label === 'About Ferry')).toBe(true);
  });
});
