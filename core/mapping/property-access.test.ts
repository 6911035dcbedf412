import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlowRecord } from '../engine/record.js';
import { compileExpression } from './compile-expression.js';
import { compileMap } from './map-node.js';
import { copierFor, getterFor, rootReaderFor, setterFor } from './property-access.js';

/** Names that would run code, or break the generated source, if they entered it other than as string literals. */
const HOSTILE_NAMES = [
  'a"];process.exit(1);//',
  'a"]; globalThis.ferryInjected = true; //',
  "a']; globalThis.ferryInjected = true; //",
  '${globalThis.ferryInjected = true}',
  'line\nbreak */ }); globalThis.ferryInjected = true; /*',
  'back\\slash \\" \u2028\u2029',
  'lone \ud800 surrogate',
  '',
  '0',
];

const injected = () => (globalThis as { ferryInjected?: unknown }).ferryInjected;

describe('property accessors generated per name', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('read, write and copy exactly the named property, never running code held in the name', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('process.exit called');
    });
    for (const name of HOSTILE_NAMES) {
      const o: Record<string, unknown> = { [name]: 41, other: 1 };
      expect(getterFor(name)(o)).toBe(41);
      expect(getterFor(name)({ other: 1 })).toBeUndefined();
      expect(rootReaderFor(name, false, (v) => [v])(o, {})).toEqual([41]);
      expect(rootReaderFor(name, true, (v) => [v])({}, o)).toEqual([41]);

      const written: Record<string, unknown> = {};
      setterFor(name)(written, 42);
      expect(written).toStrictEqual({ [name]: 42 });

      const copied: Record<string, unknown> = {};
      expect(copierFor(name, name)(o, copied)).toBe(true);
      expect(copierFor(name, 'x')({ [name]: { nested: true } }, copied)).toBe(false); // objects are not copied
      expect(copied).toStrictEqual({ [name]: 41 });
    }
    expect(exit).not.toHaveBeenCalled();
    expect(injected()).toBeUndefined();
  });

  it('is generated once per name and is distinct between names', () => {
    expect(getterFor('price')).toBe(getterFor('price'));
    expect(getterFor('price')).not.toBe(getterFor('cost'));
    expect(setterFor('price')).toBe(setterFor('price'));
    expect(copierFor('a', 'b')).toBe(copierFor('a', 'b'));
    expect(copierFor('a', 'b')).not.toBe(copierFor('b', 'a'));
  });

  it('serves expressions and map fields whose names hold code', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('process.exit called');
    });
    const name = 'a"];process.exit(1);//';
    const data = { [name]: 'x', b: { [name]: 'y' } };
    const field = compileExpression(`\`${name}\``);
    expect(field.fast).toBe(true);
    expect(field.simpleField).toBe(name);
    expect(field.evaluate(data, data)).toBe('x');
    expect(field.syncTrusted!(data, data)).toBe('x');
    expect(compileExpression(`$source.\`${name}\``).syncTrusted!({}, data)).toBe('x');
    expect(compileExpression(`b.\`${name}\``).evaluate(data, data)).toBe('y');

    // Map targets split on dots, so these write through setterFor / copierFor with dot-free names.
    const copyTarget = 'c"]=v;process["exit"](1);//';
    const setTarget = "s'];process['exit'](1);//";
    const out: FlowRecord[] = [];
    const record: FlowRecord = { data, source: data, lineage: { node: 'src', key: '1', page: 0 } };
    const map = compileMap({
      fields: [
        { target: copyTarget, expression: `\`${name}\`` },
        { target: setTarget, expression: `$uppercase(\`${name}\`)` },
      ],
    });
    expect(
      map.run(
        [record],
        (r) => out.push(r),
        () => {},
      ),
    ).toBeUndefined();
    expect(out[0]!.data).toStrictEqual({ [copyTarget]: 'x', [setTarget]: 'X' });
    expect(exit).not.toHaveBeenCalled();
    expect(injected()).toBeUndefined();
  });
});
