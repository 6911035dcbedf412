import type { BrowserWindow, Rectangle } from 'electron';
import { type WindowBounds, windowBoundsSchema } from '../core/store/settings.js';
import { MIN_WINDOW_HEIGHT, MIN_WINDOW_WIDTH } from './web-security.js';

export const DEFAULT_BOUNDS: WindowBounds = { width: 1280, height: 800 };

/** How much of the window's top edge must lie on a screen to count as reachable (enough to grab and drag). */
const GRAB_WIDTH = 100;
const GRAB_HEIGHT = 40;

function reachable(b: Required<Pick<WindowBounds, 'x' | 'y' | 'width'>>, area: Rectangle): boolean {
  const left = Math.max(b.x, area.x);
  const right = Math.min(b.x + b.width, area.x + area.width);
  const top = Math.max(b.y, area.y);
  const bottom = Math.min(b.y + GRAB_HEIGHT, area.y + area.height);
  return right - left >= Math.min(GRAB_WIDTH, b.width) && bottom - top >= GRAB_HEIGHT;
}

/**
 * The bounds to open the window with. Stored values are checked against the settings schema (the file is
 * hand-editable) and the position is dropped when no screen shows the title bar any more (a monitor was
 * unplugged), so the window is centred instead of opening off-screen.
 */
export function restoreBounds(stored: unknown, workAreas: readonly Rectangle[]): WindowBounds {
  const parsed = windowBoundsSchema.safeParse(stored);
  if (!parsed.success) return { ...DEFAULT_BOUNDS };
  const { x, y, width, height, maximized } = parsed.data;
  const size = {
    width: Math.max(width, MIN_WINDOW_WIDTH),
    height: Math.max(height, MIN_WINDOW_HEIGHT),
    ...(maximized ? { maximized } : {}),
  };
  if (x === undefined || y === undefined) return size;
  return workAreas.some((area) => reachable({ x, y, width: size.width }, area)) ? { x, y, ...size } : size;
}

/** The un-maximized bounds (so restoring a maximized window brings back its normal size), as the schema wants them. */
export function boundsToSave(normal: Rectangle, maximized: boolean): WindowBounds {
  return {
    x: Math.round(normal.x),
    y: Math.round(normal.y),
    width: Math.max(Math.round(normal.width), MIN_WINDOW_WIDTH),
    height: Math.max(Math.round(normal.height), MIN_WINDOW_HEIGHT),
    maximized,
  };
}

/** Saves the bounds when the window closes (the one moment that always happens, unlike a debounced move). */
export function trackWindowBounds(
  win: Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized'>,
  save: (bounds: WindowBounds) => void,
): void {
  win.on('close', () => {
    try {
      save(boundsToSave(win.getNormalBounds(), win.isMaximized()));
    } catch {
      // Losing the window position is not worth failing the close over.
    }
  });
}
