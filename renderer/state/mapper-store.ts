import { create } from 'zustand';
import type { MappingFields, PreviewMappingResult, SampleRecord } from '../../core/model/mapper-contract.js';
import type { ValueMapFile } from '../../core/model/mapping.js';

/**
 * The mapper dialog's own state: which map node it edits, the two field columns, the sample and the live preview.
 * The mapping itself stays in the flow store (the node's config), so undo, save and validation work as everywhere.
 */
export interface MapperState {
  /** The map node the mapper is open for. */
  nodeId: string | null;
  fields: MappingFields | null;
  fieldsError: string | null;
  /** A fetched sample (used instead of the last run's records while the mapper is open). */
  sample: SampleRecord[] | null;
  sampleBusy: boolean;
  preview: PreviewMappingResult | null;
  previewError: string | null;
  /** "Reset to defaults" asks first. */
  confirmingReset: boolean;
  open(nodeId: string): void;
  close(): void;
  set(patch: Partial<Omit<MapperState, 'open' | 'close' | 'set'>>): void;
}

const closed = {
  nodeId: null,
  fields: null,
  fieldsError: null,
  sample: null,
  sampleBusy: false,
  preview: null,
  previewError: null,
  confirmingReset: false,
};

export const useMapperStore = create<MapperState>()((set) => ({
  ...closed,
  open: (nodeId) => set({ ...closed, nodeId }),
  close: () => set({ ...closed }),
  set: (patch) => set(patch),
}));

/** The workspace's value maps and the value-map editor's selection. */
export interface ValueMapState {
  valueMaps: ValueMapFile[];
  loaded: boolean;
  editorOpen: boolean;
  /** The map being edited: an id, `new`, or null for the list alone. */
  selected: string | null;
  setValueMaps(valueMaps: ValueMapFile[]): void;
  openEditor(selected?: string | null): void;
  closeEditor(): void;
  select(selected: string | null): void;
}

export const useValueMapStore = create<ValueMapState>()((set) => ({
  valueMaps: [],
  loaded: false,
  editorOpen: false,
  selected: null,
  setValueMaps: (valueMaps) => set({ valueMaps, loaded: true }),
  openEditor: (selected = null) => set({ editorOpen: true, selected }),
  closeEditor: () => set({ editorOpen: false, selected: null }),
  select: (selected) => set({ selected }),
}));
