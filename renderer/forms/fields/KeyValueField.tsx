import type { FieldSpec, FormProblem } from '../form-layout.js';
import { displayValue, isPlainObject, isWithin, pathText, sameJson } from '../json-schema.js';
import { useDraft } from '../use-draft.js';
import { FieldHelp, type FieldProps, RequiredMark, problemText } from './FieldFrame.js';

type RecordSpec = Extract<FieldSpec, { kind: 'record' }>;

interface Row {
  /** React key: stays with the row while its key is retyped. */
  id: number;
  key: string;
  value: unknown;
}

const rowsOf = (value: unknown): Row[] =>
  isPlainObject(value) ? Object.entries(value).map(([key, v], i) => ({ id: i, key, value: v })) : [];

/** The record the rows stand for: rows without a key are still being typed, a repeated key's later row is ignored. */
export function recordOfRows(rows: readonly Row[], required: boolean): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const row of rows) if (row.key !== '' && !(row.key in out)) out[row.key] = row.value;
  return Object.keys(out).length || required ? out : undefined;
}

/** A `record<string, string | enum>`, such as column types or query parameters: one row per entry. */
export function KeyValueField({ spec, value, onChange, problems, id }: FieldProps<RecordSpec>) {
  const { draft: rows, keep } = useDraft(value, rowsOf);
  const update = (next: Row[]) => {
    const committed = recordOfRows(next, spec.required);
    keep(next, committed);
    if (!sameJson(committed, value)) onChange(committed);
  };
  const options = spec.valueOptions;
  const rowPath = (row: Row) => pathText([...spec.path, row.key]);
  const rowProblems = (row: Row) => (row.key === '' ? [] : problems.filter((p) => isWithin(p.path, rowPath(row))));
  const own = problems.filter((p) => !rows.some((r) => r.key !== '' && isWithin(p.path, rowPath(r))));
  const seen = new Set<string>();
  const labelId = `${id}-label`;

  return (
    <div className={`field field-record${problems.length ? ' has-error' : ''}`} data-field={spec.pathText}>
      <div className="field-head">
        <label id={labelId} htmlFor={rows.length ? `${id}-key-0` : undefined}>
          {spec.label}
        </label>
        <RequiredMark required={spec.required} />
      </div>
      <div className="kv-rows" role="group" aria-labelledby={labelId}>
        {rows.map((row, i) => {
          const duplicate = row.key !== '' && seen.has(row.key);
          seen.add(row.key);
          const errors: FormProblem[] = [
            ...(duplicate ? [{ path: rowPath(row), message: 'duplicate key: this row is ignored' }] : []),
            ...rowProblems(row),
          ];
          const set = (patch: Partial<Row>) => update(rows.map((r) => (r.id === row.id ? { ...r, ...patch } : r)));
          return (
            <div className="kv-row" key={row.id} data-field={row.key === '' ? undefined : rowPath(row)}>
              <input
                id={`${id}-key-${i}`}
                className="kv-key"
                type="text"
                value={row.key}
                placeholder="name"
                spellCheck={false}
                aria-label={`${spec.label} key ${i + 1}`}
                aria-invalid={duplicate || undefined}
                onChange={(e) => set({ key: e.target.value })}
              />
              {options ? (
                <select
                  className="kv-value"
                  aria-label={`${spec.label} value ${i + 1}`}
                  aria-invalid={errors.length > 0 || undefined}
                  value={String(options.findIndex((o) => sameJson(o, row.value)))}
                  onChange={(e) => set({ value: options[Number(e.target.value)] })}
                >
                  {!options.some((o) => sameJson(o, row.value)) && (
                    <option value="-1">{displayValue(row.value)}</option>
                  )}
                  {options.map((option, j) => (
                    <option key={j} value={String(j)}>
                      {displayValue(option)}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  className="kv-value"
                  type="text"
                  value={typeof row.value === 'string' ? row.value : JSON.stringify(row.value)}
                  placeholder="value"
                  spellCheck={false}
                  aria-label={`${spec.label} value ${i + 1}`}
                  aria-invalid={errors.length > 0 || undefined}
                  onChange={(e) => set({ value: e.target.value })}
                />
              )}
              <button
                type="button"
                className="icon"
                aria-label={`Remove ${spec.label} ${i + 1}`}
                title="Remove"
                onClick={() => update(rows.filter((r) => r.id !== row.id))}
              >
                ×
              </button>
              {errors.map((p, j) => (
                <div className="field-error kv-error" key={j}>
                  {p.message}
                </div>
              ))}
            </div>
          );
        })}
        <button
          type="button"
          className="link kv-add"
          aria-label={`Add ${spec.label} entry`}
          onClick={() => {
            const nextId = rows.reduce((max, r) => Math.max(max, r.id), -1) + 1;
            update([...rows, { id: nextId, key: '', value: options ? options[0] : '' }]);
          }}
        >
          + Add
        </button>
      </div>
      <FieldHelp id={id} spec={spec} />
      {own.map((p, i) => (
        <div className="field-error" key={i}>
          {problemText(p, spec.pathText)}
        </div>
      ))}
    </div>
  );
}
