import { describe, expect, it } from 'vitest';
import { applyCompletion, completionsAt, wordBefore } from './jsonata-completion.js';

const fields = [
  { name: 'displayName', type: 'string', path: ['displayName'] },
  { name: 'email', type: 'string', path: ['email'] },
  { name: 'zip code', type: 'string', path: ['zip code'] },
  { name: 'address.city', type: 'string', path: ['address', 'city'] },
  { name: 'name', type: 'string', path: ['name'] },
];

describe('JSONata completion', () => {
  it('finds the word before the caret', () => {
    expect(wordBefore('$uppercase(disp', 15)).toEqual({ from: 11, word: 'disp' });
    expect(wordBefore('a & $sub', 8)).toEqual({ from: 4, word: '$sub' });
    expect(wordBefore('address.ci', 10)).toEqual({ from: 0, word: 'address.ci' });
    expect(wordBefore('x + ', 4)).toEqual({ from: 4, word: '' });
  });

  it('offers functions after $, with $source first', () => {
    const { items } = completionsAt('$s', 2, fields);
    expect(items.map((i) => i.label).slice(0, 4)).toEqual(['$source', '$string', '$substring', '$substringBefore']);
    expect(items[1]).toMatchObject({ insert: '$string(', kind: 'function' });
    expect(completionsAt('$now', 4, fields).items.map((i) => i.label)).toEqual([]);
  });

  it('offers fields by prefix, then by substring, with quoted paths', () => {
    expect(completionsAt('na', 2, fields).items.map((i) => i.label)).toEqual(['name', 'displayName']);
    expect(completionsAt('zip', 3, fields).items[0]).toMatchObject({ insert: '`zip code`', detail: 'string' });
    expect(completionsAt('address.c', 9, fields).items.map((i) => i.insert)).toEqual(['address.city']);
    expect(completionsAt('1 + ', 4, fields).items).toEqual([]);
  });

  it('replaces the word and puts the caret after the insertion', () => {
    const [item] = completionsAt('$uppercase(disp)', 15, fields).items;
    expect(applyCompletion('$uppercase(disp)', 15, 11, item!)).toEqual({ text: '$uppercase(displayName)', caret: 22 });
  });
});
