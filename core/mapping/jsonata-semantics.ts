/**
 * The pieces of JSONata's runtime (2.2.x, `node_modules/jsonata/jsonata.js`) the fast path needs, copied so that a
 * value computed here is the value JSONata computes: the checks on the values a path meets, `$string`'s number
 * formatting, `$boolean`'s cast, `isDeepEqual`, `$number`, `$round` and the string algorithms on code points.
 *
 * Wherever JSONata would do something these copies do not replicate (map over a sequence, call a function value,
 * throw an error), they throw {@link BAIL} instead, and the caller evaluates the record with JSONata itself.
 */
import { ExpressionError } from './expression-error.js';

export type Rec = Record<string, unknown>;

/** Thrown when only JSONata knows the answer; never surfaces as an error. */
export const BAIL: object = Object.freeze({ bail: true });

const OBJECT_PROTO: unknown = Object.prototype;

/** JSONata marks its function values with these flags and treats such objects as functions. */
function isJsonataFunction(r: Rec): boolean {
  return r._jsonata_function === true || r._jsonata_lambda === true;
}

/** The check a fast path applies to `$` and `$source` before looking into them: a plain, non-array object. */
export function isPlainRoot(o: unknown): o is Rec {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  const proto: unknown = Object.getPrototypeOf(o);
  if (proto !== OBJECT_PROTO && proto !== null) return false;
  return !isJsonataFunction(o as Rec);
}

/** An object a path step may look into; undefined when the path ends here (JSONata's `lookup` yields nothing). */
export function objectToStepInto(o: unknown): Rec | undefined {
  if (isPlainRoot(o)) return o;
  if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return undefined;
  throw BAIL; // sequences map and flatten; functions and other objects are JSONata's business
}

/** A value a path or variable yields as an operand: arrays (sequences) and functions are left to JSONata. */
export function operandValue(v: unknown): unknown {
  if (typeof v === 'object') {
    if (v !== null && (Array.isArray(v) || isJsonataFunction(v as Rec))) throw BAIL;
    return v;
  }
  if (typeof v === 'function') throw BAIL;
  return v;
}

/** A value a path or variable yields as the expression's result: JSONata returns a stored array as it is. */
export function resultValue(v: unknown): unknown {
  if (Array.isArray(v)) {
    if ((v as unknown as Rec).sequence === true) throw BAIL;
    return v;
  }
  return operandValue(v);
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Operand check of an arithmetic operator: a finite number, or undefined (anything else makes JSONata throw). */
export function arithmeticOperand(v: unknown): void {
  if (v !== undefined && !isFiniteNumber(v)) throw BAIL;
}

/** JSONata throws on a non-finite result (D1001). */
export function finiteResult(n: number): number {
  if (!Number.isFinite(n)) throw BAIL;
  return n;
}

/** JSONata's number formatting in `$string`/`&`: non-integers through toPrecision(15). Finite numbers only. */
export function formatJsonataNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

function jsonReplacer(_key: string, val: unknown): unknown {
  if (typeof val === 'number') {
    if (!Number.isFinite(val)) throw BAIL;
    return Number.isInteger(val) ? val : Number(val.toPrecision(15));
  }
  if (typeof val === 'function') throw BAIL;
  if (typeof val === 'object' && val !== null && isJsonataFunction(val as Rec)) throw BAIL;
  return val;
}

/** `$string(v)` for a defined value. */
export function jsonataString(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw BAIL; // D3001
      return formatJsonataNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) throw BAIL;
      return JSON.stringify(v, jsonReplacer);
    default:
      throw BAIL;
  }
}

/**
 * JSONata's `$boolean` cast where both modes below agree; undefined for the values they treat differently (undefined,
 * infinite numbers, arrays, functions and anything else).
 */
function castToBoolean(v: unknown): boolean | undefined {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      if (Number.isNaN(v)) return false;
      return Number.isFinite(v) ? v !== 0 : undefined;
    case 'object':
      if (v === null) return false;
      return Array.isArray(v) || isJsonataFunction(v as Rec) ? undefined : Object.keys(v).length > 0;
    default:
      return undefined;
  }
}

/** JSONata's `$boolean` cast on the fast path (undefined stays undefined); bails where JSONata throws or maps. */
export function jsonataBoolean(v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  const b = castToBoolean(v);
  if (b === undefined) throw BAIL; // D1001 for an infinite number; arrays and functions are JSONata's business
  return b;
}

/**
 * JSONata's `$boolean` cast of any value (arrays included) as a predicate: undefined is false. Throws the
 * ExpressionError JSONata would (D1001) for an infinite number.
 */
export function jsonataTruthy(value: unknown): boolean {
  if (Array.isArray(value)) {
    if (value.length === 1) return jsonataTruthy(value[0]);
    // JSONata casts every item (so an infinite one throws) before deciding.
    return value.map(jsonataTruthy).some((b) => b);
  }
  const b = castToBoolean(value);
  if (b !== undefined) return b;
  if (typeof value === 'number') throw new ExpressionError('D1001: Number out of range: null', 'D1001');
  return false; // undefined and functions (JSONata's function values included)
}

/** JSONata's `isDeepEqual` (utils), copied. */
export function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let i = 0; i < lhs.length; i++) if (!isDeepEqual(lhs[i], rhs[i])) return false;
      return true;
    }
    let lkeys = Object.getOwnPropertyNames(lhs);
    let rkeys = Object.getOwnPropertyNames(rhs);
    if (lkeys.length !== rkeys.length) return false;
    lkeys = lkeys.sort();
    rkeys = rkeys.sort();
    for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false;
    for (const key of lkeys) if (!isDeepEqual((lhs as Rec)[key], (rhs as Rec)[key])) return false;
    return true;
  }
  return false;
}

const NUMBER_RE = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;
const RADIX_RE = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/;

/** JSONata's `$number` for a defined argument, copied; anything JSONata rejects bails. */
export function jsonataNumber(arg: unknown): number {
  let result: number;
  if (typeof arg === 'number') result = arg;
  else if (typeof arg === 'string' && NUMBER_RE.test(arg) && !isNaN(parseFloat(arg)) && isFinite(Number(arg)))
    result = parseFloat(arg);
  else if (typeof arg === 'string' && RADIX_RE.test(arg)) result = Number(arg);
  else if (arg === true) result = 1;
  else if (arg === false) result = 0;
  else throw BAIL;
  return finiteResult(result);
}

const MAX_EXACT_INT = 2 ** 53;
const POW10: number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MAX_SHORTCUT = 2 ** 52;
const ROUND_MARGIN_REL = 2 ** -48;
const ROUND_MARGIN_ABS = 2 ** -40;

/** `x · 10^places` the way JSONata's `$round` does it: by editing the exponent of x's shortest decimal form. */
function shiftDecimal(x: number, places: number): number {
  const str = String(x);
  const e = str.indexOf('e');
  return e < 0 ? Number(`${str}e${places}`) : Number(`${str.slice(0, e)}e${Number(str.slice(e + 1)) + places}`);
}

/** JSONata's `$round` (half to even, decimal shift done on the string form), copied. */
export function jsonataRound(arg: number, precision: number | undefined): number {
  if (precision !== undefined && precision > 0 && precision <= 22 && Number.isInteger(precision)) {
    // Shortcut. JSONata shifts by parsing `<shortest decimal of arg>e<precision>` (n); y = arg * 10^p differs from n
    // by under |y|·2^-51 (half an ulp of arg, scaled, plus both roundings). Unless y lies within a generous margin
    // of a .5 boundary, n and y are in the same (k-.5, k+.5) interval: same nearest integer, and no tie. Near .5,
    // fall through to the string algorithm.
    const y = arg * POW10[precision]!;
    if (Math.abs(y) < MAX_SHORTCUT) {
      const floor = Math.floor(y);
      const frac = y - floor;
      if (Math.abs(frac - 0.5) > Math.abs(y) * ROUND_MARGIN_REL + ROUND_MARGIN_ABS) {
        const result = (frac < 0.5 ? floor : floor + 1) / POW10[precision]!;
        return result === 0 ? 0 : result; // no -0
      }
    }
  }
  let x = arg;
  if (precision) x = shiftDecimal(x, precision);
  let result = Math.round(x);
  const diff = result - x;
  if (Math.abs(diff) === 0.5 && Math.abs(result % 2) === 1) result = result - 1;
  if (precision) {
    if (Number.isInteger(precision) && precision > 0 && precision <= 22 && Math.abs(result) < MAX_EXACT_INT) {
      // String(result) is then the exact integer, and both the division and the parse of `<int>e-<p>` are the
      // correctly rounded value of the same decimal: identical.
      result = result / POW10[precision]!;
    } else {
      result = shiftDecimal(result, -precision);
    }
  }
  if (Object.is(result, -0)) result = 0;
  return result;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** JSONata works on code points (`stringToArray`); a string without surrogates is its own code-point array. */
function codePoints(str: string): string | string[] {
  if (!SURROGATE.test(str)) return str;
  const arr: string[] = [];
  for (const ch of str) arr.push(ch);
  return arr;
}

/** JSONata's `$substring`, copied (string and array `slice` take the same indexes). */
export function jsonataSubstring(str: string, start: number, length: number | undefined): string {
  const chars = codePoints(str);
  const strLength = chars.length;
  if (strLength + start < 0) start = 0;
  let part: string | string[];
  if (length !== undefined) {
    if (length <= 0) return '';
    const end = start >= 0 ? start + length : strLength + start + length;
    part = chars.slice(start, end);
  } else {
    part = chars.slice(start);
  }
  return typeof part === 'string' ? part : part.join('');
}

/** JSONata's `$length`: code points. */
export function jsonataLength(str: string): number {
  return codePoints(str).length;
}

/** JSONata's `$trim`, copied. */
export function jsonataTrim(str: string): string {
  let result = str.replace(/[ \t\n\r]+/gm, ' ');
  if (result.charAt(0) === ' ') result = result.substring(1);
  if (result.charAt(result.length - 1) === ' ') result = result.substring(0, result.length - 1);
  return result;
}
