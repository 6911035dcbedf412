import { createContext, useContext } from 'react';
import { type FieldSpec, type FormProblem, switchVariant } from '../form-layout.js';
import { displayValue, isPlainObject, sameJson, withValue } from '../json-schema.js';
import { FieldErrors, FieldHelp, FieldLabel, RequiredMark, inputAria } from './FieldFrame.js';
import { KeyValueField } from './KeyValueField.js';
import { JsonField, StringListField } from './ListFields.js';
import { BooleanField, EnumField, NumberField, TextField } from './ScalarFields.js';
import type { FieldWidgets } from '../widgets.js';

export interface FormContextValue {
  /** From `useId`: two forms on one page never share input ids. */
  idPrefix: string;
  /** Problems per field `pathText`, placed once for the whole form. */
  byField: ReadonlyMap<string, FormProblem[]>;
  /** The host's own components for fields with a `widget` hint. */
  widgets?: FieldWidgets;
}

export const FormContext = createContext<FormContextValue>({ idPrefix: 'form', byField: new Map() });

const NO_PROBLEMS: FormProblem[] = [];

/** A valid, unique element id for a field path (`query["x-id"]` has quotes and brackets). */
export function fieldId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^\w-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;
}

/** A field's change, with the path of the field the user touched (the host's undo coalescing keys on it). */
type Change = (next: unknown, changedPath?: string) => void;

export function FieldList({
  specs,
  value,
  onChange,
}: {
  specs: readonly FieldSpec[];
  value: Record<string, unknown>;
  onChange(next: Record<string, unknown>, changedPath: string): void;
}) {
  return specs.map((spec) => (
    <FieldView
      key={spec.key}
      spec={spec}
      value={value[spec.key]}
      onChange={(next, changedPath = spec.pathText) => onChange(withValue(value, spec.key, next), changedPath)}
    />
  ));
}

function FieldView({ spec, value, onChange }: { spec: FieldSpec; value: unknown; onChange: Change }) {
  const { idPrefix, byField, widgets } = useContext(FormContext);
  const props = {
    value,
    onChange,
    problems: byField.get(spec.pathText) ?? NO_PROBLEMS,
    id: fieldId(idPrefix, spec.pathText),
  };
  const Widget = typeof spec.schema.widget === 'string' ? widgets?.[spec.schema.widget] : undefined;
  if (Widget) return <Widget spec={spec} {...props} />;
  switch (spec.kind) {
    case 'text':
      return <TextField spec={spec} {...props} />;
    case 'number':
      return <NumberField spec={spec} {...props} />;
    case 'boolean':
      return <BooleanField spec={spec} {...props} />;
    case 'enum':
      return <EnumField spec={spec} {...props} />;
    case 'list':
      return <StringListField spec={spec} {...props} />;
    case 'record':
      return <KeyValueField spec={spec} {...props} />;
    case 'json':
      return <JsonField spec={spec} {...props} />;
    case 'object':
      return <ObjectGroup spec={spec} {...props} />;
    case 'union':
      return <UnionField spec={spec} {...props} />;
  }
}

interface GroupProps<S> {
  spec: S;
  value: unknown;
  onChange: Change;
  problems: readonly FormProblem[];
  id: string;
}

function ObjectGroup({ spec, value, onChange, problems, id }: GroupProps<Extract<FieldSpec, { kind: 'object' }>>) {
  const object = isPlainObject(value) ? value : {};
  return (
    <fieldset className={`field-group${problems.length ? ' has-error' : ''}`} data-field={spec.pathText}>
      <legend>
        {spec.label}
        <RequiredMark required={spec.required} />
      </legend>
      <FieldHelp id={id} spec={spec} />
      <FieldErrors id={id} spec={spec} problems={problems} />
      <FieldList
        specs={spec.children}
        value={object}
        // An optional group emptied field by field goes away rather than staying as {}.
        onChange={(next, path) => onChange(Object.keys(next).length === 0 && !spec.required ? undefined : next, path)}
      />
    </fieldset>
  );
}

/** A discriminated union (HTTP paging): a select of the variant, then the fields of the chosen one. */
function UnionField({ spec, value, onChange, problems, id }: GroupProps<Extract<FieldSpec, { kind: 'union' }>>) {
  const object = isPlainObject(value) ? value : undefined;
  const defaultChoice = isPlainObject(spec.defaultValue) ? spec.defaultValue[spec.discriminator] : undefined;
  const isDefault = (choice: unknown) => defaultChoice !== undefined && sameJson(choice, defaultChoice);
  const selectedIndex = spec.current ? spec.variants.indexOf(spec.current) : -1;
  const settle = (next: Record<string, unknown>, path: string) =>
    onChange(spec.defaultValue !== undefined && sameJson(next, spec.defaultValue) ? undefined : next, path);
  return (
    <div className={`field field-union${problems.length ? ' has-error' : ''}`} data-field={spec.pathText}>
      <FieldLabel id={id} spec={spec} />
      <select
        {...inputAria(id, spec, problems)}
        value={selectedIndex < 0 ? '' : String(selectedIndex)}
        onChange={(e) => {
          const variant = e.target.value === '' ? undefined : spec.variants[Number(e.target.value)];
          if (!variant) onChange(undefined);
          else settle(switchVariant(object ?? {}, spec, variant), spec.pathText);
        }}
      >
        {(selectedIndex < 0 || (!spec.required && defaultChoice === undefined)) && <option value="">—</option>}
        {spec.variants.map((variant, i) => (
          <option key={i} value={String(i)}>
            {displayValue(variant.value)}
            {isDefault(variant.value) ? ' (default)' : ''}
          </option>
        ))}
      </select>
      <FieldHelp id={id} spec={spec} />
      <FieldErrors id={id} spec={spec} problems={problems} />
      {spec.current && spec.children.length > 0 && (
        <div className="field-children">
          <FieldList
            specs={spec.children}
            value={object ?? {}}
            onChange={(next, path) => settle({ [spec.discriminator]: spec.current!.value, ...next }, path)}
          />
        </div>
      )}
    </div>
  );
}
