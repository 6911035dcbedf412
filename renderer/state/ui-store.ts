import { create } from 'zustand';
import type { Clip } from './flow-edits.js';

export type Theme = 'light' | 'dark';
export type BottomTab = 'run' | 'preview' | 'history';
/** A node's records in the preview: into it, out of it, or (filters) the ones it stopped, with the rule. */
export type PreviewSide = 'in' | 'out' | 'rejected';

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export interface UiState {
  theme: Theme;
  selectedNodeIds: string[];
  clipboard: Clip | null;
  helpOpen: boolean;
  bottomTab: BottomTab;
  previewSide: PreviewSide;
  previewMode: 'table' | 'json';
  toasts: Toast[];
  /**
   * A request to bring a node's settings to the keyboard (double-click or Enter on a node): the settings panel
   * moves focus into the node's configuration when it shows that node. `seq` makes a repeated request a new one.
   */
  settingsFocus: { nodeId: string; seq: number } | null;
  setTheme(theme: Theme): void;
  select(ids: string[]): void;
  setClipboard(clip: Clip): void;
  setHelpOpen(open: boolean): void;
  setBottomTab(tab: BottomTab): void;
  setPreview(side: PreviewSide, mode: 'table' | 'json'): void;
  toast(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
  /** Null: the request was served. */
  focusSettings(nodeId: string | null): void;
}

const THEME_KEY = 'ferry.theme';

function initialTheme(): Theme {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(THEME_KEY) : null;
  if (stored === 'light' || stored === 'dark') return stored;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

let toastSeq = 0;

/** View state: never in the flow file (selection, theme, panels). */
export const useUiStore = create<UiState>()((set, get) => ({
  theme: initialTheme(),
  selectedNodeIds: [],
  clipboard: null,
  helpOpen: false,
  bottomTab: 'run',
  previewSide: 'out',
  previewMode: 'table',
  toasts: [],
  settingsFocus: null,
  setTheme: (theme) => {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  select: (ids) => {
    const current = get().selectedNodeIds;
    if (current.length === ids.length && current.every((id, i) => id === ids[i])) return;
    set({ selectedNodeIds: ids });
  },
  setClipboard: (clipboard) => set({ clipboard }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setBottomTab: (bottomTab) => set({ bottomTab }),
  setPreview: (previewSide, previewMode) => set({ previewSide, previewMode }),
  toast: (kind, text) => {
    const id = ++toastSeq;
    set({ toasts: [...get().toasts.slice(-3), { id, kind, text }] });
    setTimeout(() => get().dismiss(id), kind === 'error' ? 8000 : 3000);
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
  focusSettings: (nodeId) =>
    set({ settingsFocus: nodeId === null ? null : { nodeId, seq: (get().settingsFocus?.seq ?? 0) + 1 } }),
}));
