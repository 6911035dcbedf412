import type { EntityField } from '../../core/model/descriptor.js';
import { jsonataPath } from '../../core/model/field-path.js';
import type { SourceField } from '../../core/model/mapper-contract.js';
import { withValue } from '../forms/json-schema.js';
import { type MapRow, rowsOfMapConfig } from '../forms/map-config.js';

/**
 * Pure edits of a map node's config as the mapper makes them. A row is addressed by its index path: `[2]` is
 * `fields[2]`, `[2, 0]` the first line field of `fields[2]` (lines: `fields[2].fields[0]`).
 */
export type RowPath = readonly number[];
type Config = Record<string, unknown>;

/** `[2, 0]` → `fields[2].fields[0]`: the config path validation problems and preview errors use. */
export function rowConfigPath(path: RowPath): string {
  return path.map((i) => `fields[${i}]`).join('.');
}

export function rowAt(config: Config, path: RowPath): MapRow | undefined {
  let rows = rowsOfMapConfig(config);
  let row: MapRow | undefined;
  for (const i of path) {
    row = rows[i];
    if (!row) return undefined;
    rows = rowsOfMapConfig(row);
  }
  return row;
}

/** A copy of the config (or row) whose rows under `path` are replaced by `edit(rows)`. */
function editRows(holder: Config, path: RowPath, edit: (rows: MapRow[]) => MapRow[]): Config {
  const rows = rowsOfMapConfig(holder);
  if (path.length === 0) return { ...holder, fields: edit(rows) };
  const [first, ...rest] = path as [number, ...number[]];
  if (!rows[first]) return holder;
  return { ...holder, fields: rows.map((r, i) => (i === first ? editRows(r, rest, edit) : r)) };
}

/** Sets (or, with `undefined`, removes) keys of one row. */
export function updateRow(config: Config, path: RowPath, patch: Record<string, unknown>): Config {
  const parent = path.slice(0, -1);
  const index = path[path.length - 1]!;
  return editRows(config, parent, (rows) =>
    rows.map((r, i) => (i === index ? Object.entries(patch).reduce((row, [k, v]) => withValue(row, k, v), r) : r)),
  );
}

export function removeRow(config: Config, path: RowPath): Config {
  const index = path[path.length - 1]!;
  return editRows(config, path.slice(0, -1), (rows) => rows.filter((_, i) => i !== index));
}

/** Appends a row to the top level (`parent` = `[]`) or to a row's line fields; returns the new row's path. */
export function addRow(config: Config, parent: RowPath, row: MapRow): { config: Config; path: RowPath } {
  let index = 0;
  const next = editRows(config, parent, (rows) => {
    index = rows.length;
    return [...rows, row];
  });
  return { config: next, path: [...parent, index] };
}

export function findTarget(config: Config, parent: RowPath, target: string): number {
  const rows = parent.length ? rowsOfMapConfig(rowAt(config, parent) ?? {}) : rowsOfMapConfig(config);
  return rows.findIndex((r) => r.target === target);
}

/**
 * What dropping a source field on a destination field does: the target's row gets the field's path as its
 * expression (a new row when the target has none). Returns the row's path.
 */
export function mapToTarget(
  config: Config,
  parent: RowPath,
  target: string,
  expression: string,
): { config: Config; path: RowPath } {
  const index = findTarget(config, parent, target);
  if (index >= 0) return { config: updateRow(config, [...parent, index], { expression }), path: [...parent, index] };
  return addRow(config, parent, { target, expression });
}

/**
 * The expression a dragged source field stands for. Inside lines the element is the context, so a field under the
 * lines' array (`orderLines.sku` for lines read from `orderLines`) is written relative to it (`sku`).
 */
export function sourceExpression(field: Pick<SourceField, 'path'>, linesPath?: readonly string[]): string {
  const inside =
    linesPath !== undefined &&
    field.path.length > linesPath.length &&
    linesPath.every((name, i) => field.path[i] === name);
  return jsonataPath(inside ? field.path.slice(linesPath.length) : field.path);
}

/** The names a lines row reads its array from, when its expression is a plain path (`orderLines`, `doc.lines`). */
export function linesPathOf(row: MapRow | undefined): string[] | undefined {
  const expression = typeof row?.expression === 'string' ? row.expression.trim() : '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(expression)) return undefined;
  return expression.split('.');
}

/** A row does something when it has an expression or a default. */
export function isMapped(row: MapRow | undefined): boolean {
  if (!row) return false;
  return (typeof row.expression === 'string' && row.expression.trim() !== '') || row.default !== undefined;
}

/** Required destination fields with no row that maps them: the mapper highlights these. */
export function unmappedRequired(fields: readonly EntityField[], config: Config): string[] {
  const rows = rowsOfMapConfig(config);
  return fields.filter((f) => f.required && !isMapped(rows.find((r) => r.target === f.name))).map((f) => f.name);
}

/** Rows whose target is not in the destination's catalog (custom fields, or no catalog at all), with their index. */
export function customRows(fields: readonly EntityField[], config: Config): { row: MapRow; index: number }[] {
  const known = new Set(fields.map((f) => f.name));
  return rowsOfMapConfig(config)
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => typeof row.target !== 'string' || !known.has(row.target));
}
