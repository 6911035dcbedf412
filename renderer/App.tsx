import { useEffect } from 'react';
import { api } from './api/client.js';
import { FlowCanvas } from './canvas/FlowCanvas.js';
import { Palette } from './canvas/Palette.js';
import { ConnectionEditor } from './panels/ConnectionEditor.js';
import { DataBrowser } from './panels/DataBrowser.js';
import { HelpDialog } from './panels/HelpDialog.js';
import { MapperDialog } from './mapper/MapperDialog.js';
import { ValueMapEditor } from './mapper/ValueMapEditor.js';
import { NodeSettings } from './panels/NodeSettings.js';
import { RunPanel } from './panels/RunPanel.js';
import { Sidebar } from './panels/Sidebar.js';
import { TemplateDialog } from './panels/TemplateDialog.js';
import { ChangedOnDiskBanner, Toasts, Toolbar } from './panels/Toolbar.js';
import { boot, errorText, handleEvent, scheduleValidation } from './state/actions.js';
import { useDemoStore } from './state/demo-store.js';
import { useFlowStore } from './state/flow-store.js';
import { onKeyDown } from './state/shortcuts.js';
import { useUiStore } from './state/ui-store.js';

export function App() {
  const theme = useUiStore((s) => s.theme);
  const hasFlow = useFlowStore((s) => s.flow !== null);
  const dataBrowserOpen = useDemoStore((s) => s.browserOpen);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const unsubscribe = api().subscribe(handleEvent);
    void boot().catch((error: unknown) => useUiStore.getState().toast('error', errorText(error)));
    const desktop = window.ferry !== undefined;
    const keys = (e: KeyboardEvent) => onKeyDown(e, desktop);
    window.addEventListener('keydown', keys);
    // Every model change is re-validated by the engine; the canvas marks the nodes it would refuse.
    const unwatch = useFlowStore.subscribe((s, prev) => {
      if (s.flow !== prev.flow && s.flow && prev.flow && s.flow.id === prev.flow.id) scheduleValidation();
    });
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (useFlowStore.getState().dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      unsubscribe();
      unwatch();
      window.removeEventListener('keydown', keys);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, []);

  return (
    <div className="app">
      <Toolbar />
      <ChangedOnDiskBanner />
      <div className="main">
        <Sidebar />
        {hasFlow && <Palette />}
        <div className="center">
          <FlowCanvas />
          {hasFlow && <RunPanel />}
        </div>
        {/* The data browser takes the inspector's place: the canvas keeps its room while an audience watches. */}
        {hasFlow && !dataBrowserOpen && (
          <aside className="inspector" aria-label="Node settings">
            <NodeSettings />
          </aside>
        )}
        <DataBrowser />
      </div>
      <HelpDialog />
      <ConnectionEditor />
      <TemplateDialog />
      <MapperDialog />
      <ValueMapEditor />
      <Toasts />
    </div>
  );
}
