import { describe, expect, it, vi } from 'vitest';
import { windowBoundsSchema } from '../core/store/settings.js';
import { DEFAULT_BOUNDS, boundsToSave, restoreBounds, trackWindowBounds } from './window-state.js';

const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];

describe('window bounds', () => {
  it('restores stored bounds that are on a screen', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: true }, screen)).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
      maximized: true,
    });
  });

  it('drops the position when no screen shows the title bar any more', () => {
    expect(restoreBounds({ x: 3000, y: 50, width: 1200, height: 800 }, screen)).toEqual({ width: 1200, height: 800 });
    expect(restoreBounds({ x: 100, y: -500, width: 1200, height: 800 }, screen)).toEqual({
      width: 1200,
      height: 800,
    });
  });

  it('falls back to defaults for missing or invalid settings', () => {
    expect(restoreBounds(undefined, screen)).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ width: 'wide' }, screen)).toEqual(DEFAULT_BOUNDS);
    expect(restoreBounds({ width: 10, height: 10 }, screen)).toEqual(DEFAULT_BOUNDS);
  });

  it('saves whole, schema-valid normal bounds', () => {
    const saved = boundsToSave({ x: 10.4, y: 20.6, width: 300, height: 900.2 }, false);
    expect(saved).toEqual({ x: 10, y: 21, width: 720, height: 900, maximized: false });
    expect(windowBoundsSchema.safeParse(saved).success).toBe(true);
  });

  it('saves the normal bounds when the window closes', () => {
    let onClose: (() => void) | undefined;
    const win = {
      on: (event: string, listener: () => void) => {
        if (event === 'close') onClose = listener;
      },
      getNormalBounds: () => ({ x: 1, y: 2, width: 1000, height: 700 }),
      isMaximized: () => true,
    };
    const save = vi.fn();
    trackWindowBounds(win as never, save);
    onClose?.();
    expect(save).toHaveBeenCalledWith({ x: 1, y: 2, width: 1000, height: 700, maximized: true });
  });
});
