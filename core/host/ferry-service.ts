import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Logger } from '../connectors/types.js';
import type { RunContext } from '../engine/run-flow.js';
import { validateFlow } from '../engine/validate-flow.js';
import { toCanonicalJson } from '../model/canonical-json.js';
import { ApiError, type ApiEvent, type FlowDocument, type WorkspaceSummary } from '../model/contract.js';
import { FLOW_SCHEMA_VERSION, type Flow } from '../model/flow.js';
import { WORKSPACE_SCHEMA_VERSION } from '../model/workspace.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { RunStateStore } from '../store/run-state.js';
import { type SettingsPort, rememberWorkspace } from '../store/settings.js';
import { watchWorkspace } from '../store/workspace-watcher.js';
import {
  type LoadedWorkspace,
  connectionFile,
  flowFile,
  loadWorkspace,
  readFlow,
  saveConnection,
  saveFlow,
  saveWorkspaceFile,
} from '../store/workspace-store.js';
import { connectionHandlers, summarizeConnection } from './connection-handlers.js';
import { demoHandlers } from './demo-handlers.js';
import { DemoSystems } from './demo-systems.js';
import { OAuthSignIns, signInHandlers } from './oauth-sign-in.js';
import type { ApiHandlers } from './dispatch.js';
import { type SecretControl, preferenceHandlers } from './preference-handlers.js';
import { mapperHandlers } from './mapper-handlers.js';
import { entityCatalog } from './mapper-fields.js';
import { RunManager } from './run-manager.js';
import { templateHandlers } from './template-handlers.js';
import { valueMapHandlers } from './value-map-handlers.js';
import { runDetail } from './run-detail.js';

export interface ServiceOptions {
  registry: ConnectorRegistry;
  secrets: SecretStore;
  runState: RunStateStore;
  settings: SettingsPort;
  /** Lets the user choose the secret store in the UI (the interactive hosts' SecretSwitch). */
  secretControl?: SecretControl;
  /** The host's demo systems ("Start demo systems", the data browser); without them those calls say none run. */
  demo?: DemoSystems;
  /** Where templates are read from (default: the shipped resources/templates). */
  templatesDir?: string;
  /** Watch the open workspace for external edits (off in some tests). */
  watch?: boolean;
  log?: Logger;
}

import { slugify } from './ids.js';

export { slugify };

async function summarize(ws: LoadedWorkspace, secrets: SecretStore): Promise<WorkspaceSummary> {
  return {
    dir: ws.dir,
    id: ws.workspace.id,
    name: ws.workspace.name,
    defaults: ws.workspace.defaults,
    flows: [...ws.flows.values()].map((f) => ({
      id: f.id,
      name: f.name,
      description: f.description,
      nodeCount: f.nodes.length,
    })),
    connections: await Promise.all([...ws.connections.values()].map((c) => summarizeConnection(c, secrets))),
    problems: ws.problems,
  };
}

/**
 * The contract's implementation over one open workspace: the same object serves Electron (inside the utility
 * process) and `ferry serve`. Every read goes to the files, so what the UI sees is what is on disk.
 */
export class FerryService {
  private dir: string | undefined;
  private unwatch: (() => void) | undefined;
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  /** What Ferry itself last wrote per workspace-relative path, so the watcher reports only other writers. */
  private readonly ownWrites = new Map<string, string>();
  readonly runs: RunManager;
  /** Browser sign-ins of connections (OAuth authorization code): one listener on 127.0.0.1 per waiting one. */
  readonly signIns: OAuthSignIns;
  readonly handlers: ApiHandlers;

  constructor(private readonly options: ServiceOptions) {
    this.runs = new RunManager((event) => this.emit(event));
    this.signIns = new OAuthSignIns({
      registry: options.registry,
      secrets: options.secrets,
      workspace: () => this.workspace(),
      saveConnection: (dir, file) => {
        this.ownWrites.set(connectionFile(file.id), toCanonicalJson(file));
        return saveConnection(dir, file);
      },
      onStatus: (connectionId, status) => this.emit({ type: 'authorization', connectionId, status }),
      log: options.log,
    });
    this.handlers = this.createHandlers();
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private requireDir(): string {
    if (!this.dir) throw new ApiError({ code: 'not-found', message: 'no workspace is open' });
    return this.dir;
  }

  private async workspace(): Promise<LoadedWorkspace> {
    return loadWorkspace(this.requireDir());
  }

  async open(dirArg: string): Promise<WorkspaceSummary> {
    const dir = resolve(dirArg);
    const ws = await loadWorkspace(dir);
    if (this.dir !== dir) {
      await this.runs.stopAll();
      await this.signIns.cancelAll();
      this.unwatch?.();
      this.unwatch = undefined;
      this.ownWrites.clear();
      this.dir = dir;
      if (this.options.watch !== false) {
        this.unwatch = watchWorkspace(dir, (changes) => this.emit({ type: 'files-changed', changes }), {
          isOwnWrite: (rel, text) => this.ownWrites.get(rel) === text,
        });
      }
    }
    rememberWorkspace(this.options.settings, { dir, name: ws.workspace.name, openedAt: new Date().toISOString() });
    const summary = await summarize(ws, this.options.secrets);
    this.emit({ type: 'workspace-opened', workspace: summary });
    return summary;
  }

  async close(): Promise<void> {
    await this.runs.stopAll();
    await this.signIns.cancelAll();
    this.unwatch?.();
    this.unwatch = undefined;
  }

  private async document(flow: Flow, ws?: LoadedWorkspace): Promise<FlowDocument> {
    const loaded = ws ?? (await this.workspace());
    const problems = validateFlow(flow, {
      registry: this.options.registry,
      connections: loaded.connections,
      valueMaps: loaded.valueMaps,
      file: flowFile(flow.id),
    });
    return { flow, problems };
  }

  private async writeFlow(flow: Flow): Promise<void> {
    const dir = this.requireDir();
    this.ownWrites.set(flowFile(flow.id), toCanonicalJson(flow));
    await saveFlow(dir, flow);
  }

  private runContext(ws: LoadedWorkspace): RunContext {
    return {
      workspace: {
        dir: ws.dir,
        workspaceId: ws.workspace.id,
        connections: ws.connections,
        valueMaps: ws.valueMaps,
        defaults: ws.workspace.defaults,
      },
      registry: this.options.registry,
      secrets: this.options.secrets,
      runState: this.options.runState,
      log: this.options.log,
    };
  }

  private createHandlers(): ApiHandlers {
    const { registry, runState, settings } = this.options;
    const recordWrite = (file: string, text: string | undefined) =>
      text === undefined ? this.ownWrites.delete(file) : this.ownWrites.set(file, text);
    return {
      currentWorkspace: async () => (this.dir ? summarize(await this.workspace(), this.options.secrets) : null),
      openWorkspace: async ({ dir }) => this.open(dir),
      createWorkspace: async ({ dir, name }) => {
        const target = resolve(dir);
        const existing = await readdir(target).catch(() => [] as string[]);
        if (existing.some((n) => !n.startsWith('.'))) {
          throw new ApiError({ code: 'conflict', message: `${target} is not empty: pick a new or empty folder` });
        }
        await mkdir(join(target, 'flows'), { recursive: true });
        await mkdir(join(target, 'connections'), { recursive: true });
        const id = `${slugify(name)}-${Date.now().toString(36)}`;
        await saveWorkspaceFile(target, { schemaVersion: WORKSPACE_SCHEMA_VERSION, id, name });
        return this.open(target);
      },
      recentWorkspaces: async () => settings.get('recentWorkspaces') ?? [],
      loadFlow: async ({ flowId }) => this.document(await readFlow(this.requireDir(), flowId)),
      createFlow: async ({ name }) => {
        const ws = await this.workspace();
        const base = slugify(name);
        let id = base;
        for (let n = 2; ws.flows.has(id) || ws.problems.some((p) => p.file === flowFile(id)); n++) id = `${base}-${n}`;
        const flow: Flow = { schemaVersion: FLOW_SCHEMA_VERSION, id, name, nodes: [], edges: [] };
        await this.writeFlow(flow);
        return this.document(flow, ws);
      },
      saveFlow: async ({ flow }) => {
        await this.writeFlow(flow);
        return this.document(flow);
      },
      validateFlow: async ({ flow }) => this.document(flow),
      deleteFlow: async ({ flowId }) => {
        const file = flowFile(flowId);
        this.ownWrites.delete(file);
        await rm(join(this.requireDir(), file));
        return {};
      },
      listConnectors: async () => registry.descriptors(),
      listConnections: async () => (await summarize(await this.workspace(), this.options.secrets)).connections,
      ...connectionHandlers({
        registry,
        secrets: this.options.secrets,
        workspace: () => this.workspace(),
        recordWrite,
        log: this.options.log,
      }),
      ...signInHandlers(this.signIns),
      ...preferenceHandlers(this.options.secrets, this.options.secretControl, settings),
      listEntities: async ({ connectorId, connectionId }) => {
        const connection = connectionId ? (await this.workspace()).connections.get(connectionId) : undefined;
        const entities = entityCatalog(registry, connectorId, connection);
        if (!entities) throw new ApiError({ code: 'not-found', message: `no connector "${connectorId}"` });
        return entities;
      },
      startRun: async ({ flowId, flow, dryRun, since }) => {
        const ws = await this.workspace();
        const toRun = flow ?? (await readFlow(ws.dir, flowId));
        if (toRun.id !== flowId) {
          throw new ApiError({ code: 'invalid-input', message: `flow.id "${toRun.id}" is not flowId "${flowId}"` });
        }
        return { runId: this.runs.start(toRun, this.runContext(ws), { dryRun, since }) };
      },
      cancelRun: async ({ runId }) => ({ cancelled: this.runs.cancel(runId) }),
      listRuns: async ({ flowId, limit }) => {
        const ws = await this.workspace();
        return runState.listRuns(ws.workspace.id, flowId, limit ?? 20);
      },
      getRun: async ({ runId }) => runDetail(runState, runId),
      ...mapperHandlers({
        registry,
        runState,
        workspace: () => this.workspace(),
        runContext: (ws) => this.runContext(ws),
        templatesDir: this.options.templatesDir,
      }),
      ...valueMapHandlers({ workspace: () => this.workspace(), recordWrite }),
      ...templateHandlers({
        registry,
        templatesDir: this.options.templatesDir,
        workspace: () => this.workspace(),
        recordWrite,
        demo: this.options.demo,
      }),
      ...demoHandlers({
        demo: this.options.demo ?? new DemoSystems({}, []),
        workspaceDir: () => this.dir,
        templatesDir: this.options.templatesDir,
        recordWrite,
      }),
    };
  }
}
