import type { JsonValue } from '../../core/model/json-value.js';
import { recordColumns } from '../../core/model/record-columns.js';

function cell(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Records as a table: columns are the union of keys in first-seen order (outcome columns first for destinations).
 * `columns` puts them in another order; `firstIndex` numbers the rows of a later page; `testId` tells tables of
 * different panels apart.
 */
export function PreviewTable({
  records,
  columns: order,
  firstIndex = 0,
  testId = 'preview-table',
}: {
  records: JsonValue[];
  columns?: string[];
  firstIndex?: number;
  testId?: string;
}) {
  const rows = records.map((r) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? r : { value: r }));
  const columns = order ?? recordColumns(rows);
  if (rows.length === 0) return <p className="muted">No records.</p>;
  return (
    <div className="table-wrap">
      <table className="preview-table" data-testid={testId}>
        <thead>
          <tr>
            <th>#</th>
            {columns.map((c) => (
              <th key={c}>{c.startsWith('@') ? c.slice(1) : c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} className={row['@outcome'] === 'failed' ? 'row-failed' : undefined}>
              <td className="muted">{firstIndex + i + 1}</td>
              {columns.map((c) => (
                <td key={c} title={cell(row[c])}>
                  {cell(row[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
