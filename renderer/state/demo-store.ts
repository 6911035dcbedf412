import { create } from 'zustand';
import type { DemoDataPage, DemoEntity, DemoSystemState } from '../../core/model/demo-contract.js';

export const DATA_PAGE_SIZE = 25;

/** The host's demo systems and the data browser's view of one of them (view state only). */
export interface DemoState {
  systems: DemoSystemState[];
  starting: boolean;
  /** What the last start did in the workspace, or why it failed. */
  messages: string[];
  browserOpen: boolean;
  system: string | null;
  entities: DemoEntity[];
  entity: string | null;
  offset: number;
  page: DemoDataPage | null;
  loading: boolean;
  error: string | null;
  set(patch: Partial<DemoState>): void;
}

export const useDemoStore = create<DemoState>()((set) => ({
  systems: [],
  starting: false,
  messages: [],
  browserOpen: false,
  system: null,
  entities: [],
  entity: null,
  offset: 0,
  page: null,
  loading: false,
  error: null,
  set: (patch) => set(patch),
}));
