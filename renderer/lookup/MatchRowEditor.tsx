import type { EntityField } from '../../core/model/descriptor.js';
import type { SourceField } from '../../core/model/mapper-contract.js';
import { ExpressionInput } from '../mapper/ExpressionInput.js';
import type { MatchRow, RowProblem } from './match-rows.js';

/** The select's value that switches a row to a typed field. */
const OTHER = '\u0000other';

interface MatchRowEditorProps {
  id: string;
  index: number;
  row: MatchRow;
  /** The entity's fields: the select's options, or the typed field's suggestions. */
  entityFields: readonly EntityField[];
  entityName: string | undefined;
  /** Fields coming into the lookup, completed in the expression. */
  incoming: readonly SourceField[];
  /** A select of the catalog; else the field is typed. */
  select: boolean;
  /** This row's problems, each naming the row. */
  problems: readonly RowProblem[];
  /** `typing`: a keystroke in a typed field (one undo step for the word), not a choice. */
  onField(field: string, typing: boolean): void;
  onOther(): void;
  onExpression(expression: string): void;
  onRemove(): void;
}

/** One match row: field = expression, remove. Inputs are named by row number for screen readers and tests. */
export function MatchRowEditor(props: MatchRowEditorProps) {
  const { id, index, row, entityFields, problems } = props;
  const n = index + 1;
  const errorIds = problems.map((_, j) => `${id}-error-${j}`);
  const describedBy = errorIds.length ? errorIds.join(' ') : undefined;
  const fieldProblem = problems.some((p) => p.input === 'field');
  const expressionProblem = problems.some((p) => p.input === 'expression');
  const listId = `${id}-fields`;

  return (
    <li className="match-row" data-row={index}>
      <div role="group" aria-label={`Match row ${n}`}>
        <div className="match-row-inputs">
          {props.select ? (
            <select
              className="match-field"
              aria-label={`Match field ${n}`}
              aria-invalid={fieldProblem || undefined}
              aria-describedby={describedBy}
              value={row.field}
              onChange={(e) => (e.target.value === OTHER ? props.onOther() : props.onField(e.target.value, false))}
            >
              {row.field === '' && <option value="">— a field of {props.entityName ?? 'the entity'} —</option>}
              {entityFields.map((f) => (
                <option key={f.name} value={f.name} title={f.description}>
                  {f.name}
                </option>
              ))}
              <option value={OTHER}>Other field…</option>
            </select>
          ) : (
            <>
              <input
                className="match-field mono"
                type="text"
                aria-label={`Match field ${n}`}
                aria-invalid={fieldProblem || undefined}
                aria-describedby={describedBy}
                value={row.field}
                placeholder="field"
                spellCheck={false}
                autoComplete="off"
                list={entityFields.length ? listId : undefined}
                onChange={(e) => props.onField(e.target.value, true)}
              />
              {entityFields.length > 0 && (
                <datalist id={listId}>
                  {entityFields.map((f) => (
                    <option key={f.name} value={f.name} />
                  ))}
                </datalist>
              )}
            </>
          )}
          <span className="match-eq" aria-hidden="true">
            =
          </span>
          <ExpressionInput
            label={`Match expression ${n}`}
            value={row.expression}
            onChange={props.onExpression}
            fields={props.incoming}
            placeholder="expression, e.g. email"
            invalid={expressionProblem}
            {...(describedBy ? { describedBy } : {})}
          />
          <button
            type="button"
            className="icon"
            aria-label={`Remove match row ${n}`}
            title="Remove this row"
            onClick={props.onRemove}
          >
            ×
          </button>
        </div>
        {problems.map((p, j) => (
          <div className="field-error" id={errorIds[j]} key={j}>
            {p.message}
          </div>
        ))}
      </div>
    </li>
  );
}
