import type { ConnectorRegistry } from '../connectors/registry.js';
import type { RunContext } from '../engine/run-flow.js';
import { ApiError } from '../model/contract.js';
import type { EntityField } from '../model/descriptor.js';
import type { Flow, FlowNode } from '../model/flow.js';
import type { MappingEndpoint, MappingFields, SampleRecord } from '../model/mapper-contract.js';
import type { MapConfig } from '../model/mapping.js';
import { previewMapping } from '../mapping/preview-mapping.js';
import type { RunStateStore } from '../store/run-state.js';
import { type LoadedWorkspace, readFlow } from '../store/workspace-store.js';
import { defaultMappingOfNode } from './default-mapping-of-node.js';
import type { ApiHandlers } from './dispatch.js';
import {
  catalogSourceFields,
  entityOfNode,
  fieldsOfRecords,
  lastRunInput,
  lookupFieldsOf,
  mapNodePath,
  mergeSourceFields,
  upstreamMapFields,
} from './mapper-fields.js';
import { readSample } from './sample-run.js';

export type MapperHandlers = Pick<ApiHandlers, 'mappingFields' | 'previewMapping' | 'fetchSample'>;

export interface MapperDeps {
  registry: ConnectorRegistry;
  runState: RunStateStore;
  workspace(): Promise<LoadedWorkspace>;
  runContext(ws: LoadedWorkspace): RunContext;
  /** The templates folder a flow's recorded origin is looked up in (default: the shipped resources/templates). */
  templatesDir?: string;
}

/** A sample big enough to show a mapping's shape, small enough to read from a rate-limited ERP in a moment. */
export const DEFAULT_SAMPLE_SIZE = 10;

/** The editor's flow when it sent one (unsaved changes), else the file. */
export async function flowAndNode(
  ws: LoadedWorkspace,
  ref: { flowId: string; nodeId: string; flow?: Flow },
): Promise<{ flow: Flow; node: FlowNode }> {
  const flow = ref.flow ?? (await readFlow(ws.dir, ref.flowId));
  if (flow.id !== ref.flowId) {
    throw new ApiError({ code: 'invalid-input', message: `flow.id "${flow.id}" is not flowId "${ref.flowId}"` });
  }
  const node = flow.nodes.find((n) => n.id === ref.nodeId);
  if (!node) throw new ApiError({ code: 'not-found', message: `flow "${flow.id}" has no node "${ref.nodeId}"` });
  return { flow, node };
}

export function destinationFieldsOf(
  registry: ConnectorRegistry,
  ws: LoadedWorkspace,
  destination: FlowNode | undefined,
): EntityField[] {
  if (!destination) return [];
  return entityOfNode(registry, ws.connections, destination)?.fields.filter((f) => !f.readOnly) ?? [];
}

/** Records the mapper previews: the ones sent, else the last run's into the node. */
export function sampleRecords(
  runState: RunStateStore,
  ws: LoadedWorkspace,
  ref: { flowId: string; nodeId: string },
  given: SampleRecord[] | undefined,
): { records: SampleRecord[]; sample: 'given' | 'last-run' | 'none' } {
  if (given) return { records: given, sample: 'given' };
  const last = lastRunInput(runState, ws.workspace.id, ref.flowId, ref.nodeId);
  return last ? { records: last, sample: 'last-run' } : { records: [], sample: 'none' };
}

/** What the mapper's two columns show, and why a column is empty. */
export function mappingFieldsOf(
  registry: ConnectorRegistry,
  ws: LoadedWorkspace,
  flow: Flow,
  nodeId: string,
  samples: readonly SampleRecord[],
): Omit<MappingFields, 'defaultMapping'> {
  const path = mapNodePath(flow, nodeId);
  const notes: string[] = [];
  const sourceEntity = path.source ? entityOfNode(registry, ws.connections, path.source) : undefined;
  if (!path.source && !path.upstreamMap) notes.push('No source is connected to this node yet.');
  const source = endpointOf(path.source);
  const sourceFields = mergeSourceFields(
    path.upstreamMap ? upstreamMapFields(path.upstreamMap) : [],
    catalogSourceFields(sourceEntity, path.source),
    fieldsOfRecords(samples),
  );
  const node = flow.nodes.find((n) => n.id === nodeId);
  // A lookup writes nothing: its other column is the entity it looks in, whose fields its match rows compare.
  if (node?.kind === 'lookup') {
    const lookup = lookupFieldsOf(registry, ws.connections, node);
    return {
      ...(source ? { source } : {}),
      sourceFields,
      destinationFields: [],
      lookupFields: lookup.fields,
      notes: lookup.note ? [...notes, lookup.note] : notes,
    };
  }
  const destinationEntity = path.destination ? entityOfNode(registry, ws.connections, path.destination) : undefined;
  if (!path.destination) notes.push('No destination follows this node: type the target fields.');
  else if (!destinationEntity)
    notes.push(
      `The destination "${path.destination.name ?? path.destination.id}" has no entity with a field list: type the target fields.`,
    );
  const destination = endpointOf(path.destination);
  return {
    ...(source ? { source } : {}),
    ...(destination ? { destination } : {}),
    sourceFields,
    destinationFields: destinationFieldsOf(registry, ws, path.destination),
    notes,
  };
}

function endpointOf(node: FlowNode | undefined): MappingEndpoint | undefined {
  return (
    node && {
      nodeId: node.id,
      connector: node.type,
      ...(typeof node.config.entity === 'string' ? { entity: node.config.entity } : {}),
    }
  );
}

export function mapperHandlers(deps: MapperDeps): MapperHandlers {
  return {
    mappingFields: async (ref) => {
      const ws = await deps.workspace();
      const { flow } = await flowAndNode(ws, ref);
      const { records } = sampleRecords(deps.runState, ws, ref, ref.records);
      const fields = mappingFieldsOf(deps.registry, ws, flow, ref.nodeId, records);
      const defaultMapping = await defaultMappingOfNode(deps, flow, ref.nodeId, fields);
      return defaultMapping ? { ...fields, defaultMapping } : fields;
    },
    previewMapping: async (ref) => {
      const ws = await deps.workspace();
      const { flow } = await flowAndNode(ws, ref);
      const { records, sample } = sampleRecords(deps.runState, ws, ref, ref.records);
      const { destination } = mapNodePath(flow, ref.nodeId);
      // All of the entity's fields, read-only ones too: the preview says when a mapping writes one.
      const targetFields = destination && entityOfNode(deps.registry, ws.connections, destination)?.fields;
      // previewMapping reports a half-typed config as problems by path and previews the rest.
      const preview = await previewMapping(ref.config as MapConfig, records, {
        valueMaps: ws.valueMaps,
        ...(targetFields ? { targetFields } : {}),
      });
      return { ...preview, sample };
    },
    fetchSample: async (ref) => {
      const ws = await deps.workspace();
      const { flow } = await flowAndNode(ws, ref);
      const records = await readSample(flow, ref.nodeId, deps.runContext(ws), ref.limit ?? DEFAULT_SAMPLE_SIZE);
      return { records };
    },
  };
}
