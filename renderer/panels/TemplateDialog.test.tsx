// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ConnectionSummary, type FerryApi, type WorkspaceSummary } from '../../core/model/contract.js';
import type { TemplateSummary } from '../../core/model/demo-contract.js';
import { type TemplateManifest, templateSettingsFormSchema } from '../../core/model/template.js';
import { setApi } from '../api/client.js';
import { openTemplateDialog } from '../state/template-actions.js';
import { useTemplateDialog } from '../state/template-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { Sidebar } from './Sidebar.js';
import { TemplateDialog } from './TemplateDialog.js';

const settings: TemplateManifest['settings'] = {
  operation: { type: 'choice', title: 'Existing items', options: ['upsert', 'createOnly'], default: 'upsert' },
  postingGroup: { type: 'string', title: 'Posting group', required: true, default: 'RETAIL' },
};
const template: TemplateSummary = {
  id: 'acu-to-bc',
  name: 'Acumatica → BC',
  description: 'Stock items as items.',
  connectors: { source: 'acumatica', destination: 'business-central' },
  settingsSchema: templateSettingsFormSchema({ settings }),
  valueMaps: [],
};
const other: TemplateSummary = { ...template, id: 'other', name: 'Other', connectors: { source: 'http' } };
const connection = (id: string, connector: string): ConnectionSummary => ({
  id,
  name: `${id} name`,
  connector,
  settings: {},
  secretFields: [],
  storedSecrets: [],
});
const workspace: WorkspaceSummary = {
  dir: '/ws',
  id: 'ws',
  name: 'WS',
  flows: [],
  problems: [],
  connections: [
    connection('acu', 'acumatica'),
    connection('bc1', 'business-central'),
    connection('bc2', 'business-central'),
    connection('shop', 'http'),
  ],
};

const listTemplates = vi.fn<FerryApi['listTemplates']>();
const createFlowFromTemplate = vi.fn<FerryApi['createFlowFromTemplate']>();
const currentWorkspace = vi.fn<FerryApi['currentWorkspace']>();
const listRuns = vi.fn<FerryApi['listRuns']>();
const demoSystemsStatus = vi.fn<FerryApi['demoSystemsStatus']>();

beforeEach(() => {
  for (const f of [listTemplates, createFlowFromTemplate, currentWorkspace]) f.mockReset();
  listTemplates.mockResolvedValue({ templates: [template, other], problems: [] });
  currentWorkspace.mockResolvedValue(workspace);
  listRuns.mockResolvedValue([]);
  demoSystemsStatus.mockResolvedValue({ systems: [] });
  const api = { listTemplates, createFlowFromTemplate, currentWorkspace, listRuns, demoSystemsStatus };
  setApi(api as unknown as FerryApi);
  useWorkspaceStore.getState().setWorkspace(workspace);
  useTemplateDialog.getState().close();
});
afterEach(() => {
  cleanup();
  setApi(undefined);
});

const picker = (role: string) =>
  document.querySelector<HTMLSelectElement>(`[data-field="connections.${role}"] select`)!;
const optionTexts = (el: HTMLSelectElement) => [...el.options].map((o) => o.text);

describe('New flow from template', () => {
  it('lists templates; the chosen one shows connection pickers filtered by connector and its settings form', async () => {
    render(
      <>
        <Sidebar />
        <TemplateDialog />
      </>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'New flow from template' }));
    const dialog = await screen.findByRole('dialog', { name: 'New flow from template' });
    expect(dialog.textContent).toContain('Choose a template.');
    fireEvent.click(screen.getByRole('button', { name: /Acumatica → BC/ }));
    expect(screen.getByText('Stock items as items.')).toBeTruthy();
    expect(optionTexts(picker('source'))).toEqual(['— choose —', 'acu name']);
    expect(picker('source').value).toBe('acu'); // the only Acumatica connection is preselected
    expect(optionTexts(picker('destination'))).toEqual(['— choose —', 'bc1 name', 'bc2 name']);
    expect(picker('destination').value).toBe('');
    expect(screen.getByText('Existing items')).toBeTruthy();
    expect(screen.getByText('Posting group')).toBeTruthy();
    expect((screen.getByLabelText('Flow name') as HTMLInputElement).value).toBe('Acumatica → BC');
  });

  it('creates the flow with the chosen values and opens it', async () => {
    createFlowFromTemplate.mockResolvedValue({
      flow: { schemaVersion: 2, id: 'items', name: 'Items', nodes: [], edges: [] },
      problems: [],
      connections: { source: 'acu', destination: 'bc2' },
      createdConnections: [],
      addedValueMaps: [],
    });
    render(<TemplateDialog />);
    await act(() => openTemplateDialog());
    fireEvent.click(screen.getByRole('button', { name: /Acumatica → BC/ }));
    fireEvent.change(picker('destination'), { target: { value: 'bc2' } });
    fireEvent.change(screen.getByLabelText('Flow name'), { target: { value: 'Items' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create flow' }));
    await waitFor(() => expect(useTemplateDialog.getState().open).toBe(false));
    expect(createFlowFromTemplate).toHaveBeenCalledWith({
      templateId: 'acu-to-bc',
      settings: {},
      connections: { source: 'acu', destination: 'bc2' },
      name: 'Items',
    });
    expect(useWorkspaceStore.getState().openFlowId).toBe('items');
  });

  it('shows the host’s problems next to the setting and the connection they name', async () => {
    createFlowFromTemplate.mockRejectedValue(
      new ApiError({
        code: 'invalid-input',
        message: 'invalid',
        problems: [
          { path: 'settings.postingGroup', message: 'must not be empty' },
          { path: 'connections.destination', message: 'choose the business-central connection: bc1, bc2' },
        ],
      }),
    );
    render(<TemplateDialog />);
    await act(() => openTemplateDialog());
    fireEvent.click(screen.getByRole('button', { name: /Acumatica → BC/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Create flow' }));
    await screen.findByText('must not be empty');
    expect(document.querySelector('[data-field="postingGroup"] .field-error')?.textContent).toBe('must not be empty');
    expect(document.querySelector('[data-field="connections.destination"] .field-error')?.textContent).toBe(
      'choose the business-central connection: bc1, bc2',
    );
    expect(useTemplateDialog.getState().open).toBe(true);
  });
});
