import { useState } from 'react';
import type { EntityField } from '../../core/model/descriptor.js';
import { rowsOfMapConfig } from '../forms/map-config.js';
import { editNodeConfig } from '../state/actions.js';
import { draggedField, endFieldDrag } from './drag-field.js';
import { MappingRowEditor, type RowContext } from './MappingRowEditor.js';
import { type RowPath, addRow, customRows, isMapped, mapToTarget, sourceExpression } from './map-edits.js';

interface TargetFieldListProps {
  ctx: RowContext;
  destinationFields: readonly EntityField[];
}

/** Drop handlers shared by a destination field's row: a dropped source field becomes its expression. */
function dropProps(onField: (expression: string) => void) {
  return {
    onDragOver: (e: React.DragEvent) => {
      if (!draggedField()) return;
      e.preventDefault();
      e.currentTarget.classList.add('drop-over');
    },
    onDragLeave: (e: React.DragEvent) => e.currentTarget.classList.remove('drop-over'),
    onDrop: (e: React.DragEvent) => {
      e.currentTarget.classList.remove('drop-over');
      const field = draggedField();
      endFieldDrag();
      if (!field) return;
      e.preventDefault();
      onField(sourceExpression(field));
    },
  };
}

/**
 * The right column: the destination's fields (type, required mark, a highlight when a required one is unmapped),
 * each a drop target with its mapping, then the mappings whose target the catalog does not list.
 */
export function TargetFieldList({ ctx, destinationFields }: TargetFieldListProps) {
  const rows = rowsOfMapConfig(ctx.config);
  const [focus, setFocus] = useState<{ path: RowPath; on: 'target' | 'expression' } | null>(null);
  const focusOf = (path: RowPath) =>
    focus && focus.path.length === path.length && focus.path.every((n, i) => n === path[i]) ? focus.on : undefined;
  const mapTo = (target: string, expression: string) => {
    const mapped = mapToTarget(ctx.config, [], target, expression);
    editNodeConfig(ctx.nodeId, mapped.config);
  };
  const custom = customRows(destinationFields, ctx.config);
  const missing = destinationFields.filter((f) => f.required && !isMapped(rows.find((r) => r.target === f.name)));

  return (
    <section className="mapper-column mapper-targets" aria-label="Destination fields">
      <div className="mapper-column-head">
        <h3>Destination fields</h3>
        {missing.length > 0 && (
          <span className="unmapped-count" role="status">
            {missing.length === 1
              ? '1 required field is not mapped'
              : `${missing.length} required fields are not mapped`}
          </span>
        )}
      </div>
      <ul className="target-fields">
        {destinationFields.map((field) => {
          const index = rows.findIndex((r) => r.target === field.name);
          const row = rows[index];
          const unmapped = field.required && !isMapped(row);
          return (
            <li
              key={field.name}
              className={`target-field${unmapped ? ' unmapped-required' : ''}${row ? ' mapped' : ''}`}
              data-testid={`target-field-${field.name}`}
              {...dropProps((expression) => mapTo(field.name, expression))}
            >
              <div className="target-field-head">
                <span className="field-name mono">{field.name}</span>
                <span className={`type-badge type-${field.type}`}>{field.type}</span>
                {field.required && (
                  <span className="required-mark" title="required">
                    * <span className="visually-hidden">required</span>
                  </span>
                )}
                {unmapped && <span className="unmapped-note">required, not mapped</span>}
                {!row && (
                  <button
                    type="button"
                    className="link target-add"
                    aria-label={`Write an expression for ${field.name}`}
                    onClick={() => {
                      const added = addRow(ctx.config, [], { target: field.name, expression: '' });
                      editNodeConfig(ctx.nodeId, added.config);
                      setFocus({ path: added.path, on: 'expression' });
                    }}
                  >
                    + expression
                  </button>
                )}
              </div>
              {field.description && <div className="muted target-help">{field.description}</div>}
              {row && (
                <MappingRowEditor
                  ctx={ctx}
                  path={[index]}
                  row={row}
                  name={{ style: 'for', label: field.name }}
                  editableTarget={false}
                  lines={field.type === 'array'}
                  fields={ctx.fields}
                  autoFocus={focusOf([index])}
                />
              )}
            </li>
          );
        })}
        {custom.map(({ row, index }) => (
          <li
            key={`custom-${index}`}
            className="target-field custom mapped"
            data-testid={`target-row-${index + 1}`}
            {...dropProps((expression) => {
              if (typeof row.target === 'string' && row.target !== '') mapTo(row.target, expression);
            })}
          >
            <MappingRowEditor
              ctx={ctx}
              path={[index]}
              row={row}
              name={{ style: 'number', label: String(index + 1) }}
              editableTarget
              lines={Array.isArray(row.fields)}
              fields={ctx.fields}
              autoFocus={focusOf([index])}
            />
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="map-add"
        onClick={() => {
          const added = addRow(ctx.config, [], { target: '', expression: '' });
          editNodeConfig(ctx.nodeId, added.config);
          setFocus({ path: added.path, on: 'target' });
        }}
      >
        + Add target field
      </button>
    </section>
  );
}
