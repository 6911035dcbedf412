import type { ConnectionSummary } from '../../core/model/contract.js';
import type { TemplateSummary } from '../../core/model/demo-contract.js';
import { formatProblem } from '../../core/model/validation-error.js';
import { api } from '../api/client.js';
import { errorText, problemsOf, refreshWorkspace } from './actions.js';
import { useFlowStore } from './flow-store.js';
import { useRunStore } from './run-store.js';
import { useTemplateDialog } from './template-store.js';
import { useUiStore } from './ui-store.js';
import { connectionsFor, useWorkspaceStore } from './workspace-store.js';

/** Opens "New flow from template" with the host's templates. */
export async function openTemplateDialog(): Promise<void> {
  const dialog = useTemplateDialog.getState();
  try {
    const { templates, problems } = await api().listTemplates({});
    dialog.show(templates, problems.map(formatProblem));
    if (templates.length === 1) chooseTemplate(templates[0]!);
  } catch (error) {
    dialog.show([], [errorText(error)]);
  }
}

/** A role's connection is preselected when the workspace has exactly one of its connector. */
export function preselectedConnections(
  template: TemplateSummary,
  connections: readonly ConnectionSummary[],
): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const [role, connector] of Object.entries(template.connectors)) {
    const matching = connectionsFor([...connections], connector);
    if (matching.length === 1) chosen[role] = matching[0]!.id;
  }
  return chosen;
}

export function chooseTemplate(template: TemplateSummary): void {
  const connections = useWorkspaceStore.getState().workspace?.connections ?? [];
  useTemplateDialog.getState().choose(template, preselectedConnections(template, connections));
}

/** Creates the flow, then opens it; problems stay in the dialog next to their field. */
export async function createFromTemplate(): Promise<void> {
  const dialog = useTemplateDialog.getState();
  if (!dialog.templateId || dialog.busy) return;
  dialog.setBusy(true);
  try {
    const connections = Object.fromEntries(Object.entries(dialog.connections).filter(([, id]) => id !== ''));
    const made = await api().createFlowFromTemplate({
      templateId: dialog.templateId,
      settings: dialog.settings,
      connections,
      name: dialog.name.trim() || undefined,
    });
    await refreshWorkspace();
    useFlowStore.getState().open(made);
    useWorkspaceStore.getState().setOpenFlowId(made.flow.id);
    useRunStore.getState().reset();
    useTemplateDialog.getState().close();
    const extra = made.createdConnections.length ? ` (new connection ${made.createdConnections.join(', ')})` : '';
    useUiStore.getState().toast('info', `Created ${made.flow.name}${extra}`);
  } catch (error) {
    const problems = problemsOf(error);
    useTemplateDialog.getState().setProblems(problems.length ? problems : [{ path: '', message: errorText(error) }]);
  } finally {
    useTemplateDialog.getState().setBusy(false);
  }
}
