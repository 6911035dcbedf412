import { type ReactNode, useId, useState } from 'react';
import { applyModes } from '../../core/model/mapping.js';
import type { FormProblem } from './form-layout.js';
import { isWithin, withValue } from './json-schema.js';
import { type MapRow, moveRow, rowsOfMapConfig } from './map-config.js';

const APPLY_LABEL: Record<(typeof applyModes)[number], string> = {
  createAndUpdate: 'Create and update',
  createOnly: 'Create only',
};

const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

interface MapFieldsEditorProps {
  value: Record<string, unknown>;
  /** `changedPath` is set for typing in one input (folded into one undo step), absent for row moves and removals. */
  onChange(next: Record<string, unknown>, changedPath?: string): void;
  /** Relative to the config: `fields[0].target`. */
  problems: readonly FormProblem[];
}

/** The field mappings of a map node: target, JSONata expression, default and when to apply, one row each. */
export function MapFieldsEditor({ value, onChange, problems }: MapFieldsEditorProps) {
  const idPrefix = useId();
  const rows = rowsOfMapConfig(value);
  // Focus goes to the target of a row just added, so "Add field" then typing works without the mouse.
  const [added, setAdded] = useState<number | null>(null);
  const setRows = (next: MapRow[], changedPath?: string) => onChange({ ...value, fields: next }, changedPath);
  const setCell = (index: number, key: string, cell: unknown) =>
    setRows(
      rows.map((r, i) => (i === index ? withValue(r, key, cell) : r)),
      `fields[${index}].${key}`,
    );
  const at = (path: string) => problems.filter((p) => isWithin(p.path, path));
  const cellProblems = (i: number, key: string) => at(`fields[${i}].${key}`);
  const listProblems = problems.filter((p) => p.path === 'fields');

  return (
    <div className="map-editor">
      <div className="map-editor-head">
        <span className="map-editor-title">Field mappings</span>
        <span className="muted">{rows.length === 1 ? '1 field' : `${rows.length} fields`}</span>
      </div>
      {listProblems.map((p, i) => (
        <div className="field-error" key={i}>
          {p.message}
        </div>
      ))}
      <ol className="map-rows" data-field="fields">
        {rows.map((row, i) => {
          const n = i + 1;
          const rowOnly = at(`fields[${i}]`).filter(
            (p) => !['target', 'expression', 'default', 'apply'].some((k) => isWithin(p.path, `fields[${i}].${k}`)),
          );
          const cell = (key: string, label: string, input: (aria: Record<string, unknown>) => ReactNode) => {
            const errors = cellProblems(i, key);
            const id = `${idPrefix}-${i}-${key}`;
            return (
              <div className={`map-cell map-${key}`} data-field={`fields[${i}].${key}`}>
                {input({
                  id,
                  'aria-label': `${label} ${n}`,
                  'aria-invalid': errors.length > 0 || undefined,
                  'aria-describedby': errors.length ? errors.map((_, j) => `${id}-error-${j}`).join(' ') : undefined,
                })}
                {errors.map((p, j) => (
                  <div className="field-error" id={`${id}-error-${j}`} key={j}>
                    {p.message}
                  </div>
                ))}
              </div>
            );
          };
          return (
            <li className="map-row" key={i} data-field={`fields[${i}]`}>
              <div className="map-row-head">
                <span className="map-row-number">{n}</span>
                {cell('target', 'Target', (aria) => (
                  <input
                    {...aria}
                    type="text"
                    value={text(row.target)}
                    placeholder="target field"
                    spellCheck={false}
                    autoFocus={added === i}
                    onChange={(e) => setCell(i, 'target', e.target.value)}
                  />
                ))}
                <div className="map-row-actions">
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Move field ${n} up`}
                    title="Move up"
                    disabled={i === 0}
                    onClick={() => setRows(moveRow(rows, i, i - 1))}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Move field ${n} down`}
                    title="Move down"
                    disabled={i === rows.length - 1}
                    onClick={() => setRows(moveRow(rows, i, i + 1))}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Remove field ${n}`}
                    title="Remove"
                    onClick={() => setRows(rows.filter((_, j) => j !== i))}
                  >
                    ×
                  </button>
                </div>
              </div>
              {cell('expression', 'Expression', (aria) => (
                <input
                  {...aria}
                  className="mono"
                  type="text"
                  value={text(row.expression)}
                  placeholder="JSONata expression, e.g. $source.name"
                  spellCheck={false}
                  onChange={(e) => setCell(i, 'expression', e.target.value)}
                />
              ))}
              <div className="map-row-options">
                {cell('default', 'Default', (aria) => (
                  <input
                    {...aria}
                    type="text"
                    value={text(row.default)}
                    placeholder="default value"
                    spellCheck={false}
                    // Typed defaults are text; an emptied default is removed, not kept as "".
                    onChange={(e) => setCell(i, 'default', e.target.value === '' ? undefined : e.target.value)}
                  />
                ))}
                {cell('apply', 'Apply', (aria) => (
                  <select
                    {...aria}
                    value={typeof row.apply === 'string' ? row.apply : 'createAndUpdate'}
                    // createAndUpdate is what an absent `apply` means: choosing it removes the key.
                    onChange={(e) =>
                      setCell(i, 'apply', e.target.value === 'createAndUpdate' ? undefined : e.target.value)
                    }
                  >
                    {applyModes.map((mode) => (
                      <option key={mode} value={mode}>
                        {APPLY_LABEL[mode]}
                      </option>
                    ))}
                    {typeof row.apply === 'string' && !(applyModes as readonly string[]).includes(row.apply) && (
                      <option value={row.apply}>{row.apply} (not allowed)</option>
                    )}
                  </select>
                ))}
              </div>
              {rowOnly.map((p, j) => (
                <div className="field-error" key={j}>
                  {p.path === `fields[${i}]` ? p.message : `${p.path.slice(`fields[${i}].`.length)}: ${p.message}`}
                </div>
              ))}
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="map-add"
        onClick={() => {
          setAdded(rows.length);
          setRows([...rows, { target: '', expression: '' }]);
        }}
      >
        + Add field
      </button>
      <div className="field field-boolean" data-field="keepUnmapped">
        <div className="field-check">
          <input
            id={`${idPrefix}-keep`}
            type="checkbox"
            checked={value.keepUnmapped === true}
            aria-invalid={at('keepUnmapped').length > 0 || undefined}
            aria-describedby={`${idPrefix}-keep-help`}
            onChange={(e) => onChange(withValue(value, 'keepUnmapped', e.target.checked || undefined), 'keepUnmapped')}
          />
          <label htmlFor={`${idPrefix}-keep`}>Keep unmapped fields</label>
        </div>
        <div className="field-help" id={`${idPrefix}-keep-help`}>
          Copies the incoming fields no mapping targets.
        </div>
        {at('keepUnmapped').map((p, i) => (
          <div className="field-error" key={i}>
            {p.message}
          </div>
        ))}
      </div>
    </div>
  );
}
