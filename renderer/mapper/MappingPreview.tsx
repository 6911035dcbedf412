import { Fragment, useState } from 'react';
import type { JsonValue } from '../../core/model/json-value.js';
import type { PreviewMappingResult } from '../../core/model/mapper-contract.js';
import { rowsOfMapConfig } from '../forms/map-config.js';

const SAMPLE_LABEL: Record<PreviewMappingResult['sample'], string> = {
  given: 'the fetched sample',
  'last-run': "the last run's records",
  none: 'no records',
};

function valueAt(output: Record<string, JsonValue> | undefined, column: string): JsonValue | undefined {
  if (!output) return undefined;
  if (column in output) return output[column];
  let value: JsonValue | undefined = output;
  for (const name of column.split('.')) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[name] : undefined;
  }
  return value;
}

function shown(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `${value.length} line${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Which column a field error belongs to: its target, or the target of the lines (`lines[0].sku` → `lines`). */
function columnOf(target: string, columns: readonly string[]): string | undefined {
  return columns.find((c) => target === c || target.startsWith(`${c}.`) || target.startsWith(`${c}[`));
}

/**
 * The mapped output of the sample records, one row each; a field's problem (type mismatch, required and empty, not in
 * the value map) is shown in its cell, a record's failure across its row.
 */
export function MappingPreview(props: {
  preview: PreviewMappingResult | null;
  error: string | null;
  config: Record<string, unknown>;
}) {
  const [inputShown, setInputShown] = useState<number | null>(null);
  const { preview } = props;
  const targets = rowsOfMapConfig(props.config)
    .map((r) => r.target)
    .filter((t): t is string => typeof t === 'string' && t !== '');
  const columns = [...targets];
  for (const row of preview?.rows ?? []) {
    for (const key of Object.keys(row.output ?? {})) {
      if (!columns.some((c) => c === key || c.startsWith(`${key}.`))) columns.push(key);
    }
  }

  return (
    <section className="mapper-preview" aria-label="Preview" data-testid="mapping-preview">
      <div className="mapper-column-head">
        <h3>Preview</h3>
        {preview && (
          <span className="muted">
            {preview.rows.length} record{preview.rows.length === 1 ? '' : 's'} from {SAMPLE_LABEL[preview.sample]}
          </span>
        )}
      </div>
      {props.error && <p className="error-text">{props.error}</p>}
      {preview && preview.problems.length > 0 && (
        <ul className="error-text preview-problems" aria-label="Mapping problems">
          {preview.problems.map((p, i) => (
            <li key={i}>
              {p.path}: {p.message}
            </li>
          ))}
        </ul>
      )}
      {preview && preview.rows.length === 0 && (
        <p className="muted">No sample records: fetch a sample or run the flow to preview the mapping.</p>
      )}
      {preview && preview.rows.length > 0 && (
        <div className="table-wrap">
          <table className="preview-table mapping-preview-table">
            <thead>
              <tr>
                <th>#</th>
                {columns.map((c) => (
                  <th key={c} className="mono">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, i) => {
                const byColumn = new Map<string, string[]>();
                const elsewhere: string[] = [];
                for (const e of row.fieldErrors) {
                  const column = columnOf(e.target, columns);
                  const message = column === e.target ? e.message : `${e.target}: ${e.message}`;
                  if (column) byColumn.set(column, [...(byColumn.get(column) ?? []), message]);
                  else elsewhere.push(message);
                }
                return (
                  <Fragment key={i}>
                    <tr className={row.error ? 'row-failed' : undefined} data-testid={`preview-row-${i + 1}`}>
                      <td>
                        <button
                          type="button"
                          className="link"
                          aria-expanded={inputShown === i}
                          aria-label={`Input of record ${i + 1}`}
                          onClick={() => setInputShown(inputShown === i ? null : i)}
                        >
                          {i + 1}
                        </button>
                      </td>
                      {row.error && !row.output ? (
                        <td colSpan={columns.length} className="error-text row-error">
                          {row.error}
                        </td>
                      ) : (
                        columns.map((c) => {
                          const errors = byColumn.get(c);
                          const value = shown(valueAt(row.output, c));
                          return (
                            <td
                              key={c}
                              className={errors ? 'cell-error' : undefined}
                              data-column={c}
                              title={errors ? errors.join('\n') : value}
                            >
                              {value}
                              {errors?.map((m, j) => (
                                <div className="cell-error-text" key={j}>
                                  {m}
                                </div>
                              ))}
                            </td>
                          );
                        })
                      )}
                    </tr>
                    {(elsewhere.length > 0 || (row.error && row.output)) && (
                      <tr className="row-failed">
                        <td />
                        <td colSpan={columns.length} className="error-text">
                          {[row.error, ...elsewhere].filter(Boolean).join(' · ')}
                        </td>
                      </tr>
                    )}
                    {inputShown === i && (
                      <tr>
                        <td />
                        <td colSpan={columns.length}>
                          <pre className="json-view">{JSON.stringify(row.input, null, 2)}</pre>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
