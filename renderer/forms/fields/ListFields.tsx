import type { FieldSpec } from '../form-layout.js';
import { FieldFrame, type FieldProps, inputAria } from './FieldFrame.js';
import { useDraft } from '../use-draft.js';

type Spec<K extends FieldSpec['kind']> = Extract<FieldSpec, { kind: K }>;

const linesOf = (value: unknown) => (Array.isArray(value) ? value.map((v) => String(v)).join('\n') : '');

/** A list of strings, one per line: column names paste straight from a spreadsheet or a header line's split. */
export function StringListField({ spec, value, onChange, problems, id }: FieldProps<Spec<'list'>>) {
  const { draft, keep } = useDraft(value, linesOf);
  return (
    <FieldFrame id={id} spec={spec} problems={problems}>
      <textarea
        {...inputAria(id, spec, problems)}
        className="list-input"
        rows={Math.min(8, Math.max(2, draft.split('\n').length))}
        value={draft}
        placeholder={spec.placeholder ?? 'one per line'}
        spellCheck={false}
        onChange={(e) => {
          const items = e.target.value
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter((line) => line !== '');
          const next = items.length ? items : undefined;
          keep(e.target.value, next);
          onChange(next);
        }}
      />
    </FieldFrame>
  );
}

const jsonOf = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));

/** For shapes no widget fits (unions of scalars, arrays of objects): the value as JSON, applied when it parses. */
export function JsonField({ spec, value, onChange, problems, id }: FieldProps<Spec<'json'>>) {
  const { draft, keep } = useDraft<unknown, { text: string; syntaxError?: string }>(value, (v) => ({
    text: jsonOf(v),
  }));
  const shown = draft.syntaxError ? [...problems, { path: spec.pathText, message: draft.syntaxError }] : problems;
  return (
    <FieldFrame id={id} spec={spec} problems={shown}>
      <textarea
        {...inputAria(id, spec, shown)}
        className="mono"
        rows={Math.min(10, Math.max(2, draft.text.split('\n').length))}
        value={draft.text}
        placeholder={spec.placeholder ?? 'JSON'}
        spellCheck={false}
        onChange={(e) => {
          const text = e.target.value;
          let next: unknown;
          try {
            next = text.trim() === '' ? undefined : JSON.parse(text);
          } catch {
            keep({ text, syntaxError: 'not valid JSON (yet): the last valid value is kept' }, value);
            return;
          }
          keep({ text }, next);
          onChange(next);
        }}
      />
    </FieldFrame>
  );
}
