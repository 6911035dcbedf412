import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toCanonicalJson } from '../model/canonical-json.js';
import { type ConnectionFile, connectionFileSchema } from '../model/connection.js';
import { type Flow, flowSchema } from '../model/flow.js';
import { MigrationError, migrateFlow } from '../model/migrations.js';
import { ValidationError, type ValidationProblem, parseOrThrow } from '../model/validation-error.js';
import { WORKSPACE_FILE, type WorkspaceFile, workspaceFileSchema } from '../model/workspace.js';
import { writeFileAtomic } from './atomic-write.js';
import { readJsonFile } from './json-file.js';

export const FLOWS_DIR = 'flows';
export const CONNECTIONS_DIR = 'connections';
const FLOW_SUFFIX = '.flow.json';
const CONNECTION_SUFFIX = '.connection.json';

export const flowFile = (id: string) => `${FLOWS_DIR}/${id}${FLOW_SUFFIX}`;
export const connectionFile = (id: string) => `${CONNECTIONS_DIR}/${id}${CONNECTION_SUFFIX}`;

export interface LoadedWorkspace {
  dir: string;
  workspace: WorkspaceFile;
  connections: Map<string, ConnectionFile>;
  flows: Map<string, Flow>;
  /** Problems of files that could not be loaded; the rest of the workspace stays usable. */
  problems: ValidationProblem[];
}

function asProblems(error: unknown, file: string): ValidationProblem[] {
  if (error instanceof ValidationError) return error.problems;
  if (error instanceof MigrationError) return [{ file, path: '', message: error.message }];
  throw error;
}

function checkIdMatchesFile(doc: { id: string }, expected: string, file: string): void {
  if (doc.id !== expected) {
    throw new ValidationError([
      {
        file,
        path: 'id',
        message: `expected ${JSON.stringify(expected)} (the file name), got ${JSON.stringify(doc.id)}`,
      },
    ]);
  }
}

export async function readWorkspaceFile(dir: string): Promise<WorkspaceFile> {
  const raw = await readJsonFile(join(dir, WORKSPACE_FILE), WORKSPACE_FILE);
  return parseOrThrow(workspaceFileSchema, raw, WORKSPACE_FILE);
}

/** Reads one flow file, migrating older schema versions in memory (the file changes only when saved). */
export async function readFlow(dir: string, id: string): Promise<Flow> {
  const file = flowFile(id);
  const raw = await readJsonFile(join(dir, file), file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError([{ file, path: '(root)', message: 'expected an object' }]);
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateFlow(raw as Record<string, unknown>);
  } catch (error) {
    throw new ValidationError(asProblems(error, file));
  }
  const flow = parseOrThrow(flowSchema, migrated, file);
  checkIdMatchesFile(flow, id, file);
  return flow;
}

export async function readConnection(dir: string, id: string): Promise<ConnectionFile> {
  const file = connectionFile(id);
  const connection = parseOrThrow(connectionFileSchema, await readJsonFile(join(dir, file), file), file);
  checkIdMatchesFile(connection, id, file);
  return connection;
}

async function idsIn(dir: string, suffix: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((n) => n.endsWith(suffix) && !n.startsWith('.'))
      .map((n) => n.slice(0, -suffix.length))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Loads a workspace folder. A broken flow or connection file is reported, not fatal; a broken workspace file is. */
export async function loadWorkspace(dirArg: string): Promise<LoadedWorkspace> {
  const dir = resolve(dirArg);
  const workspace = await readWorkspaceFile(dir);
  const problems: ValidationProblem[] = [];
  const connections = new Map<string, ConnectionFile>();
  for (const id of await idsIn(join(dir, CONNECTIONS_DIR), CONNECTION_SUFFIX)) {
    try {
      connections.set(id, await readConnection(dir, id));
    } catch (error) {
      problems.push(...asProblems(error, connectionFile(id)));
    }
  }
  const flows = new Map<string, Flow>();
  for (const id of await idsIn(join(dir, FLOWS_DIR), FLOW_SUFFIX)) {
    try {
      flows.set(id, await readFlow(dir, id));
    } catch (error) {
      problems.push(...asProblems(error, flowFile(id)));
    }
  }
  return { dir, workspace, connections, flows, problems };
}

async function saveDocument<T>(dir: string, file: string, schema: { parse(v: unknown): T }, doc: T): Promise<void> {
  const valid = parseOrThrow(schema as never, doc, file);
  const target = join(dir, file);
  await mkdir(join(target, '..'), { recursive: true });
  await writeFileAtomic(target, toCanonicalJson(valid));
}

export async function saveFlow(dir: string, flow: Flow): Promise<void> {
  await saveDocument(dir, flowFile(flow.id), flowSchema, flow);
}

export async function saveConnection(dir: string, connection: ConnectionFile): Promise<void> {
  await saveDocument(dir, connectionFile(connection.id), connectionFileSchema, connection);
}

export async function saveWorkspaceFile(dir: string, workspace: WorkspaceFile): Promise<void> {
  await saveDocument(dir, WORKSPACE_FILE, workspaceFileSchema, workspace);
}
