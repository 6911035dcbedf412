import { create } from 'zustand';
import { toCanonicalJson } from '../../core/model/canonical-json.js';
import type { FlowDocument } from '../../core/model/contract.js';
import type { Flow } from '../../core/model/flow.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1000;
let lastEdit: { key: string; at: number } | undefined;

export interface FlowState {
  flow: Flow | null;
  /** Canonical JSON of the flow as last loaded or saved: the unsaved-changes marker compares against it. */
  savedJson: string;
  dirty: boolean;
  problems: ValidationProblem[];
  past: Flow[];
  future: Flow[];
  /** The file changed on disk while this flow had unsaved edits: the user chooses. */
  changedOnDisk: boolean;
  open(doc: FlowDocument): void;
  close(): void;
  /**
   * Applies an edit as one undo step (no-op edits leave history alone). Edits with the same `coalesceKey` in quick
   * succession (typing in one field) share one step.
   */
  edit(recipe: (flow: Flow) => Flow, coalesceKey?: string): void;
  undo(): void;
  redo(): void;
  setProblems(problems: ValidationProblem[]): void;
  markSaved(doc: FlowDocument): void;
  setChangedOnDisk(changed: boolean): void;
}

function isDirty(flow: Flow | null, savedJson: string): boolean {
  return flow !== null && toCanonicalJson(flow) !== savedJson;
}

/** The core Flow model, the single truth of the canvas: React Flow's nodes and edges are derived from it. */
export const useFlowStore = create<FlowState>()((set, get) => ({
  flow: null,
  savedJson: '',
  dirty: false,
  problems: [],
  past: [],
  future: [],
  changedOnDisk: false,
  open: (doc) =>
    set({
      flow: doc.flow,
      savedJson: toCanonicalJson(doc.flow),
      dirty: false,
      problems: doc.problems,
      past: [],
      future: [],
      changedOnDisk: false,
    }),
  close: () =>
    set({ flow: null, savedJson: '', dirty: false, problems: [], past: [], future: [], changedOnDisk: false }),
  edit: (recipe, coalesceKey) => {
    const { flow, past, savedJson } = get();
    if (!flow) return;
    const next = recipe(flow);
    if (next === flow) return;
    const now = Date.now();
    const coalesce = coalesceKey !== undefined && lastEdit?.key === coalesceKey && now - lastEdit.at < COALESCE_MS;
    lastEdit = coalesceKey === undefined ? undefined : { key: coalesceKey, at: now };
    if (coalesce && past.length > 0) {
      set({ flow: next, future: [], dirty: isDirty(next, savedJson) });
      return;
    }
    set({
      flow: next,
      past: [...past, flow].slice(-HISTORY_LIMIT),
      future: [],
      dirty: isDirty(next, savedJson),
    });
  },
  undo: () => {
    lastEdit = undefined;
    const { flow, past, future, savedJson } = get();
    const previous = past.at(-1);
    if (!flow || !previous) return;
    set({ flow: previous, past: past.slice(0, -1), future: [flow, ...future], dirty: isDirty(previous, savedJson) });
  },
  redo: () => {
    const { flow, past, future, savedJson } = get();
    const next = future[0];
    if (!flow || !next) return;
    set({ flow: next, past: [...past, flow], future: future.slice(1), dirty: isDirty(next, savedJson) });
  },
  setProblems: (problems) => set({ problems }),
  markSaved: (doc) => {
    const savedJson = toCanonicalJson(doc.flow);
    set({ savedJson, problems: doc.problems, dirty: isDirty(get().flow, savedJson), changedOnDisk: false });
  },
  setChangedOnDisk: (changedOnDisk) => set({ changedOnDisk }),
}));
