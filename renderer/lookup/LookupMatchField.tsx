import { useContext, useEffect, useRef, useState } from 'react';
import type { EntityField } from '../../core/model/descriptor.js';
import type { Flow } from '../../core/model/flow.js';
import type { SampleRecord, SourceField } from '../../core/model/mapper-contract.js';
import { FieldHelp, RequiredMark } from '../forms/fields/FieldFrame.js';
import { FormNodeContext, type WidgetProps } from '../forms/widgets.js';
import { useFlowStore } from '../state/flow-store.js';
import { errorText } from '../state/actions.js';
import { fetchNodeSample, useNodeFields } from '../state/use-node-fields.js';
import { useWorkspaceStore } from '../state/workspace-store.js';
import { MatchRowEditor } from './MatchRowEditor.js';
import {
  type MatchRow,
  addMatchRow,
  matchRowsOf,
  matchValue,
  placeMatchProblems,
  removeMatchRow,
  suggestedExpression,
  updateMatchRow,
} from './match-rows.js';

const NO_SOURCE_FIELDS: SourceField[] = [];
const NO_ENTITY_FIELDS: EntityField[] = [];

/** What the fields depend on: the lookup's connector, connection, entity or declared columns, and what feeds it. */
function fieldsKey(flow: Flow | null, nodeId: string | undefined): string {
  const node = flow?.nodes.find((n) => n.id === nodeId);
  if (!flow || !node) return '';
  const { connection, entity, columns, types } = node.config;
  const incoming = flow.edges.filter((e) => e.to.node === nodeId).map((e) => e.from.node);
  return JSON.stringify([node.type, connection, entity, columns, types, incoming]);
}

interface SampleState {
  records?: SampleRecord[];
  busy: boolean;
  error?: string;
}

/** Where the keyboard goes after an edit: the new row's field, or the add button once a row is gone. */
type FocusTarget = { row: number } | 'add' | null;

/**
 * A lookup's `match` (form hint `widget: 'lookup-match'`): one row per compared field — a field of the entity (its
 * catalog as a select, or typed for a connector without one, such as a file's columns) equal to a JSONata
 * expression over the incoming record, completed from the fields coming in. Problems name their row.
 */
export function LookupMatchField({ spec, value, onChange, problems, id }: WidgetProps) {
  const nodeId = useContext(FormNodeContext);
  const refresh = useFlowStore((s) => fieldsKey(s.flow, nodeId));
  const nodeType = useFlowStore((s) => s.flow?.nodes.find((n) => n.id === nodeId)?.type);
  const entity = useFlowStore((s) => s.flow?.nodes.find((n) => n.id === nodeId)?.config.entity);
  const hasCatalog = useWorkspaceStore((s) => s.connectors.find((c) => c.id === nodeType)?.entities !== undefined);
  const [sample, setSample] = useState<SampleState>({ busy: false });
  const { fields, error } = useNodeFields(nodeId, refresh, sample.records);
  const incoming = fields?.sourceFields ?? NO_SOURCE_FIELDS;
  const entityFields = fields?.lookupFields ?? NO_ENTITY_FIELDS;
  const rows = matchRowsOf(value);
  const placed = placeMatchProblems(rows, problems, spec.pathText);
  // Rows whose field is typed although the entity has a catalog ("Other field…": a linked entity's MainContact.Email).
  const [typed, setTyped] = useState<ReadonlySet<number>>(new Set());
  const [focus, setFocus] = useState<FocusTarget>(null);
  const group = useRef<HTMLFieldSetElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const steps = useRef(0);

  useEffect(() => {
    if (focus === null) return;
    if (focus === 'add') addButton.current?.focus();
    else group.current?.querySelector<HTMLElement>(`[data-row="${focus.row}"] .match-field`)?.focus();
    setFocus(null);
  }, [focus]);

  const commit = (next: MatchRow[], changedPath: string) => onChange(matchValue(next), changedPath);
  const base = spec.pathText;
  // Typing in one input folds into one undo step (its path is the key); a choice, an added or a removed row is a
  // step of its own, so its key is new each time.
  const ownStep = () => `${base}#${++steps.current}`;
  const entityName = typeof entity === 'string' ? entity : undefined;

  const chooseField = (index: number, field: string, typing: boolean) => {
    const row = rows[index]!;
    const suggestion = !typing && row.expression === '' ? suggestedExpression(field, incoming) : undefined;
    commit(
      updateMatchRow(rows, index, { field, ...(suggestion ? { expression: suggestion } : {}) }),
      typing ? `${base}[${index}].field` : ownStep(),
    );
  };
  const remove = (index: number) => {
    commit(removeMatchRow(rows, index), ownStep());
    setTyped(new Set([...typed].filter((i) => i !== index).map((i) => (i > index ? i - 1 : i))));
    setFocus(rows.length > 1 ? { row: Math.min(index, rows.length - 2) } : 'add');
  };
  const fetchSample = () => {
    if (!nodeId) return;
    setSample({ ...sample, busy: true });
    fetchNodeSample(nodeId).then(
      (records) => setSample({ records, busy: false }),
      (e: unknown) => setSample({ ...sample, busy: false, error: errorText(e) }),
    );
  };
  const notes = [
    ...(error ? [`Could not load the fields: ${error}`] : []),
    ...(fields?.notes ?? []),
    ...(fields && incoming.length === 0 && !sample.records
      ? ['The incoming fields are known after a run or from a sample: fetch one to complete their names.']
      : []),
    ...(sample.records ? [`Fields of ${sample.records.length} sample records added.`] : []),
    ...(sample.error ? [`Could not fetch a sample: ${sample.error}`] : []),
  ];
  const legendId = `${id}-legend`;

  return (
    <fieldset
      ref={group}
      className={`field-group lookup-match${problems.length || placed.whole.length ? ' has-error' : ''}`}
      data-field={spec.pathText}
      aria-labelledby={legendId}
    >
      <legend id={legendId}>
        {spec.label}
        <RequiredMark required={spec.required} />
      </legend>
      <FieldHelp id={id} spec={spec} />
      {notes.map((note, i) => (
        <p className="field-help match-note" key={i}>
          {note}
        </p>
      ))}
      <ol className="match-rows">
        {rows.map((row, i) => (
          <MatchRowEditor
            key={i}
            id={`${id}-row-${i}`}
            index={i}
            row={row}
            entityFields={entityFields}
            entityName={entityName}
            incoming={incoming}
            select={hasCatalog && !typed.has(i) && (row.field === '' || entityFields.some((f) => f.name === row.field))}
            problems={placed.rows[i] ?? []}
            onField={(field, typing) => chooseField(i, field, typing)}
            onOther={() => {
              setTyped(new Set([...typed, i]));
              setFocus({ row: i });
            }}
            onExpression={(expression) => commit(updateMatchRow(rows, i, { expression }), `${base}[${i}].expression`)}
            onRemove={() => remove(i)}
          />
        ))}
      </ol>
      {placed.whole.map((message, i) => (
        <div className="field-error" key={i}>
          {message}
        </div>
      ))}
      <div className="match-actions">
        <button
          ref={addButton}
          type="button"
          className="link kv-add"
          onClick={() => {
            commit(addMatchRow(rows), ownStep());
            setFocus({ row: rows.length });
          }}
        >
          + Add match field
        </button>
        <button type="button" className="link kv-add" disabled={sample.busy} onClick={fetchSample}>
          {sample.busy ? 'Fetching a sample…' : 'Fetch sample'}
        </button>
      </div>
    </fieldset>
  );
}
