import type { ApiEvent, FileChange } from '../../core/model/contract.js';
import type { ValidationProblem } from '../../core/model/validation-error.js';
import { api } from '../api/client.js';
import { updateNode } from './flow-edits.js';
import { useFlowStore } from './flow-store.js';
import { loadValueMaps } from './mapper-actions.js';
import { useValueMapStore } from './mapper-store.js';
import { useRunStore } from './run-store.js';
import { loadSecretStatus } from './secret-status-store.js';
import { useUiStore } from './ui-store.js';
import { useWorkspaceStore } from './workspace-store.js';
import { onAuthorizationEvent } from './sign-in-actions.js';

/** The renderer's use cases: each calls the contract and updates the stores. Components stay thin. */

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function problemsOf(error: unknown): ValidationProblem[] {
  const problems = (error as { problems?: ValidationProblem[] } | null)?.problems;
  return Array.isArray(problems) ? problems : [];
}

function report(error: unknown): void {
  useUiStore.getState().toast('error', errorText(error));
}

export async function refreshWorkspace(): Promise<void> {
  const workspace = await api().currentWorkspace({});
  useWorkspaceStore.getState().setWorkspace(workspace);
}

export async function boot(): Promise<void> {
  const ws = useWorkspaceStore.getState();
  const [workspace, connectors, recent, preferences] = await Promise.all([
    api().currentWorkspace({}),
    api().listConnectors({}),
    api().recentWorkspaces({}),
    api()
      .preferences({})
      .catch(() => ({ theme: undefined })),
  ]);
  // The settings file wins over this browser's memory: `ferry serve` gets a new origin (port) every launch.
  if (preferences.theme === 'light' || preferences.theme === 'dark') useUiStore.getState().setTheme(preferences.theme);
  void loadSecretStatus();
  ws.setConnectors(connectors);
  ws.setRecent(recent);
  ws.setWorkspace(workspace);
  const first = workspace?.flows[0];
  if (first) await openFlow(first.id);
}

let opening: string | undefined;

/** The theme is an app preference: remembered in the settings file (electron-store / conf), not per browser. */
export function chooseTheme(theme: 'light' | 'dark'): void {
  useUiStore.getState().setTheme(theme);
  api()
    .savePreferences({ theme })
    .catch((error: unknown) => report(error));
}

export async function openWorkspace(dir: string): Promise<void> {
  opening = dir;
  try {
    const workspace = await api().openWorkspace({ dir });
    useWorkspaceStore.getState().setWorkspace(workspace);
    useWorkspaceStore.getState().setRecent(await api().recentWorkspaces({}));
    useFlowStore.getState().close();
    useWorkspaceStore.getState().setOpenFlowId(null);
    useRunStore.getState().reset();
    const first = workspace.flows[0];
    if (first) await openFlow(first.id);
  } catch (error) {
    report(error);
  } finally {
    opening = undefined;
  }
}

export async function openFlow(flowId: string): Promise<void> {
  try {
    const doc = await api().loadFlow({ flowId });
    useFlowStore.getState().open(doc);
    useWorkspaceStore.getState().setOpenFlowId(flowId);
    useUiStore.getState().select([]);
    useRunStore.getState().reset();
    await showLastRun(flowId);
  } catch (error) {
    report(error);
  }
}

/** The preview table shows the last run's records, also after reopening a flow. */
async function showLastRun(flowId: string): Promise<void> {
  const [last] = await api().listRuns({ flowId, limit: 1 });
  if (last && last.status !== 'running') useRunStore.getState().setDetail(await api().getRun({ runId: last.runId }));
}

export async function createFlow(name: string): Promise<void> {
  try {
    const doc = await api().createFlow({ name });
    await refreshWorkspace();
    useFlowStore.getState().open(doc);
    useWorkspaceStore.getState().setOpenFlowId(doc.flow.id);
    useRunStore.getState().reset();
  } catch (error) {
    report(error);
  }
}

export async function saveFlow(): Promise<boolean> {
  const { flow } = useFlowStore.getState();
  if (!flow) return false;
  try {
    const doc = await api().saveFlow({ flow });
    useFlowStore.getState().markSaved(doc);
    useUiStore.getState().toast('info', `Saved ${flow.name}`);
    await refreshWorkspace();
    return true;
  } catch (error) {
    report(error);
    return false;
  }
}

/** One undo step per typing burst in one field: the flow store folds edits that share a key. */
export function editNodeConfig(nodeId: string, config: Record<string, unknown>, fieldPath?: string): void {
  const key = fieldPath === undefined ? undefined : `config:${nodeId}:${fieldPath}`;
  useFlowStore.getState().edit((flow) => updateNode(flow, nodeId, { config }), key);
  scheduleValidation();
}

let validationTimer: ReturnType<typeof setTimeout> | undefined;
let validationSeq = 0;

/** Validation runs in the engine with the connectors' own zod schemas: the canvas shows exactly what a run would refuse. */
export function scheduleValidation(delayMs = 250): void {
  clearTimeout(validationTimer);
  validationTimer = setTimeout(() => void validateNow(), delayMs);
}

export async function validateNow(): Promise<void> {
  const { flow } = useFlowStore.getState();
  if (!flow) return;
  const seq = ++validationSeq;
  try {
    const doc = await api().validateFlow({ flow });
    if (seq === validationSeq && useFlowStore.getState().flow === flow)
      useFlowStore.getState().setProblems(doc.problems);
  } catch (error) {
    if (seq === validationSeq) useFlowStore.getState().setProblems(problemsOf(error));
  }
}

export async function startRun(dryRun: boolean): Promise<void> {
  const { flow, dirty } = useFlowStore.getState();
  if (!flow) return;
  const run = useRunStore.getState();
  if (run.phase === 'running' || run.phase === 'starting') return;
  run.starting(flow.id, dryRun);
  useUiStore.getState().setBottomTab('run');
  try {
    const { runId } = await api().startRun({ flowId: flow.id, dryRun, ...(dirty ? { flow } : {}) });
    useRunStore.getState().started(runId);
  } catch (error) {
    const problems = problemsOf(error);
    if (problems.length) useFlowStore.getState().setProblems(problems);
    useRunStore.getState().failedToStart(errorText(error));
    report(error);
  }
}

export async function cancelRun(): Promise<void> {
  const { runId } = useRunStore.getState();
  if (runId) await api().cancelRun({ runId }).catch(report);
}

export async function openRun(runId: string): Promise<void> {
  try {
    useRunStore.getState().setDetail(await api().getRun({ runId }));
  } catch (error) {
    report(error);
  }
}

async function onFilesChanged(changes: FileChange[]): Promise<void> {
  if (changes.some((c) => c.kind === 'value-map') && useValueMapStore.getState().loaded) void loadValueMaps();
  await refreshWorkspace().catch(report);
  const openId = useWorkspaceStore.getState().openFlowId;
  const mine = changes.find((c) => c.kind === 'flow' && c.id === openId);
  if (!mine || !openId) return;
  if (mine.change === 'removed') {
    useUiStore.getState().toast('info', `The flow file of ${openId} was removed on disk`);
    useFlowStore.getState().setChangedOnDisk(true);
    return;
  }
  if (useFlowStore.getState().dirty) useFlowStore.getState().setChangedOnDisk(true);
  else await reloadFromDisk();
}

export async function reloadFromDisk(): Promise<void> {
  const openId = useWorkspaceStore.getState().openFlowId;
  if (!openId) return;
  try {
    useFlowStore.getState().open(await api().loadFlow({ flowId: openId }));
  } catch (error) {
    report(error);
  }
}

/** Commands from the desktop menu or keyboard shortcuts. */
export const commands = {
  save: () => void saveFlow(),
  undo: () => useFlowStore.getState().undo(),
  redo: () => useFlowStore.getState().redo(),
  run: () => void startRun(false),
  'dry-run': () => void startRun(true),
  help: () => useUiStore.getState().setHelpOpen(true),
  'new-flow': () => {
    const name = window.prompt('Name of the new flow');
    if (name?.trim()) void createFlow(name.trim());
  },
  'fit-view': () => window.dispatchEvent(new Event('ferry:fit-view')),
};

export function handleEvent(event: ApiEvent): void {
  switch (event.type) {
    case 'run': {
      useRunStore.getState().apply(event.event);
      const run = useRunStore.getState();
      if (event.event.type === 'run-finished' && run.runId === event.event.runId) void openRun(event.event.runId);
      return;
    }
    case 'files-changed':
      void onFilesChanged(event.changes);
      return;
    case 'workspace-opened':
      // The desktop menu opened another workspace (our own opens announce themselves too: skip those).
      if (opening === undefined && useWorkspaceStore.getState().workspace?.dir !== event.workspace.dir)
        void openWorkspace(event.workspace.dir);
      return;
    case 'command':
      commands[event.command]();
      return;
    case 'authorization':
      void onAuthorizationEvent(event);
      return;
  }
}
