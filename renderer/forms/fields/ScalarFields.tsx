import type { FieldSpec } from '../form-layout.js';
import { displayValue, isPlainObject, sameJson } from '../json-schema.js';
import { useDraft } from '../use-draft.js';
import { FieldErrors, FieldFrame, FieldHelp, type FieldProps, RequiredMark, inputAria } from './FieldFrame.js';

type Spec<K extends FieldSpec['kind']> = Extract<FieldSpec, { kind: K }>;

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const MULTILINE_WIDGETS = new Set(['textarea', 'expression', 'code']);
const MONO_WIDGETS = new Set(['file', 'expression', 'code']);

export function TextField({ spec, value, onChange, problems, id }: FieldProps<Spec<'text'>>) {
  const widget = spec.widget ?? '';
  const common = {
    ...inputAria(id, spec, problems),
    className: MONO_WIDGETS.has(widget) ? 'mono' : undefined,
    value: textOf(value),
    placeholder: spec.placeholder,
    spellCheck: false,
  };
  // An emptied field is removed rather than written as "": the schema then reports a required one as missing.
  const change = (text: string) => onChange(text === '' ? undefined : text);
  return (
    <FieldFrame id={id} spec={spec} problems={problems}>
      {MULTILINE_WIDGETS.has(widget) ? (
        <textarea {...common} rows={3} onChange={(e) => change(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => change(e.target.value)} />
      )}
    </FieldFrame>
  );
}

export function NumberField({ spec, value, onChange, problems, id }: FieldProps<Spec<'number'>>) {
  const { draft, keep } = useDraft(value, textOf);
  const min = typeof spec.schema.minimum === 'number' ? spec.schema.minimum : undefined;
  const max = typeof spec.schema.maximum === 'number' ? spec.schema.maximum : undefined;
  return (
    <FieldFrame id={id} spec={spec} problems={problems}>
      <input
        {...inputAria(id, spec, problems)}
        type="number"
        inputMode={spec.integer ? 'numeric' : 'decimal'}
        step={spec.integer ? 1 : 'any'}
        min={min}
        // zod writes Number.MAX_SAFE_INTEGER for unbounded ints: not worth showing as a bound.
        max={max !== undefined && max < Number.MAX_SAFE_INTEGER ? max : undefined}
        value={draft}
        placeholder={spec.placeholder}
        onChange={(e) => {
          const text = e.target.value;
          const parsed = Number(text);
          // Browsers report a half-typed number ("-", "1e") as "" with badInput: that keeps the last value.
          const halfTyped = e.target.validity?.badInput === true;
          // Empty removes the key (never 0); anything else applies once it parses.
          const next = halfTyped ? value : text.trim() === '' ? undefined : Number.isFinite(parsed) ? parsed : value;
          keep(text, next);
          if (!sameJson(next, value)) onChange(next);
        }}
      />
    </FieldFrame>
  );
}

export function BooleanField({ spec, value, onChange, problems, id }: FieldProps<Spec<'boolean'>>) {
  const fallback = spec.defaultValue === true;
  const checked = typeof value === 'boolean' ? value : fallback;
  return (
    <div className={`field field-boolean${problems.length ? ' has-error' : ''}`} data-field={spec.pathText}>
      <div className="field-check">
        <input
          {...inputAria(id, spec, problems)}
          type="checkbox"
          checked={checked}
          // Back at the default, the key goes: the config holds only what differs from it.
          onChange={(e) => onChange(!spec.required && e.target.checked === fallback ? undefined : e.target.checked)}
        />
        <label htmlFor={id}>{spec.label}</label>
        <RequiredMark required={spec.required} />
      </div>
      <FieldHelp id={id} spec={spec} />
      <FieldErrors id={id} spec={spec} problems={problems} />
    </div>
  );
}

/** The default choice stands for "not set": picking it removes the key, so the config keeps only real choices. */
export function EnumField({ spec, value, onChange, problems, id }: FieldProps<Spec<'enum'>>) {
  const options =
    spec.options.some((o) => sameJson(o, value)) || value === undefined ? spec.options : [...spec.options, value];
  const hasDefault = spec.defaultValue !== undefined && spec.options.some((o) => sameJson(o, spec.defaultValue));
  const selected = value === undefined ? (hasDefault ? spec.defaultValue : undefined) : value;
  const selectedIndex = options.findIndex((o) => sameJson(o, selected));
  // Connectors may name their values for people (`.meta({enumLabels})`, e.g. the destination operations).
  const labels = isPlainObject(spec.schema.enumLabels) ? spec.schema.enumLabels : {};
  const label = (option: unknown) => {
    const named = labels[String(option)];
    return typeof named === 'string' ? named : displayValue(option);
  };
  return (
    <FieldFrame id={id} spec={spec} problems={problems}>
      <select
        {...inputAria(id, spec, problems)}
        value={selectedIndex < 0 ? '' : String(selectedIndex)}
        onChange={(e) => {
          const option = e.target.value === '' ? undefined : options[Number(e.target.value)];
          onChange(hasDefault && sameJson(option, spec.defaultValue) ? undefined : option);
        }}
      >
        {!hasDefault && (!spec.required || value === undefined) && <option value="">—</option>}
        {options.map((option, i) => (
          <option key={i} value={String(i)}>
            {label(option)}
            {hasDefault && sameJson(option, spec.defaultValue) ? ' (default)' : ''}
            {spec.options.some((o) => sameJson(o, option)) ? '' : ' (not allowed)'}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
