import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError, isPlainRoot, NEEDS_JSONATA } from './compile-expression.js';
import { prng, randomRecord } from './test-support.js';

type Outcome = { ok: true; value: unknown } | { ok: false; code: unknown; message: string };

async function reference(expr: string, data: unknown, source: unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await jsonata(expr).evaluate(data, { source }) };
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    const message = String(e.message);
    return { ok: false, code: e.code, message: typeof e.code === 'string' ? `${e.code}: ${message}` : message };
  }
}

async function ours(expr: ReturnType<typeof compileExpression>, data: never, source: never): Promise<Outcome> {
  try {
    return { ok: true, value: await expr.evaluate(data, source) };
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    const e = err as ExpressionError;
    return { ok: false, code: e.code, message: e.message };
  }
}

/** Expressions the compiler must take on the fast path. */
const FAST: readonly string[] = [
  // paths and variables
  'id',
  'sku',
  'name',
  'address',
  'address.city',
  'address.geo.lat',
  '`first name`',
  '$source.status',
  '$source.address.city',
  '$source',
  '$',
  '$.sku',
  '$$.name',
  'toString',
  'constructor',
  'missing.deeply.nested',
  // literals
  '"literal"',
  '42',
  '-3.5',
  'true',
  'null',
  // arithmetic
  '-price',
  '-(qty)',
  'price + cost',
  'price - cost',
  'price * qty',
  'price / qty',
  'price % 3',
  'qty % 0',
  'price / 0',
  '1 + 2 * 3 - 4 / 8',
  '(price + cost) * 2',
  // comparison and equality
  'price = cost',
  'price != cost',
  'status = "active"',
  'status != "active"',
  '$source.status = "active"',
  'name = $source.status',
  'address = $source.address',
  'flag = true',
  'price < cost',
  'price <= 10',
  'name > "M"',
  'qty >= 5',
  'sku < name',
  // boolean logic
  'flag and qty > 0',
  'flag or status = "active"',
  'price and cost',
  'address or name',
  'qty > 2 and (status = "active" or flag)',
  // string concatenation
  'sku & " " & $uppercase(name)',
  'name & price',
  'price & ""',
  '"" & flag & null',
  'address & "!"',
  '"n=" & qty',
  '"a" & 1.5 & true & null & name',
  'name & (sku & "-" & qty) & 0.1',
  // membership
  'status in ["active", "pending"]',
  'qty in [1, 2, 3]',
  'name in [sku, "Widget", text]',
  'status in $source.status',
  // conditionals and blocks
  'price > 10 ? "expensive" : "cheap"',
  'flag ? name',
  'qty > 5 ? tags : sku',
  '(price)',
  '(price; cost)',
  '(name & "x")',
  // functions
  '$string(price)',
  '$string(address)',
  '$string(flag)',
  '$string(null)',
  '$number(code)',
  '$number(price)',
  '$number(flag)',
  '$boolean(name)',
  '$boolean(address)',
  '$not(flag)',
  '$exists(sku)',
  '$exists(address.city)',
  '$uppercase(name)',
  '$lowercase(name)',
  '$trim(name)',
  '$length(name)',
  '$length(text)',
  '$substring(text, 1, 3)',
  '$substring(text, -2)',
  '$substring(name, qty)',
  '$substring(text, qty, 2)',
  '$substringBefore(sku, "-")',
  '$substringAfter(sku, "-")',
  '$substringBefore(text, name)',
  '$contains(name, "o")',
  '$contains(text, name)',
  '$round(price, 2)',
  '$round(price)',
  '$round(price - cost, 2)',
  '$round(price, -1)',
  '$round(price, qty)',
  '$floor(price)',
  '$ceil(price)',
  '$abs(price)',
  '$join([sku, name], ", ")',
  '$join([sku, "x", text])',
  '$join(name, "-")',
  '$uppercase(sku) & "-" & $string(qty)',
  'price > cost and $round(price - cost, 2) > 1',
  // valid subset, but arrays in the data send many records to JSONata at runtime
  'items.price',
  '$join(tags, ",")',
  'name in tags',
  '$exists(tags)',
];

/** Fast expressions whose fast path can legitimately never complete (JSONata always has the last word). */
const ALWAYS_FALLS_BACK = new Set(['qty % 0', 'price / 0']);

/** Expressions the compiler must leave to JSONata entirely. */
const SLOW: readonly string[] = [
  '$sum(items.price)',
  'items[0].price',
  'tags[0]',
  'tags[]',
  '{"a": sku}',
  '$count(tags)',
  'address.*',
  '**.city',
  '($x := 5; $x + qty)',
  'sku ~> $uppercase()',
  '$replace(name, "o", "0")',
  '[1, 2, 3]',
  '[1..3]',
  '$uppercase()',
  '$string(price, true)',
  '$unknownVariable',
  '$contains(name, /o/)',
  '$map(tags, function($t) { $uppercase($t) })',
  'items^(price).name',
  '$now() = ""',
  '$lookup(address, "city")',
];

const RECORDS = 400;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function records(seed: number) {
  const rng = prng(seed);
  return Array.from({ length: RECORDS }, () => randomRecord(rng));
}

describe('compileExpression: differential tests against jsonata', () => {
  it('has a corpus of at least 60 fast expressions', () => {
    expect(FAST.length).toBeGreaterThanOrEqual(60);
  });

  it.each(FAST)('fast path: %s', async (source) => {
    const compiled = compileExpression(source);
    expect(compiled.slowReason).toBeUndefined();
    expect(compiled.fast).toBe(true);
    let fastHits = 0;
    for (const { data, source: src } of records(hash(source))) {
      const expected = await reference(source, data, src);
      const actual = await ours(compiled, data as never, src as never);
      expect({ source, data, src, outcome: actual }).toStrictEqual({ source, data, src, outcome: expected });

      // The sync path alone: when it answers, it answers exactly what JSONata does, and without a Promise.
      const sync = compiled.trySync(data, src);
      if (sync !== NEEDS_JSONATA) {
        fastHits++;
        expect(expected).toStrictEqual({ ok: true, value: sync });
        expect(compiled.evaluate(data, src)).not.toBeInstanceOf(Promise);
      }
      // The engine's variant (roots checked once by the caller) agrees with it.
      const trustedOk =
        (!compiled.trustsInput || isPlainRoot(data)) && (!compiled.trustsSource || src === data || isPlainRoot(src));
      if (trustedOk) {
        let trusted: unknown;
        try {
          trusted = compiled.syncTrusted!(data, src);
        } catch {
          trusted = NEEDS_JSONATA;
        }
        expect(trusted).toStrictEqual(sync);
      }
    }
    if (!ALWAYS_FALLS_BACK.has(source)) expect(fastHits).toBeGreaterThan(RECORDS / 10);
  });

  it.each(SLOW)('JSONata only: %s', async (source) => {
    const compiled = compileExpression(source);
    expect(compiled.fast).toBe(false);
    expect(compiled.slowReason).toBeTruthy();
    for (const { data, source: src } of records(hash(source) + 1).slice(0, 100)) {
      expect(compiled.trySync(data, src)).toBe(NEEDS_JSONATA);
      const expected = await reference(source, data, src);
      const actual = await ours(compiled, data as never, src as never);
      expect(actual).toStrictEqual(expected);
    }
  });

  it('hands arrays on a path to JSONata (sequences map and flatten) but returns a field holding an array', async () => {
    const compiled = compileExpression('address.city');
    const data = { address: [{ city: 'A' }, { city: 'B' }, { zip: 1 }] };
    expect(compiled.trySync(data, {})).toBe(NEEDS_JSONATA);
    expect(Array.from((await compiled.evaluate(data, {})) as unknown[])).toEqual(['A', 'B']);

    const tags = compileExpression('tags');
    const value = { tags: ['x'] };
    expect(tags.trySync(value, {})).toBe(value.tags);
    expect(compileExpression('$uppercase(tags)').trySync({ tags: ['x'] }, {})).toBe(NEEDS_JSONATA);
  });

  it('reports JSONata errors with code and text, sync or not', async () => {
    const compiled = compileExpression('$round(price - cost, 2)');
    const result = compiled.evaluate({ price: '5', cost: 3 }, {});
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toThrow('T2001: The left side of the "-" operator must evaluate to a number');
    await expect(compileExpression('1 < "a"').evaluate({}, {})).rejects.toMatchObject({ code: 'T2009' });
  });

  it('throws syntax errors at compile time with the JSONata message and position', () => {
    expect(() => compileExpression('(price + ')).toThrow(
      'S0203: Expected ")" before end of expression (at position 9)',
    );
    try {
      compileExpression('price +* 2');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ExpressionError);
      expect((err as ExpressionError).code).toMatch(/^S0/);
      expect((err as ExpressionError).position).toBeTypeOf('number');
    }
  });

  it('returns values synchronously on the fast path', () => {
    const compiled = compileExpression('sku & " " & $uppercase(name)');
    expect(compiled.evaluate({ sku: 'A-1', name: 'box' }, {})).toBe('A-1 BOX');
    expect(compileExpression('$source.status = "active"').evaluate({}, { status: 'active' })).toBe(true);
  });
});
