import { useId } from 'react';
import { isFilterGroup } from '../../core/model/filter-rules.js';
import type { SourceField } from '../../core/model/mapper-contract.js';
import type { FilterGroup, FilterRule } from '../../core/model/mapping.js';
import type { FormProblem } from '../forms/form-layout.js';
import { isWithin } from '../forms/json-schema.js';
import {
  isListOperator,
  operatorLabel,
  operatorsFor,
  parseRuleValue,
  ruleValueText,
  takesValue,
  withField,
  withOperator,
} from './filter-operators.js';

type Item = FilterRule | FilterGroup;

/** A copy of the group with the item at `path` (indexes into nested `rules`) replaced, or removed for undefined. */
export function editItem(group: FilterGroup, path: readonly number[], item: Item | undefined): FilterGroup {
  const [first, ...rest] = path as [number, ...number[]];
  const rules = group.rules.flatMap((r, i): Item[] => {
    if (i !== first) return [r];
    if (rest.length === 0) return item === undefined ? [] : [item];
    return isFilterGroup(r) ? [editItem(r, rest, item)] : [r];
  });
  return { ...group, rules };
}

interface BuilderProps {
  group: FilterGroup;
  fields: readonly SourceField[];
  /** Config-relative problems (`rules.rules[0].value`). */
  problems: readonly FormProblem[];
  onChange(group: FilterGroup, typingKey?: string): void;
}

/** Rules (field, operator fitting its type, value) in AND/OR groups, nested. */
export function FilterBuilder(props: BuilderProps) {
  return <GroupEditor {...props} path={[]} root={props.group} />;
}

function configPath(path: readonly number[]): string {
  return `rules${path.map((i) => `.rules[${i}]`).join('')}`;
}

function GroupEditor(props: BuilderProps & { path: readonly number[]; root: FilterGroup }) {
  const { group, path, root, onChange } = props;
  const id = useId();
  const label = path.length === 0 ? 'the rules' : `group ${path.map((i) => i + 1).join('.')}`;
  const set = (next: FilterGroup) => onChange(path.length ? editItem(root, path, next) : next);
  const firstField = props.fields[0];
  const newRule = (): FilterRule =>
    firstField
      ? withField({ field: '', operator: 'eq' }, firstField.name, firstField.type)
      : { field: '', operator: 'eq' };
  return (
    <div className={`filter-group${path.length ? ' nested' : ''}`} role="group" aria-label={`Rules of ${label}`}>
      <div className="filter-group-head">
        <label htmlFor={`${id}-combinator`}>Records pass when</label>
        <select
          id={`${id}-combinator`}
          aria-label={`Combine ${label}`}
          value={group.combinator}
          onChange={(e) => set({ ...group, combinator: e.target.value as FilterGroup['combinator'] })}
        >
          <option value="and">all of these are true (AND)</option>
          <option value="or">any of these is true (OR)</option>
        </select>
        {path.length > 0 && (
          <button
            type="button"
            className="icon"
            aria-label={`Remove ${label}`}
            onClick={() => onChange(editItem(root, path, undefined))}
          >
            ×
          </button>
        )}
      </div>
      <ol className="filter-rules">
        {group.rules.map((item, i) => {
          const at = [...path, i];
          return (
            <li key={i}>
              {isFilterGroup(item) ? (
                <GroupEditor {...props} group={item} path={at} />
              ) : (
                <RuleEditor
                  rule={item}
                  number={at.map((n) => n + 1).join('.')}
                  fields={props.fields}
                  problems={props.problems.filter((p) => isWithin(p.path, configPath(at)))}
                  base={configPath(at)}
                  onChange={(rule, typing) => onChange(editItem(root, at, rule), typing ? configPath(at) : undefined)}
                  onRemove={() => onChange(editItem(root, at, undefined))}
                />
              )}
            </li>
          );
        })}
      </ol>
      {group.rules.length === 0 && (
        <p className="muted">
          {group.combinator === 'and' ? 'No rules: every record passes.' : 'No rules: no record passes.'}
        </p>
      )}
      <div className="filter-add">
        <button type="button" onClick={() => set({ ...group, rules: [...group.rules, newRule()] })}>
          + Rule
        </button>
        <button
          type="button"
          onClick={() =>
            set({
              ...group,
              rules: [...group.rules, { combinator: group.combinator === 'and' ? 'or' : 'and', rules: [newRule()] }],
            })
          }
        >
          + Group
        </button>
      </div>
    </div>
  );
}

interface RuleProps {
  rule: FilterRule;
  number: string;
  fields: readonly SourceField[];
  problems: readonly FormProblem[];
  base: string;
  onChange(rule: FilterRule, typing?: boolean): void;
  onRemove(): void;
}

function RuleEditor({ rule, number, fields, problems, base, onChange, onRemove }: RuleProps) {
  const type = fields.find((f) => f.name === rule.field)?.type;
  const operators = operatorsFor(type);
  const errors = (key: string) => problems.filter((p) => isWithin(p.path, `${base}.${key}`));
  const other = problems.filter((p) => !['field', 'operator', 'value'].some((k) => isWithin(p.path, `${base}.${k}`)));
  const known = fields.some((f) => f.name === rule.field);
  return (
    <div className="filter-rule" data-field={base}>
      <select
        aria-label={`Field of rule ${number}`}
        aria-invalid={errors('field').length > 0 || undefined}
        value={rule.field}
        onChange={(e) => onChange(withField(rule, e.target.value, fields.find((f) => f.name === e.target.value)?.type))}
      >
        {rule.field === '' && <option value="">choose a field…</option>}
        {fields.map((f) => (
          <option key={f.name} value={f.name}>
            {f.name} ({f.type})
          </option>
        ))}
        {rule.field !== '' && !known && <option value={rule.field}>{rule.field}</option>}
      </select>
      <select
        aria-label={`Operator of rule ${number}`}
        value={rule.operator}
        onChange={(e) => onChange(withOperator(rule, e.target.value as FilterRule['operator'], type))}
      >
        {operators.map((op) => (
          <option key={op} value={op}>
            {operatorLabel(op, type)}
          </option>
        ))}
        {!operators.includes(rule.operator) && (
          <option value={rule.operator}>{operatorLabel(rule.operator, type)} (not for this type)</option>
        )}
      </select>
      {takesValue(rule.operator) && (
        <input
          type="text"
          aria-label={`Value of rule ${number}`}
          aria-invalid={errors('value').length > 0 || undefined}
          placeholder={isListOperator(rule.operator) ? 'values, comma-separated' : 'value'}
          value={ruleValueText(rule.value)}
          onChange={(e) => onChange({ ...rule, value: parseRuleValue(e.target.value, rule.operator, type) }, true)}
        />
      )}
      <button type="button" className="icon" aria-label={`Remove rule ${number}`} onClick={onRemove}>
        ×
      </button>
      {[...errors('field'), ...errors('operator'), ...errors('value'), ...other].map((p, i) => (
        <div className="field-error" key={i}>
          {p.message}
        </div>
      ))}
    </div>
  );
}
