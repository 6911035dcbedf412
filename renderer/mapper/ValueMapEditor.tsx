import { useEffect, useId, useRef, useState } from 'react';
import type { ValueMapDraft } from '../../core/model/mapper-contract.js';
import { valueMapFallbackSchema } from '../../core/model/mapping.js';
import { valueMapFromCsv, valueMapToCsv } from '../../core/model/value-map-csv.js';
import { errorText } from '../state/actions.js';
import { useFlowStore } from '../state/flow-store.js';
import { deleteValueMap, loadValueMaps, saveValueMap } from '../state/mapper-actions.js';
import { useValueMapStore } from '../state/mapper-store.js';
import { ConfirmDialog } from '../panels/ConfirmDialog.js';
import { downloadText } from './download.js';
import { FALLBACK_LABEL, csvFileName, newValueMapDraft, shadowedRows, valueMapUsage } from './value-map-draft.js';

const FALLBACK_KINDS = valueMapFallbackSchema.options.map((o) => o.shape.kind.value);

const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The workspace's value maps: a list, and the selected one's table (from → to), fallback, CSV import and export. */
export function ValueMapEditor() {
  const open = useValueMapStore((s) => s.editorOpen);
  const loaded = useValueMapStore((s) => s.loaded);
  useEffect(() => {
    if (open && !loaded) void loadValueMaps();
  }, [open, loaded]);
  return open ? <Editor /> : null;
}

function Editor() {
  const valueMaps = useValueMapStore((s) => s.valueMaps);
  const selected = useValueMapStore((s) => s.selected);
  const select = useValueMapStore((s) => s.select);
  const close = useValueMapStore((s) => s.closeEditor);
  const loaded = useValueMapStore((s) => s.loaded);
  // The form stays mounted while a new map gets its id on save (its "Saved" message stays); choosing resets it.
  const [session, setSession] = useState(0);
  const choose = (id: string) => {
    setSession((n) => n + 1);
    select(id);
  };
  return (
    <div
      className="modal-backdrop value-map-backdrop"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.stopPropagation();
        close();
      }}
    >
      <div className="value-map-editor" role="dialog" aria-modal="true" aria-label="Value maps">
        <header className="mapper-head">
          <h2>Value maps</h2>
          <span className="spacer" />
          <button type="button" onClick={close}>
            Close
          </button>
        </header>
        <div className="value-map-body">
          <nav className="value-map-list" aria-label="Value maps of the workspace">
            <ul>
              {valueMaps.map((m) => (
                <li key={m.id}>
                  <button type="button" aria-current={selected === m.id || undefined} onClick={() => choose(m.id)}>
                    {m.name} <span className="muted">({m.entries.length})</span>
                  </button>
                </li>
              ))}
            </ul>
            {valueMaps.length === 0 && <p className="muted">No value maps in this workspace yet.</p>}
            <button type="button" onClick={() => choose('new')}>
              + New value map
            </button>
          </nav>
          {selected && selected !== 'new' && !loaded ? (
            <p className="muted">Loading…</p>
          ) : selected ? (
            <ValueMapForm key={session} id={selected === 'new' ? undefined : selected} />
          ) : (
            <p className="muted">
              Choose a value map, or create one: a table that translates source values (payment terms, shipping methods)
              into the destination&apos;s.
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

function ValueMapForm({ id }: { id: string | undefined }) {
  const formId = useId();
  const stored = useValueMapStore((s) => s.valueMaps.find((m) => m.id === id));
  const select = useValueMapStore((s) => s.select);
  const flow = useFlowStore((s) => s.flow);
  const [draft, setDraft] = useState<ValueMapDraft>(() => (stored ? structuredClone(stored) : newValueMapDraft()));
  const [status, setStatus] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const shadowed = shadowedRows(draft.entries);
  const setEntry = (i: number, key: 'from' | 'to', value: string) =>
    setDraft({ ...draft, entries: draft.entries.map((e, j) => (j === i ? { ...e, [key]: value } : e)) });

  const save = async () => {
    if (draft.name.trim() === '') return setStatus({ kind: 'error', text: 'Name: must not be empty' });
    try {
      const saved = await saveValueMap(draft);
      setDraft(saved);
      setStatus({ kind: 'info', text: `Saved ${saved.name}` });
      if (!id) select(saved.id);
    } catch (error) {
      setStatus({ kind: 'error', text: errorText(error) });
    }
  };

  const importCsv = async (file: File) => {
    try {
      const entries = valueMapFromCsv(await file.text());
      setDraft({ ...draft, entries });
      setStatus({ kind: 'info', text: `Imported ${entries.length} rows from ${file.name}: save to keep them` });
    } catch (error) {
      setStatus({ kind: 'error', text: `${file.name}: ${errorText(error)}` });
    }
  };

  const fallback = draft.fallback;
  return (
    <form
      className="value-map-form"
      aria-label={stored ? `Value map ${stored.name}` : 'New value map'}
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="field">
        <label htmlFor={`${formId}-name`}>Name</label>
        <input
          id={`${formId}-name`}
          type="text"
          value={draft.name}
          autoFocus={!id}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${formId}-description`}>Description</label>
        <input
          id={`${formId}-description`}
          type="text"
          value={draft.description ?? ''}
          onChange={(e) => setDraft({ ...draft, description: e.target.value || undefined })}
        />
      </div>
      <table className="value-map-table">
        <thead>
          <tr>
            <th>From (source value)</th>
            <th>To (destination value)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {draft.entries.map((entry, i) => (
            <tr key={i} className={shadowed.has(i) ? 'shadowed' : undefined}>
              <td>
                <input
                  type="text"
                  aria-label={`From ${i + 1}`}
                  value={entry.from}
                  onChange={(e) => setEntry(i, 'from', e.target.value)}
                />
                {shadowed.has(i) && (
                  <div className="field-error">Mapped in an earlier row: this row is never used.</div>
                )}
              </td>
              <td>
                <input
                  type="text"
                  aria-label={`To ${i + 1}`}
                  value={text(entry.to)}
                  onChange={(e) => setEntry(i, 'to', e.target.value)}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="icon"
                  aria-label={`Remove row ${i + 1}`}
                  onClick={() => setDraft({ ...draft, entries: draft.entries.filter((_, j) => j !== i) })}
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="map-add"
        onClick={() => setDraft({ ...draft, entries: [...draft.entries, { from: '', to: '' }] })}
      >
        + Add row
      </button>
      <fieldset className="value-map-fallback">
        <legend>A value not in the table</legend>
        {FALLBACK_KINDS.map((kind) => (
          <label key={kind}>
            <input
              type="radio"
              name={`${formId}-fallback`}
              checked={fallback.kind === kind}
              onChange={() => setDraft({ ...draft, fallback: kind === 'value' ? { kind, value: '' } : { kind } })}
            />
            {FALLBACK_LABEL[kind]}
          </label>
        ))}
        {fallback.kind === 'value' && (
          <input
            type="text"
            aria-label="Fallback value"
            value={text(fallback.value)}
            onChange={(e) => setDraft({ ...draft, fallback: { kind: 'value', value: e.target.value } })}
          />
        )}
      </fieldset>
      {status && (
        <p className={status.kind === 'error' ? 'error-text' : 'muted'} role="status">
          {status.text}
        </p>
      )}
      <div className="value-map-buttons">
        <input
          ref={fileInput}
          type="file"
          accept=".csv,text/csv"
          className="visually-hidden"
          aria-label="CSV file to import"
          tabIndex={-1}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importCsv(file);
          }}
        />
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import CSV…
        </button>
        <button type="button" onClick={() => downloadText(csvFileName(draft), valueMapToCsv(draft.entries))}>
          Export CSV
        </button>
        <span className="spacer" />
        {id && (
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        )}
        <button type="button" className="primary" onClick={() => void save()}>
          Save
        </button>
      </div>
      {confirmDelete && id && (
        <ConfirmDialog
          title={`Delete the value map “${draft.name}”?`}
          confirmLabel="Delete"
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false);
            select(null);
            void deleteValueMap(id);
          }}
        >
          <p>
            {valueMapUsage(flow, id) > 0
              ? `${valueMapUsage(flow, id)} mapping(s) of this flow use it; they will fail until they pick another.`
              : 'Mappings that use it will fail until they pick another.'}
          </p>
        </ConfirmDialog>
      )}
    </form>
  );
}
