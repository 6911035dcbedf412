import { useId, useMemo } from 'react';
import { type FormProblem, layoutFields, placeProblems } from './form-layout.js';
import { FieldList, FormContext } from './fields/GroupFields.js';
import type { JsonSchema } from './json-schema.js';
import type { FieldWidgets } from './widgets.js';

export type { FormProblem } from './form-layout.js';
export { unplacedProblems } from './form-layout.js';

export interface SchemaFormProps {
  /** A JSON Schema object as `z.toJSONSchema` writes it, with Ferry's form hints. */
  schema: JsonSchema;
  value: Record<string, unknown> | undefined;
  /**
   * The whole next value (keys the schema does not know are kept) and the path of the field that changed, so a host
   * can fold a typing burst in one field into one undo step.
   */
  onChange(next: Record<string, unknown>, changedPath: string): void;
  /**
   * Paths relative to the form's root (`path`, `types.price`). Each shows under its field; the ones no visible
   * field shows are left to the host (see `unplacedProblems`), which knows where they belong.
   */
  problems?: readonly FormProblem[];
  /** Components for fields whose schema names a `widget` (module constants: a new object re-renders every field). */
  widgets?: FieldWidgets;
}

const NO_PROBLEMS: readonly FormProblem[] = [];
const EMPTY: Record<string, unknown> = {};

/** A form generated from a JSON Schema: the same schema that validates a config draws its settings. */
export function SchemaForm({ schema, value, onChange, problems = NO_PROBLEMS, widgets }: SchemaFormProps) {
  const idPrefix = useId();
  const object = value ?? EMPTY;
  const specs = useMemo(() => layoutFields(schema, object), [schema, object]);
  const context = useMemo(
    () => ({ idPrefix, byField: placeProblems(specs, problems).byField, ...(widgets ? { widgets } : {}) }),
    [idPrefix, specs, problems, widgets],
  );
  if (specs.length === 0) return <p className="muted form-empty">No settings.</p>;
  return (
    <FormContext.Provider value={context}>
      <div className="schema-form">
        <FieldList specs={specs} value={object} onChange={onChange} />
      </div>
    </FormContext.Provider>
  );
}
