import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toCanonicalJson } from '../model/canonical-json.js';
import { type ConnectionFile, connectionFileSchema } from '../model/connection.js';
import { type Flow, flowSchema } from '../model/flow.js';
import { type ValueMapFile, valueMapFileSchema } from '../model/mapping.js';
import { MigrationError, migrateFlow } from '../model/migrations.js';
import { ValidationError, type ValidationProblem, parseOrThrow } from '../model/validation-error.js';
import { WORKSPACE_FILE, type WorkspaceFile, workspaceFileSchema } from '../model/workspace.js';
import { writeFileAtomic } from './atomic-write.js';
import { readJsonFile } from './json-file.js';

export const FLOWS_DIR = 'flows';
export const CONNECTIONS_DIR = 'connections';
export const VALUE_MAPS_DIR = 'value-maps';
const FLOW_SUFFIX = '.flow.json';
const CONNECTION_SUFFIX = '.connection.json';
const VALUE_MAP_SUFFIX = '.value-map.json';

export const flowFile = (id: string) => `${FLOWS_DIR}/${id}${FLOW_SUFFIX}`;
export const connectionFile = (id: string) => `${CONNECTIONS_DIR}/${id}${CONNECTION_SUFFIX}`;
export const valueMapFile = (id: string) => `${VALUE_MAPS_DIR}/${id}${VALUE_MAP_SUFFIX}`;

export interface LoadedWorkspace {
  dir: string;
  workspace: WorkspaceFile;
  connections: Map<string, ConnectionFile>;
  flows: Map<string, Flow>;
  /** Translation tables shared by the workspace's map nodes, by id. */
  valueMaps: Map<string, ValueMapFile>;
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

/** Reads `value-maps/<id>.value-map.json`. */
export async function readValueMap(dir: string, id: string): Promise<ValueMapFile> {
  const file = valueMapFile(id);
  const valueMap = parseOrThrow(valueMapFileSchema, await readJsonFile(join(dir, file), file), file);
  checkIdMatchesFile(valueMap, id, file);
  return valueMap;
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

/** Every readable file of one kind by id; the others are reported in `problems`, each by file and JSON path. */
async function loadAll<T>(
  dir: string,
  folder: string,
  suffix: string,
  read: (dir: string, id: string) => Promise<T>,
  fileOf: (id: string) => string,
  problems: ValidationProblem[],
): Promise<Map<string, T>> {
  const docs = new Map<string, T>();
  for (const id of await idsIn(join(dir, folder), suffix)) {
    try {
      docs.set(id, await read(dir, id));
    } catch (error) {
      problems.push(...asProblems(error, fileOf(id)));
    }
  }
  return docs;
}

/** The workspace's value maps (for a host listing them); broken files are reported, not fatal. */
export async function loadValueMaps(
  dirArg: string,
): Promise<{ valueMaps: Map<string, ValueMapFile>; problems: ValidationProblem[] }> {
  const problems: ValidationProblem[] = [];
  const valueMaps = await loadAll(
    resolve(dirArg),
    VALUE_MAPS_DIR,
    VALUE_MAP_SUFFIX,
    readValueMap,
    valueMapFile,
    problems,
  );
  return { valueMaps, problems };
}

/** Loads a workspace folder. A broken flow, connection or value-map file is reported, not fatal; a broken workspace file is. */
export async function loadWorkspace(dirArg: string): Promise<LoadedWorkspace> {
  const dir = resolve(dirArg);
  const workspace = await readWorkspaceFile(dir);
  const problems: ValidationProblem[] = [];
  const connections = await loadAll(dir, CONNECTIONS_DIR, CONNECTION_SUFFIX, readConnection, connectionFile, problems);
  const flows = await loadAll(dir, FLOWS_DIR, FLOW_SUFFIX, readFlow, flowFile, problems);
  const valueMaps = await loadAll(dir, VALUE_MAPS_DIR, VALUE_MAP_SUFFIX, readValueMap, valueMapFile, problems);
  return { dir, workspace, connections, flows, valueMaps, problems };
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

/** Writes `value-maps/<id>.value-map.json` (validated, canonical, atomic). */
export async function saveValueMap(dir: string, valueMap: ValueMapFile): Promise<void> {
  await saveDocument(dir, valueMapFile(valueMap.id), valueMapFileSchema, valueMap);
}

/** Removes a value map's file; a map that is not there is an error naming the file. */
export async function deleteValueMap(dir: string, id: string): Promise<void> {
  const file = valueMapFile(id);
  try {
    await rm(join(dir, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ValidationError([
      {
        file,
        path: '',
        message: code === 'ENOENT' ? 'file not found' : `cannot remove file (${code ?? String(error)})`,
      },
    ]);
  }
}

export async function saveWorkspaceFile(dir: string, workspace: WorkspaceFile): Promise<void> {
  await saveDocument(dir, WORKSPACE_FILE, workspaceFileSchema, workspace);
}
