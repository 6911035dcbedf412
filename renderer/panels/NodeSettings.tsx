import { type RefObject, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ConnectorDescriptor, EntityDescriptor } from '../../core/model/descriptor.js';
import type { FlowNode } from '../../core/model/flow.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';
import { api } from '../api/client.js';
import { Icon, KIND_LABEL } from '../canvas/icons.js';
import { FilterPanel } from '../filter/FilterPanel.js';
import { type FormProblem, SchemaForm } from '../forms/SchemaForm.js';
import { isWithin, withValue } from '../forms/json-schema.js';
import { type FieldWidgets, FormNodeContext } from '../forms/widgets.js';
import { LookupMatchField } from '../lookup/LookupMatchField.js';
import {
  type ConnectorForm,
  connectorFormOf,
  isConnectorKind,
  panelLevelProblems,
  splitNodeProblems,
} from '../forms/node-form.js';
import { editNodeConfig as editConfig, errorText, scheduleValidation } from '../state/actions.js';
import { nodeIdOfPath, updateNode } from '../state/flow-edits.js';
import { useFlowStore } from '../state/flow-store.js';
import { useUiStore } from '../state/ui-store.js';
import { connectionsFor, useWorkspaceStore } from '../state/workspace-store.js';
import { MapSummary } from '../mapper/MapSummary.js';

const NO_PROBLEMS: ValidationProblem[] = [];
/** Fields of connector configs that have an editor of their own (`widget` form hints). */
const NODE_WIDGETS: FieldWidgets = { 'lookup-match': LookupMatchField };

function editName(nodeId: string, name: string): void {
  useFlowStore.getState().edit((flow) => updateNode(flow, nodeId, { name }), `name:${nodeId}`);
  scheduleValidation();
}

/** The settings of the selected node, generated from its connector's descriptor (or the built-in map/filter editors). */
export function NodeSettings() {
  const selected = useUiStore((s) => s.selectedNodeIds);
  if (selected.length === 0) {
    return (
      <div className="node-settings">
        <p className="settings-hint">Select a node on the canvas to edit its settings.</p>
      </div>
    );
  }
  if (selected.length > 1) {
    return (
      <div className="node-settings">
        <p className="settings-hint">{selected.length} nodes selected. Select a single node to edit its settings.</p>
      </div>
    );
  }
  return <SelectedNodeSettings key={selected[0]} nodeId={selected[0]!} />;
}

/** Settings take the keyboard when asked to (double-click or Enter on the node): its first config control. */
function useSettingsFocus(nodeId: string, section: RefObject<HTMLElement | null>): void {
  const request = useUiStore((s) => (s.settingsFocus?.nodeId === nodeId ? s.settingsFocus.seq : undefined));
  useEffect(() => {
    const el = section.current;
    if (request === undefined || !el) return;
    const control = el.querySelector<HTMLElement>('input, select, textarea, button:not([disabled])') ?? el;
    control.focus();
    el.scrollIntoView?.({ block: 'nearest' });
    // Done: selecting the node again later by a click must not take the focus once more.
    useUiStore.getState().focusSettings(null);
  }, [request, section]);
}

function SelectedNodeSettings({ nodeId }: { nodeId: string }) {
  const id = useId();
  const configSection = useRef<HTMLElement>(null);
  useSettingsFocus(nodeId, configSection);
  // Narrow selectors: editing or dragging another node does not re-render this panel.
  const node = useFlowStore((s) => s.flow?.nodes.find((n) => n.id === nodeId));
  const ownProblems = useFlowStore(
    useShallow((s) => (s.flow ? s.problems.filter((p) => nodeIdOfPath(s.flow!, p.path) === nodeId) : NO_PROBLEMS)),
  );
  const descriptor = useWorkspaceStore((s) => s.connectors.find((c) => c.id === node?.type));
  const problems = useMemo(() => splitNodeProblems(ownProblems), [ownProblems]);
  const kind = node?.kind;
  const form = useMemo(
    () => (descriptor && kind && isConnectorKind(kind) ? connectorFormOf(descriptor, kind) : undefined),
    [descriptor, kind],
  );
  if (!node) {
    return (
      <div className="node-settings">
        <p className="settings-hint">The selected node is no longer in the flow.</p>
      </div>
    );
  }
  const topProblems = panelLevelProblems(node, problems, form);
  const nameProblems = problems.node.filter((p) => p.path === 'name');
  const typeLabel = isConnectorKind(node.kind) ? (descriptor?.name ?? node.type) : undefined;

  return (
    <div className="node-settings" data-testid="node-settings" data-node-id={node.id}>
      <header className={`settings-head kind-${node.kind}`}>
        <span className="settings-icon">
          <Icon name={descriptor?.icon ?? node.kind} size={18} />
        </span>
        <div className="settings-titles">
          <h2>{node.name ?? node.id}</h2>
          <div className="muted">
            {KIND_LABEL[node.kind]}
            {typeLabel ? ` · ${typeLabel}` : ''}
          </div>
        </div>
      </header>
      {topProblems.length > 0 && (
        <ul className="node-problems" aria-label="Problems of this node">
          {topProblems.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
      <section className="settings-section">
        <div className={`field${nameProblems.length ? ' has-error' : ''}`}>
          <div className="field-head">
            <label htmlFor={`${id}-name`}>Name</label>
          </div>
          <input
            id={`${id}-name`}
            type="text"
            value={node.name ?? ''}
            placeholder={node.id}
            aria-invalid={nameProblems.length > 0 || undefined}
            onChange={(e) => editName(node.id, e.target.value)}
          />
          {nameProblems.map((p, i) => (
            <div className="field-error" key={i}>
              {p.message}
            </div>
          ))}
        </div>
        <dl className="node-meta">
          <dt>Id</dt>
          <dd className="mono" data-testid="node-settings-id">
            {node.id}
          </dd>
          <dt>Kind</dt>
          <dd>{KIND_LABEL[node.kind]}</dd>
          {typeLabel && (
            <>
              <dt>Connector</dt>
              <dd>{typeLabel}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="settings-section" aria-label="Configuration" ref={configSection} tabIndex={-1}>
        <h3 className="section-title">Configuration</h3>
        <ConfigEditor node={node} descriptor={descriptor} form={form} problems={problems.config} />
      </section>
    </div>
  );
}

interface ConfigEditorProps {
  node: FlowNode;
  descriptor: ConnectorDescriptor | undefined;
  form: ConnectorForm | undefined;
  problems: FormProblem[];
}

function ConfigEditor({ node, descriptor, form, problems }: ConfigEditorProps) {
  const change = (config: Record<string, unknown>, fieldPath?: string) => editConfig(node.id, config, fieldPath);
  if (node.kind === 'map') return <MapSummary node={node} problems={problems} />;
  if (node.kind === 'filter') return <FilterPanel node={node} problems={problems} />;
  if (!descriptor || !form) return <ConnectorMissing type={node.type} />;
  return (
    <>
      {form.connectionPicker && <ConnectionPicker node={node} descriptor={descriptor} problems={problems} />}
      {form.entityPicker && <EntityPicker node={node} descriptor={descriptor} problems={problems} />}
      {form.schema ? (
        <FormNodeContext.Provider value={node.id}>
          <SchemaForm
            schema={form.schema}
            value={node.config}
            onChange={change}
            problems={problems}
            widgets={NODE_WIDGETS}
          />
        </FormNodeContext.Provider>
      ) : (
        <p className="muted">
          {descriptor.name} has no settings as a {KIND_LABEL[node.kind].toLowerCase()}.
        </p>
      )}
    </>
  );
}

function ConnectorMissing({ type }: { type: string }) {
  const loaded = useWorkspaceStore((s) => s.connectors.length > 0);
  return loaded ? (
    <p className="field-error">
      Unknown connector “{type}”: this Ferry does not have it, so its settings cannot be shown.
    </p>
  ) : (
    <p className="muted">Loading connectors…</p>
  );
}

interface PickerProps {
  node: FlowNode;
  descriptor: ConnectorDescriptor;
  problems: FormProblem[];
}

function PickerField(props: {
  field: 'connection' | 'entity';
  label: string;
  node: FlowNode;
  options: { value: string; label: string }[];
  problems: FormProblem[];
  help?: string;
}) {
  const id = useId();
  const { field, node } = props;
  const current = typeof node.config[field] === 'string' ? (node.config[field] as string) : '';
  const errors = props.problems.filter((p) => isWithin(p.path, field));
  return (
    <div className={`field${errors.length ? ' has-error' : ''}`} data-field={field}>
      <div className="field-head">
        <label htmlFor={id}>{props.label}</label>
      </div>
      <select
        id={id}
        value={current}
        aria-invalid={errors.length > 0 || undefined}
        onChange={(e) =>
          editConfig(node.id, withValue(node.config, field, e.target.value === '' ? undefined : e.target.value), field)
        }
      >
        <option value="">—</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {current !== '' && !props.options.some((o) => o.value === current) && (
          <option value={current}>{current} (not found)</option>
        )}
      </select>
      {props.help && <div className="field-help">{props.help}</div>}
      {errors.map((p, i) => (
        <div className="field-error" key={i}>
          {p.message}
        </div>
      ))}
    </div>
  );
}

function ConnectionPicker({ node, descriptor, problems }: PickerProps) {
  const all = useWorkspaceStore((s) => s.workspace?.connections);
  const connections = useMemo(() => connectionsFor(all ?? [], descriptor.id), [all, descriptor.id]);
  return (
    <PickerField
      field="connection"
      label="Connection"
      node={node}
      options={connections.map((c) => ({ value: c.id, label: c.name }))}
      problems={problems}
      {...(connections.length === 0 ? { help: `No ${descriptor.name} connection in this workspace yet.` } : {})}
    />
  );
}

/** The connector's entity catalog; it may depend on the connection (a tenant's own tables), so it is asked for. */
function useEntities(descriptor: ConnectorDescriptor, connectionId: string | undefined) {
  const known = useWorkspaceStore((s) => s.workspace?.connections);
  // Only an existing connection is sent: a stale id in the config would make the whole call fail.
  const connection = known?.some((c) => c.id === connectionId) ? connectionId : undefined;
  const key = `${descriptor.id}\u0000${connection ?? ''}`;
  const [loaded, setLoaded] = useState<{ key: string; entities?: EntityDescriptor[]; error?: string }>();
  useEffect(() => {
    let current = true;
    api()
      .listEntities({ connectorId: descriptor.id, ...(connection ? { connectionId: connection } : {}) })
      .then(
        (entities) => current && setLoaded({ key, entities }),
        (error: unknown) => current && setLoaded({ key, error: errorText(error) }),
      );
    return () => {
      current = false;
    };
  }, [descriptor.id, connection, key]);
  const fresh = loaded?.key === key ? loaded : undefined;
  return { entities: fresh?.entities ?? descriptor.entities ?? [], error: fresh?.error };
}

function EntityPicker({ node, descriptor, problems }: PickerProps) {
  const connectionId = typeof node.config.connection === 'string' ? node.config.connection : undefined;
  const { entities, error } = useEntities(descriptor, connectionId);
  return (
    <PickerField
      field="entity"
      label="Entity"
      node={node}
      options={entities.map((e) => ({ value: e.name, label: e.label ?? e.name }))}
      problems={problems}
      {...(error ? { help: `Could not load the entities: ${error}` } : {})}
    />
  );
}
