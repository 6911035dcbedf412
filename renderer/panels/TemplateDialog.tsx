import { useId, useMemo } from 'react';
import type { TemplateSummary } from '../../core/model/demo-contract.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';
import { SchemaForm } from '../forms/SchemaForm.js';
import type { JsonSchema } from '../forms/json-schema.js';
import { chooseTemplate, createFromTemplate } from '../state/template-actions.js';
import { useTemplateDialog } from '../state/template-store.js';
import { connectionsFor, useWorkspaceStore } from '../state/workspace-store.js';
import { useEscapeKey } from './use-escape-key.js';

/** Problems under `prefix.` (settings, connections), relative to it. */
function under(problems: ValidationProblem[], prefix: string) {
  return problems
    .filter((p) => p.path.startsWith(`${prefix}.`))
    .map((p) => ({ path: p.path.slice(prefix.length + 1), message: p.message }));
}

function TemplateList({ templates, chosen }: { templates: TemplateSummary[]; chosen: string | null }) {
  return (
    <ul className="template-list" aria-label="Templates">
      {templates.map((t) => (
        <li key={t.id}>
          <button
            type="button"
            className={`template-item${t.id === chosen ? ' active' : ''}`}
            aria-pressed={t.id === chosen}
            onClick={() => chooseTemplate(t)}
          >
            <strong>{t.name}</strong>
            <span className="muted">{Object.values(t.connectors).join(' → ')}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function ConnectionPicker({ role, connector, problems }: { role: string; connector: string; problems: string[] }) {
  const id = useId();
  const value = useTemplateDialog((s) => s.connections[role] ?? '');
  const setConnection = useTemplateDialog((s) => s.setConnection);
  const all = useWorkspaceStore((s) => s.workspace?.connections);
  const connectorName = useWorkspaceStore((s) => s.connectors.find((c) => c.id === connector)?.name ?? connector);
  const matching = useMemo(() => connectionsFor(all ?? [], connector), [all, connector]);
  return (
    <div className={`field field-enum${problems.length ? ' has-error' : ''}`} data-field={`connections.${role}`}>
      <div className="field-head">
        <label htmlFor={id}>
          {role} · {connectorName} connection
        </label>
      </div>
      <select id={id} value={value} onChange={(e) => setConnection(role, e.target.value)}>
        <option value="">
          {matching.length ? '— choose —' : `none yet (a running demo system's, else create one)`}
        </option>
        {matching.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {problems.map((p, i) => (
        <div className="field-error" key={i}>
          {p}
        </div>
      ))}
    </div>
  );
}

function TemplateForm({ template }: { template: TemplateSummary }) {
  const nameId = useId();
  const name = useTemplateDialog((s) => s.name);
  const settings = useTemplateDialog((s) => s.settings);
  const problems = useTemplateDialog((s) => s.problems);
  const setName = useTemplateDialog((s) => s.setName);
  const setSettings = useTemplateDialog((s) => s.setSettings);
  const settingProblems = useMemo(() => under(problems, 'settings'), [problems]);
  const connectionProblems = useMemo(() => under(problems, 'connections'), [problems]);
  const other = problems.filter((p) => !p.path.startsWith('settings.') && !p.path.startsWith('connections.'));
  return (
    <div className="template-form">
      <p className="template-description">{template.description}</p>
      <div className="field field-text">
        <div className="field-head">
          <label htmlFor={nameId}>Flow name</label>
        </div>
        <input id={nameId} type="text" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <h3>Connections</h3>
      {Object.entries(template.connectors).map(([role, connector]) => (
        <ConnectionPicker
          key={role}
          role={role}
          connector={connector}
          problems={connectionProblems.filter((p) => p.path === role).map((p) => p.message)}
        />
      ))}
      <h3>Settings</h3>
      <SchemaForm
        schema={template.settingsSchema as JsonSchema}
        value={settings}
        onChange={(next) => setSettings(next)}
        problems={settingProblems}
      />
      {other.length > 0 && (
        <ul className="error-text connection-problems">
          {other.map((p, i) => (
            <li key={i}>{p.path ? `${p.path}: ${p.message}` : p.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "New flow from template": pick a template, its connections (filtered by connector) and settings. */
export function TemplateDialog() {
  const open = useTemplateDialog((s) => s.open);
  const templates = useTemplateDialog((s) => s.templates);
  const notes = useTemplateDialog((s) => s.notes);
  const templateId = useTemplateDialog((s) => s.templateId);
  const busy = useTemplateDialog((s) => s.busy);
  const close = useTemplateDialog((s) => s.close);
  useEscapeKey(open, close);
  if (!open) return null;
  const template = templates.find((t) => t.id === templateId);
  return (
    <div className="modal-backdrop">
      <div className="template-dialog" role="dialog" aria-modal="true" aria-label="New flow from template">
        <h2>New flow from template</h2>
        {notes.map((n, i) => (
          <p key={i} className="error-text">
            {n}
          </p>
        ))}
        <div className="template-body">
          <TemplateList templates={templates} chosen={templateId} />
          {template ? <TemplateForm template={template} /> : <p className="muted">Choose a template.</p>}
        </div>
        <div className="connection-buttons">
          <span className="spacer" />
          <button
            type="button"
            className="primary"
            disabled={!template || busy}
            onClick={() => void createFromTemplate()}
          >
            Create flow
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
