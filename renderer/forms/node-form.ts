import type { ConnectorDescriptor } from '../../core/model/descriptor.js';
import type { FlowNode, NodeKind } from '../../core/model/flow.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';
import { type FormProblem, unplacedProblems } from './form-layout.js';
import { type JsonSchema, isWithin, omitProperties } from './json-schema.js';
import { mapEditorOwns } from './map-config.js';

/** What a node's settings panel shows, and which of the node's problems land on which of its fields. */

export interface NodeProblems {
  /** About the node itself (`''` for the node as a whole, `name`, `type`): shown at the top of its panel. */
  node: FormProblem[];
  /** Inside its config, relative to it (`path`, `fields[0].target`; `''` for the config as a whole). */
  config: FormProblem[];
}

/** Splits one node's problems (`nodes[2].config.path`, `nodes[2]`) into node-level and config-relative paths. */
export function splitNodeProblems(problems: readonly ValidationProblem[]): NodeProblems {
  const out: NodeProblems = { node: [], config: [] };
  for (const problem of problems) {
    const rest = problem.path.replace(/^nodes\[\d+\]/, '');
    const config = /^\.config(?=$|[.[])/.exec(rest);
    if (config) out.config.push({ path: rest.slice(config[0].length).replace(/^\./, ''), message: problem.message });
    else out.node.push({ path: rest.replace(/^\./, ''), message: problem.message });
  }
  return out;
}

/** How a problem reads in the panel's list: `name: must not be empty`, or the message alone for the whole node. */
export function problemLine(problem: FormProblem, prefix = ''): string {
  const path = [prefix, problem.path].filter((p) => p !== '').join(problem.path.startsWith('[') ? '' : '.');
  return path ? `${path}: ${problem.message}` : problem.message;
}

/** Which of a descriptor's config schemas a connector node of each kind is configured with. */
const CONFIG_SCHEMA_OF = {
  source: 'sourceConfigSchema',
  destination: 'destinationConfigSchema',
  lookup: 'lookupConfigSchema',
} as const satisfies Partial<Record<NodeKind, keyof ConnectorDescriptor>>;

export function isConnectorKind(kind: NodeKind): kind is keyof typeof CONFIG_SCHEMA_OF {
  return kind in CONFIG_SCHEMA_OF;
}

export interface ConnectorForm {
  /** The connector's config schema for the node's kind, without what the pickers edit. */
  schema?: JsonSchema;
  connectionPicker: boolean;
  entityPicker: boolean;
}

/** What a connector node's panel shows, from its descriptor: pickers for connection and entity, then the form. */
export function connectorFormOf(descriptor: ConnectorDescriptor, kind: NodeKind): ConnectorForm {
  const connectionPicker = descriptor.connectionSchema !== undefined;
  const entityPicker = descriptor.entities !== undefined;
  const schema = isConnectorKind(kind) ? descriptor[CONFIG_SCHEMA_OF[kind]] : undefined;
  // `connection` is the engine's reference, never a connector setting; `entity` gets the catalog's picker.
  const omitted = ['connection', ...(entityPicker ? ['entity'] : [])];
  return { connectionPicker, entityPicker, ...(schema ? { schema: omitProperties(schema, omitted) } : {}) };
}

/** The problems of one node no field of its panel shows: they go to the top of the panel. */
export function panelLevelProblems(
  node: FlowNode,
  problems: { node: FormProblem[]; config: FormProblem[] },
  form: ConnectorForm | undefined,
): string[] {
  let config = problems.config;
  if (node.kind === 'map') config = config.filter((p) => !mapEditorOwns(node.config, p.path));
  else if (node.kind === 'filter')
    config = config.filter((p) => !isWithin(p.path, 'expression') && !isWithin(p.path, 'rules'));
  else if (form) {
    config = config.filter(
      (p) =>
        !(form.connectionPicker && isWithin(p.path, 'connection')) &&
        !(form.entityPicker && isWithin(p.path, 'entity')),
    );
    if (form.schema) config = unplacedProblems(form.schema, node.config, config);
  }
  return [
    ...problems.node.filter((p) => p.path !== 'name').map((p) => problemLine(p)),
    ...config.map((p) => problemLine(p, 'config')),
  ];
}
