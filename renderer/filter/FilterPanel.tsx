import { useId, useState } from 'react';
import { filterRulesToJsonata } from '../../core/model/filter-rules.js';
import type { FlowNode } from '../../core/model/flow.js';
import type { SourceField } from '../../core/model/mapper-contract.js';
import type { FilterGroup } from '../../core/model/mapping.js';
import type { FormProblem } from '../forms/form-layout.js';
import { isWithin, withValue } from '../forms/json-schema.js';
import { editNodeConfig, errorText } from '../state/actions.js';
import { useNodeFields } from '../state/use-node-fields.js';
import { ConfirmDialog } from '../panels/ConfirmDialog.js';
import { FilterBuilder } from './FilterBuilder.js';
import { EMPTY_GROUP } from './filter-operators.js';

/**
 * The rules a filter had before it went to raw JSONata, per node, so switching back without editing the expression
 * restores them (the config holds one or the other, never both).
 */
const rulesBeforeRaw = new Map<string, FilterGroup>();
const NO_FIELDS: SourceField[] = [];

function generated(group: FilterGroup): { expression?: string; error?: string } {
  try {
    return { expression: filterRulesToJsonata(group) };
  } catch (error) {
    return { error: errorText(error) };
  }
}

/** A filter node: the rule builder with its generated JSONata, or raw JSONata. */
export function FilterPanel({ node, problems }: { node: FlowNode; problems: FormProblem[] }) {
  const id = useId();
  const { fields: known, error: fieldsError } = useNodeFields(node.id);
  const fields = known?.sourceFields ?? NO_FIELDS;
  const [confirmBack, setConfirmBack] = useState(false);
  const rules = node.config.rules as FilterGroup | undefined;
  const expression = typeof node.config.expression === 'string' ? node.config.expression : '';
  const mode = rules !== undefined ? 'rules' : 'raw';
  const edit = (config: Record<string, unknown>, key?: string) => editNodeConfig(node.id, config, key);

  const toRaw = () => {
    const group = rules ?? EMPTY_GROUP;
    rulesBeforeRaw.set(node.id, group);
    // Incomplete rules have no JSONata yet: the raw editor starts from what would pass everything.
    edit({ ...withValue(node.config, 'rules', undefined), expression: generated(group).expression ?? 'true' });
  };
  const backToRules = () => {
    setConfirmBack(false);
    edit({ ...withValue(node.config, 'expression', undefined), rules: rulesBeforeRaw.get(node.id) ?? EMPTY_GROUP });
  };
  const toRules = () => {
    const before = rulesBeforeRaw.get(node.id) ?? EMPTY_GROUP;
    // An expression the builder wrote (or the "pass everything" one) goes back without a question.
    if (expression.trim() === generated(before).expression || expression.trim() === '') backToRules();
    else setConfirmBack(true);
  };

  const expressionErrors = problems.filter((p) => isWithin(p.path, 'expression'));
  const ruleProblems = problems.filter((p) => isWithin(p.path, 'rules'));
  const output = rules ? generated(rules) : undefined;
  return (
    <div className="filter-panel">
      <div className="segmented" role="group" aria-label="Filter mode">
        <button type="button" aria-pressed={mode === 'rules'} onClick={() => mode === 'raw' && toRules()}>
          Rules
        </button>
        <button type="button" aria-pressed={mode === 'raw'} onClick={() => mode === 'rules' && toRaw()}>
          JSONata
        </button>
      </div>
      {mode === 'rules' && rules && (
        <>
          {fieldsError && <p className="error-text">Could not load the incoming fields: {fieldsError}</p>}
          <FilterBuilder
            group={rules}
            fields={fields}
            problems={ruleProblems}
            onChange={(group, typing) => edit({ ...node.config, rules: group }, typing)}
          />
          <div className="field">
            <label htmlFor={`${id}-generated`}>Generated JSONata</label>
            <textarea
              id={`${id}-generated`}
              className="mono"
              rows={3}
              readOnly
              value={output?.expression ?? ''}
              placeholder={output?.error ? `incomplete: ${output.error}` : ''}
            />
          </div>
        </>
      )}
      {mode === 'raw' && (
        <div className={`field${expressionErrors.length ? ' has-error' : ''}`} data-field="expression">
          <div className="field-head">
            <label htmlFor={`${id}-expression`}>Expression</label>
          </div>
          <textarea
            id={`${id}-expression`}
            className="mono"
            rows={4}
            spellCheck={false}
            value={expression}
            placeholder='$source.status = "active"'
            aria-invalid={expressionErrors.length > 0 || undefined}
            aria-describedby={`${id}-help`}
            onChange={(e) => edit({ ...node.config, expression: e.target.value }, 'expression')}
          />
          <div className="field-help" id={`${id}-help`}>
            A JSONata condition: records for which it is not true leave by the “rejected” port (or end as filtered).{' '}
            <code>$source</code> is the record as its source read it.
          </div>
          {expressionErrors.map((p, i) => (
            <div className="field-error" key={i}>
              {p.message}
            </div>
          ))}
        </div>
      )}
      {confirmBack && (
        <ConfirmDialog
          title="Discard the hand-written JSONata?"
          confirmLabel="Discard and use rules"
          danger
          onConfirm={backToRules}
          onCancel={() => setConfirmBack(false)}
        >
          <p>The rule builder cannot read an expression written by hand. Going back to rules discards it.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
