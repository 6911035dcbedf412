import { useEffect, useState } from 'react';
import type { NodePreview as NodePreviewData, RunListItem } from '../../core/model/contract.js';
import type { JsonValue } from '../../core/model/json-value.js';
import { outcomeCountsSchema } from '../../core/model/run.js';
import { api } from '../api/client.js';
import { openRun } from '../state/actions.js';
import { useFlowStore } from '../state/flow-store.js';
import { useRunStore } from '../state/run-store.js';
import { type BottomTab, type PreviewSide, useUiStore } from '../state/ui-store.js';
import { PreviewTable } from './PreviewTable.js';

const OUTCOMES = Object.keys(outcomeCountsSchema.shape) as (keyof typeof outcomeCountsSchema.shape)[];

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function RunStatus() {
  const phase = useRunStore((s) => s.phase);
  const dryRun = useRunStore((s) => s.dryRun);
  const elapsed = useRunStore((s) => s.elapsedMs);
  const summary = useRunStore((s) => s.summary);
  const error = useRunStore((s) => s.error);
  const detailFailures = useRunStore((s) => s.detail?.failures);
  const liveFailures = useRunStore((s) => s.liveFailures);
  const liveWarnings = useRunStore((s) => s.warnings);
  const warnings = summary?.warnings ?? liveWarnings;
  // The stored run's failures when fetched; until then what the run reported live, or the summary's first ones.
  const failures = detailFailures ?? (liveFailures.length ? liveFailures : (summary?.failures ?? []));
  if (phase === 'idle' && !summary) {
    return <p className="muted">{error ?? 'Run the flow, or dry-run it to see what it would do without writing.'}</p>;
  }
  return (
    <div className="run-status">
      {(phase === 'running' || phase === 'starting') && (
        <div className="progress" role="progressbar" aria-label="Run in progress">
          <div className="progress-bar indeterminate" />
          <span>
            {dryRun ? 'Dry run' : 'Running'}… {formatMs(elapsed)}
          </span>
        </div>
      )}
      {warnings.length > 0 && (
        <ul className="run-warnings" data-testid="run-warnings">
          {warnings.map((w, i) => (
            <li key={i}>⚠ {w}</li>
          ))}
        </ul>
      )}
      {summary && (
        <>
          <div className="summary-line" data-testid="run-summary">
            <strong className={`status status-${summary.status}`}>
              {summary.dryRun ? 'Dry run ' : ''}
              {summary.status}
            </strong>
            <span className="muted">
              in {formatMs(summary.durationMs)} · {new Date(summary.finishedAt).toLocaleTimeString()}
            </span>
            {summary.dryRun && <span className="badge">nothing was written — counts say what would happen</span>}
          </div>
          {summary.error && <p className="error-text">{summary.error}</p>}
          <dl className="counts">
            {OUTCOMES.map((o) => (
              <div key={o} className={`count count-${o}`} data-testid={`summary-${o}`}>
                <dt>{summary.dryRun && (o === 'created' || o === 'updated') ? `would be ${o}` : o}</dt>
                <dd>{summary.counts[o].toLocaleString()}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      {failures.length > 0 && (
        <div className="failures">
          <h4>Failed records</h4>
          <table className="preview-table" data-testid="failures">
            <thead>
              <tr>
                <th>node</th>
                <th>source record</th>
                <th>error</th>
              </tr>
            </thead>
            <tbody>
              {failures.map((f, i) => (
                <tr key={i}>
                  <td>{f.node}</td>
                  <td>
                    {f.sourceNode} {f.key}
                  </td>
                  <td className="error-text">{f.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

const SIDE_LABEL: Record<PreviewSide, string> = { in: 'In', out: 'Out', rejected: 'Stopped' };

/** A filter's stopped records carry the rule that stopped them as their first column. */
function previewRecords(preview: NodePreviewData | undefined, side: PreviewSide): JsonValue[] {
  if (side !== 'rejected') return preview?.[side] ?? [];
  return (preview?.rejected ?? []).map(({ record, reason }) => ({
    '@stopped by': reason,
    ...(record !== null && typeof record === 'object' && !Array.isArray(record) ? record : { value: record }),
  }));
}

function NodePreview() {
  const selected = useUiStore((s) => s.selectedNodeIds);
  const side = useUiStore((s) => s.previewSide);
  const mode = useUiStore((s) => s.previewMode);
  const setPreview = useUiStore((s) => s.setPreview);
  const nodeId = selected.length === 1 ? selected[0]! : undefined;
  const preview = useRunStore((s) => (nodeId ? s.previews?.[nodeId] : undefined));
  const hasRun = useRunStore((s) => s.previews !== null);
  if (!nodeId) return <p className="muted">Select one node to see the records that went in and out of it.</p>;
  if (!hasRun) return <p className="muted">Run or dry-run the flow to see its records here.</p>;
  const sides = preview?.rejected ? (['in', 'out', 'rejected'] as const) : (['in', 'out'] as const);
  // "Stopped" is a filter's: another node selected after it shows what came out.
  const shown = side === 'rejected' && !preview?.rejected ? 'out' : side;
  const records = previewRecords(preview, shown);
  return (
    <div className="node-preview">
      <div className="segmented" role="group" aria-label="Records">
        {sides.map((s) => (
          <button key={s} type="button" aria-pressed={shown === s} onClick={() => setPreview(s, mode)}>
            {SIDE_LABEL[s]} ({preview?.[s]?.length ?? 0})
          </button>
        ))}
        <span className="spacer" />
        {(['table', 'json'] as const).map((m) => (
          <button key={m} type="button" aria-pressed={mode === m} onClick={() => setPreview(side, m)}>
            {m === 'table' ? 'Table' : 'JSON'}
          </button>
        ))}
      </div>
      {mode === 'table' ? (
        <PreviewTable records={records} />
      ) : (
        <pre className="json-view" data-testid="preview-json">
          {JSON.stringify(records, null, 2)}
        </pre>
      )}
    </div>
  );
}

function History() {
  const flowId = useFlowStore((s) => s.flow?.id);
  const lastRun = useRunStore((s) => s.summary?.runId);
  const shown = useRunStore((s) => s.detail?.runId);
  const [runs, setRuns] = useState<RunListItem[]>([]);
  useEffect(() => {
    if (flowId)
      void api()
        .listRuns({ flowId, limit: 50 })
        .then(setRuns, () => setRuns([]));
  }, [flowId, lastRun]);
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <table className="preview-table history" data-testid="run-history">
      <thead>
        <tr>
          <th>started</th>
          <th>status</th>
          <th>created</th>
          <th>updated</th>
          <th>failed</th>
          <th>duration</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.runId} className={r.runId === shown ? 'active' : undefined} onClick={() => void openRun(r.runId)}>
            <td>{new Date(r.startedAt).toLocaleString()}</td>
            <td className={`status status-${r.status}`}>
              {r.dryRun ? 'dry run · ' : ''}
              {r.status}
            </td>
            <td>{r.summary?.counts.created ?? ''}</td>
            <td>{r.summary?.counts.updated ?? ''}</td>
            <td>{r.summary?.counts.failed ?? ''}</td>
            <td>{r.summary ? formatMs(r.summary.durationMs) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const TABS: { id: BottomTab; label: string }[] = [
  { id: 'run', label: 'Run' },
  { id: 'preview', label: 'Records' },
  { id: 'history', label: 'History' },
];

/** The bottom panel: the run's status and summary, the selected node's records, and the flow's run history. */
export function RunPanel() {
  const tab = useUiStore((s) => s.bottomTab);
  const setTab = useUiStore((s) => s.setBottomTab);
  return (
    <section className="run-panel" aria-label="Run">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {tab === 'run' && <RunStatus />}
        {tab === 'preview' && <NodePreview />}
        {tab === 'history' && <History />}
      </div>
    </section>
  );
}
