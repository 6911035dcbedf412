import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../connectors/errors.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Connector, ConnectorContext, Logger } from '../connectors/types.js';
import { silentLogger } from '../engine/prepare-nodes.js';
import { toCanonicalJson } from '../model/canonical-json.js';
import {
  CONNECTION_SCHEMA_VERSION,
  type ConnectionFile,
  type SecretRef,
  borrowProblem,
  secretAccount,
} from '../model/connection.js';
import { ApiError, type ConnectionDraft, type ConnectionSummary } from '../model/contract.js';
import { ValidationError, parseOrThrow } from '../model/validation-error.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { type LoadedWorkspace, connectionFile, saveConnection } from '../store/workspace-store.js';
import type { ApiHandlers } from './dispatch.js';
import { slugify, uniqueId } from './ids.js';
import { TestTokens, redactor } from './test-tokens.js';

export type ConnectionHandlers = Pick<
  ApiHandlers,
  'testConnection' | 'saveConnection' | 'duplicateConnection' | 'connectionUsage' | 'deleteConnection'
>;

export interface ConnectionDeps {
  registry: ConnectorRegistry;
  secrets: SecretStore;
  workspace(): Promise<LoadedWorkspace>;
  /** Tells the watcher what Ferry itself writes (text) or removes (undefined), so it is not echoed as external. */
  recordWrite(file: string, text: string | undefined): void;
  log?: Logger;
}

/** The user is waiting on a button: a test that hangs past this is reported, not waited for. */
export const TEST_TIMEOUT_MS = 60_000;

/** Whether the secret store holds a value for each referenced field; a store that fails counts as "not stored". */
export async function summarizeConnection(c: ConnectionFile, secrets: SecretStore): Promise<ConnectionSummary> {
  const refs = Object.entries(c.secrets ?? {});
  const stored = await Promise.all(
    refs.map(async ([field, ref]) => ((await secrets.get(ref.secret).catch(() => undefined)) ? field : undefined)),
  );
  return {
    id: c.id,
    name: c.name,
    connector: c.connector,
    settings: c.settings,
    secretFields: refs.map(([field]) => field),
    storedSecrets: stored.filter((f): f is string => f !== undefined),
    ...(c.concurrency ? { concurrency: c.concurrency } : {}),
  };
}

/** The fields a connector's connection form marks `secret: true`: kept in the secret store, never in the file. */
export function secretFieldsOf(connector: Connector): string[] {
  const properties = connector.descriptor.connectionSchema?.properties;
  if (typeof properties !== 'object' || properties === null) return [];
  return Object.entries(properties as Record<string, { secret?: unknown }>)
    .filter(([, schema]) => schema?.secret === true)
    .map(([key]) => key);
}

function usersOf(ws: LoadedWorkspace, connectionId: string) {
  const flows = [...ws.flows.values()]
    .filter((f) => f.nodes.some((n) => (n.config as { connection?: unknown }).connection === connectionId))
    .map((f) => ({ id: f.id, name: f.name }));
  const borrowers = [...ws.connections.values()]
    .filter((c) => c.concurrency?.borrowFrom === connectionId)
    .map((c) => ({ id: c.id, name: c.name }));
  return { flows, borrowers };
}

function requireConnection(ws: LoadedWorkspace, id: string): ConnectionFile {
  const connection = ws.connections.get(id);
  if (!connection) throw new ApiError({ code: 'not-found', message: `no connection "${id}"` });
  return connection;
}

function checkNameFree(ws: LoadedWorkspace, name: string, ownId: string | undefined): void {
  const wanted = name.trim().toLowerCase();
  const other = [...ws.connections.values()].find((c) => c.id !== ownId && c.name.trim().toLowerCase() === wanted);
  if (other) {
    throw new ValidationError([
      { path: 'name', message: `"${other.name}" is taken by another connection (${other.id})` },
    ]);
  }
}

function newConnectionId(ws: LoadedWorkspace, name: string): string {
  return uniqueId(
    slugify(name, 'connection'),
    (id) => ws.connections.has(id) || ws.problems.some((p) => p.file === connectionFile(id)),
  );
}

interface ResolvedDraft {
  ws: LoadedWorkspace;
  connector: Connector;
  existing?: ConnectionFile;
  id: string;
  /** As the file keeps them: the form's values without secret fields (defaults stay implicit). */
  settings: Record<string, unknown>;
  /** Validated, defaults applied: what the connector sees. */
  parsedSettings: Record<string, unknown>;
  concurrency: ConnectionFile['concurrency'];
  secretFields: string[];
}

async function resolveDraft(deps: ConnectionDeps, draft: ConnectionDraft): Promise<ResolvedDraft> {
  const ws = await deps.workspace();
  const connector = deps.registry.get(draft.connector);
  if (!connector) throw new ApiError({ code: 'not-found', message: `no connector "${draft.connector}"` });
  const existing = draft.id === undefined ? undefined : requireConnection(ws, draft.id);
  if (existing && existing.connector !== draft.connector) {
    throw new ValidationError([
      { path: 'connector', message: `"${existing.id}" is a ${existing.connector} connection; duplicate it instead` },
    ]);
  }
  checkNameFree(ws, draft.name, existing?.id);
  const secretFields = secretFieldsOf(connector);
  // Secret values travel apart from settings; one that slipped into settings must not reach the file.
  const settings = Object.fromEntries(Object.entries(draft.settings).filter(([k]) => !secretFields.includes(k)));
  const parsedSettings = connector.connectionSettings
    ? (parseOrThrow(connector.connectionSettings, settings, undefined, ['settings']) as Record<string, unknown>)
    : settings;
  const id = existing?.id ?? newConnectionId(ws, draft.name);
  const concurrency = checkConcurrency(ws, id, draft.concurrency ?? existing?.concurrency);
  return { ws, connector, existing, id, settings, parsedSettings, concurrency, secretFields };
}

/** An empty pool setting is no setting; borrowing must name a lender that does not borrow (pools never chain). */
function checkConcurrency(
  ws: LoadedWorkspace,
  id: string,
  concurrency: ConnectionFile['concurrency'],
): ConnectionFile['concurrency'] {
  const set = concurrency && Object.values(concurrency).some((v) => v !== undefined) ? concurrency : undefined;
  const lender = set?.borrowFrom;
  if (lender === undefined) return set;
  const candidate = { id, concurrency: set } as ConnectionFile;
  const problem =
    borrowProblem(candidate, ws.connections) ??
    [...ws.connections.values()]
      .filter((c) => c.id !== id && c.concurrency?.borrowFrom === id)
      .map((c) => `"${c.name}" borrows concurrency from this connection, so it cannot borrow itself`)[0];
  if (problem) throw new ValidationError([{ path: 'concurrency.borrowFrom', message: problem }]);
  return set;
}

/**
 * The secret value each field will have: typed, else the stored one (when `keepStored`), else none. Only the
 * service sees these; the renderer learns which fields are stored, never a value.
 */
async function resolveSecrets(
  deps: ConnectionDeps,
  r: ResolvedDraft,
  typed: Record<string, string | null>,
  keepStored: (field: string) => boolean,
): Promise<Map<string, string | undefined>> {
  const values = new Map<string, string | undefined>();
  for (const field of r.secretFields) {
    const value = typed[field];
    if (typeof value === 'string' && value !== '') values.set(field, value);
    else if (value !== null && keepStored(field) && r.existing?.secrets?.[field]) {
      values.set(field, await deps.secrets.get(r.existing.secrets[field].secret));
    } else values.set(field, undefined);
  }
  return values;
}

function fingerprint(draft: ConnectionDraft, r: ResolvedDraft, values: Map<string, string | undefined>) {
  return {
    id: draft.id ?? null,
    name: draft.name.trim(),
    connector: draft.connector,
    settings: r.settings,
    concurrency: r.concurrency ?? null,
    secrets: Object.fromEntries([...values].map(([k, v]) => [k, v ?? null])),
  };
}

/**
 * Removes secrets a connection no longer references, except accounts another connection's file still names (a
 * hand-edited file may share one). A store that cannot delete leaves an unreferenced entry, never a broken file.
 */
async function forgetSecrets(
  secrets: SecretStore,
  accounts: readonly string[],
  ws: LoadedWorkspace,
  ownId: string,
): Promise<void> {
  const inUse = new Set(
    [...ws.connections.values()]
      .filter((c) => c.id !== ownId)
      .flatMap((c) => Object.values(c.secrets ?? {}).map((ref) => ref.secret)),
  );
  for (const account of accounts) if (!inUse.has(account)) await secrets.delete(account).catch(() => false);
}

/**
 * Stores secrets, then writes the file that references them. When the file cannot be written (disk full, folder
 * read-only) the store is put back as it was: no orphaned entry, and an edited connection keeps its old secret.
 */
async function storeSecretsThenWrite(
  secrets: SecretStore,
  entries: ReadonlyArray<{ account: string; value: string }>,
  writeFile: () => Promise<void>,
): Promise<void> {
  const previous: Array<{ account: string; value: string | undefined }> = [];
  try {
    for (const { account, value } of entries) {
      previous.push({ account, value: await secrets.get(account) });
      await secrets.set(account, value);
    }
    await writeFile();
  } catch (error) {
    for (const { account, value } of previous.reverse()) {
      await (value === undefined ? secrets.delete(account) : secrets.set(account, value)).catch(() => undefined);
    }
    throw error;
  }
}

export function connectionHandlers(deps: ConnectionDeps, tokens = new TestTokens()): ConnectionHandlers {
  const { secrets } = deps;
  const write = async (ws: LoadedWorkspace, file: ConnectionFile) => {
    deps.recordWrite(connectionFile(file.id), toCanonicalJson(file));
    await saveConnection(ws.dir, file);
  };

  return {
    testConnection: async ({ draft, secrets: typed, useStored }) => {
      const r = await resolveDraft(deps, draft);
      const values = await resolveSecrets(deps, r, typed, () => useStored === true);
      const redact = redactor([...values.values()]);
      const connection: ConnectionFile = {
        schemaVersion: CONNECTION_SCHEMA_VERSION,
        id: r.id,
        name: draft.name.trim(),
        connector: draft.connector,
        settings: r.parsedSettings,
        ...(r.concurrency ? { concurrency: r.concurrency } : {}),
      };
      const signal = AbortSignal.timeout(TEST_TIMEOUT_MS);
      const ctx: ConnectorContext = {
        workspaceDir: r.ws.dir,
        connection,
        secret: async (field) => values.get(field),
        signal,
        log: deps.log ?? silentLogger,
      };
      let result;
      try {
        result = r.connector.test
          ? await r.connector.test(ctx)
          : { ok: true, message: `${r.connector.descriptor.name} has no connection test: the settings are valid` };
      } catch (error) {
        const message = signal.aborted
          ? `no answer within ${TEST_TIMEOUT_MS / 1000} s: the test was stopped`
          : errorMessage(error);
        result = { ok: false, message };
      }
      return {
        ok: result.ok,
        message: redact(result.message),
        ...(result.details ? { details: result.details.map(redact) } : {}),
        ...('warnings' in result && Array.isArray(result.warnings) ? { warnings: result.warnings.map(redact) } : {}),
        ...(result.ok ? { testToken: tokens.issue(fingerprint(draft, r, values)) } : {}),
      };
    },

    saveConnection: async ({ draft, secrets: typed, testToken }) => {
      const r = await resolveDraft(deps, draft);
      const values = await resolveSecrets(deps, r, typed, () => true);
      const print = fingerprint(draft, r, values);
      if (!tokens.matches(testToken, print)) {
        throw new ApiError({
          code: 'conflict',
          message: 'test the connection with these values before saving: they changed since the last passing test',
        });
      }
      const refs: Record<string, SecretRef> = { ...r.existing?.secrets };
      const removed: string[] = [];
      const toStore: Array<{ account: string; value: string }> = [];
      for (const field of r.secretFields) {
        const value = typed[field];
        const account = r.existing?.secrets?.[field]?.secret ?? secretAccount(r.ws.workspace.id, r.id, field);
        if (typeof value === 'string' && value !== '') {
          toStore.push({ account, value });
          refs[field] = { secret: account };
        } else if (value === null && refs[field]) {
          removed.push(refs[field].secret);
          delete refs[field];
        }
      }
      const { secrets: _old, concurrency: _c, ...kept } = r.existing ?? {};
      const file: ConnectionFile = {
        ...kept,
        schemaVersion: CONNECTION_SCHEMA_VERSION,
        id: r.id,
        name: draft.name.trim(),
        connector: draft.connector,
        settings: r.settings,
        ...(Object.keys(refs).length ? { secrets: refs } : {}),
        ...(r.concurrency ? { concurrency: r.concurrency } : {}),
      };
      await storeSecretsThenWrite(secrets, toStore, () => write(r.ws, file));
      await forgetSecrets(secrets, removed, r.ws, r.id);
      tokens.forget(testToken);
      return summarizeConnection(file, secrets);
    },

    duplicateConnection: async ({ connectionId, name }) => {
      const ws = await deps.workspace();
      const source = requireConnection(ws, connectionId);
      checkNameFree(ws, name, undefined);
      const id = newConnectionId(ws, name);
      const refs: Record<string, SecretRef> = {};
      const toStore: Array<{ account: string; value: string }> = [];
      // Copied inside the store: the values never pass through the renderer.
      for (const [field, ref] of Object.entries(source.secrets ?? {})) {
        const value = await secrets.get(ref.secret);
        if (value === undefined) continue;
        const account = secretAccount(ws.workspace.id, id, field);
        toStore.push({ account, value });
        refs[field] = { secret: account };
      }
      const { secrets: _old, ...rest } = source;
      const file: ConnectionFile = {
        ...rest,
        id,
        name: name.trim(),
        ...(Object.keys(refs).length ? { secrets: refs } : {}),
      };
      await storeSecretsThenWrite(secrets, toStore, () => write(ws, file));
      return summarizeConnection(file, secrets);
    },

    connectionUsage: async ({ connectionId }) => {
      const ws = await deps.workspace();
      requireConnection(ws, connectionId);
      return usersOf(ws, connectionId);
    },

    deleteConnection: async ({ connectionId }) => {
      const ws = await deps.workspace();
      const connection = requireConnection(ws, connectionId);
      const file = connectionFile(connectionId);
      deps.recordWrite(file, undefined);
      await rm(join(ws.dir, file));
      const accounts = Object.values(connection.secrets ?? {}).map((ref) => ref.secret);
      await forgetSecrets(secrets, accounts, ws, connectionId);
      return {};
    },
  };
}
