import type { ValueMapDraft } from '../../core/model/mapper-contract.js';
import type { ValueMapFile } from '../../core/model/mapping.js';
import { api } from '../api/client.js';
import { editNodeConfig, errorText } from './actions.js';
import { useFlowStore } from './flow-store.js';
import { useMapperStore, useValueMapStore } from './mapper-store.js';
import { useUiStore } from './ui-store.js';

/** The mapper's use cases: each calls the contract and updates the stores; the components stay thin. */

function report(error: unknown): void {
  useUiStore.getState().toast('error', errorText(error));
}

export function openMapper(nodeId: string): void {
  useMapperStore.getState().open(nodeId);
  void loadMapperFields();
  void loadValueMaps();
}

export function closeMapper(): void {
  clearTimeout(previewTimer);
  previewSeq++;
  useMapperStore.getState().close();
}

/** The editor's flow goes along: the node may be new, or its neighbours changed, since the last save. */
function target():
  { flowId: string; nodeId: string; flow: NonNullable<ReturnType<typeof useFlowStore.getState>['flow']> } | undefined {
  const { nodeId } = useMapperStore.getState();
  const { flow } = useFlowStore.getState();
  if (!nodeId || !flow) return undefined;
  return { flowId: flow.id, nodeId, flow };
}

export async function loadMapperFields(): Promise<void> {
  const ref = target();
  if (!ref) return;
  const sample = useMapperStore.getState().sample;
  try {
    const fields = await api().mappingFields({ ...ref, ...(sample ? { records: sample } : {}) });
    if (useMapperStore.getState().nodeId === ref.nodeId) useMapperStore.getState().set({ fields, fieldsError: null });
  } catch (error) {
    if (useMapperStore.getState().nodeId === ref.nodeId)
      useMapperStore.getState().set({ fieldsError: errorText(error) });
  }
}

/** Reads a few records through the flow before the node (a dry run), for fields and the preview. */
export async function fetchSample(limit = 10): Promise<void> {
  const ref = target();
  if (!ref) return;
  useMapperStore.getState().set({ sampleBusy: true });
  try {
    const { records } = await api().fetchSample({ ...ref, limit });
    if (useMapperStore.getState().nodeId !== ref.nodeId) return;
    useMapperStore.getState().set({ sample: records, sampleBusy: false });
    await loadMapperFields();
    schedulePreview(0);
  } catch (error) {
    useMapperStore.getState().set({ sampleBusy: false });
    report(error);
  }
}

let previewTimer: ReturnType<typeof setTimeout> | undefined;
let previewSeq = 0;

/** Typing calls this on every change; the preview asks the engine once the typing pauses. */
export function schedulePreview(delayMs = 300): void {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => void previewNow(), delayMs);
}

export async function previewNow(): Promise<void> {
  const ref = target();
  if (!ref) return;
  const node = ref.flow.nodes.find((n) => n.id === ref.nodeId);
  if (!node) return;
  const seq = ++previewSeq;
  const sample = useMapperStore.getState().sample;
  try {
    const preview = await api().previewMapping({ ...ref, config: node.config, ...(sample ? { records: sample } : {}) });
    if (seq === previewSeq) useMapperStore.getState().set({ preview, previewError: null });
  } catch (error) {
    if (seq === previewSeq) useMapperStore.getState().set({ previewError: errorText(error) });
  }
}

/**
 * Puts the shipped default mapping back (one undo step). Value maps it uses that the workspace lacks are added
 * first; ones the workspace has are kept as they are (they may have been edited on purpose).
 */
export async function resetToDefaults(): Promise<void> {
  const ref = target();
  const defaults = useMapperStore.getState().fields?.defaultMapping;
  useMapperStore.getState().set({ confirmingReset: false });
  if (!ref || !defaults) return;
  try {
    const existing = new Set((await api().listValueMaps({})).map((m) => m.id));
    for (const valueMap of defaults.valueMaps) {
      if (!existing.has(valueMap.id)) await api().saveValueMap({ valueMap });
    }
    editNodeConfig(ref.nodeId, structuredClone(defaults.mapping));
    await loadValueMaps();
    useUiStore.getState().toast('info', 'The default mapping is back');
  } catch (error) {
    report(error);
  }
}

export async function loadValueMaps(): Promise<void> {
  try {
    useValueMapStore.getState().setValueMaps(await api().listValueMaps({}));
  } catch (error) {
    report(error);
  }
}

/** Saves a value map; the caller shows problems (the error's `problems` name the field). */
export async function saveValueMap(draft: ValueMapDraft): Promise<ValueMapFile> {
  const saved = await api().saveValueMap({ valueMap: draft });
  await loadValueMaps();
  schedulePreview(0);
  return saved;
}

export async function deleteValueMap(id: string): Promise<void> {
  try {
    await api().deleteValueMap({ valueMapId: id });
    await loadValueMaps();
    schedulePreview(0);
  } catch (error) {
    report(error);
  }
}
