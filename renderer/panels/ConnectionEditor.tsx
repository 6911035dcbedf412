import { useId, useMemo } from 'react';
import type { ValidationProblem } from '../../core/model/validation-error.js';
import { type FormProblem, SchemaForm, unplacedProblems } from '../forms/SchemaForm.js';
import type { JsonSchema } from '../forms/json-schema.js';
import {
  connectionSchemaOf,
  deleteConnection,
  duplicateConnection,
  formSections,
  missingFields,
  nameTaken,
  saveConnection,
  testConnection,
  visibleSecretFields,
} from '../state/connection-actions.js';
import { useConnectionEditor } from '../state/connection-editor-store.js';
import { storeLabel, useSecretStatus } from '../state/secret-status-store.js';
import { ConcurrencyFields } from './ConcurrencyFields.js';
import { SecretStoreBanner } from './SecretStoreBanner.js';
import { SignInControl } from './SignInControl.js';
import { useEscapeKey } from './use-escape-key.js';
import { useWorkspaceStore } from '../state/workspace-store.js';

/** Problems under `settings.` are the form's, relative to its root; the rest the editor shows itself. */
function splitProblems(problems: ValidationProblem[]) {
  const settings = problems
    .filter((p) => p.path.startsWith('settings.') || p.path.startsWith('settings['))
    .map((p) => ({ path: p.path.slice('settings'.length).replace(/^\./, ''), message: p.message }));
  const name = problems.filter((p) => p.path === 'name');
  const other = problems.filter((p) => !p.path.startsWith('settings') && p.path !== 'name');
  return { settings, name, other };
}

function NameField({ problems }: { problems: ValidationProblem[] }) {
  const id = useId();
  const name = useConnectionEditor((s) => s.name);
  const setName = useConnectionEditor((s) => s.setName);
  return (
    <div className={`field field-text${problems.length ? ' has-error' : ''}`} data-field="name">
      <div className="field-head">
        <label htmlFor={id}>Name</label>
        <span className="required-mark" aria-hidden="true" title="required">
          *
        </span>
      </div>
      <input
        id={id}
        type="text"
        autoFocus
        value={name}
        aria-required
        aria-invalid={problems.length > 0 || undefined}
        onChange={(e) => setName(e.target.value)}
      />
      {problems.map((p, i) => (
        <div className="field-error" key={i}>
          {p.message}
        </div>
      ))}
    </div>
  );
}

function ConnectorPicker() {
  const id = useId();
  const connectors = useWorkspaceStore((s) => s.connectors);
  const connector = useConnectionEditor((s) => s.connector);
  const setConnector = useConnectionEditor((s) => s.setConnector);
  const choices = useMemo(() => connectors.filter((c) => c.connectionSchema), [connectors]);
  return (
    <div className="field field-enum" data-field="connector">
      <div className="field-head">
        <label htmlFor={id}>Connector</label>
      </div>
      <select id={id} value={connector} onChange={(e) => setConnector(e.target.value)}>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A password input: a stored secret shows as a placeholder, never its value; typing replaces it on save. */
function SecretField({ fieldKey, schema }: { fieldKey: string; schema: JsonSchema }) {
  const id = useId();
  const settings = useConnectionEditor((s) => s.settings);
  const typed = useConnectionEditor((s) => s.secrets[fieldKey]);
  const isStored = useConnectionEditor((s) => s.stored.includes(fieldKey));
  const setSecret = useConnectionEditor((s) => s.setSecret);
  const where = useSecretStatus((s) => storeLabel(s.status));
  const field = useMemo(
    () => visibleSecretFields(schema, settings).find((f) => f.key === fieldKey),
    [schema, settings, fieldKey],
  );
  if (!field) return null;
  return (
    <div className="field field-secret" data-field={field.key}>
      <div className="field-head">
        <label htmlFor={id}>{field.label}</label>
        {field.required && (
          <span className="required-mark" aria-hidden="true" title="required">
            *
          </span>
        )}
      </div>
      <input
        id={id}
        type="password"
        autoComplete="new-password"
        value={typed ?? ''}
        placeholder={isStored ? `stored in ${where}` : ''}
        aria-required={field.required || undefined}
        onChange={(e) => setSecret(field.key, e.target.value)}
      />
      <div className="field-help">
        {isStored
          ? `Stored in the ${where}. ${field.signIn ? 'Sign in again or type' : 'Type'} a new value to replace it.`
          : `Kept in the ${where}, never in the connection file.`}
      </div>
      {field.signIn && <SignInControl fieldKey={field.key} />}
    </div>
  );
}

/** The connector's connection schema, in order: generated fields and the secret fields between them. */
function SettingsForm({ schema, problems }: { schema: JsonSchema; problems: FormProblem[] }) {
  const settings = useConnectionEditor((s) => s.settings);
  const setSettings = useConnectionEditor((s) => s.setSettings);
  const sections = useMemo(() => formSections(schema), [schema]);
  return sections.map((section, i) =>
    section.kind === 'secret' ? (
      <SecretField key={section.key} fieldKey={section.key} schema={schema} />
    ) : (
      <SchemaForm
        key={i}
        schema={section.schema}
        value={settings}
        onChange={(next) => setSettings(next)}
        problems={problems}
      />
    ),
  );
}

function TestResult() {
  const test = useConnectionEditor((s) => s.test);
  const notice = useConnectionEditor((s) => s.notice);
  if (test.status === 'idle') {
    return notice ? (
      <p className="connection-test muted" data-testid="connection-test-result">
        {notice}
      </p>
    ) : null;
  }
  if (test.status === 'running') {
    return (
      <p className="connection-test muted" data-testid="connection-test-result" role="status">
        Testing…
      </p>
    );
  }
  const passed = test.status === 'passed';
  return (
    <div
      className={`connection-test ${passed ? 'passed' : 'failed'}`}
      data-testid="connection-test-result"
      role={passed ? 'status' : 'alert'}
    >
      <strong>{passed ? 'Connection works: ' : 'Test failed: '}</strong>
      <span>{test.message}</span>
      {test.details.length > 0 && (
        <ul>
          {test.details.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      )}
      {passed && test.warnings.length > 0 && (
        <ul className="connection-warnings">
          {test.warnings.map((w, i) => (
            <li key={i}>⚠ {w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Buttons({ missing }: { missing: string[] }) {
  const originalId = useConnectionEditor((s) => s.originalId);
  const status = useConnectionEditor((s) => s.test.status);
  const saving = useConnectionEditor((s) => s.saving);
  const close = useConnectionEditor((s) => s.close);
  const canTest = missing.length === 0 && status !== 'running' && !saving;
  const canSave = missing.length === 0 && status === 'passed' && !saving;
  const why =
    missing.length > 0
      ? `Fill in ${missing.join(', ')}`
      : status !== 'passed'
        ? 'Test the connection first: saving needs a passing test of these values'
        : undefined;
  return (
    <div className="connection-buttons">
      {originalId && (
        <>
          <button type="button" onClick={() => void duplicateConnection()}>
            Duplicate
          </button>
          <button type="button" className="danger" onClick={() => void deleteConnection()}>
            Delete
          </button>
        </>
      )}
      <span className="spacer" />
      <button
        type="button"
        onClick={() => void testConnection()}
        disabled={!canTest}
        title={missing.length ? why : undefined}
      >
        Test connection
      </button>
      <button type="button" onClick={() => void saveConnection(false)} disabled={!canSave} title={why}>
        Save
      </button>
      <button
        type="button"
        className="primary"
        onClick={() => void saveConnection(true)}
        disabled={!canSave}
        title={why}
      >
        Save &amp; close
      </button>
      <button type="button" onClick={close}>
        Cancel
      </button>
    </div>
  );
}

/** Create or edit a connection: a form generated from the connector's connection schema, tested before saving. */
export function ConnectionEditor() {
  const open = useConnectionEditor((s) => s.open);
  const originalId = useConnectionEditor((s) => s.originalId);
  const name = useConnectionEditor((s) => s.name);
  const connector = useConnectionEditor((s) => s.connector);
  const settings = useConnectionEditor((s) => s.settings);
  const secrets = useConnectionEditor((s) => s.secrets);
  const stored = useConnectionEditor((s) => s.stored);
  const problems = useConnectionEditor((s) => s.problems);
  const close = useConnectionEditor((s) => s.close);
  const connectors = useWorkspaceStore((s) => s.connectors);
  const schema = connectionSchemaOf(connectors, connector);
  const descriptor = connectors.find((c) => c.id === connector);

  useEscapeKey(open, close);

  const split = useMemo(() => splitProblems(problems), [problems]);
  const others = useWorkspaceStore((s) => s.workspace?.connections);
  const taken = useMemo(() => nameTaken(name, others ?? [], originalId), [name, others, originalId]);
  const missing = useMemo(
    () => missingFields(schema, { name, settings, secrets, stored }),
    [schema, name, settings, secrets, stored],
  );
  if (!open) return null;
  const leftover = [
    ...split.other,
    ...(schema
      ? unplacedProblems(schema, settings, split.settings).map((p) => ({ ...p, path: `settings.${p.path}` }))
      : []),
  ];
  return (
    <div className="modal-backdrop">
      <div className="connection-editor" role="dialog" aria-modal="true" aria-label="Connection">
        <h2>{originalId ? `Connection: ${name || originalId}` : 'New connection'}</h2>
        {originalId && <p className="muted connection-id">{`${descriptor?.name ?? connector} · ${originalId}`}</p>}
        <SecretStoreBanner />
        <form className="connection-form" onSubmit={(e) => e.preventDefault()} autoComplete="off">
          <NameField problems={taken ? [{ path: 'name', message: taken }, ...split.name] : split.name} />
          {!originalId && <ConnectorPicker />}
          {schema ? (
            <SettingsForm schema={schema} problems={split.settings} />
          ) : (
            <p className="muted">This connector needs no connection settings.</p>
          )}
          <ConcurrencyFields />
        </form>
        {leftover.length > 0 && (
          <ul className="error-text connection-problems">
            {leftover.map((p, i) => (
              <li key={i}>
                {p.path}: {p.message}
              </li>
            ))}
          </ul>
        )}
        <TestResult />
        <Buttons missing={taken ? [...missing, 'a name no other connection has'] : missing} />
      </div>
    </div>
  );
}
