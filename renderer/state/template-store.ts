import { create } from 'zustand';
import type { TemplateSummary } from '../../core/model/demo-contract.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';

/** "New flow from template": the dialog's own small store (the canvas never re-renders for it). */
export interface TemplateDialogState {
  open: boolean;
  templates: TemplateSummary[];
  /** Templates the host could not read, or why the list could not be loaded. */
  notes: string[];
  templateId: string | null;
  name: string;
  settings: Record<string, unknown>;
  /** Role → connection id chosen in the pickers. */
  connections: Record<string, string>;
  /** From the host: `settings.<key>`, `connections.<role>`, or a flow problem. */
  problems: ValidationProblem[];
  busy: boolean;
  show(templates: TemplateSummary[], notes: string[]): void;
  close(): void;
  choose(template: TemplateSummary, connections: Record<string, string>): void;
  setName(name: string): void;
  setSettings(settings: Record<string, unknown>): void;
  setConnection(role: string, id: string): void;
  setProblems(problems: ValidationProblem[]): void;
  setBusy(busy: boolean): void;
}

const closed = {
  open: false,
  templates: [],
  notes: [],
  templateId: null,
  name: '',
  settings: {},
  connections: {},
  problems: [],
  busy: false,
};

export const useTemplateDialog = create<TemplateDialogState>()((set) => ({
  ...closed,
  show: (templates, notes) => set({ ...closed, open: true, templates, notes }),
  close: () => set(closed),
  choose: (template, connections) =>
    set({ templateId: template.id, name: template.name, settings: {}, connections, problems: [] }),
  setName: (name) => set({ name }),
  setSettings: (settings) => set({ settings }),
  setConnection: (role, id) => set((s) => ({ connections: { ...s.connections, [role]: id } })),
  setProblems: (problems) => set({ problems }),
  setBusy: (busy) => set({ busy }),
}));
