import { toCanonicalJson } from '../model/canonical-json.js';
import { ApiError } from '../model/contract.js';
import type { ValueMapDraft } from '../model/mapper-contract.js';
import { VALUE_MAP_SCHEMA_VERSION, type ValueMapFile } from '../model/mapping.js';
import {
  type LoadedWorkspace,
  deleteValueMap,
  loadValueMaps,
  saveValueMap,
  valueMapFile,
} from '../store/workspace-store.js';
import type { ApiHandlers } from './dispatch.js';
import { slugify, uniqueId } from './ids.js';

export type ValueMapHandlers = Pick<ApiHandlers, 'listValueMaps' | 'saveValueMap' | 'deleteValueMap'>;

export interface ValueMapDeps {
  workspace(): Promise<LoadedWorkspace>;
  /** Tells the watcher what Ferry itself writes (text) or removes (undefined), so it is not echoed as external. */
  recordWrite(file: string, text: string | undefined): void;
}

/**
 * The file a draft becomes: a new map's id comes from its name (unique among the files, broken ones included, so a
 * save never overwrites a file someone is fixing by hand); names are unique too, as people pick maps by name.
 */
export function valueMapToSave(
  draft: ValueMapDraft,
  existing: ReadonlyMap<string, ValueMapFile>,
  takenFiles: ReadonlySet<string>,
): ValueMapFile {
  const name = draft.name.trim();
  const clash = [...existing.values()].find(
    (m) => m.id !== draft.id && m.name.trim().toLowerCase() === name.toLowerCase(),
  );
  if (clash) {
    throw new ApiError({
      code: 'conflict',
      message: `name: a value map named "${clash.name}" exists already (${valueMapFile(clash.id)})`,
      problems: [{ path: 'name', message: `"${clash.name}" exists already` }],
    });
  }
  const id =
    draft.id ?? uniqueId(slugify(name, 'value-map'), (id) => existing.has(id) || takenFiles.has(valueMapFile(id)));
  return { ...draft, schemaVersion: VALUE_MAP_SCHEMA_VERSION, id, name };
}

export function valueMapHandlers(deps: ValueMapDeps): ValueMapHandlers {
  return {
    listValueMaps: async () => {
      const { valueMaps } = await loadValueMaps((await deps.workspace()).dir);
      return [...valueMaps.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
    saveValueMap: async ({ valueMap: draft }) => {
      const ws = await deps.workspace();
      const taken = new Set(ws.problems.map((p) => p.file).filter((f): f is string => f !== undefined));
      const valueMap = valueMapToSave(draft, ws.valueMaps, taken);
      deps.recordWrite(valueMapFile(valueMap.id), toCanonicalJson(valueMap));
      await saveValueMap(ws.dir, valueMap);
      return valueMap;
    },
    deleteValueMap: async ({ valueMapId }) => {
      const ws = await deps.workspace();
      if (!ws.valueMaps.has(valueMapId) && !ws.problems.some((p) => p.file === valueMapFile(valueMapId))) {
        throw new ApiError({ code: 'not-found', message: `no value map "${valueMapId}" in this workspace` });
      }
      deps.recordWrite(valueMapFile(valueMapId), undefined);
      await deleteValueMap(ws.dir, valueMapId);
      return {};
    },
  };
}
