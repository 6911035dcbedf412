import { type FormEvent, useState } from 'react';
import { createFlow, openFlow, openWorkspace } from '../state/actions.js';
import { useFlowStore } from '../state/flow-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { Icon } from '../canvas/icons.js';
import { ConnectionList } from './ConnectionList.js';
import { DemoSystemsSection } from './DemoSystemsSection.js';
import { openTemplateDialog } from '../state/template-actions.js';

function NewFlowForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    void createFlow(name.trim()).then(onDone);
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <input
        autoFocus
        aria-label="New flow name"
        placeholder="Flow name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onDone()}
      />
      <button type="submit" className="primary" disabled={!name.trim()}>
        Create
      </button>
    </form>
  );
}

/** Opening a workspace by path: the browser host has no native folder dialog (the desktop menu has one). */
export function OpenWorkspaceForm() {
  const recent = useWorkspaceStore((s) => s.recent);
  const [dir, setDir] = useState('');
  return (
    <div className="open-workspace">
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (dir.trim()) void openWorkspace(dir.trim());
        }}
      >
        <input
          aria-label="Workspace folder"
          placeholder="/path/to/workspace"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
        />
        <button type="submit" disabled={!dir.trim()}>
          Open
        </button>
      </form>
      {recent.length > 0 && (
        <ul className="recent">
          {recent.map((r) => (
            <li key={r.dir}>
              <button type="button" className="link" onClick={() => void openWorkspace(r.dir)} title={r.dir}>
                {r.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The workspace as files: flows and connections, the open flow marked, unsaved changes flagged. */
export function Sidebar() {
  const workspace = useWorkspaceStore((s) => s.workspace);
  const openFlowId = useWorkspaceStore((s) => s.openFlowId);
  const dirty = useFlowStore((s) => s.dirty);
  const [creating, setCreating] = useState(false);
  const [switching, setSwitching] = useState(false);

  if (!workspace) {
    return (
      <aside className="sidebar">
        <h2>Open a workspace</h2>
        <OpenWorkspaceForm />
      </aside>
    );
  }
  const confirmLeave = () => !dirty || window.confirm('The open flow has unsaved changes. Discard them?');
  return (
    <aside className="sidebar" aria-label="Workspace">
      <div className="sidebar-head">
        <h2 title={workspace.dir}>{workspace.name}</h2>
        <button type="button" className="icon" onClick={() => setSwitching((v) => !v)} title="Open another workspace">
          ⇄
        </button>
      </div>
      {switching && <OpenWorkspaceForm />}
      <section>
        <div className="section-head">
          <h3>Flows</h3>
          <span className="spacer" />
          <button
            type="button"
            className="icon"
            onClick={() => void openTemplateDialog()}
            title="New flow from template"
            aria-label="New flow from template"
          >
            <Icon name="template" size={14} />
          </button>
          <button
            type="button"
            className="icon"
            onClick={() => setCreating(true)}
            title="New flow"
            aria-label="New flow"
          >
            +
          </button>
        </div>
        {creating && <NewFlowForm onDone={() => setCreating(false)} />}
        <ul className="file-list" data-testid="flow-list">
          {workspace.flows.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                className={`file-item${f.id === openFlowId ? ' active' : ''}`}
                onClick={() => f.id !== openFlowId && confirmLeave() && void openFlow(f.id)}
                title={f.description ?? f.id}
              >
                <Icon name="map" size={14} />
                <span className="file-name">{f.name}</span>
                {f.id === openFlowId && dirty && (
                  <span className="unsaved" title="Unsaved changes" aria-label="unsaved changes">
                    ●
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <ConnectionList connections={workspace.connections} />
      <DemoSystemsSection />
      {workspace.problems.length > 0 && (
        <section className="problems">
          <h3>Files with problems</h3>
          <ul>
            {workspace.problems.map((p, i) => (
              <li key={i} className="error-text">
                {p.file}: {p.path}: {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </aside>
  );
}
