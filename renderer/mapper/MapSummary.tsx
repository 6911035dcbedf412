import type { FlowNode } from '../../core/model/flow.js';
import type { FormProblem } from '../forms/form-layout.js';
import { rowsOfMapConfig } from '../forms/map-config.js';
import { openMapper } from '../state/mapper-actions.js';

const SHOWN = 12;

/** A map node in the settings panel: what it maps, at a glance, and the way into the mapper. */
export function MapSummary({ node, problems }: { node: FlowNode; problems: readonly FormProblem[] }) {
  const rows = rowsOfMapConfig(node.config);
  return (
    <div className="map-summary">
      <button type="button" className="primary" onClick={() => openMapper(node.id)}>
        Open mapper
      </button>
      {problems.length > 0 && (
        <p className="field-error">
          {problems.length === 1 ? '1 problem' : `${problems.length} problems`} in the mapping: open the mapper to see
          {problems.length === 1 ? ' it' : ' them'}.
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted">No fields mapped yet.</p>
      ) : (
        <ul className="map-summary-rows" aria-label="Field mappings">
          {rows.slice(0, SHOWN).map((row, i) => (
            <li key={i}>
              <span className="mono">{typeof row.target === 'string' && row.target ? row.target : '(no target)'}</span>
              <span className="muted"> ← </span>
              <span className="mono muted">{typeof row.expression === 'string' ? row.expression : ''}</span>
              {Array.isArray(row.fields) && <span className="muted"> ({row.fields.length} line fields)</span>}
            </li>
          ))}
          {rows.length > SHOWN && <li className="muted">and {rows.length - SHOWN} more</li>}
        </ul>
      )}
      {node.config.keepUnmapped === true && <p className="muted">Unmapped fields are kept.</p>}
    </div>
  );
}
