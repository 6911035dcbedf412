import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ValidationProblem } from '../../core/model/validation-error.js';
import type { DefaultMappingOrigin } from '../../core/model/mapper-contract.js';
import { rowsOfMapConfig } from '../forms/map-config.js';
import { splitNodeProblems } from '../forms/node-form.js';
import { nodeIdOfPath } from '../state/flow-edits.js';
import { useFlowStore } from '../state/flow-store.js';
import { editNodeConfig } from '../state/actions.js';
import { closeMapper, fetchSample, resetToDefaults, schedulePreview } from '../state/mapper-actions.js';
import { useMapperStore, useValueMapStore } from '../state/mapper-store.js';
import { ConfirmDialog } from '../panels/ConfirmDialog.js';
import { MappingPreview } from './MappingPreview.js';
import type { RowContext } from './MappingRowEditor.js';
import { SourceFieldList } from './SourceFieldList.js';
import { TargetFieldList } from './TargetFieldList.js';
import { mapToTarget, sourceExpression } from './map-edits.js';

const NO_PROBLEMS: ValidationProblem[] = [];

/** The map node's mapper, over the canvas: source fields, destination fields with their mappings, live preview. */
export function MapperDialog() {
  const nodeId = useMapperStore((s) => s.nodeId);
  return nodeId ? <Mapper nodeId={nodeId} /> : null;
}

function Mapper({ nodeId }: { nodeId: string }) {
  const node = useFlowStore((s) => s.flow?.nodes.find((n) => n.id === nodeId));
  const ownProblems = useFlowStore(
    useShallow((s) => (s.flow ? s.problems.filter((p) => nodeIdOfPath(s.flow!, p.path) === nodeId) : NO_PROBLEMS)),
  );
  const fields = useMapperStore((s) => s.fields);
  const fieldsError = useMapperStore((s) => s.fieldsError);
  const preview = useMapperStore((s) => s.preview);
  const previewError = useMapperStore((s) => s.previewError);
  const sampleBusy = useMapperStore((s) => s.sampleBusy);
  const confirmingReset = useMapperStore((s) => s.confirmingReset);
  const setMapper = useMapperStore((s) => s.set);
  const openValueMaps = useValueMapStore((s) => s.openEditor);
  const config = node?.config;

  // Every change of the mapping (typing, a drop, undo) re-runs the preview once the typing pauses.
  useEffect(() => {
    if (config) schedulePreview();
  }, [config]);
  // The node went away (deleted, another flow opened, the file reloaded without it): nothing left to map.
  const gone = node === undefined;
  useEffect(() => {
    if (gone) closeMapper();
  }, [gone]);

  const ctx: RowContext | undefined = useMemo(() => {
    if (!config) return undefined;
    const problems = [
      ...splitNodeProblems(ownProblems).config,
      ...(preview?.problems ?? []).map((p) => ({ path: p.path, message: p.message })),
    ];
    return { nodeId, config, problems, fields: fields?.sourceFields ?? [] };
  }, [nodeId, config, ownProblems, preview, fields]);

  if (!node || !ctx || !config) {
    return null;
  }
  const destinationFields = fields?.destinationFields ?? [];
  const targets = [
    ...destinationFields.map((f) => f.name),
    ...rowsOfMapConfig(config)
      .map((r) => r.target)
      .filter((t): t is string => typeof t === 'string' && t !== '' && !destinationFields.some((f) => f.name === t)),
  ];
  const endpoint = (e: { connector: string; entity?: string } | undefined) =>
    e ? `${e.connector}${e.entity ? ` · ${e.entity}` : ''}` : '—';
  const name = node.name ?? node.id;

  return (
    <div
      className="modal-backdrop mapper-backdrop"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) closeMapper();
      }}
    >
      <div className="mapper" role="dialog" aria-modal="true" aria-label={`Mapper: ${name}`} data-testid="mapper">
        <header className="mapper-head">
          <div className="mapper-titles">
            <h2>Mapper: {name}</h2>
            <div className="muted">
              {endpoint(fields?.source)} → {endpoint(fields?.destination)}
            </div>
          </div>
          <span className="spacer" />
          <button type="button" disabled={sampleBusy} onClick={() => void fetchSample()}>
            {sampleBusy ? 'Fetching…' : 'Fetch sample'}
          </button>
          <button type="button" onClick={() => openValueMaps()}>
            Value maps…
          </button>
          {fields?.defaultMapping && (
            <button type="button" onClick={() => setMapper({ confirmingReset: true })}>
              Reset to defaults
            </button>
          )}
          <label className="keep-unmapped">
            <input
              type="checkbox"
              checked={config.keepUnmapped === true}
              onChange={(e) => editNodeConfig(nodeId, { ...config, keepUnmapped: e.target.checked || undefined })}
            />
            Keep unmapped fields
          </label>
          <button type="button" className="primary" onClick={closeMapper} autoFocus>
            Done
          </button>
        </header>
        {fieldsError && <p className="error-text">Could not load the fields: {fieldsError}</p>}
        {fields?.notes.map((note) => (
          <p className="muted mapper-note" key={note}>
            {note}
          </p>
        ))}
        <div className="mapper-columns">
          <SourceFieldList
            fields={fields?.sourceFields ?? []}
            targets={targets}
            onMap={(field, target) =>
              editNodeConfig(nodeId, mapToTarget(config, [], target, sourceExpression(field)).config)
            }
          />
          <TargetFieldList ctx={ctx} destinationFields={destinationFields} />
        </div>
        <MappingPreview preview={preview} error={previewError} config={config} />
        {confirmingReset && fields?.defaultMapping && (
          <ConfirmDialog
            title="Reset to the default mapping?"
            confirmLabel="Reset"
            danger
            onConfirm={() => void resetToDefaults()}
            onCancel={() => setMapper({ confirmingReset: false })}
          >
            <p>
              The {rowsOfMapConfig(config).length} field mappings of “{name}” are replaced by{' '}
              {defaultMappingText(fields.defaultMapping.origin)} ({fields.defaultMapping.mapping.fields.length} fields).
              Undo brings yours back.
            </p>
            {fields.defaultMapping.valueMaps.length > 0 && (
              <p className="muted">
                Value maps it uses that this workspace lacks are added:{' '}
                {fields.defaultMapping.valueMaps.map((m) => m.name).join(', ')}.
              </p>
            )}
          </ConfirmDialog>
        )}
      </div>
    </div>
  );
}

/** Which default a reset restores: a template-made flow's own mapping, or the one shipped for the pair. */
function defaultMappingText(origin: DefaultMappingOrigin): string {
  return origin.kind === 'template'
    ? `the template's mapping (from “${origin.templateName}”)`
    : `the shipped mapping for ${origin.pair}`;
}
