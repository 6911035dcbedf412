import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { toCanonicalJson } from '../model/canonical-json.js';
import type { ConnectionFile } from '../model/connection.js';
import { type Flow, type FlowTemplateOrigin, flowSchema } from '../model/flow.js';
import type { JsonValue } from '../model/json-value.js';
import { substitutePlaceholders } from '../model/template-placeholders.js';
import { slugify, uniqueId } from '../model/ids.js';
import { type TemplateManifest, templateSettingsSchema } from '../model/template.js';
import { ValidationError, type ValidationProblem, parseOrThrow } from '../model/validation-error.js';
import { writeNewFileAtomic } from './atomic-write.js';
import type { LoadedTemplate } from './templates.js';
import { type LoadedWorkspace, flowFile, valueMapFile } from './workspace-store.js';

export interface TemplateRequest {
  /** Setting values as the user gave them; defaults fill the rest. */
  settings?: Record<string, unknown>;
  /** Role → connection id; a role left out takes the workspace's only connection of its connector. */
  connections?: Record<string, string>;
  /** The flow's name (default: the template's); its id comes from the name, unique in the workspace. */
  name?: string;
}

export interface InstantiatedTemplate {
  flow: Flow;
  /** Role → the connection id used. */
  connections: Record<string, string>;
  /** Connections created for roles that had none (a running demo system's). */
  createdConnections: string[];
  /** Value maps written; those the workspace already had are kept as they are. */
  addedValueMaps: string[];
}

/** Makes a connection of `connector` for `role` when the workspace has none (e.g. a running demo system's). */
export type ConnectionMaker = (connector: string, role: string) => Promise<ConnectionFile | undefined>;

export interface InstantiateHooks {
  makeConnection?: ConnectionMaker;
  /** Called with each file's workspace path and text before it is written (a host's watcher skips its own writes). */
  beforeWrite?(file: string, text: string): void;
}

/**
 * The connection of each role: the one asked for (it must exist and be of the role's connector), else the
 * workspace's only one of that connector, else one `make` creates. Problems name `connections.<role>`.
 */
export async function chooseConnections(
  manifest: TemplateManifest,
  ws: LoadedWorkspace,
  asked: Record<string, string> = {},
  make?: ConnectionMaker,
): Promise<{ connections: Record<string, string>; created: string[] }> {
  const problems: ValidationProblem[] = [];
  const connections: Record<string, string> = {};
  const created: string[] = [];
  for (const role of Object.keys(asked)) {
    if (!(role in manifest.connectors)) {
      const roles = Object.keys(manifest.connectors).join(', ') || 'none';
      const message = `the template has no role "${role}" (its roles: ${roles})`;
      problems.push({ path: `connections.${role}`, message });
    }
  }
  for (const [role, connector] of Object.entries(manifest.connectors)) {
    const path = `connections.${role}`;
    const id = asked[role];
    if (id !== undefined) {
      const found = ws.connections.get(id);
      if (!found) problems.push({ path, message: `no connection "${id}" in this workspace` });
      else if (found.connector !== connector) {
        problems.push({ path, message: `"${id}" is a ${found.connector} connection, expected ${connector}` });
      } else connections[role] = id;
      continue;
    }
    const candidates = [...ws.connections.values()].filter((c) => c.connector === connector).map((c) => c.id);
    if (candidates.length === 1) connections[role] = candidates[0]!;
    else if (candidates.length > 1) {
      problems.push({ path, message: `choose the ${connector} connection: ${candidates.join(', ')}` });
    } else {
      const made = await make?.(connector, role);
      if (made) {
        ws.connections.set(made.id, made);
        connections[role] = made.id;
        created.push(made.id);
      } else problems.push({ path, message: `no ${connector} connection in this workspace: create one first` });
    }
  }
  if (problems.length) throw new ValidationError(problems);
  return { connections, created };
}

/**
 * Makes a workspace flow from a template: settings validated (problems name `settings.<key>`), connections chosen,
 * placeholders filled, the value maps the workspace lacks written, then the flow under a fresh id. Every file is
 * written whole (temp + link) and none that exists is ever replaced.
 */
export async function instantiateTemplate(
  ws: LoadedWorkspace,
  template: LoadedTemplate,
  request: TemplateRequest,
  hooks: InstantiateHooks = {},
): Promise<InstantiatedTemplate> {
  const { manifest } = template;
  const settings = parseOrThrow(templateSettingsSchema(manifest), request.settings ?? {}, undefined, ['settings']);
  const { connections, created } = await chooseConnections(manifest, ws, request.connections, hooks.makeConnection);
  const name = request.name?.trim() || manifest.name;
  // Unique among the flow files, broken ones included: a new flow never takes the name of one being fixed by hand.
  const id = uniqueId(slugify(name), (id) => ws.flows.has(id) || ws.problems.some((p) => p.file === flowFile(id)));
  const filled = substitutePlaceholders(template.flow, { connections, settings }) as Record<string, unknown>;
  // The settings as used (defaults filled in) let the mapper re-make a map node's template mapping exactly.
  const origin: FlowTemplateOrigin = { id: manifest.id, settings: settings as Record<string, JsonValue> };
  const flow = parseOrThrow(flowSchema, { ...filled, id, name, template: origin }, flowFile(id));
  const addedValueMaps: string[] = [];
  for (const valueMap of template.valueMaps) {
    if (ws.valueMaps.has(valueMap.id)) continue;
    if (await writeNew(ws.dir, valueMapFile(valueMap.id), toCanonicalJson(valueMap), hooks)) {
      addedValueMaps.push(valueMap.id);
      ws.valueMaps.set(valueMap.id, valueMap);
    }
  }
  if (!(await writeNew(ws.dir, flowFile(id), toCanonicalJson(flow), hooks))) {
    throw new ValidationError([{ file: flowFile(id), path: '', message: 'a file with this name appeared meanwhile' }]);
  }
  return { flow, connections, createdConnections: created, addedValueMaps };
}

/** True when written; false when the file exists (someone else's, kept as it is). */
async function writeNew(dir: string, file: string, text: string, hooks: InstantiateHooks): Promise<boolean> {
  hooks.beforeWrite?.(file, text);
  const target = join(dir, file);
  await mkdir(join(target, '..'), { recursive: true });
  try {
    await writeNewFileAtomic(target, text);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
