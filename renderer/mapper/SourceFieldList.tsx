import { useId, useState } from 'react';
import type { SourceField } from '../../core/model/mapper-contract.js';
import { endFieldDrag, startFieldDrag } from './drag-field.js';

const ORIGIN_HINT: Record<SourceField['origin'], string> = {
  catalog: "from the source's catalog",
  sample: 'seen in sample records',
  upstream: 'mapped by the node before',
};

interface SourceFieldListProps {
  fields: readonly SourceField[];
  /** Destination fields a source field can be mapped to with the keyboard. */
  targets: readonly string[];
  onMap(field: SourceField, target: string): void;
}

/**
 * The left column: fields to drag onto destination fields. Each has a "map to" select, the keyboard's way to do what
 * a drag does.
 */
export function SourceFieldList({ fields, targets, onMap }: SourceFieldListProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const shown = query ? fields.filter((f) => f.name.toLowerCase().includes(query.toLowerCase())) : fields;
  return (
    <section className="mapper-column mapper-sources" aria-label="Source fields">
      <div className="mapper-column-head">
        <h3>Source fields</h3>
        <span className="muted">{fields.length}</span>
      </div>
      <label className="visually-hidden" htmlFor={`${id}-search`}>
        Search source fields
      </label>
      <input
        id={`${id}-search`}
        type="search"
        placeholder="Search fields"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {fields.length === 0 && (
        <p className="muted">
          No fields known yet: fetch a sample, or run the flow once, to see the source&apos;s fields.
        </p>
      )}
      <ul className="source-fields">
        {shown.map((field) => (
          <li
            key={field.name}
            className="source-field"
            draggable
            data-testid={`source-field-${field.name}`}
            title={`${field.name} (${field.type}), ${ORIGIN_HINT[field.origin]}: drag onto a destination field`}
            onDragStart={(e) => startFieldDrag(field, e.dataTransfer)}
            onDragEnd={endFieldDrag}
          >
            <span className="drag-grip" aria-hidden="true">
              ⠿
            </span>
            <span className="field-name mono">{field.name}</span>
            <span className={`type-badge type-${field.type}`}>{field.type}</span>
            <select
              className="map-to"
              aria-label={`Map ${field.name} to`}
              value=""
              onChange={(e) => e.target.value && onMap(field, e.target.value)}
            >
              <option value="">map to…</option>
              {targets.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </li>
        ))}
      </ul>
    </section>
  );
}
