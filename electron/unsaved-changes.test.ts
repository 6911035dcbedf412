import { describe, expect, it, vi } from 'vitest';
import { guardUnsavedChanges } from './unsaved-changes.js';

function setup(leave: boolean) {
  let listener: ((event: { preventDefault(): void }) => void) | undefined;
  const contents = { on: vi.fn((_name: string, l: typeof listener) => (listener = l)) };
  const ask = vi.fn(() => leave);
  guardUnsavedChanges(contents as never, ask);
  const event = { preventDefault: vi.fn() };
  listener?.(event);
  return { contents, ask, event };
}

describe('guardUnsavedChanges', () => {
  it('asks when the page vetoes unloading and lets the window go on "discard"', () => {
    const { contents, ask, event } = setup(true);
    expect(contents.on).toHaveBeenCalledWith('will-prevent-unload', expect.any(Function));
    expect(ask).toHaveBeenCalledTimes(1);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('keeps the window (and the changes) on "cancel"', () => {
    const { event } = setup(false);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });
});
