import { useEffect, useId } from 'react';
import { chooseEntity, chooseSystem, refreshDataBrowser, turnPage } from '../state/demo-actions.js';
import { DATA_PAGE_SIZE, useDemoStore } from '../state/demo-store.js';
import { useRunStore } from '../state/run-store.js';
import { PreviewTable } from './PreviewTable.js';

/**
 * A read-only table of a demo system's records, newest first, so an audience sees what a run wrote. Refreshes by
 * itself when a run finishes.
 */
export function DataBrowser() {
  const open = useDemoStore((s) => s.browserOpen);
  const systems = useDemoStore((s) => s.systems);
  const system = useDemoStore((s) => s.system);
  const entities = useDemoStore((s) => s.entities);
  const entity = useDemoStore((s) => s.entity);
  const offset = useDemoStore((s) => s.offset);
  const page = useDemoStore((s) => s.page);
  const loading = useDemoStore((s) => s.loading);
  const error = useDemoStore((s) => s.error);
  const finishedAt = useRunStore((s) => s.summary?.finishedAt);
  const systemId = useId();
  const entityId = useId();
  useEffect(() => {
    if (finishedAt && useDemoStore.getState().browserOpen) void refreshDataBrowser();
  }, [finishedAt]);
  // Opening or closing changes the canvas's width: fit the flow again so no node hides behind the browser.
  useEffect(() => {
    const frame = requestAnimationFrame(() => window.dispatchEvent(new Event('ferry:fit-view')));
    return () => cancelAnimationFrame(frame);
  }, [open]);
  if (!open) return null;
  const total = page?.total ?? 0;
  return (
    <aside className="data-browser" aria-label="Data browser">
      <div className="data-browser-head">
        <h2>Data browser</h2>
        <span className="spacer" />
        <button
          type="button"
          className="icon"
          aria-label="Close the data browser"
          onClick={() => useDemoStore.getState().set({ browserOpen: false })}
        >
          ×
        </button>
      </div>
      <div className="data-browser-controls">
        <label htmlFor={systemId}>System</label>
        <select id={systemId} value={system ?? ''} onChange={(e) => chooseSystem(e.target.value || null)}>
          <option value="">—</option>
          {systems
            .filter((s) => s.running)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </select>
        <label htmlFor={entityId}>Entity</label>
        <select id={entityId} value={entity ?? ''} onChange={(e) => chooseEntity(e.target.value)}>
          {entities.map((e) => (
            <option key={e.name} value={e.name}>
              {e.name} ({e.count})
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void refreshDataBrowser()} disabled={loading || !system}>
          Refresh
        </button>
      </div>
      {error && <p className="error-text">{error}</p>}
      {page && (
        <div className="data-browser-paging">
          <span data-testid="data-browser-range">
            {total === 0 ? '0 records' : `${offset + 1}–${Math.min(offset + DATA_PAGE_SIZE, total)} of ${total}`}
          </span>
          <span className="muted">newest first</span>
          <span className="spacer" />
          <button type="button" onClick={() => turnPage(-1)} disabled={offset === 0}>
            Previous
          </button>
          <button type="button" onClick={() => turnPage(1)} disabled={offset + DATA_PAGE_SIZE >= total}>
            Next
          </button>
        </div>
      )}
      {page && (
        <PreviewTable records={page.rows} columns={page.columns} firstIndex={offset} testId="data-browser-table" />
      )}
    </aside>
  );
}
