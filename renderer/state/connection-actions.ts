import type { ConnectionDraft } from '../../core/model/contract.js';
import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import { api } from '../api/client.js';
import { layoutFields } from '../forms/form-layout.js';
import { type JsonSchema, propertiesOf, requiredOf, resolveSchema, showWhenHolds } from '../forms/json-schema.js';
import { errorText, problemsOf, refreshWorkspace, validateNow } from './actions.js';
import { type ConnectionEditorState, useConnectionEditor } from './connection-editor-store.js';
import { useUiStore } from './ui-store.js';
import { useWorkspaceStore } from './workspace-store.js';

/** The connection editor's use cases: the host tests, validates and stores; the editor only holds the draft. */

/** The workspace's connections changed: the list, and the open flow's problems (a node may name this connection). */
async function connectionsChanged(): Promise<void> {
  await refreshWorkspace();
  void validateNow();
}

export interface SecretFieldSpec {
  key: string;
  label: string;
  required: boolean;
  description?: string;
  /** The browser sign-in fills it (form hint `widget: 'oauth-sign-in'`, e.g. an OAuth refresh token). */
  signIn?: boolean;
}

/** Secret fields of a connection schema that show for these settings (`showWhen`, as the other fields). */
export function visibleSecretFields(schema: JsonSchema, settings: Record<string, unknown>): SecretFieldSpec[] {
  const properties = Object.fromEntries(
    Object.entries(propertiesOf(schema)).map(([k, s]) => [k, resolveSchema(s, schema)]),
  );
  const required = requiredOf(schema);
  return Object.entries(properties)
    .filter(([, s]) => s.secret === true && showWhenHolds(s, settings, properties))
    .map(([key, s]) => ({
      key,
      label: typeof s.title === 'string' ? s.title : key,
      required: required.has(key),
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
      ...(s.widget === 'oauth-sign-in' ? { signIn: true } : {}),
    }));
}

export type FormSection = { kind: 'fields'; schema: JsonSchema } | { kind: 'secret'; key: string };

/**
 * The connection form in schema order: runs of ordinary fields (one SchemaForm each) and the secret fields between
 * them, so a password sits under its username rather than after every other setting. Each run's schema keeps all
 * properties — the others marked `secret`, which SchemaForm skips — so `showWhen` still sees every sibling's default.
 */
export function formSections(schema: JsonSchema): FormSection[] {
  const properties = propertiesOf(schema);
  const sections: FormSection[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const inRun = new Set(run);
    const marked = Object.fromEntries(
      Object.entries(properties).map(([k, s]) => [k, inRun.has(k) ? s : { ...s, secret: true }]),
    );
    sections.push({ kind: 'fields', schema: { ...schema, properties: marked } });
    run = [];
  };
  for (const [key, s] of Object.entries(properties)) {
    if (resolveSchema(s, schema).secret === true) {
      flush();
      sections.push({ kind: 'secret', key });
    } else run.push(key);
  }
  flush();
  return sections;
}

export function allSecretFields(schema: JsonSchema): string[] {
  return Object.entries(propertiesOf(schema))
    .filter(([, s]) => resolveSchema(s, schema).secret === true)
    .map(([key]) => key);
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/** Labels of required fields without a value: Save (and Test) wait for them. */
export function missingFields(
  schema: JsonSchema | undefined,
  state: Pick<ConnectionEditorState, 'name' | 'settings' | 'secrets' | 'stored'>,
): string[] {
  const missing = state.name.trim() ? [] : ['Name'];
  if (!schema) return missing;
  for (const spec of layoutFields(schema, state.settings)) {
    if (spec.required && isEmpty(state.settings[spec.key]) && spec.defaultValue === undefined) missing.push(spec.label);
  }
  for (const field of visibleSecretFields(schema, state.settings)) {
    if (field.required && !state.secrets[field.key] && !state.stored.includes(field.key)) missing.push(field.label);
  }
  return missing;
}

/** Names are unique in a workspace (case-insensitively): said while typing; the host checks again on test and save. */
export function nameTaken(
  name: string,
  connections: readonly { id: string; name: string }[],
  ownId: string | null,
): string | undefined {
  const wanted = name.trim().toLowerCase();
  const other = connections.find((c) => c.id !== ownId && c.name.trim().toLowerCase() === wanted);
  return other && wanted ? `"${other.name}" is taken by another connection (${other.id})` : undefined;
}

export function connectionSchemaOf(connectors: ConnectorDescriptor[], id: string): JsonSchema | undefined {
  return connectors.find((c) => c.id === id)?.connectionSchema;
}

/**
 * What the host gets for secrets: typed values of visible fields; a stored value of a field the settings no longer
 * show is removed (null), so switching basic → bearer does not leave a password behind. Test and save send the same.
 */
export function secretsToSend(
  state: ConnectionEditorState,
  schema: JsonSchema | undefined,
): Record<string, string | null> {
  if (!schema) return {};
  const visible = new Set(visibleSecretFields(schema, state.settings).map((f) => f.key));
  const out: Record<string, string | null> = {};
  for (const field of allSecretFields(schema)) {
    if (visible.has(field)) {
      if (state.secrets[field]) out[field] = state.secrets[field];
    } else if (state.stored.includes(field)) out[field] = null;
  }
  return out;
}

function draftOf(state: ConnectionEditorState): ConnectionDraft {
  return {
    ...(state.originalId ? { id: state.originalId } : {}),
    name: state.name.trim(),
    connector: state.connector,
    settings: state.settings,
    // Always sent, so clearing the pool settings clears them (the host drops an empty one).
    concurrency: Object.fromEntries(Object.entries(state.concurrency).filter(([, v]) => v !== undefined)),
  };
}

const currentSchema = (state: ConnectionEditorState) =>
  connectionSchemaOf(useWorkspaceStore.getState().connectors, state.connector);

export async function testConnection(): Promise<void> {
  const editor = useConnectionEditor.getState();
  const { version } = editor;
  editor.setTest({ status: 'running' });
  const stillCurrent = () => useConnectionEditor.getState().version === version;
  try {
    const result = await api().testConnection({
      draft: draftOf(editor),
      secrets: secretsToSend(editor, currentSchema(editor)),
      useStored: editor.originalId !== null,
    });
    if (!stillCurrent()) return;
    const details = result.details ?? [];
    useConnectionEditor.getState().setTest(
      result.ok && result.testToken
        ? {
            status: 'passed',
            message: result.message,
            details,
            warnings: result.warnings ?? [],
            token: result.testToken,
          }
        : { status: 'failed', message: result.message, details },
    );
  } catch (error) {
    if (!stillCurrent()) return;
    const problems = problemsOf(error);
    const message = problems.length ? 'Some settings are not valid: see the marked fields.' : errorText(error);
    useConnectionEditor.getState().setTest({ status: 'failed', message, details: [] }, problems);
  }
}

/** Saves the tested values; `close` for "Save & close", else the editor stays open on the saved connection. */
export async function saveConnection(close: boolean): Promise<boolean> {
  const editor = useConnectionEditor.getState();
  if (editor.test.status !== 'passed' || editor.saving) return false;
  editor.setSaving(true);
  try {
    const saved = await api().saveConnection({
      draft: draftOf(editor),
      secrets: secretsToSend(editor, currentSchema(editor)),
      testToken: editor.test.token,
    });
    await connectionsChanged();
    useUiStore.getState().toast('info', `Saved connection ${saved.name}`);
    if (close) useConnectionEditor.getState().close();
    else {
      useConnectionEditor.getState().openEdit(saved);
      useConnectionEditor.setState({ notice: 'Saved' });
    }
    return true;
  } catch (error) {
    useConnectionEditor.getState().setSaving(false);
    const problems = problemsOf(error);
    useConnectionEditor
      .getState()
      .setTest({ status: 'failed', message: errorText(error), details: [] }, problems.length ? problems : undefined);
    return false;
  }
}

export async function duplicateConnection(): Promise<void> {
  const { originalId, name } = useConnectionEditor.getState();
  if (!originalId) return;
  const taken = new Set(useWorkspaceStore.getState().workspace?.connections.map((c) => c.name.toLowerCase()));
  let copyName = `${name} copy`;
  for (let n = 2; taken.has(copyName.toLowerCase()); n++) copyName = `${name} copy ${n}`;
  try {
    const copy = await api().duplicateConnection({ connectionId: originalId, name: copyName });
    await connectionsChanged();
    useConnectionEditor.getState().openEdit(copy);
    useUiStore.getState().toast('info', `Duplicated as ${copy.name}`);
  } catch (error) {
    useUiStore.getState().toast('error', errorText(error));
  }
}

/** Asks first, naming the flows (and borrowing connections) that would lose their connection. */
export async function deleteConnection(confirm: (text: string) => boolean = (t) => window.confirm(t)): Promise<void> {
  const { originalId, name } = useConnectionEditor.getState();
  if (!originalId) return;
  try {
    const usage = await api().connectionUsage({ connectionId: originalId });
    const users = [
      ...usage.flows.map((f) => `flow "${f.name}"`),
      ...usage.borrowers.map((c) => `connection "${c.name}" (borrows its concurrency)`),
    ];
    const text = users.length
      ? `Delete connection "${name}"? It is used by:\n${users.map((u) => `• ${u}`).join('\n')}\n\nThey will not run until they use another connection. Its secrets are removed from the keychain.`
      : `Delete connection "${name}"? Its secrets are removed from the keychain.`;
    if (!confirm(text)) return;
    await api().deleteConnection({ connectionId: originalId });
    await connectionsChanged();
    useConnectionEditor.getState().close();
    useUiStore.getState().toast('info', `Deleted connection ${name}`);
  } catch (error) {
    useUiStore.getState().toast('error', errorText(error));
  }
}
