import { cancelRun, chooseTheme, reloadFromDisk, saveFlow, startRun } from '../state/actions.js';
import { useFlowStore } from '../state/flow-store.js';
import { useRunStore } from '../state/run-store.js';
import { layoutFlow } from '../state/shortcuts.js';
import { useUiStore } from '../state/ui-store.js';

export function Toolbar() {
  const name = useFlowStore((s) => s.flow?.name);
  const dirty = useFlowStore((s) => s.dirty);
  const canUndo = useFlowStore((s) => s.past.length > 0);
  const canRedo = useFlowStore((s) => s.future.length > 0);
  const problemCount = useFlowStore((s) => s.problems.length);
  const phase = useRunStore((s) => s.phase);
  const theme = useUiStore((s) => s.theme);
  const running = phase === 'running' || phase === 'starting';
  const hasFlow = name !== undefined;
  return (
    <header className="toolbar">
      <span className="brand">Ferry</span>
      <span className="flow-title" data-testid="flow-title">
        {name ?? ''}
        {dirty && (
          <span className="unsaved" title="Unsaved changes">
            {' '}
            ●
          </span>
        )}
      </span>
      {problemCount > 0 && (
        <span className="problem-count" title="Problems that would stop a run">
          {problemCount} problem{problemCount === 1 ? '' : 's'}
        </span>
      )}
      <span className="spacer" />
      <button type="button" onClick={() => void saveFlow()} disabled={!hasFlow || !dirty} title="Save (Ctrl+S)">
        Save
      </button>
      <button type="button" onClick={() => useFlowStore.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button
        type="button"
        onClick={() => useFlowStore.getState().redo()}
        disabled={!canRedo}
        title="Redo (Ctrl+Shift+Z)"
      >
        Redo
      </button>
      <button type="button" onClick={layoutFlow} disabled={!hasFlow} title="Auto-layout (Ctrl+Shift+L)">
        Layout
      </button>
      <span className="divider" />
      <button
        type="button"
        className="primary"
        onClick={() => void startRun(false)}
        disabled={!hasFlow || running}
        title="Run (Ctrl+Enter)"
      >
        Run
      </button>
      <button
        type="button"
        onClick={() => void startRun(true)}
        disabled={!hasFlow || running}
        title="Dry run: nothing is written (Ctrl+Shift+Enter)"
      >
        Dry run
      </button>
      <button type="button" onClick={() => void cancelRun()} disabled={!running} title="Cancel the run">
        Cancel
      </button>
      <span className="divider" />
      <button
        type="button"
        className="icon"
        onClick={() => chooseTheme(theme === 'dark' ? 'light' : 'dark')}
        title="Light / dark theme"
        aria-label="Toggle theme"
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      <button
        type="button"
        className="icon"
        onClick={() => useUiStore.getState().setHelpOpen(true)}
        title="Keyboard shortcuts (F1)"
        aria-label="Help"
      >
        ?
      </button>
    </header>
  );
}

export function ChangedOnDiskBanner() {
  const changed = useFlowStore((s) => s.changedOnDisk);
  if (!changed) return null;
  return (
    <div className="banner" role="alert">
      This flow changed on disk while you were editing it.
      <button type="button" onClick={() => void reloadFromDisk()}>
        Reload from disk
      </button>
      <button type="button" onClick={() => useFlowStore.getState().setChangedOnDisk(false)}>
        Keep my version
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useUiStore((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} onClick={() => useUiStore.getState().dismiss(t.id)}>
          {t.text}
        </div>
      ))}
    </div>
  );
}
