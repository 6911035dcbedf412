import { useEffect, useState } from 'react';
import type { MappingFields, SampleRecord } from '../../core/model/mapper-contract.js';
import { api } from '../api/client.js';
import { errorText } from './actions.js';
import { useFlowStore } from './flow-store.js';

export interface NodeFields {
  /** Null until the engine answered (or when it could not). */
  fields: MappingFields | null;
  error?: string;
}

/**
 * What the engine knows of a node's fields (`mappingFields`): the fields coming into it and, for a lookup, those of
 * the entity it looks in. Asked with the editor's flow (the node may be unsaved); asked again when `refresh` changes
 * (the lookup's entity was switched) or a sample was fetched (its records' fields join the incoming ones), and an
 * answer for an earlier question is dropped.
 */
export function useNodeFields(
  nodeId: string | undefined,
  refresh = '',
  records?: readonly SampleRecord[] | null,
): NodeFields {
  const [state, setState] = useState<NodeFields & { key?: string }>({ fields: null });
  const key = `${nodeId ?? ''}\u0000${refresh}`;
  useEffect(() => {
    const flow = useFlowStore.getState().flow;
    if (!flow || !nodeId) return;
    let current = true;
    // Inside the promise: a host that cannot answer (an older one, a test's partial API) is an error shown, not a crash.
    Promise.resolve()
      .then(() => api().mappingFields({ flowId: flow.id, nodeId, flow, ...(records ? { records: [...records] } : {}) }))
      .then(
        (fields) => current && setState({ key, fields }),
        (error: unknown) => current && setState({ key, fields: null, error: errorText(error) }),
      );
    return () => {
      current = false;
    };
  }, [nodeId, key, records]);
  // Until the new answer arrives the previous one stays: a picker does not flash empty while the entity changes.
  return state;
}

/** The first records that reach a node (a dry run of the flow before it, kept in no history), for their fields. */
export async function fetchNodeSample(nodeId: string, limit = 10): Promise<SampleRecord[]> {
  const flow = useFlowStore.getState().flow;
  if (!flow) return [];
  const { records } = await api().fetchSample({ flowId: flow.id, nodeId, flow, limit });
  return records;
}
