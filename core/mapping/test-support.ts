/** Test helpers for core/mapping: a seeded PRNG and a generator of awkward records. Not used at runtime. */

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[Math.floor(rng() * values.length)]!;
}

/** A marker meaning "leave the field out". */
const MISSING = Symbol('missing');

const numbers = [
  0,
  -0,
  1,
  -1,
  2,
  3,
  7,
  10,
  42,
  -17,
  0.5,
  1.5,
  2.5,
  -2.5,
  0.125,
  1.005,
  2.675,
  1.45,
  -1.45,
  12.345,
  99.995,
  0.1,
  0.2,
  0.30000000000000004,
  1e21,
  1.5e21,
  123456789012345680000,
  1e-7,
  3.14159265358979,
  1e300,
  -1e300,
  2 ** 53 + 2,
  1234.5678,
  19.99,
  7.25,
  4.4,
  1 / 3,
  2 / 3,
  -0.0001,
  5e-324,
];

function randomNumber(rng: Rng): number {
  const r = rng();
  if (r < 0.5) return pick(rng, numbers);
  if (r < 0.7) return Math.round((rng() - 0.3) * 100000) / 100; // prices with two decimals
  if (r < 0.85) return Math.floor(rng() * 1000) - 100;
  return (rng() - 0.5) * 10 ** Math.floor(rng() * 24 - 8);
}

const strings = [
  '',
  ' ',
  'Widget',
  'widget',
  'Gadget Pro',
  '  padded\t text \n',
  'straße',
  'ﬁne',
  'héllo wörld',
  '😀 smile',
  'a😀b😀c',
  'x\uD800y',
  'SKU-001',
  'sku-002-b',
  'M',
  'Zebra',
  'active',
  'inactive',
  'null',
  'true',
  'undefined',
  'xundefinedy',
];

const numericStrings = ['12', '12.50', '-3', '1e3', '0x1F', '0b101', '0o17', ' 12', '12abc', '', 'Infinity', '1e400'];

/** A value of any kind, including the ones the fast path must hand over to JSONata. */
function randomScalar(rng: Rng): unknown {
  const r = rng();
  if (r < 0.3) return randomNumber(rng);
  if (r < 0.55) return pick(rng, strings);
  if (r < 0.65) return pick(rng, numericStrings);
  if (r < 0.75) return rng() < 0.5;
  if (r < 0.85) return null;
  if (r < 0.88) return pick(rng, [NaN, Infinity, -Infinity]);
  return MISSING;
}

function randomValue(rng: Rng, depth = 0): unknown {
  const r = rng();
  if (depth < 2 && r < 0.08) return randomObject(rng, depth + 1);
  if (depth < 2 && r < 0.13) return Array.from({ length: Math.floor(rng() * 3) }, () => randomValue(rng, depth + 1));
  return randomScalar(rng);
}

function randomObject(rng: Rng, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const key of ['city', 'zip', 'geo']) {
    const v = key === 'geo' && depth < 2 && rng() < 0.5 ? { lat: randomNumber(rng), lon: randomNumber(rng) } : null;
    const value = v ?? randomValue(rng, depth + 1);
    if (value !== MISSING) o[key] = value;
  }
  return o;
}

function set(o: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== MISSING) o[key] = value;
}

/** An awkward address: object, null, string, array of objects, an inherited field, a "function" object. */
function randomAddress(rng: Rng): unknown {
  const r = rng();
  if (r < 0.45) return randomObject(rng, 1);
  if (r < 0.55) return null;
  if (r < 0.6) return 'Main Street 1';
  if (r < 0.68) return [randomObject(rng, 1), randomObject(rng, 1)];
  if (r < 0.72) return {};
  if (r < 0.75) return Object.assign(Object.create({ city: 'Inherited' }) as object, { zip: '1000' });
  if (r < 0.77) return { _jsonata_lambda: true, city: 'Lambda' };
  if (r < 0.79) return new Date(0);
  return MISSING;
}

/** One record and its source record (usually a different object, sometimes the same one). */
export function randomRecord(rng: Rng): { data: Record<string, unknown>; source: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  set(data, 'id', rng() < 0.9 ? Math.floor(rng() * 100000) : randomScalar(rng));
  set(data, 'sku', rng() < 0.7 ? pick(rng, ['SKU-001', 'sku-002-b', 'AB-CD-EF', 'nodash']) : randomScalar(rng));
  set(data, 'name', rng() < 0.7 ? pick(rng, strings) : randomValue(rng));
  set(data, 'text', rng() < 0.8 ? pick(rng, strings) : randomValue(rng));
  set(data, 'price', rng() < 0.7 ? randomNumber(rng) : randomValue(rng));
  set(data, 'cost', rng() < 0.7 ? randomNumber(rng) : randomValue(rng));
  set(data, 'qty', rng() < 0.6 ? Math.floor(rng() * 12) - 2 : randomValue(rng));
  set(data, 'status', rng() < 0.6 ? pick(rng, ['active', 'inactive', 'pending']) : randomValue(rng));
  set(data, 'flag', randomValue(rng));
  set(data, 'code', rng() < 0.6 ? pick(rng, numericStrings) : randomValue(rng));
  set(data, 'first name', rng() < 0.7 ? pick(rng, ['Ada', 'Grace', '']) : randomValue(rng));
  set(data, 'address', randomAddress(rng));
  set(
    data,
    'tags',
    rng() < 0.5 ? Array.from({ length: Math.floor(rng() * 3) }, () => pick(rng, strings)) : randomValue(rng),
  );
  set(
    data,
    'items',
    rng() < 0.6
      ? Array.from({ length: Math.floor(rng() * 3) }, () => ({ price: randomNumber(rng), name: pick(rng, strings) }))
      : randomValue(rng),
  );
  if (rng() < 0.1) data['toString'] = pick(rng, ['own', 5]);
  if (rng() < 0.2) return { data, source: data };
  const source: Record<string, unknown> = {};
  set(source, 'status', rng() < 0.7 ? pick(rng, ['active', 'inactive']) : randomValue(rng));
  set(source, 'price', randomValue(rng));
  set(source, 'address', randomAddress(rng));
  set(source, 'id', data.id);
  return { data, source };
}
