import type { DemoConnection } from '../connectors/emulator-kit/demo-system.js';
import { toCanonicalJson } from '../model/canonical-json.js';
import { CONNECTION_SCHEMA_VERSION, type ConnectionFile, secretAccount } from '../model/connection.js';
import { uniqueId } from '../model/ids.js';
import { templateIdOf } from '../model/flow.js';
import { ValidationError, formatProblem } from '../model/validation-error.js';
import { type ConnectionMaker, instantiateTemplate } from '../store/template-instantiate.js';
import type { LoadedTemplate } from '../store/templates.js';
import { type LoadedWorkspace, connectionFile, loadWorkspace, saveConnection } from '../store/workspace-store.js';

/** Tells the host's watcher what Ferry itself writes, so it is not reported as someone else's edit. */
export type RecordWrite = (file: string, text: string) => void;

function isLoopback(value: unknown): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(String(value)).hostname);
  } catch {
    return false;
  }
}

export interface EnsuredConnection {
  connection?: ConnectionFile;
  /** What was done (or why not), for the UI and the console; absent when the connection was already right. */
  message?: string;
}

/**
 * The workspace's connection to a running demo system: created when missing; when it exists and still points at a
 * demo system on this computer (a loopback address), pointed at where the system runs now (a test's free port, or
 * the fixed port again). A connection of the same id that points elsewhere is someone's own: left alone.
 */
export async function ensureDemoConnection(
  ws: LoadedWorkspace,
  demo: DemoConnection,
  recordWrite: RecordWrite,
): Promise<EnsuredConnection> {
  const file = connectionFile(demo.id);
  const existing = ws.connections.get(demo.id);
  const save = async (connection: ConnectionFile) => {
    recordWrite(file, toCanonicalJson(connection));
    await saveConnection(ws.dir, connection);
    ws.connections.set(connection.id, connection);
  };
  if (!existing) {
    if (ws.problems.some((p) => p.file === file)) return { message: `${file} has problems: fix it to use the demo` };
    const names = new Set([...ws.connections.values()].map((c) => c.name.toLowerCase()));
    const name = uniqueId(demo.name, (n) => names.has(n.toLowerCase()));
    const secrets = Object.fromEntries(
      Object.keys(demo.secrets).map((field) => [field, { secret: secretAccount(ws.workspace.id, demo.id, field) }]),
    );
    const connection: ConnectionFile = {
      schemaVersion: CONNECTION_SCHEMA_VERSION,
      id: demo.id,
      name,
      connector: demo.connector,
      settings: demo.settings,
      secrets,
    };
    await save(connection);
    return { connection, message: `Created the connection "${name}" (${file})` };
  }
  if (existing.connector !== demo.connector) {
    return {
      message: `${file} is a ${existing.connector} connection, not the demo's ${demo.connector}: left as it is`,
    };
  }
  const moved = demo.urlFields.filter((f) => existing.settings[f] !== demo.settings[f]);
  if (moved.length === 0) return { connection: existing };
  const foreign = moved.find((f) => existing.settings[f] !== undefined && !isLoopback(existing.settings[f]));
  if (foreign) {
    return { message: `${file} points at ${String(existing.settings[foreign])}, not at a demo system: left as it is` };
  }
  const settings = { ...existing.settings, ...Object.fromEntries(moved.map((f) => [f, demo.settings[f]])) };
  const connection = { ...existing, settings };
  await save(connection);
  return { connection, message: `Pointed "${existing.name}" at ${String(demo.settings[demo.urlFields[0]!])}` };
}

/** A connection maker for templates: the running demo system of the connector, its connection ensured. */
export function demoConnectionMaker(
  demos: DemoConnection[],
  recordWrite: RecordWrite,
  ws: LoadedWorkspace,
): ConnectionMaker {
  return async (connector) => {
    const demo = demos.find((d) => d.connector === connector);
    return demo ? (await ensureDemoConnection(ws, demo, recordWrite)).connection : undefined;
  };
}

export interface PreparedDemoWorkspace {
  messages: string[];
  createdFlows: { id: string; name: string }[];
}

/**
 * Makes a workspace ready for a demo: a connection to every running demo system, and a flow from every template
 * whose connectors all have one (once: a flow made from the template is not made again), with the defaults.
 */
export async function prepareDemoWorkspace(
  dir: string,
  demos: DemoConnection[],
  templates: readonly LoadedTemplate[],
  recordWrite: RecordWrite,
  /** Setting values the demo systems know (an outlet's id), for templates that declare them. */
  knownSettings: Record<string, unknown> = {},
): Promise<PreparedDemoWorkspace> {
  const ws = await loadWorkspace(dir);
  const messages: string[] = [];
  const byConnector = new Map<string, string>();
  for (const demo of demos) {
    const ensured = await ensureDemoConnection(ws, demo, recordWrite);
    if (ensured.message) messages.push(ensured.message);
    if (ensured.connection) byConnector.set(demo.connector, ensured.connection.id);
  }
  const createdFlows: PreparedDemoWorkspace['createdFlows'] = [];
  const made = new Set([...ws.flows.values()].map(templateIdOf));
  for (const template of templates) {
    const { manifest } = template;
    const roles = Object.entries(manifest.connectors);
    if (made.has(manifest.id) || !roles.every(([, connector]) => byConnector.has(connector))) continue;
    const connections = Object.fromEntries(roles.map(([role, connector]) => [role, byConnector.get(connector)!]));
    const settings = Object.fromEntries(
      Object.entries(knownSettings).filter(([key, value]) => key in manifest.settings && value !== undefined),
    );
    try {
      const { flow } = await instantiateTemplate(ws, template, { connections, settings }, { beforeWrite: recordWrite });
      ws.flows.set(flow.id, flow);
      createdFlows.push({ id: flow.id, name: flow.name });
      messages.push(`Created the flow "${flow.name}" from the template ${manifest.id}`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      messages.push(
        `The template ${manifest.id} needs settings first: ${error.problems.map(formatProblem).join('; ')}`,
      );
    }
  }
  return { messages, createdFlows };
}
