import fc from 'fast-check';
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

describe('compileValueMap ≡ comparing texts one entry at a time', () => {
  /**
   * The definition: the first entry whose text equals the value's text; nothing and null pass; "" passes when no
   * entry has it; objects, lists and non-finite numbers are never in a table; the rest gets the fallback.
   */
  function reference(file: ValueMapFile, value: unknown): unknown {
    if (value === undefined || value === null) return value;
    const lookedUp = typeof value !== 'object' && (typeof value !== 'number' || Number.isFinite(value));
    const entry = lookedUp ? file.entries.find((e) => e.from === valueMapText(value)) : undefined;
    if (entry) return entry.to;
    if (value === '') return value;
    if (file.fallback.kind === 'keep') return value;
    if (file.fallback.kind === 'value') return file.fallback.value;
    return NOT_IN_MAP;
  }

  const numbers = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }),
    fc.constantFrom(0, -0, 1e21, 1.5e300, 5e-324, 0.1 + 0.2, 0.3, 1 / 3, 2 ** 53, -(2 ** 53) - 2, 12.5, 1e-7),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
  const texts = fc.oneof(
    numbers.map((n) => valueMapText(n)),
    fc.constantFrom('', ' ', '030', '30.0', '1e21', '+1', 'true', 'false', 'null', 'x', '-0', '0.30000000000000004'),
    fc.string({ maxLength: 3 }),
  );
  const values = fc.oneof(numbers, texts, fc.boolean(), fc.constantFrom(null, undefined, NaN, Infinity), fc.object());
  const files = fc.record({
    entries: fc.array(fc.record({ from: texts, to: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }), {
      maxLength: 8,
    }),
    fallback: fc.oneof(
      fc.constant({ kind: 'fail' as const }),
      fc.constant({ kind: 'keep' as const }),
      fc.record({ kind: fc.constant('value' as const), value: fc.string() }),
    ),
  });

  it('translates every value as the definition says', () => {
    fc.assert(
      fc.property(files, fc.array(values, { maxLength: 10 }), ({ entries, fallback }, vs) => {
        const file: ValueMapFile = { schemaVersion: 1, id: 'm', name: 'M', entries, fallback };
        const compiled = compileValueMap(file);
        for (const v of [...vs, ...entries.map((e) => e.from), ...entries.map((e) => Number(e.from))])
          expect(compiled.translate(v), `${fc.stringify(v)} in ${JSON.stringify(entries)}`).toEqual(reference(file, v));
      }),
      { numRuns: 500 },
    );
  });
});
