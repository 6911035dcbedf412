/**
 * Compiles JSONata expressions into synchronous JS closures for the subset map and filter nodes use most, while
 * keeping JSONata's semantics exactly.
 *
 * How exactness is kept: the closure tree replicates JSONata (2.2.x, `node_modules/jsonata/jsonata.js`) only for the
 * "happy" cases it fully understands. Whenever it meets anything else at runtime — an array on a path (JSONata maps
 * and flattens sequences), a non-plain object, a non-finite number, an argument of the wrong type, any condition
 * under which JSONata would throw — it abandons that evaluation (throws an internal signal) and the record is
 * evaluated again by the real JSONata evaluator. So a value the fast path returns is always the value JSONata returns,
 * and every error is produced by JSONata itself. The subset is side-effect free, so re-evaluating is harmless.
 *
 * No `eval`/`new Function`: the closures are ordinary functions, so this also runs under a strict CSP.
 */
import jsonata from 'jsonata';

/** Returned by {@link CompiledExpression.trySync} when this input needs the JSONata evaluator. */
export const NEEDS_JSONATA: unique symbol = Symbol('ferry.needsJsonata');

export interface CompiledExpression {
  readonly source: string;
  /** True when the whole expression compiled to the fast closure tree (records may still fall back one by one). */
  readonly fast: boolean;
  /** Why the expression is evaluated by JSONata only (set when `fast` is false). */
  readonly slowReason?: string;
  /**
   * Evaluates against `input` (JSONata's `$`) with `$source` bound to `sourceRecord`. Returns the value synchronously
   * on the fast path, a Promise only when the JSONata evaluator was needed. Errors are {@link ExpressionError}s.
   */
  evaluate(input: Record<string, unknown>, sourceRecord: Record<string, unknown>): unknown;
  /** The fast path only: the value, or {@link NEEDS_JSONATA}. Never throws. */
  trySync(input: Record<string, unknown>, sourceRecord: Record<string, unknown>): unknown;
  /** The JSONata evaluator only; rejects with an {@link ExpressionError}. */
  evaluateAsync(input: Record<string, unknown>, sourceRecord: Record<string, unknown>): Promise<unknown>;
}

/** An error raised by JSONata; `message` is `CODE: text` (e.g. `T2001: The left side of the "-" operator ...`). */
export class ExpressionError extends Error {
  readonly code: string | undefined;
  readonly position: number | undefined;
  readonly token: string | undefined;
  constructor(message: string, code?: string, position?: number, token?: string) {
    super(message);
    this.name = 'ExpressionError';
    this.code = code;
    this.position = position;
    this.token = token;
  }
}

interface JsonataErrorShape {
  code?: unknown;
  message?: unknown;
  position?: unknown;
  token?: unknown;
}

/** JSONata throws plain objects `{ code, message, position, token }`; turn them (or anything else) into an Error. */
export function toExpressionError(err: unknown, withPosition = false): ExpressionError {
  if (err instanceof ExpressionError) return err;
  if (typeof err === 'object' && err !== null) {
    const e = err as JsonataErrorShape;
    const code = typeof e.code === 'string' ? e.code : undefined;
    const text = typeof e.message === 'string' ? e.message : String(err);
    const position = typeof e.position === 'number' ? e.position : undefined;
    const token = typeof e.token === 'string' ? e.token : undefined;
    let message = code ? `${code}: ${text}` : text;
    if (withPosition && position !== undefined) message += ` (at position ${position})`;
    return new ExpressionError(message, code, position, token);
  }
  return new ExpressionError(String(err));
}

export function compileExpression(source: string): CompiledExpression {
  let expr: jsonata.Expression;
  try {
    expr = jsonata(source);
  } catch (err) {
    throw toExpressionError(err, true);
  }

  const evaluateAsync = async (input: Record<string, unknown>, sourceRecord: Record<string, unknown>) => {
    try {
      return (await expr.evaluate(input, { source: sourceRecord })) as unknown;
    } catch (err) {
      throw toExpressionError(err);
    }
  };

  let fn: Fn | undefined;
  let slowReason: string | undefined;
  try {
    fn = build(expr.ast() as unknown as Node, true);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    slowReason = err.message;
  }

  if (fn === undefined) {
    return {
      source,
      fast: false,
      slowReason,
      evaluate: evaluateAsync,
      trySync: () => NEEDS_JSONATA,
      evaluateAsync,
    };
  }
  const f = fn;
  const trySync = (input: Record<string, unknown>, sourceRecord: Record<string, unknown>): unknown => {
    try {
      return f(input, sourceRecord);
    } catch {
      return NEEDS_JSONATA;
    }
  };
  return {
    source,
    fast: true,
    evaluate(input, sourceRecord) {
      const value = trySync(input, sourceRecord);
      return value === NEEDS_JSONATA ? evaluateAsync(input, sourceRecord) : value;
    },
    trySync,
    evaluateAsync,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Runtime helpers. Anything the fast path does not replicate exactly throws BAIL (caught in trySync).

type Fn = (d: unknown, s: unknown) => unknown;
type Rec = Record<string, unknown>;

const BAIL: object = Object.freeze({ bail: true });
const OBJECT_PROTO: unknown = Object.prototype;
const hasOwn = Object.prototype.hasOwnProperty;

/** An object a path step may look into; undefined when the path ends here (JSONata's `lookup` yields nothing). */
function enter(o: unknown): Rec | undefined {
  if (typeof o !== 'object') {
    if (typeof o === 'function') throw BAIL;
    return undefined;
  }
  if (o === null) return undefined;
  if (Array.isArray(o)) throw BAIL; // sequences map and flatten
  const proto: unknown = Object.getPrototypeOf(o);
  if (proto !== OBJECT_PROTO && proto !== null) throw BAIL;
  const r = o as Rec;
  if (r._jsonata_function === true || r._jsonata_lambda === true) throw BAIL; // JSONata treats these as functions
  return r;
}

/** A value a path or variable yields. Arrays are returned as they are only where JSONata returns them untouched. */
function leaf(v: unknown): unknown {
  if (typeof v === 'object') {
    if (v !== null) {
      if (Array.isArray(v)) throw BAIL;
      const r = v as Rec;
      if (r._jsonata_function === true || r._jsonata_lambda === true) throw BAIL;
    }
    return v;
  }
  if (typeof v === 'function') throw BAIL;
  return v;
}

function leafInResult(v: unknown): unknown {
  if (typeof v === 'object') {
    if (v !== null) {
      if (Array.isArray(v)) {
        if ((v as unknown as Rec).sequence === true) throw BAIL;
        return v;
      }
      const r = v as Rec;
      if (r._jsonata_function === true || r._jsonata_lambda === true) throw BAIL;
    }
    return v;
  }
  if (typeof v === 'function') throw BAIL;
  return v;
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
  if (typeof val === 'object' && val !== null) {
    const r = val as Rec;
    if (r._jsonata_function === true || r._jsonata_lambda === true) throw BAIL;
  }
  return val;
}

/** `$string(v)` for a defined value. */
function toStr(v: unknown): string {
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

/** JSONata's `$boolean` cast (undefined stays undefined). */
function toBool(v: unknown): boolean | undefined {
  switch (typeof v) {
    case 'undefined':
      return undefined;
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      if (Number.isNaN(v)) return false;
      if (!Number.isFinite(v)) throw BAIL; // D1001
      return v !== 0;
    case 'object': {
      if (v === null) return false;
      if (Array.isArray(v)) throw BAIL;
      const r = v as Rec;
      if (r._jsonata_function === true || r._jsonata_lambda === true) throw BAIL;
      return Object.keys(v).length > 0;
    }
    default:
      throw BAIL;
  }
}

/** JSONata's `isDeepEqual` (utils), copied. */
function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
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

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Operand check of an arithmetic operator: a finite number, or undefined (anything else makes JSONata throw). */
function arithmeticOperand(v: unknown): void {
  if (v !== undefined && !isFiniteNumber(v)) throw BAIL;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** JSONata works on code points (`stringToArray`). */
function codePoints(str: string): string[] {
  const arr: string[] = [];
  for (const ch of str) arr.push(ch);
  return arr;
}

/** JSONata's `$substring`, copied (with a code-unit shortcut when the string has no surrogates). */
function substring(str: string, start: number, length: number | undefined): string {
  if (!SURROGATE.test(str)) {
    const strLength = str.length;
    if (strLength + start < 0) start = 0;
    if (length !== undefined) {
      if (length <= 0) return '';
      const end = start >= 0 ? start + length : strLength + start + length;
      return str.slice(start, end);
    }
    return str.slice(start);
  }
  const strArray = codePoints(str);
  const strLength = strArray.length;
  if (strLength + start < 0) start = 0;
  if (length !== undefined) {
    if (length <= 0) return '';
    const end = start >= 0 ? start + length : strLength + start + length;
    return strArray.slice(start, end).join('');
  }
  return strArray.slice(start).join('');
}

function stringLength(str: string): number {
  return SURROGATE.test(str) ? codePoints(str).length : str.length;
}

/** JSONata's `$trim`, copied. */
function trim(str: string): string {
  let result = str.replace(/[ \t\n\r]+/gm, ' ');
  if (result.charAt(0) === ' ') result = result.substring(1);
  if (result.charAt(result.length - 1) === ' ') result = result.substring(0, result.length - 1);
  return result;
}

const MAX_EXACT_INT = 2 ** 53;
const POW10: number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MAX_SHORTCUT = 2 ** 52;
const ROUND_MARGIN_REL = 2 ** -48;
const ROUND_MARGIN_ABS = 2 ** -40;

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
  if (precision) {
    const str = String(x);
    const e = str.indexOf('e');
    x = e < 0 ? Number(`${str}e${precision}`) : Number(`${str.slice(0, e)}e${Number(str.slice(e + 1)) + precision}`);
  }
  let result = Math.round(x);
  const diff = result - x;
  if (Math.abs(diff) === 0.5 && Math.abs(result % 2) === 1) result = result - 1;
  if (precision) {
    if (Number.isInteger(precision) && precision > 0 && precision <= 22 && Math.abs(result) < MAX_EXACT_INT) {
      // String(result) is then the exact integer, and both the division and the parse of `<int>e-<p>` are the
      // correctly rounded value of the same decimal: identical.
      result = result / POW10[precision]!;
    } else {
      const str = String(result);
      const e = str.indexOf('e');
      result =
        e < 0 ? Number(`${str}e${-precision}`) : Number(`${str.slice(0, e)}e${Number(str.slice(e + 1)) - precision}`);
    }
  }
  if (Object.is(result, -0)) result = 0;
  return result;
}


const NUMBER_RE = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;
const RADIX_RE = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/;

/** JSONata's `$number` for a defined argument, copied; anything JSONata rejects bails. */
function toNumber(arg: unknown): number {
  let result: number;
  if (typeof arg === 'number') result = arg;
  else if (typeof arg === 'string' && NUMBER_RE.test(arg) && !isNaN(parseFloat(arg)) && isFinite(Number(arg)))
    result = parseFloat(arg);
  else if (typeof arg === 'string' && RADIX_RE.test(arg)) result = Number(arg);
  else if (arg === true) result = 1;
  else if (arg === false) result = 0;
  else throw BAIL;
  if (!Number.isFinite(result)) throw BAIL;
  return result;
}

function finiteResult(n: number): number {
  if (!Number.isFinite(n)) throw BAIL;
  return n;
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
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      if (Number.isNaN(value)) return false;
      if (!Number.isFinite(value)) throw new ExpressionError('D1001: Number out of range: null', 'D1001');
      return value !== 0;
    case 'object': {
      if (value === null) return false;
      const r = value as Rec;
      if (r._jsonata_function === true || r._jsonata_lambda === true) return false;
      return Object.keys(value).length > 0;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation: AST → closures. Anything outside the subset throws Unsupported and the whole expression uses JSONata.

type Node = Record<string, unknown> & { type: string };

class Unsupported extends Error {}

function unsupported(what: string): never {
  throw new Unsupported(what);
}

const ALLOWED_KEYS: Record<string, readonly string[]> = {
  path: ['type', 'steps'],
  name: ['type', 'value', 'position'],
  variable: ['type', 'value', 'position'],
  string: ['type', 'value', 'position'],
  number: ['type', 'value', 'position'],
  value: ['type', 'value', 'position'],
  binary: ['type', 'value', 'position', 'lhs', 'rhs'],
  unary: ['type', 'value', 'position', 'expression', 'expressions'],
  condition: ['type', 'position', 'condition', 'then', 'else'],
  block: ['type', 'position', 'expressions'],
  function: ['type', 'value', 'position', 'arguments', 'procedure'],
};

function asNode(n: unknown): Node {
  if (typeof n !== 'object' || n === null || typeof (n as Node).type !== 'string') unsupported('malformed AST');
  const node = n as Node;
  const allowed = ALLOWED_KEYS[node.type];
  if (!allowed) unsupported(`${node.type} expressions`);
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key) && node[key] !== undefined) unsupported(`${node.type} with ${key}`);
  }
  return node;
}

function nodeList(v: unknown): Node[] {
  if (!Array.isArray(v)) unsupported('malformed AST');
  return v.map(asNode);
}

/** Literal value of a node, or NOT_LITERAL. */
const NOT_LITERAL = Symbol('not literal');
function literalOf(node: Node): unknown {
  return node.type === 'string' || node.type === 'number' || node.type === 'value' ? node.value : NOT_LITERAL;
}

/**
 * @param inResult the node's value is the expression's result unchanged (top level, a block's last expression, a
 * condition branch): JSONata returns an array a path yields there as it is.
 */
function build(raw: unknown, inResult: boolean): Fn {
  const node = asNode(raw);
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      const value = node.value;
      if (value !== null && typeof value !== 'string' && typeof value !== 'boolean' && !isFiniteNumber(value))
        unsupported('literal');
      return () => value;
    }
    case 'variable':
      return buildVariable(node, inResult);
    case 'path':
      return buildPath(node, inResult);
    case 'unary':
      return buildUnary(node);
    case 'binary':
      return buildBinary(node);
    case 'condition': {
      const cond = build(node.condition, false);
      const then = build(node.then, inResult);
      if (node.else === undefined) return (d, s) => (toBool(cond(d, s)) ? then(d, s) : undefined);
      const otherwise = build(node.else, inResult);
      return (d, s) => (toBool(cond(d, s)) ? then(d, s) : otherwise(d, s));
    }
    case 'block': {
      const parts = nodeList(node.expressions).map((e, i, all) => build(e, inResult && i === all.length - 1));
      if (parts.length === 0) return () => undefined;
      if (parts.length === 1) return parts[0]!;
      return (d, s) => {
        let result: unknown;
        for (const part of parts) result = part(d, s);
        return result;
      };
    }
    case 'function':
      return buildFunction(node);
    default:
      return unsupported(`${node.type} expressions`);
  }
}

function buildVariable(node: Node, inResult: boolean): Fn {
  const check = inResult ? leafInResult : leaf;
  switch (node.value) {
    case '':
    case '$':
      return (d) => check(d);
    case 'source':
      return (_d, s) => check(s);
    default:
      return unsupported(`variable $${String(node.value)}`);
  }
}

function buildPath(node: Node, inResult: boolean): Fn {
  const steps = nodeList(node.steps);
  if (steps.length === 0) unsupported('empty path');
  let fromSource = false;
  const first = steps[0]!;
  let names: Node[];
  if (first.type === 'variable') {
    if (first.value === 'source') fromSource = true;
    else if (first.value !== '' && first.value !== '$') unsupported(`variable $${String(first.value)}`);
    names = steps.slice(1);
  } else {
    names = steps;
  }
  const keys = names.map((step) => {
    if (step.type !== 'name' || typeof step.value !== 'string') unsupported(`path step ${step.type}`);
    return step.value;
  });
  const check = inResult ? leafInResult : leaf;
  if (keys.length === 0) return fromSource ? (_d, s) => check(s) : (d) => check(d);
  // Keys that exist on Object.prototype need an own-property test; for the rest a plain read of a plain object is
  // exactly JSONata's `hasOwnProperty ? input[key] : undefined`.
  const own = keys.map((k) => k in Object.prototype);

  if (keys.length === 1) {
    const key = keys[0]!;
    if (own[0]) {
      return fromSource
        ? (_d, s) => {
            const o = enter(s);
            return o === undefined || !hasOwn.call(o, key) ? undefined : check(o[key]);
          }
        : (d) => {
            const o = enter(d);
            return o === undefined || !hasOwn.call(o, key) ? undefined : check(o[key]);
          };
    }
    return fromSource
      ? (_d, s) => {
          const o = enter(s);
          return o === undefined ? undefined : check(o[key]);
        }
      : (d) => {
          const o = enter(d);
          return o === undefined ? undefined : check(o[key]);
        };
  }

  const n = keys.length;
  return (d, s) => {
    let v: unknown = fromSource ? s : d;
    for (let i = 0; i < n; i++) {
      const o = enter(v);
      if (o === undefined) return undefined;
      const key = keys[i]!;
      if (own[i] && !hasOwn.call(o, key)) return undefined;
      v = o[key];
    }
    return check(v);
  };
}

function buildUnary(node: Node): Fn {
  if (node.value === '-') {
    if (node.expressions !== undefined) unsupported('malformed unary');
    const operand = build(node.expression, false);
    return (d, s) => {
      const v = operand(d, s);
      if (v === undefined) return undefined;
      if (!isFiniteNumber(v)) throw BAIL; // D1002 / D1001
      return -v;
    };
  }
  return unsupported(node.value === '[' ? 'array constructor outside `in` and $join' : `unary ${String(node.value)}`);
}

/** `[a, b, ...]`: JSONata drops undefined items and appends (flattens) arrays; items here are never arrays. */
function buildArrayConstructor(node: Node): Fn {
  if (node.expression !== undefined) unsupported('malformed array constructor');
  const items = nodeList(node.expressions);
  const fns = items.map((item) => {
    if (item.type === 'unary' && item.value === '[') unsupported('nested array constructor');
    return build(item, false);
  });
  return (d, s) => {
    const out: unknown[] = [];
    for (const f of fns) {
      const v = f(d, s);
      if (v !== undefined) out.push(v);
    }
    return out;
  };
}

function isArrayConstructor(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as Node).type === 'unary' && (raw as Node).value === '[';
}

function buildBinary(node: Node): Fn {
  const op = node.value;
  if (op === 'in') return buildIn(node);
  const l = build(node.lhs, false);
  const r = build(node.rhs, false);
  switch (op) {
    case '+':
      return (d, s) => {
        const a = l(d, s);
        const b = r(d, s);
        if (typeof a === 'number' && typeof b === 'number') return finiteResult(a + b);
        arithmeticOperand(a);
        arithmeticOperand(b);
        return undefined;
      };
    case '-':
      return (d, s) => {
        const a = l(d, s);
        const b = r(d, s);
        if (typeof a === 'number' && typeof b === 'number') return finiteResult(a - b);
        arithmeticOperand(a);
        arithmeticOperand(b);
        return undefined;
      };
    case '*':
      return (d, s) => {
        const a = l(d, s);
        const b = r(d, s);
        if (typeof a === 'number' && typeof b === 'number') return finiteResult(a * b);
        arithmeticOperand(a);
        arithmeticOperand(b);
        return undefined;
      };
    case '/':
      return (d, s) => {
        const a = l(d, s);
        const b = r(d, s);
        // A finite quotient can come from an infinite divisor; JSONata rejects that operand.
        if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(b)) return finiteResult(a / b);
        arithmeticOperand(a);
        arithmeticOperand(b);
        return undefined;
      };
    case '%':
      return (d, s) => {
        const a = l(d, s);
        const b = r(d, s);
        if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(b)) return finiteResult(a % b);
        arithmeticOperand(a);
        arithmeticOperand(b);
        return undefined;
      };
    case '=':
    case '!=': {
      const negate = op === '!=';
      const rLit = literalOf(asNode(node.rhs));
      if (rLit !== NOT_LITERAL && rLit !== null) {
        // A primitive literal: isDeepEqual reduces to ===.
        return negate
          ? (d, s) => {
              const a = l(d, s);
              return a === undefined ? false : a !== rLit;
            }
          : (d, s) => {
              const a = l(d, s);
              return a === undefined ? false : a === rLit;
            };
      }
      return (d, s) => {
        const a = l(d, s);
        const b = r(d, s);
        if (a === undefined || b === undefined) return false;
        return isDeepEqual(a, b) !== negate;
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const cmp = COMPARE[op]!;
      return (d, s) => {
        const a = l(d, s);
        const b = r(d, s);
        const ta = typeof a;
        const tb = typeof b;
        if (ta === tb && (ta === 'string' || (ta === 'number' && Number.isFinite(a) && Number.isFinite(b))))
          return cmp(a as number, b as number);
        if ((ta === 'undefined' && comparable(tb)) || (tb === 'undefined' && comparable(ta))) return undefined;
        throw BAIL; // T2009 / T2010
      };
    }
    case 'and':
      return (d, s) => (toBool(l(d, s)) === true ? toBool(r(d, s)) === true : false);
    case 'or':
      return (d, s) => (toBool(l(d, s)) === true ? true : toBool(r(d, s)) === true);
    case '&': {
      const lLit = literalOf(asNode(node.lhs));
      const rLit = literalOf(asNode(node.rhs));
      if (typeof rLit === 'string') {
        return (d, s) => {
          const a = l(d, s);
          return (a === undefined ? '' : toStr(a)) + rLit;
        };
      }
      if (typeof lLit === 'string') {
        return (d, s) => {
          const b = r(d, s);
          return b === undefined ? lLit : lLit + toStr(b);
        };
      }
      return (d, s) => {
        const a = l(d, s);
        const b = r(d, s);
        return (a === undefined ? '' : toStr(a)) + (b === undefined ? '' : toStr(b));
      };
    }
    default:
      return unsupported(`operator ${String(op)}`);
  }
}

function comparable(t: string): boolean {
  return t === 'undefined' || t === 'string' || t === 'number';
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** `lhs in rhs`: strict equality against rhs (an array, or a single value). */
function buildIn(node: Node): Fn {
  const l = build(node.lhs, false);
  const rhs = asNode(node.rhs);
  if (isArrayConstructor(rhs)) {
    const items = nodeList(rhs.expressions);
    const literals = items.map(literalOf);
    if (rhs.expression === undefined && literals.every((v) => v !== NOT_LITERAL && v !== undefined)) {
      // JSONata compares with ===; a Set (SameValueZero) agrees for literal items (no NaN among them).
      const set = new Set(literals);
      return (d, s) => {
        const a = l(d, s);
        return a === undefined ? false : set.has(a);
      };
    }
    const arr = buildArrayConstructor(rhs);
    return (d, s) => {
      const a = l(d, s);
      const list = arr(d, s) as unknown[];
      return a === undefined ? false : list.includes(a) && !Number.isNaN(a);
    };
  }
  const r = build(rhs, false);
  return (d, s) => {
    const a = l(d, s);
    const b = r(d, s);
    return a === undefined || b === undefined ? false : a === b;
  };
}

type Impl = (args: unknown[]) => unknown;

interface FunctionSpec {
  /** Allowed explicit argument counts (context-value insertion is left to JSONata). */
  arity: readonly number[];
  impl: Impl;
  /** Argument indexes that may be an array constructor. */
  arrayArgs?: readonly number[];
}

function str(v: unknown): string | undefined {
  if (v === undefined || typeof v === 'string') return v;
  throw BAIL; // T0410
}

function num(v: unknown): number | undefined {
  if (v === undefined || isFiniteNumber(v)) return v;
  throw BAIL; // T0410 (or a non-finite number)
}

const FUNCTIONS: Record<string, FunctionSpec> = {
  string: {
    arity: [1],
    impl: ([v]) => (v === undefined ? undefined : toStr(v)),
  },
  number: {
    arity: [1],
    impl: ([v]) => (v === undefined ? undefined : toNumber(v)),
  },
  boolean: { arity: [1], impl: ([v]) => toBool(v) },
  not: {
    arity: [1],
    impl: ([v]) => {
      const b = toBool(v);
      return b === undefined ? undefined : !b;
    },
  },
  exists: { arity: [1], impl: ([v]) => v !== undefined },
  uppercase: {
    arity: [1],
    impl: ([v]) => str(v)?.toUpperCase(),
  },
  lowercase: {
    arity: [1],
    impl: ([v]) => str(v)?.toLowerCase(),
  },
  trim: {
    arity: [1],
    impl: ([v]) => {
      const s = str(v);
      return s === undefined ? undefined : trim(s);
    },
  },
  length: {
    arity: [1],
    impl: ([v]) => {
      const s = str(v);
      return s === undefined ? undefined : stringLength(s);
    },
  },
  substring: {
    arity: [2, 3],
    impl: ([v, start, length]) => {
      const s = str(v);
      const st = num(start);
      const len = num(length);
      if (s === undefined) return undefined;
      if (st === undefined) throw BAIL;
      return substring(s, st, len);
    },
  },
  substringBefore: {
    arity: [2],
    impl: ([v, chars]) => {
      const s = str(v);
      const c = str(chars);
      if (s === undefined) return undefined;
      if (c === undefined) throw BAIL;
      const pos = s.indexOf(c);
      return pos > -1 ? s.slice(0, pos) : s;
    },
  },
  substringAfter: {
    arity: [2],
    impl: ([v, chars]) => {
      const s = str(v);
      const c = str(chars);
      if (s === undefined) return undefined;
      if (c === undefined) throw BAIL;
      const pos = s.indexOf(c);
      return pos > -1 ? s.slice(pos + c.length) : s;
    },
  },
  contains: {
    arity: [2],
    impl: ([v, token]) => {
      const s = str(v);
      const t = str(token);
      if (s === undefined || t === undefined) return undefined;
      return s.indexOf(t) !== -1;
    },
  },
  round: {
    arity: [1, 2],
    impl: ([v, precision]) => {
      const n = num(v);
      const p = num(precision);
      return n === undefined ? undefined : finiteResult(jsonataRound(n, p));
    },
  },
  floor: {
    arity: [1],
    impl: ([v]) => {
      const n = num(v);
      return n === undefined ? undefined : Math.floor(n);
    },
  },
  ceil: {
    arity: [1],
    impl: ([v]) => {
      const n = num(v);
      return n === undefined ? undefined : Math.ceil(n);
    },
  },
  abs: {
    arity: [1],
    impl: ([v]) => {
      const n = num(v);
      return n === undefined ? undefined : Math.abs(n);
    },
  },
  join: {
    arity: [1, 2],
    arrayArgs: [0],
    impl: ([v, separator]) => {
      const sep = str(separator);
      if (v === undefined) return undefined;
      if (typeof v === 'string') return v; // a single string is a one-item array
      if (!Array.isArray(v)) throw BAIL; // T0412
      for (const item of v) if (typeof item !== 'string') throw BAIL; // T0412
      return v.join(sep === undefined ? '' : sep);
    },
  },
};

function buildFunction(node: Node): Fn {
  const proc = asNode(node.procedure);
  if (node.value !== '(' || proc.type !== 'variable' || typeof proc.value !== 'string')
    unsupported('function call form');
  const name = proc.value;
  const spec = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!spec) unsupported(`function $${name}`);
  const argNodes = nodeList(node.arguments);
  if (!spec.arity.includes(argNodes.length)) unsupported(`$${name} with ${argNodes.length} argument(s)`);
  const args = argNodes.map((a, i) =>
    isArrayConstructor(a) && spec.arrayArgs?.includes(i) ? buildArrayConstructor(a) : build(a, false),
  );
  const impl = spec.impl;
  const specialised = specialise(name, args, argNodes);
  if (specialised) return specialised;
  if (args.length === 1) {
    const a0 = args[0]!;
    return (d, s) => impl([a0(d, s)]);
  }
  if (args.length === 2) {
    const a0 = args[0]!;
    const a1 = args[1]!;
    return (d, s) => impl([a0(d, s), a1(d, s)]);
  }
  return (d, s) => impl(args.map((a) => a(d, s)));
}

/** Allocation-free versions of the hottest calls. */
function specialise(name: string, args: Fn[], argNodes: Node[]): Fn | undefined {
  if (args.length === 1) {
    const a0 = args[0]!;
    switch (name) {
      case 'uppercase':
        return (d, s) => {
          const v = a0(d, s);
          if (typeof v === 'string') return v.toUpperCase();
          if (v === undefined) return undefined;
          throw BAIL;
        };
      case 'lowercase':
        return (d, s) => {
          const v = a0(d, s);
          if (typeof v === 'string') return v.toLowerCase();
          if (v === undefined) return undefined;
          throw BAIL;
        };
      case 'string':
        return (d, s) => {
          const v = a0(d, s);
          return v === undefined ? undefined : toStr(v);
        };
      case 'exists':
        return (d, s) => a0(d, s) !== undefined;
      default:
        return undefined;
    }
  }
  if (name === 'round' && args.length === 2) {
    const precision = literalOf(argNodes[1]!);
    if (isFiniteNumber(precision)) {
      const a0 = args[0]!;
      return (d, s) => {
        const v = a0(d, s);
        if (isFiniteNumber(v)) return finiteResult(jsonataRound(v, precision));
        if (v === undefined) return undefined;
        throw BAIL;
      };
    }
  }
  return undefined;
}
