import type { Flow } from '../../core/model/flow.js';
import type { ValueMapDraft } from '../../core/model/mapper-contract.js';
import { VALUE_MAP_SCHEMA_VERSION, type ValueMapFallback, type ValueMapFile } from '../../core/model/mapping.js';
import { rowsOfMapConfig } from '../forms/map-config.js';

/** A new value map as the editor starts it: one empty row, records with an unknown value fail. */
export function newValueMapDraft(): ValueMapDraft {
  return {
    schemaVersion: VALUE_MAP_SCHEMA_VERSION,
    name: '',
    entries: [{ from: '', to: '' }],
    fallback: { kind: 'fail' },
  };
}

/** Row indexes whose `from` an earlier row already has: only the first is ever used, so the editor says so. */
export function shadowedRows(entries: ValueMapDraft['entries']): Set<number> {
  const seen = new Set<string>();
  const shadowed = new Set<number>();
  entries.forEach((e, i) => {
    if (seen.has(e.from)) shadowed.add(i);
    seen.add(e.from);
  });
  return shadowed;
}

export const FALLBACK_LABEL: Record<ValueMapFallback['kind'], string> = {
  fail: 'Fail the record',
  keep: 'Keep the value',
  value: 'Use a value',
};

/** How many mappings of the open flow use a value map (deleting it makes them fail validation). */
export function valueMapUsage(flow: Flow | null, id: string): number {
  let count = 0;
  const visit = (rows: Record<string, unknown>[]) => {
    for (const row of rows) {
      if (row.valueMap === id) count++;
      visit(rowsOfMapConfig(row));
    }
  };
  for (const node of flow?.nodes ?? []) if (node.kind === 'map') visit(rowsOfMapConfig(node.config));
  return count;
}

export function csvFileName(map: ValueMapDraft | ValueMapFile): string {
  const base =
    map.id ??
    (map.name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') ||
      'value-map');
  return `${base}.csv`;
}
