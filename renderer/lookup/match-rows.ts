import { jsonataPath } from '../../core/model/field-path.js';
import type { FormProblem } from '../forms/form-layout.js';
import { isPlainObject } from '../forms/json-schema.js';

/**
 * A lookup's `match` as the editor's rows: pure edits and the row-named problems. The config stays the truth (undo,
 * save and the engine's validation see every edit); a row still being filled in is kept with its empty strings, so
 * the engine and the editor both name what is missing.
 */

export interface MatchRow {
  field: string;
  expression: string;
  /** Keys of the row the editor does not know: kept as they are (unknown fields survive a round trip). */
  rest: Record<string, unknown>;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** The rows of a config value; anything but a list has none (the editor's first edit replaces it). */
export function matchRowsOf(value: unknown): MatchRow[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    const { field, expression, ...rest } = isPlainObject(item) ? item : {};
    return { field: text(field), expression: text(expression), rest };
  });
}

/** The config value of the rows; no rows remove the key (the engine then says a match is needed). */
export function matchValue(rows: readonly MatchRow[]): Record<string, unknown>[] | undefined {
  if (rows.length === 0) return undefined;
  return rows.map((r) => ({ ...r.rest, field: r.field, expression: r.expression }));
}

export function addMatchRow(rows: readonly MatchRow[]): MatchRow[] {
  return [...rows, { field: '', expression: '', rest: {} }];
}

export function removeMatchRow(rows: readonly MatchRow[], index: number): MatchRow[] {
  return rows.filter((_, i) => i !== index);
}

export function updateMatchRow(
  rows: readonly MatchRow[],
  index: number,
  patch: Partial<Pick<MatchRow, 'field' | 'expression'>>,
): MatchRow[] {
  return rows.map((r, i) => (i === index ? { ...r, ...patch } : r));
}

/**
 * The expression a freshly chosen field most likely wants: the incoming field of the same name (`email` for
 * `email`), else of the same name in another case (`Email`), else none.
 */
export function suggestedExpression(
  field: string,
  incoming: readonly { name: string; path: readonly string[] }[],
): string | undefined {
  const leaf = field.split('.').at(-1) ?? field;
  const same =
    incoming.find((f) => f.name === leaf) ?? incoming.find((f) => f.name.toLowerCase() === leaf.toLowerCase());
  return same ? jsonataPath(same.path) : undefined;
}

/** What the editor checks itself, as the user types (the engine's validation follows after a pause). */
export function localMatchProblems(rows: readonly MatchRow[], base = 'match'): FormProblem[] {
  const problems: FormProblem[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((row, i) => {
    const n = i + 1;
    const field = row.field.trim();
    if (field === '') problems.push({ path: `${base}[${i}].field`, message: `Row ${n}: choose the field to compare` });
    else if (firstRowOf.has(field)) {
      // The engine keys a record's criteria by field: a second row on one field would silently replace the first.
      const first = firstRowOf.get(field)! + 1;
      problems.push({ path: `${base}[${i}].field`, message: `Row ${n}: ${field} is compared in row ${first} already` });
    } else firstRowOf.set(field, i);
    if (row.expression.trim() === '') {
      problems.push({
        path: `${base}[${i}].expression`,
        message: `Row ${n}: write the expression whose value ${field || 'the field'} must equal`,
      });
    }
  });
  return problems;
}

export interface RowProblem {
  /** Names the row: `Row 2: choose the field to compare`. */
  message: string;
  /** The input it is about, marked invalid; none for the row as a whole. */
  input?: 'field' | 'expression';
}

export interface PlacedMatchProblems {
  /** Per row, its problems. */
  rows: RowProblem[][];
  /** About the match as a whole. */
  whole: string[];
}

const ROW_PATH = /^\[(\d+)\](?:\.(.+))?$/;

/**
 * The editor's own problems and the engine's (paths relative to the form: `match[1].expression`) placed on their
 * rows, in the user's words. Where both speak of one input, the editor's (more precise, and current) wins.
 */
export function placeMatchProblems(
  rows: readonly MatchRow[],
  engine: readonly FormProblem[],
  base = 'match',
): PlacedMatchProblems {
  const local = localMatchProblems(rows, base);
  const placed: PlacedMatchProblems = { rows: rows.map(() => []), whole: [] };
  const add = (index: number, what: string | undefined, message: string) => {
    const input = what === 'field' || what === 'expression' ? what : undefined;
    placed.rows[index]!.push({ message, ...(input ? { input } : {}) });
  };
  for (const p of local) {
    const [, index, what] = ROW_PATH.exec(p.path.slice(base.length))!;
    add(Number(index), what, p.message);
  }
  const covered = new Set(local.map((p) => p.path));
  if (rows.length === 0) placed.whole.push('Add a row: a lookup needs at least one field to match on.');
  for (const p of engine) {
    if (covered.has(p.path)) continue;
    const row = p.path.startsWith(base) ? ROW_PATH.exec(p.path.slice(base.length)) : null;
    if (!row) {
      // "expected at least 1 item(s)" says what the line above says in the user's words.
      if (rows.length > 0 || p.path !== base)
        placed.whole.push(p.path === base ? p.message : `${p.path}: ${p.message}`);
      continue;
    }
    const index = Number(row[1]);
    // A row removed since the engine last looked: its problem went with it.
    if (index >= rows.length) continue;
    const what = row[2];
    const message =
      what === 'expression'
        ? `Row ${index + 1}: the expression does not work: ${p.message}`
        : `Row ${index + 1}${what ? ` ${what}` : ''}: ${p.message}`;
    add(index, what, message);
  }
  return placed;
}
