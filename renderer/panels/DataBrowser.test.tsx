// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FerryApi } from '../../core/model/contract.js';
import type { DemoSystemState } from '../../core/model/demo-contract.js';
import type { RunSummary } from '../../core/model/run.js';
import { setApi } from '../api/client.js';
import { useDemoStore } from '../state/demo-store.js';
import { useRunStore } from '../state/run-store.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { DataBrowser } from './DataBrowser.js';
import { DemoSystemsSection } from './DemoSystemsSection.js';

const bc: DemoSystemState = {
  id: 'business-central',
  name: 'Business Central',
  running: false,
  message: 'not started',
};
const running: DemoSystemState[] = [
  {
    ...bc,
    running: true,
    url: 'http://127.0.0.1:4020',
    message: 'Demo Business Central at …',
    connectionId: 'bc-demo',
  },
];
const items = (total: number, offset: number) => ({
  columns: ['number', 'displayName'],
  rows: Array.from({ length: Math.min(25, total - offset) }, (_, i) => ({
    number: `N${offset + i}`,
    displayName: 'x',
  })),
  total,
});

const demoSystemsStatus = vi.fn<FerryApi['demoSystemsStatus']>();
const startDemoSystems = vi.fn<FerryApi['startDemoSystems']>();
const demoEntities = vi.fn<FerryApi['demoEntities']>();
const browseDemoData = vi.fn<FerryApi['browseDemoData']>();
const currentWorkspace = vi.fn<FerryApi['currentWorkspace']>();

beforeEach(() => {
  for (const f of [demoSystemsStatus, startDemoSystems, demoEntities, browseDemoData]) f.mockReset();
  demoSystemsStatus.mockResolvedValue({ systems: [bc] });
  currentWorkspace.mockResolvedValue(null);
  demoEntities.mockResolvedValue([
    { name: 'customers', count: 0 },
    { name: 'items', count: 30 },
  ]);
  browseDemoData.mockImplementation(async ({ offset }) => items(30, offset ?? 0));
  const api = { demoSystemsStatus, startDemoSystems, demoEntities, browseDemoData, currentWorkspace };
  setApi(api as unknown as FerryApi);
  useDemoStore.setState({ systems: [], messages: [], browserOpen: false, system: null, entity: null });
  useDemoStore.setState({ offset: 0, page: null });
  useWorkspaceStore.getState().setWorkspace(null);
  useRunStore.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(undefined);
});

describe('demo systems and the data browser', () => {
  it('start from the sidebar, list what runs and what was done, then browse a system newest first', async () => {
    startDemoSystems.mockResolvedValue({
      systems: running,
      messages: ['Created the connection "Business Central (demo)"'],
      createdFlows: [],
    });
    render(
      <>
        <DemoSystemsSection />
        <DataBrowser />
      </>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Start demo systems' }));
    await screen.findByText('Created the connection "Business Central (demo)"');
    expect(screen.getByTestId('demo-systems').textContent).toContain('Business Central');
    expect(screen.queryByRole('button', { name: 'Start demo systems' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Browse' }));
    await screen.findByTestId('data-browser-table');
    // The first entity with records is shown.
    const expected = { system: 'business-central', entity: 'items', limit: 25, offset: 0 };
    expect(browseDemoData).toHaveBeenLastCalledWith(expected);
    expect(screen.getByTestId('data-browser-range').textContent).toBe('1–25 of 30');
    expect(screen.getByLabelText('Entity')).toHaveProperty('value', 'items');

    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(screen.getByTestId('data-browser-range').textContent).toBe('26–30 of 30'));
    expect(screen.getAllByRole('row')).toHaveLength(6);
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('refreshes by itself when a run finishes', async () => {
    useDemoStore.setState({ systems: running });
    demoSystemsStatus.mockResolvedValue({ systems: running });
    render(<DataBrowser />);
    await act(async () => useDemoStore.getState().set({ browserOpen: true, system: 'business-central' }));
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await screen.findByTestId('data-browser-table');
    const calls = browseDemoData.mock.calls.length;
    browseDemoData.mockImplementation(async ({ offset }) => items(65, offset ?? 0));
    await act(async () => {
      useRunStore.setState({ summary: { finishedAt: '2025-01-01T00:00:00Z' } as RunSummary });
    });
    await waitFor(() => expect(screen.getByTestId('data-browser-range').textContent).toBe('1–25 of 65'));
    expect(browseDemoData.mock.calls.length).toBe(calls + 1);
  });
});
