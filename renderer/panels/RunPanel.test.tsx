// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../core/model/contract.js';
import type { RunSummary } from '../../core/model/run.js';
import { useFlowStore } from '../state/flow-store.js';
import { useRunStore } from '../state/run-store.js';
import { useUiStore } from '../state/ui-store.js';
import { RunPanel } from './RunPanel.js';

const summary: RunSummary = {
  runId: 'r1',
  flowId: 'f',
  status: 'succeeded',
  dryRun: true,
  startedAt: '2026-11-22T10:00:00.000Z',
  finishedAt: '2026-11-22T10:00:01.500Z',
  durationMs: 1500,
  counts: { created: 16, updated: 0, unchanged: 0, skipped: 0, filtered: 4, failed: 1 },
  nodes: {},
  watermarks: {},
  failures: [{ node: 'dst', sourceNode: 'src', key: '7', error: 'HTTP 400: sku required' }],
};

/** A finished run as the history returns it. */
function storedRun(s: RunSummary, previews: RunDetail['previews']): RunDetail {
  return {
    runId: 'r1',
    flowId: 'f',
    status: 'succeeded',
    dryRun: false,
    startedAt: s.startedAt,
    summary: { ...s, dryRun: false },
    failures: [],
    previews,
  };
}

beforeEach(() => {
  useFlowStore.getState().open({ flow: { schemaVersion: 2, id: 'f', name: 'F', nodes: [], edges: [] }, problems: [] });
  useRunStore.getState().reset();
  useUiStore.getState().setBottomTab('run');
  useUiStore.getState().select([]);
});
afterEach(cleanup);

describe('RunPanel', () => {
  it('shows progress while running, then the would-be summary of a dry run and the failed records', () => {
    render(<RunPanel />);
    act(() => useRunStore.getState().starting('f', true));
    expect(screen.getByRole('progressbar').textContent).toContain('Dry run');
    act(() => {
      useRunStore.getState().apply({ type: 'run-started', runId: 'r1', flowId: 'f', dryRun: true, since: {} });
      useRunStore.getState().apply({ type: 'run-finished', runId: 'r1', summary });
    });
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByTestId('run-summary').textContent).toContain('Dry run succeeded');
    expect(screen.getByTestId('summary-created').textContent).toBe('would be created16');
    expect(screen.getByTestId('summary-filtered').textContent).toBe('filtered4');
    expect(screen.getByTestId('failures').textContent).toContain('HTTP 400: sku required');
  });

  it('shows warnings as the run reports them and as its summary keeps them', () => {
    const warning = 'connection "ERP" skips TLS certificate verification (allowUntrustedCertificates)';
    render(<RunPanel />);
    act(() => {
      useRunStore.getState().starting('f', false);
      useRunStore.getState().apply({ type: 'run-started', runId: 'r1', flowId: 'f', dryRun: false, since: {} });
      useRunStore.getState().apply({ type: 'run-warning', runId: 'r1', message: warning });
    });
    expect(screen.getByTestId('run-warnings').textContent).toContain(warning);
    act(() =>
      useRunStore.getState().apply({ type: 'run-finished', runId: 'r1', summary: { ...summary, warnings: [] } }),
    );
    expect(screen.queryByTestId('run-warnings')).toBeNull();
    act(() => useRunStore.getState().setDetail(storedRun({ ...summary, warnings: [warning] }, {})));
    expect(screen.getByTestId('run-warnings').textContent).toContain(warning);
  });

  it("previews the selected node's records as a table or JSON", () => {
    act(() => {
      useRunStore
        .getState()
        .setDetail(storedRun(summary, { map: { in: [{ a: 1 }], out: [{ b: 'x' }, { b: 'y', c: true }] } }));
      useUiStore.getState().select(['map']);
      useUiStore.getState().setBottomTab('preview');
    });
    render(<RunPanel />);
    const rows = screen.getByTestId('preview-table').querySelectorAll('tbody tr');
    expect([...rows].map((r) => r.textContent)).toEqual(['1x', '2ytrue']);
    fireEvent.click(screen.getByRole('button', { name: 'In (1)' }));
    expect(screen.getByTestId('preview-table').querySelectorAll('tbody tr')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    expect(screen.getByTestId('preview-json').textContent).toContain('"a": 1');
  });

  it('shows the records a filter stopped with the rule that stopped each', () => {
    act(() => {
      useRunStore.getState().setDetail(
        storedRun(summary, {
          keep: {
            in: [{ id: 1 }, { id: 2 }],
            out: [{ id: 1 }],
            rejected: [{ record: { id: 2 }, reason: 'filter: status = "open" is false' }],
          },
        }),
      );
      useUiStore.getState().select(['keep']);
      useUiStore.getState().setBottomTab('preview');
      useUiStore.getState().setPreview('out', 'table');
    });
    render(<RunPanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Stopped (1)' }));
    const table = screen.getByTestId('preview-table');
    expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['#', 'stopped by', 'id']);
    expect(table.querySelector('tbody tr')!.textContent).toBe('1filter: status = "open" is false2');
    // Another node has no stopped records: its output shows.
    act(() => useUiStore.getState().select(['map']));
    expect(screen.queryByRole('button', { name: /Stopped/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Out (0)' }).getAttribute('aria-pressed')).toBe('true');
  });
});
