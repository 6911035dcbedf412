import { jsonataName } from '../../core/model/field-path.js';

/** What the expression input offers while typing: JSONata's functions (a static list) and the record's fields. */
export interface Completion {
  /** Shown in the list. */
  label: string;
  /** Replaces the word being typed. */
  insert: string;
  detail: string;
  kind: 'function' | 'field' | 'variable';
}

/** The functions people reach for in mappings; JSONata has more, which still work when typed. */
export const JSONATA_FUNCTIONS: readonly [name: string, signature: string][] = [
  ['string', '$string(value) — as text'],
  ['number', '$number(value) — as a number'],
  ['boolean', '$boolean(value) — as true/false'],
  ['substring', '$substring(text, start, length?)'],
  ['substringBefore', '$substringBefore(text, chars)'],
  ['substringAfter', '$substringAfter(text, chars)'],
  ['uppercase', '$uppercase(text)'],
  ['lowercase', '$lowercase(text)'],
  ['trim', '$trim(text) — spaces collapsed'],
  ['pad', '$pad(text, width, char?)'],
  ['length', '$length(text)'],
  ['contains', '$contains(text, pattern)'],
  ['split', '$split(text, separator)'],
  ['join', '$join(array, separator?)'],
  ['replace', '$replace(text, pattern, replacement)'],
  ['round', '$round(number, precision?)'],
  ['floor', '$floor(number)'],
  ['ceil', '$ceil(number)'],
  ['abs', '$abs(number)'],
  ['sum', '$sum(array)'],
  ['count', '$count(array)'],
  ['max', '$max(array)'],
  ['min', '$min(array)'],
  ['average', '$average(array)'],
  ['formatNumber', '$formatNumber(number, picture)'],
  ['parseInteger', '$parseInteger(text, picture)'],
  ['now', '$now() — current date-time (ISO)'],
  ['millis', '$millis() — current time in ms'],
  ['fromMillis', '$fromMillis(ms, picture?)'],
  ['toMillis', '$toMillis(timestamp, picture?)'],
  ['exists', '$exists(value)'],
  ['not', '$not(value)'],
  ['lookup', '$lookup(object, key)'],
  ['keys', '$keys(object)'],
  ['merge', '$merge(objects)'],
  ['map', '$map(array, function)'],
  ['filter', '$filter(array, function)'],
  ['distinct', '$distinct(array)'],
  ['type', '$type(value)'],
];

const VARIABLES: Completion[] = [
  { label: '$source', insert: '$source', detail: 'the record as its source read it', kind: 'variable' },
];

const FUNCTIONS: Completion[] = JSONATA_FUNCTIONS.map(([name, detail]) => ({
  label: `$${name}`,
  insert: `$${name}(`,
  detail,
  kind: 'function',
}));

/** The word the caret is in: a `$name`, a dotted path (`address.ci`), or a backticked name being typed. */
export function wordBefore(text: string, caret: number): { from: number; word: string } {
  const head = text.slice(0, caret);
  const match = /(\$?[A-Za-z_][\w.]*|`[^`]*|\$)$/.exec(head);
  if (!match) return { from: caret, word: '' };
  return { from: caret - match[0].length, word: match[0] };
}

const MAX_SHOWN = 8;

/**
 * Completions for the word before the caret: functions after `$`, fields otherwise — names starting with the
 * word first, then names containing it. Nothing for an empty word (typing an operator should not pop a list).
 */
export function completionsAt(
  text: string,
  caret: number,
  fields: readonly { name: string; type: string; path: readonly string[] }[],
): { from: number; items: Completion[] } {
  const { from, word } = wordBefore(text, caret);
  if (word === '') return { from, items: [] };
  const lower = word.replace(/^`/, '').toLowerCase();
  const candidates: Completion[] = word.startsWith('$')
    ? [...VARIABLES, ...FUNCTIONS]
    : fields.map((f) => ({
        label: f.name,
        insert: f.path.map(jsonataName).join('.'),
        detail: f.type,
        kind: 'field' as const,
      }));
  const starts = candidates.filter((c) => c.label.toLowerCase().startsWith(lower));
  const contains = candidates.filter(
    (c) => !starts.includes(c) && lower.length > 1 && c.label.toLowerCase().includes(lower),
  );
  const items = [...starts, ...contains].filter((c) => c.label !== word);
  return { from, items: items.slice(0, MAX_SHOWN) };
}

/** The text after accepting a completion, and where the caret goes. */
export function applyCompletion(
  text: string,
  caret: number,
  from: number,
  item: Completion,
): { text: string; caret: number } {
  const next = text.slice(0, from) + item.insert + text.slice(caret);
  return { text: next, caret: from + item.insert.length };
}
