import type { ReactNode } from 'react';
import type { FieldSpec, FormProblem } from '../form-layout.js';

/** What every field component receives; `onChange(undefined)` removes the key from the config. */
export interface FieldProps<S extends FieldSpec = FieldSpec> {
  spec: S;
  value: unknown;
  onChange(next: unknown): void;
  problems: readonly FormProblem[];
  /** The input's id, for `<label htmlFor>`. */
  id: string;
}

/** `types.price` under the field `types` reads `price: …`; the field's own problems read as the message alone. */
export function problemText(problem: FormProblem, fieldPath: string): string {
  if (problem.path === fieldPath) return problem.message;
  const rest = problem.path.slice(fieldPath.length).replace(/^\./, '');
  return `${rest}: ${problem.message}`;
}

/** The ids an input's `aria-describedby` lists: its help text and its errors. */
export function describedBy(id: string, spec: FieldSpec, problems: readonly FormProblem[]): string | undefined {
  const ids = [...(spec.description ? [`${id}-help`] : []), ...problems.map((_, i) => `${id}-error-${i}`)];
  return ids.length ? ids.join(' ') : undefined;
}

/** The input's accessibility attributes for its state: required, invalid, described by help and errors. */
export function inputAria(id: string, spec: FieldSpec, problems: readonly FormProblem[]) {
  return {
    id,
    'aria-required': spec.required || undefined,
    'aria-invalid': problems.length > 0 || undefined,
    'aria-describedby': describedBy(id, spec, problems),
  };
}

export function FieldHelp({ id, spec }: { id: string; spec: FieldSpec }) {
  if (!spec.description) return null;
  return (
    <div className="field-help" id={`${id}-help`}>
      {spec.description}
    </div>
  );
}

export function FieldErrors({ id, spec, problems }: { id: string; spec: FieldSpec; problems: readonly FormProblem[] }) {
  return problems.map((problem, i) => (
    <div className="field-error" id={`${id}-error-${i}`} key={`${problem.path}:${i}`}>
      {problemText(problem, spec.pathText)}
    </div>
  ));
}

/** A required field's asterisk. Kept outside the <label>: the accessible name stays the property name. */
export function RequiredMark({ required }: { required: boolean }) {
  if (!required) return null;
  return (
    <span className="required-mark" aria-hidden="true" title="required">
      *
    </span>
  );
}

export function FieldLabel({ id, spec }: { id: string; spec: FieldSpec }) {
  return (
    <div className="field-head">
      <label htmlFor={id}>{spec.label}</label>
      <RequiredMark required={spec.required} />
    </div>
  );
}

/** Label, input, help and errors of one field, addressed by `data-field` (e2e tests target `[data-field=x] input`). */
export function FieldFrame({
  id,
  spec,
  problems,
  children,
}: {
  id: string;
  spec: FieldSpec;
  problems: readonly FormProblem[];
  children: ReactNode;
}) {
  return (
    <div className={`field field-${spec.kind}${problems.length ? ' has-error' : ''}`} data-field={spec.pathText}>
      <FieldLabel id={id} spec={spec} />
      {children}
      <FieldHelp id={id} spec={spec} />
      <FieldErrors id={id} spec={spec} problems={problems} />
    </div>
  );
}
