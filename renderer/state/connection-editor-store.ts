import { create } from 'zustand';
import type { ConnectionSummary } from '../../core/model/contract.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';

export type ConnectionTest =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'passed'; message: string; details: string[]; warnings: string[]; token: string }
  | { status: 'failed'; message: string; details: string[] };

export interface ConnectionEditorState {
  open: boolean;
  /** The connection being edited; null while creating one. */
  originalId: string | null;
  name: string;
  connector: string;
  settings: Record<string, unknown>;
  /** What the user typed into secret fields: replaces the stored value on save. Never filled from the host. */
  secrets: Record<string, string>;
  /** The connection's pool: its own level (empty: the connector's default) or another connection's pool. */
  concurrency: { level?: number; borrowFrom?: string };
  /** Secret fields the secret store holds for the connection being edited. */
  stored: string[];
  /** From the host's last test or save: `name`, `settings.baseUrl`, ... */
  problems: ValidationProblem[];
  test: ConnectionTest;
  saving: boolean;
  /** Bumped by every edit: a test that answers after an edit tested other values and is ignored. */
  version: number;
  /** "Saved" after a save that keeps the editor open. */
  notice: string | null;
  /** Edited since opened or saved: what the host would use (a browser sign-in) differs from what is on screen. */
  dirty: boolean;
  openNew(connector: string): void;
  openEdit(connection: ConnectionSummary): void;
  close(): void;
  setName(name: string): void;
  setConnector(connector: string): void;
  setSettings(settings: Record<string, unknown>): void;
  setSecret(field: string, value: string): void;
  setConcurrency(concurrency: { level?: number; borrowFrom?: string }): void;
  setTest(test: ConnectionTest, problems?: ValidationProblem[]): void;
  setSaving(saving: boolean): void;
  setProblems(problems: ValidationProblem[]): void;
}

const closed = {
  open: false,
  originalId: null,
  name: '',
  connector: '',
  settings: {},
  secrets: {},
  concurrency: {},
  stored: [],
  problems: [],
  test: { status: 'idle' } as ConnectionTest,
  saving: false,
  notice: null,
  dirty: false,
};

/** Any change invalidates the last test: Save needs a passing test of exactly the values on screen. */
const edited = (s: ConnectionEditorState) => ({
  test: { status: 'idle' } as ConnectionTest,
  problems: [],
  notice: null,
  dirty: true,
  version: s.version + 1,
});

/** The connection editor's own store, so typing in it re-renders neither the canvas nor the sidebar. */
export const useConnectionEditor = create<ConnectionEditorState>()((set) => ({
  ...closed,
  version: 0,
  openNew: (connector) => set((s) => ({ ...closed, open: true, connector, version: s.version + 1 })),
  openEdit: (c) =>
    set((s) => ({
      ...closed,
      open: true,
      originalId: c.id,
      name: c.name,
      connector: c.connector,
      settings: c.settings,
      stored: c.storedSecrets,
      concurrency: { level: c.concurrency?.level, borrowFrom: c.concurrency?.borrowFrom },
      version: s.version + 1,
    })),
  close: () => set((s) => ({ ...closed, version: s.version + 1 })),
  setName: (name) => set((s) => ({ name, ...edited(s) })),
  setConnector: (connector) => set((s) => ({ connector, settings: {}, secrets: {}, ...edited(s) })),
  setSettings: (settings) => set((s) => ({ settings, ...edited(s) })),
  setSecret: (field, value) => set((s) => ({ secrets: { ...s.secrets, [field]: value }, ...edited(s) })),
  setConcurrency: (concurrency) => set((s) => ({ concurrency, ...edited(s) })),
  setTest: (test, problems = []) => set({ test, problems }),
  setSaving: (saving) => set({ saving }),
  setProblems: (problems) => set({ problems }),
}));
