import { autoLayout } from '../canvas/layout.js';
import { commands, scheduleValidation } from './actions.js';
import { copySelection, moveNodes, paste } from './flow-edits.js';
import { useFlowStore } from './flow-store.js';
import { useUiStore } from './ui-store.js';

export interface Shortcut {
  keys: string;
  action: string;
}

/** Listed in Help; the handler below is the truth of what each does. */
export const SHORTCUTS: Shortcut[] = [
  { keys: 'Ctrl+S', action: 'Save the flow' },
  { keys: 'Ctrl+Z', action: 'Undo' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', action: 'Redo' },
  { keys: 'Ctrl+C / Ctrl+V', action: 'Copy / paste the selected nodes' },
  { keys: 'Ctrl+A', action: 'Select all nodes' },
  { keys: 'Delete / Backspace', action: 'Delete the selection' },
  { keys: 'Shift+click, Shift+drag', action: 'Add to the selection / select an area' },
  { keys: 'Ctrl+Enter', action: 'Run the flow' },
  { keys: 'Ctrl+Shift+Enter', action: 'Dry run (nothing is written)' },
  { keys: 'Ctrl+Shift+L', action: 'Auto-layout' },
  { keys: 'Ctrl+0', action: 'Zoom to fit' },
  { keys: 'Double-click / Enter on a node', action: 'Open the mapper of a map node, the settings of others' },
  { keys: 'Escape', action: 'Clear the selection' },
  { keys: 'F1 or ?', action: 'This help' },
];

export function layoutFlow(): void {
  useFlowStore.getState().edit((f) => moveNodes(f, autoLayout(f)));
  setTimeout(commands['fit-view'], 50);
}

export function copyNodes(): void {
  const { flow } = useFlowStore.getState();
  const ids = new Set(useUiStore.getState().selectedNodeIds);
  if (flow && ids.size) useUiStore.getState().setClipboard(copySelection(flow, ids));
}

export function pasteNodes(): void {
  const clip = useUiStore.getState().clipboard;
  if (!clip || clip.nodes.length === 0) return;
  let ids: string[] = [];
  useFlowStore.getState().edit((f) => {
    const result = paste(f, clip);
    ids = result.ids;
    return result.flow;
  });
  useUiStore.getState().select(ids.sort());
  // A second paste lands further along rather than on top of the first.
  useUiStore.getState().setClipboard({
    ...clip,
    nodes: clip.nodes.map((n) => ({ ...n, position: { ...n.position, x: n.position.x + 40, y: n.position.y + 40 } })),
  });
  scheduleValidation();
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * Global shortcuts. In text fields the browser's own editing keys win (undo in a field undoes typing); save and run
 * work everywhere. In the desktop app the menu's accelerators send save/undo/redo, so those are not handled twice.
 */
export function onKeyDown(event: KeyboardEvent, desktop: boolean): void {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  const inField = typing(event.target);
  const handle = (fn: () => void) => {
    event.preventDefault();
    fn();
  };
  if (mod && key === 's' && !desktop) return handle(commands.save);
  if (mod && key === 'enter') return handle(event.shiftKey ? commands['dry-run'] : commands.run);
  if (inField) return;
  if (mod && key === 'z' && !desktop) return handle(event.shiftKey ? commands.redo : commands.undo);
  if (mod && key === 'y' && !desktop) return handle(commands.redo);
  if (mod && key === 'c') return handle(copyNodes);
  if (mod && key === 'v') return handle(pasteNodes);
  if (mod && key === 'a') {
    return handle(() =>
      useUiStore.getState().select((useFlowStore.getState().flow?.nodes ?? []).map((n) => n.id).sort()),
    );
  }
  if (mod && event.shiftKey && key === 'l') return handle(layoutFlow);
  if (mod && key === '0') return handle(commands['fit-view']);
  if (key === 'escape') return handle(() => useUiStore.getState().select([]));
  if (key === 'f1' || event.key === '?') return handle(commands.help);
}
