import { api } from '../api/client.js';
import { errorText, openFlow, refreshWorkspace } from './actions.js';
import { DATA_PAGE_SIZE, useDemoStore } from './demo-store.js';
import { useUiStore } from './ui-store.js';
import { useWorkspaceStore } from './workspace-store.js';

export async function loadDemoStatus(): Promise<void> {
  try {
    useDemoStore.getState().set({ systems: (await api().demoSystemsStatus({})).systems });
  } catch {
    // A host without demo systems: the section stays with its start button, which then says why.
  }
}

/** "Start demo systems": the host starts them and readies the open workspace; the first new flow opens. */
export async function startDemoSystems(): Promise<void> {
  const demo = useDemoStore.getState();
  if (demo.starting) return;
  demo.set({ starting: true, messages: [] });
  try {
    const started = await api().startDemoSystems({});
    useDemoStore.getState().set({ systems: started.systems, messages: started.messages });
    await refreshWorkspace();
    const first = started.createdFlows[0];
    if (first && !useWorkspaceStore.getState().openFlowId) await openFlow(first.id);
    const running = started.systems.filter((s) => s.running).length;
    useUiStore.getState().toast('info', `${running} of ${started.systems.length} demo systems running`);
  } catch (error) {
    useDemoStore.getState().set({ messages: [errorText(error)] });
  } finally {
    useDemoStore.getState().set({ starting: false });
  }
}

/** The current page of the chosen entity, with fresh counts: after a run, records appear on the first page. */
export async function refreshDataBrowser(): Promise<void> {
  const { system, entity, offset } = useDemoStore.getState();
  if (!system) return;
  useDemoStore.getState().set({ loading: true, error: null });
  try {
    const entities = await api().demoEntities({ system });
    const kept = entity && entities.some((e) => e.name === entity) ? entity : undefined;
    const chosen = kept ?? entities.find((e) => e.count > 0)?.name ?? null;
    const page = chosen ? await api().browseDemoData({ system, entity: chosen, limit: DATA_PAGE_SIZE, offset }) : null;
    if (useDemoStore.getState().system === system) useDemoStore.getState().set({ entities, entity: chosen, page });
  } catch (error) {
    useDemoStore.getState().set({ error: errorText(error), page: null });
  } finally {
    useDemoStore.getState().set({ loading: false });
  }
}

export function openDataBrowser(system?: string): void {
  const { systems, system: current } = useDemoStore.getState();
  const chosen = system ?? current ?? systems.find((s) => s.running)?.id ?? null;
  useDemoStore.getState().set({ browserOpen: true });
  if (chosen !== current) chooseSystem(chosen);
  else void refreshDataBrowser();
}

export function chooseSystem(system: string | null): void {
  useDemoStore.getState().set({ system, entity: null, entities: [], offset: 0, page: null });
  void refreshDataBrowser();
}

export function chooseEntity(entity: string): void {
  useDemoStore.getState().set({ entity, offset: 0 });
  void refreshDataBrowser();
}

export function turnPage(direction: 1 | -1): void {
  const { offset, page } = useDemoStore.getState();
  const next = Math.max(0, offset + direction * DATA_PAGE_SIZE);
  if (page && next >= page.total && direction > 0) return;
  useDemoStore.getState().set({ offset: next });
  void refreshDataBrowser();
}
