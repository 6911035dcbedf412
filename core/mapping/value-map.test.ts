import { describe, expect, it } from 'vitest';
import type { ValueMapFile } from '../model/mapping.js';
import { compileValueMap, notInMapMessage, NOT_IN_MAP, valueMapText } from './value-map.js';

function valueMap(entries: [string, unknown][], fallback: ValueMapFile['fallback'] = { kind: 'fail' }): ValueMapFile {
  return {
    schemaVersion: 1,
    id: 'terms',
    name: 'Payment terms',
    entries: entries.map(([from, to]) => ({ from, to: to as never })),
    fallback,
  };
}

describe('compileValueMap', () => {
  it('compares as text: numbers and booleans match their text', () => {
    const m = compileValueMap(
      valueMap([
        ['30', '30D'],
        ['1.5', 'one and a half'],
        ['030', 'padded'],
        ['true', 'yes'],
        ['1e+21', 'huge'],
        ['0.3', 'three tenths'],
      ]),
    );
    expect(m.translate(0.1 + 0.2)).toBe('three tenths'); // its text, as JSONata's $string writes it
    expect(m.translate('30')).toBe('30D');
    expect(m.translate(30)).toBe('30D');
    expect(m.translate(30.0)).toBe('30D');
    expect(m.translate(1.5)).toBe('one and a half');
    expect(m.translate('030')).toBe('padded');
    expect(m.translate(true)).toBe('yes');
    expect(m.translate(1e21)).toBe('huge');
    expect(m.translate(false)).toBe(NOT_IN_MAP);
    expect(m.translate(' 30')).toBe(NOT_IN_MAP);
    expect(m.translate(NaN)).toBe(NOT_IN_MAP);
  });

  it('uses the first entry for a text, and translates to any JSON value (null included)', () => {
    const m = compileValueMap(
      valueMap([
        ['a', 1],
        ['a', 2],
        ['n', null],
        ['o', { x: [1] }],
      ]),
    );
    expect(m.translate('a')).toBe(1);
    expect(m.translate('n')).toBeNull();
    const o1 = m.translate('o');
    const o2 = m.translate('o');
    expect(o1).toEqual({ x: [1] });
    expect(o1).not.toBe(o2); // each record gets its own copy
  });

  it('lets nothing and null through, and "" unless the table has an entry for it', () => {
    const m = compileValueMap(valueMap([['x', 'X']]));
    expect(m.translate(undefined)).toBeUndefined();
    expect(m.translate(null)).toBeNull();
    expect(m.translate('')).toBe('');
    expect(compileValueMap(valueMap([['', 'blank']])).translate('')).toBe('blank');
  });

  it('applies the fallback to values not in the table (objects and arrays included)', () => {
    const entries: [string, unknown][] = [['x', 'X']];
    const fail = compileValueMap(valueMap(entries, { kind: 'fail' }));
    const keep = compileValueMap(valueMap(entries, { kind: 'keep' }));
    const value = compileValueMap(valueMap(entries, { kind: 'value', value: { other: true } }));
    for (const v of ['y', 7, false, { a: 1 }, ['x']]) {
      expect(fail.translate(v)).toBe(NOT_IN_MAP);
      expect(keep.translate(v)).toBe(v);
      expect(value.translate(v)).toEqual({ other: true });
    }
    expect(value.translate('y')).not.toBe(value.translate('z'));
  });

  it('says which value and which map', () => {
    expect(notInMapMessage('Net 45', { name: 'Payment terms' })).toBe(
      'value "Net 45" is not in value map "Payment terms"',
    );
    expect(notInMapMessage(0.1 + 0.2, { name: 'm' })).toBe('value "0.3" is not in value map "m"');
    expect(valueMapText({ a: 1 })).toBe('{"a":1}');
    expect(valueMapText('say "hi"')).toBe('say "hi"');
  });
});
