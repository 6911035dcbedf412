import { type ReactNode, useId, useState } from 'react';
import { applyModes } from '../../core/model/mapping.js';
import type { ValueMapFile } from '../../core/model/mapping.js';
import type { FormProblem } from '../forms/form-layout.js';
import { isWithin } from '../forms/json-schema.js';
import { type MapRow, rowsOfMapConfig } from '../forms/map-config.js';
import { editNodeConfig } from '../state/actions.js';
import { useValueMapStore } from '../state/mapper-store.js';
import { draggedField, endFieldDrag } from './drag-field.js';
import { type CompletionField, ExpressionInput } from './ExpressionInput.js';
import {
  type RowPath,
  addRow,
  linesPathOf,
  removeRow,
  rowConfigPath,
  sourceExpression,
  updateRow,
} from './map-edits.js';

const APPLY_LABEL: Record<(typeof applyModes)[number], string> = {
  createAndUpdate: 'On create and update',
  createOnly: 'On create only',
};

const OWN_KEYS = ['target', 'expression', 'default', 'apply', 'valueMap'];

const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

export interface RowContext {
  nodeId: string;
  config: Record<string, unknown>;
  /** Config-relative problems of the whole node (validation and preview). */
  problems: readonly FormProblem[];
  /** Source fields for completion at the top level. */
  fields: readonly CompletionField[];
}

interface MappingRowEditorProps {
  ctx: RowContext;
  path: RowPath;
  row: MapRow;
  /** How the row's inputs are named: `Expression for displayName`, or `Expression 3` for a row with a typed target. */
  name: { style: 'for' | 'number'; label: string };
  editableTarget: boolean;
  /** The destination field is an array: the row maps lines, with their own fields. */
  lines: boolean;
  /** Completion inside this row (a line row's fields are relative to the line). */
  fields: readonly CompletionField[];
  autoFocus?: 'target' | 'expression';
}

/** Fields of a lines row's elements: the source fields under the array the row reads, relative to it. */
function lineFields(fields: readonly CompletionField[], row: MapRow): CompletionField[] {
  const base = linesPathOf(row);
  if (!base) return [...fields];
  return fields
    .filter((f) => f.path.length > base.length && base.every((n, i) => f.path[i] === n))
    .map((f) => ({ ...f, name: f.path.slice(base.length).join('.'), path: f.path.slice(base.length) }));
}

/** One mapping: expression with completion, default, when it is written, value map, and lines with their fields. */
export function MappingRowEditor({
  ctx,
  path,
  row,
  name,
  editableTarget,
  lines,
  fields,
  autoFocus,
}: MappingRowEditorProps) {
  const id = useId();
  const valueMaps = useValueMapStore((s) => s.valueMaps);
  const [expanded, setExpanded] = useState(rowsOfMapConfig(row).length > 0);
  const [focusNew, setFocusNew] = useState<number | null>(null);
  const at = rowConfigPath(path);
  const aria = (kind: string) => (name.style === 'for' ? `${kind} for ${name.label}` : `${kind} ${name.label}`);
  const set = (key: string, value: unknown, typing = false) =>
    editNodeConfig(ctx.nodeId, updateRow(ctx.config, path, { [key]: value }), typing ? `${at}.${key}` : undefined);
  const own = (key: string) => ctx.problems.filter((p) => isWithin(p.path, `${at}.${key}`));
  const nested = rowsOfMapConfig(row);
  const rowLevel = ctx.problems.filter(
    (p) =>
      isWithin(p.path, at) &&
      !OWN_KEYS.some((k) => isWithin(p.path, `${at}.${k}`)) &&
      !isWithin(p.path, `${at}.fields[`),
  );

  const cell = (
    key: string,
    label: string,
    input: (a: { id: string; invalid: boolean; describedBy?: string }) => ReactNode,
  ) => {
    const errors = own(key);
    const cellId = `${id}-${key}`;
    return (
      <div className={`mapping-cell mapping-${key}${errors.length ? ' has-error' : ''}`} data-field={`${at}.${key}`}>
        <label htmlFor={cellId} className="mapping-cell-label">
          {label}
        </label>
        {input({
          id: cellId,
          invalid: errors.length > 0,
          describedBy: errors.length ? errors.map((_, j) => `${cellId}-error-${j}`).join(' ') : undefined,
        })}
        {errors.map((p, j) => (
          <div className="field-error" id={`${cellId}-error-${j}`} key={j}>
            {p.message}
          </div>
        ))}
      </div>
    );
  };

  const elementFields = lineFields(ctx.fields, row);
  const addLine = (target: string, expression: string) => {
    const added = addRow(ctx.config, path, { target, expression });
    editNodeConfig(ctx.nodeId, added.config);
    setExpanded(true);
    setFocusNew(added.path[added.path.length - 1]!);
  };

  return (
    <div className="mapping-row" data-field={at}>
      <div className="mapping-cells">
        {editableTarget &&
          cell('target', 'Target', (a) => (
            <input
              id={a.id}
              type="text"
              className="mono"
              aria-label={aria('Target')}
              aria-invalid={a.invalid || undefined}
              aria-describedby={a.describedBy}
              value={text(row.target)}
              placeholder="target field"
              spellCheck={false}
              autoFocus={autoFocus === 'target'}
              onChange={(e) => set('target', e.target.value, true)}
            />
          ))}
        {cell('expression', 'Expression', (a) => (
          <ExpressionInput
            id={a.id}
            label={aria('Expression')}
            value={text(row.expression)}
            fields={fields}
            invalid={a.invalid}
            describedBy={a.describedBy}
            placeholder={lines ? 'the array of lines, e.g. orderLines' : 'JSONata, e.g. $uppercase(name)'}
            autoFocus={autoFocus === 'expression'}
            onChange={(value) => set('expression', value, true)}
          />
        ))}
        {cell('default', 'Default', (a) => (
          <input
            id={a.id}
            type="text"
            aria-label={aria('Default')}
            aria-invalid={a.invalid || undefined}
            aria-describedby={a.describedBy}
            value={text(row.default)}
            placeholder="when empty"
            spellCheck={false}
            // An emptied default is removed, not kept as "".
            onChange={(e) => set('default', e.target.value === '' ? undefined : e.target.value, true)}
          />
        ))}
        {cell('apply', 'Write', (a) => (
          <select
            id={a.id}
            aria-label={`When to write ${name.label}`}
            aria-invalid={a.invalid || undefined}
            value={typeof row.apply === 'string' ? row.apply : 'createAndUpdate'}
            // createAndUpdate is what an absent `apply` means: choosing it removes the key.
            onChange={(e) => set('apply', e.target.value === 'createAndUpdate' ? undefined : e.target.value)}
          >
            {applyModes.map((mode) => (
              <option key={mode} value={mode}>
                {APPLY_LABEL[mode]}
              </option>
            ))}
          </select>
        ))}
        {!lines &&
          cell('valueMap', 'Value map', (a) => (
            <ValueMapPicker
              id={a.id}
              label={aria('Value map')}
              invalid={a.invalid}
              value={typeof row.valueMap === 'string' ? row.valueMap : ''}
              valueMaps={valueMaps}
              onChange={(v) => set('valueMap', v === '' ? undefined : v)}
            />
          ))}
        {!lines && nested.length === 0 && editableTarget && path.length === 1 && (
          <button
            type="button"
            className="link mapping-make-lines"
            title="The expression yields an array (order lines): map each element with its own fields"
            onClick={() => set('fields', [])}
          >
            + line fields
          </button>
        )}
        <button
          type="button"
          className="icon mapping-remove"
          aria-label={aria('Remove mapping')}
          title="Remove this mapping"
          onClick={() => editNodeConfig(ctx.nodeId, removeRow(ctx.config, path))}
        >
          ×
        </button>
      </div>
      {rowLevel.map((p, j) => (
        <div className="field-error" key={j}>
          {p.path === at ? p.message : `${p.path.slice(at.length + 1)}: ${p.message}`}
        </div>
      ))}
      {(lines || nested.length > 0) && (
        <div className="mapping-lines">
          <button type="button" className="link" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
            {expanded ? '▾' : '▸'} Line fields ({nested.length})
          </button>
          {expanded && (
            <div
              className="mapping-lines-body"
              onDragOver={(e) => draggedField() && e.preventDefault()}
              onDrop={(e) => {
                const field = draggedField();
                endFieldDrag();
                if (!field) return;
                e.preventDefault();
                e.stopPropagation();
                addLine(field.path[field.path.length - 1]!, sourceExpression(field, linesPathOf(row)));
              }}
            >
              {nested.map((child, j) => (
                <MappingRowEditor
                  key={j}
                  ctx={ctx}
                  path={[...path, j]}
                  row={child}
                  name={{ style: 'number', label: `${name.label}.${j + 1}` }}
                  editableTarget
                  lines={false}
                  fields={elementFields}
                  autoFocus={focusNew === j ? 'target' : undefined}
                />
              ))}
              <div className="mapping-lines-add">
                <button type="button" onClick={() => addLine('', '')}>
                  + Add line field
                </button>
                <span className="muted">or drop a source field here</span>
              </div>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

function ValueMapPicker(props: {
  id: string;
  label: string;
  invalid: boolean;
  value: string;
  valueMaps: readonly ValueMapFile[];
  onChange(value: string): void;
}) {
  const known = props.valueMaps.some((m) => m.id === props.value);
  return (
    <select
      id={props.id}
      aria-label={props.label}
      aria-invalid={props.invalid || undefined}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      <option value="">none</option>
      {props.valueMaps.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
        </option>
      ))}
      {props.value !== '' && !known && <option value={props.value}>{props.value} (not found)</option>}
    </select>
  );
}
