import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { BAIL, formatJsonataNumber, jsonataBoolean, jsonataRound, jsonataTruthy } from './jsonata-semantics.js';
import { prng } from './test-support.js';

describe('JSONata algorithms copied for the fast path', () => {
  it('$round matches JSONata on random values, ties and precisions', async () => {
    const rng = prng(42);
    const round = jsonata('$round($x, $p)');
    const values: number[] = [2.5, 3.5, -2.5, 0.125, 1.005, 2.675, 1.45, 0.5, -0.5, 1e21, 5e-324, 123.456e10];
    for (let i = 0; i < 3000; i++) {
      const r = rng();
      if (r < 0.3) values.push(Math.round((rng() - 0.5) * 2e6) / 1000 + (rng() < 0.5 ? 0.0005 : -0.0005));
      else if (r < 0.5) values.push(Math.round((rng() - 0.5) * 1e5) / 200);
      else if (r < 0.7) values.push(Math.round(rng() * 1e5) / 100 - Math.round(rng() * 1e5) / 100);
      else values.push((rng() - 0.5) * 10 ** Math.floor(rng() * 30 - 10));
    }
    for (const x of values) {
      for (const p of [undefined, 0, 1, 2, 3, 5, 10, 22, -1, -3]) {
        const expected = (await round.evaluate({}, { x, p })) as number;
        expect([x, p, jsonataRound(x, p)]).toStrictEqual([x, p, expected]);
      }
    }
  });

  it('formats numbers like $string', async () => {
    const rng = prng(7);
    const str = jsonata('$string($x)');
    const values = [0, -0, 1e21, 1.5e21, 1e-7, 0.1 + 0.2, 1 / 3, 123456789.12345679, -1e-300, 2 ** 53 + 2];
    for (let i = 0; i < 2000; i++) values.push((rng() - 0.5) * 10 ** Math.floor(rng() * 44 - 22));
    for (const x of values) expect(formatJsonataNumber(x)).toBe(await str.evaluate({}, { x }));
  });

  it('casts to boolean like $boolean, arrays included', async () => {
    const bool = jsonata('$boolean($x)');
    const values: unknown[] = [
      0,
      1,
      -1,
      NaN,
      '',
      'a',
      null,
      true,
      false,
      {},
      { a: 1 },
      [],
      [0],
      [1],
      [0, ''],
      [0, 'a'],
    ];
    values.push([[0], [[1]]], [[], {}], [null]);
    for (const x of values) expect(jsonataTruthy(x)).toBe((await bool.evaluate({}, { x })) === true);
    expect(() => jsonataTruthy(Infinity)).toThrow('D1001');
  });

  it('casts to boolean like $boolean on the fast path, bailing where JSONata throws or maps', async () => {
    const bool = jsonata('$boolean($x)');
    const values: unknown[] = [undefined, 0, -0, 1, -1, 0.5, NaN, '', 'a', ' ', null, true, false, {}, { a: 1 }];
    for (const x of values) expect([x, jsonataBoolean(x)]).toStrictEqual([x, await bool.evaluate({}, { x })]);
    const jsonataFunction = { _jsonata_function: true };
    for (const x of [Infinity, -Infinity, [], [1], jsonataFunction, () => 1, Symbol('s'), 1n]) {
      expect(() => jsonataBoolean(x)).toThrow(BAIL as Error);
    }
  });
});
