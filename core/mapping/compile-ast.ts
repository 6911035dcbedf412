/**
 * Compiles a JSONata AST (the parser output of jsonata 2.2.x) into a tree of closures for the subset the fast path
 * covers. Two ways out, both ending in JSONata itself:
 * - at compile time, anything outside the subset throws {@link Unsupported}: the whole expression uses JSONata;
 * - at run time, anything the closures do not replicate exactly for this record throws BAIL: the record uses JSONata.
 */
import { FUNCTIONS, specialisedCall } from './expression-functions.js';
import {
  asNode,
  isArrayConstructor,
  isSupportedLiteral,
  literalOf,
  nodeList,
  NOT_LITERAL,
  unsupported,
  type Node,
} from './jsonata-ast.js';
import {
  arithmeticOperand,
  BAIL,
  finiteResult,
  isDeepEqual,
  isFiniteNumber,
  jsonataBoolean,
  jsonataString,
  objectToStepInto,
  operandValue,
  resultValue,
  type Rec,
} from './jsonata-semantics.js';
import { getterFor, rootReaderFor, type Getter } from './property-access.js';

/** A compiled (sub)expression: its value for the input `$` (d) and `$source` (s). Throws BAIL, never an error. */
export type Evaluator = (d: unknown, s: unknown) => unknown;

interface CompileContext {
  /** `$`/`$source` were checked by the caller (isPlainRoot); paths read them directly. */
  trustedRoots: boolean;
  /** Set while compiling: a path looks into `$` / `$source`. */
  readsInput: boolean;
  readsSource: boolean;
}

export interface CompiledTree {
  evaluate: Evaluator;
  /** `evaluate` looks into `$` / `$source` (with `trustedRoots`: without checking them). */
  readsInput: boolean;
  readsSource: boolean;
}

/**
 * @param trustedRoots the caller checks `$` and `$source` with isPlainRoot once per record, so paths need not.
 * @throws {Unsupported} when the expression is outside the fast subset.
 */
export function compileTree(ast: unknown, trustedRoots: boolean): CompiledTree {
  const ctx: CompileContext = { trustedRoots, readsInput: false, readsSource: false };
  const evaluate = compileNode(ctx, ast, true);
  return { evaluate, readsInput: ctx.readsInput, readsSource: ctx.readsSource };
}

/**
 * @param inResult the node's value is the expression's result unchanged (top level, a block's last expression, a
 * condition branch): JSONata returns an array a path yields there as it is.
 */
function compileNode(ctx: CompileContext, raw: unknown, inResult: boolean): Evaluator {
  const node = asNode(raw);
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      const value = node.value;
      if (!isSupportedLiteral(value)) unsupported('literal');
      return () => value;
    }
    case 'variable':
      return compileVariable(node, inResult);
    case 'path':
      return compilePath(ctx, node, inResult);
    case 'unary':
      return compileUnary(ctx, node);
    case 'binary':
      return compileBinary(ctx, node);
    case 'condition': {
      const cond = compileNode(ctx, node.condition, false);
      const then = compileNode(ctx, node.then, inResult);
      if (node.else === undefined) return (d, s) => (jsonataBoolean(cond(d, s)) ? then(d, s) : undefined);
      const otherwise = compileNode(ctx, node.else, inResult);
      return (d, s) => (jsonataBoolean(cond(d, s)) ? then(d, s) : otherwise(d, s));
    }
    case 'block': {
      const parts = nodeList(node.expressions).map((e, i, all) =>
        compileNode(ctx, e, inResult && i === all.length - 1),
      );
      if (parts.length === 0) return () => undefined;
      if (parts.length === 1) return parts[0]!;
      return (d, s) => {
        let result: unknown;
        for (const part of parts) result = part(d, s);
        return result;
      };
    }
    case 'function':
      return compileFunctionCall(ctx, node);
    default:
      return unsupported(`${node.type} expressions`);
  }
}

function compileVariable(node: Node, inResult: boolean): Evaluator {
  const check = inResult ? resultValue : operandValue;
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

function compilePath(ctx: CompileContext, node: Node, inResult: boolean): Evaluator {
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
  const check = inResult ? resultValue : operandValue;
  if (keys.length === 0) return fromSource ? (_d, s) => check(s) : (d) => check(d);
  if (fromSource) ctx.readsSource = true;
  else ctx.readsInput = true;
  // Keys that exist on Object.prototype need an own-property test; for the rest a plain read of a plain object is
  // exactly JSONata's `hasOwnProperty(input, key) ? input[key] : undefined`.
  const getter = (k: string): Getter => (k in Object.prototype ? ownGetter(k) : getterFor(k));

  if (keys.length === 1) {
    const key = keys[0]!;
    // One step from a checked root: one call, with a monomorphic load (see property-access.ts).
    if (ctx.trustedRoots && !(key in Object.prototype)) return rootReaderFor(key, fromSource, check) as Evaluator;
    const get = getter(key);
    if (ctx.trustedRoots) return fromSource ? (_d, s) => check(get(s as Rec)) : (d) => check(get(d as Rec));
    return fromSource
      ? (_d, s) => {
          const o = objectToStepInto(s);
          return o === undefined ? undefined : check(get(o));
        }
      : (d) => {
          const o = objectToStepInto(d);
          return o === undefined ? undefined : check(get(o));
        };
  }

  const getters = keys.map(getter);
  const n = keys.length;
  const trusted = ctx.trustedRoots;
  return (d, s) => {
    let v: unknown = fromSource ? s : d;
    for (let i = 0; i < n; i++) {
      const o = i === 0 && trusted ? (v as Rec) : objectToStepInto(v);
      if (o === undefined) return undefined;
      v = getters[i]!(o);
    }
    return check(v);
  };
}

const hasOwn = Object.prototype.hasOwnProperty;

function ownGetter(key: string): Getter {
  return (o) => (hasOwn.call(o, key) ? o[key] : undefined);
}

function compileUnary(ctx: CompileContext, node: Node): Evaluator {
  if (node.value === '-') {
    if (node.expressions !== undefined) unsupported('malformed unary');
    const operand = compileNode(ctx, node.expression, false);
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
function compileArrayConstructor(ctx: CompileContext, node: Node): Evaluator {
  if (node.expression !== undefined) unsupported('malformed array constructor');
  const items = nodeList(node.expressions);
  const fns = items.map((item) => {
    if (item.type === 'unary' && item.value === '[') unsupported('nested array constructor');
    return compileNode(ctx, item, false);
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

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function comparable(t: string): boolean {
  return t === 'undefined' || t === 'string' || t === 'number';
}

function compileBinary(ctx: CompileContext, node: Node): Evaluator {
  const op = node.value;
  if (op === 'in') return compileIn(ctx, node);
  if (op === '&') return compileConcat(ctx, node);
  const l = compileNode(ctx, node.lhs, false);
  const r = compileNode(ctx, node.rhs, false);
  const arithmetic = typeof op === 'string' && hasOwn.call(ARITHMETIC, op) ? ARITHMETIC[op] : undefined;
  if (arithmetic !== undefined) {
    return (d, s) => {
      const a = l(d, s);
      const b = r(d, s);
      // A finite quotient or remainder can come from an infinite divisor; JSONata rejects that operand. (For + - *
      // an infinite operand never gives a finite result, so the check changes nothing there.)
      if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(b)) return finiteResult(arithmetic(a, b));
      arithmeticOperand(a);
      arithmeticOperand(b);
      return undefined;
    };
  }
  switch (op) {
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
      return (d, s) => (jsonataBoolean(l(d, s)) === true ? jsonataBoolean(r(d, s)) === true : false);
    case 'or':
      return (d, s) => (jsonataBoolean(l(d, s)) === true ? true : jsonataBoolean(r(d, s)) === true);
    default:
      return unsupported(`operator ${String(op)}`);
  }
}

/**
 * `a & b & c`: one closure for the whole chain. Every intermediate result of `&` is a string, and `$string` of a
 * string is itself, so the chain is the concatenation of `$string` of each operand (undefined → ""). Literal operands
 * are converted at compile time.
 */
function compileConcat(ctx: CompileContext, node: Node): Evaluator {
  const operands: Node[] = [];
  const flatten = (n: Node) => {
    if (n.type === 'binary' && n.value === '&') {
      flatten(asNode(n.lhs));
      flatten(asNode(n.rhs));
    } else {
      operands.push(n);
    }
  };
  flatten(node);
  const parts: (string | Evaluator)[] = [];
  for (const operand of operands) {
    const lit = literalOf(operand);
    let part: string | Evaluator;
    if (lit === NOT_LITERAL) part = compileNode(ctx, operand, false);
    else if (isSupportedLiteral(lit)) part = jsonataString(lit);
    else return unsupported('literal');
    const last = parts.length - 1;
    if (typeof part === 'string' && last >= 0 && typeof parts[last] === 'string') parts[last] += part;
    else parts.push(part);
  }
  const n = parts.length;
  return (d, s) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      const part = parts[i]!;
      if (typeof part === 'string') out += part;
      else {
        const v = part(d, s);
        if (v !== undefined) out += jsonataString(v);
      }
    }
    return out;
  };
}

/** `lhs in rhs`: strict equality against rhs (an array, or a single value). */
function compileIn(ctx: CompileContext, node: Node): Evaluator {
  const l = compileNode(ctx, node.lhs, false);
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
    const arr = compileArrayConstructor(ctx, rhs);
    return (d, s) => {
      const a = l(d, s);
      const list = arr(d, s) as unknown[];
      return a === undefined ? false : list.includes(a) && !Number.isNaN(a);
    };
  }
  const r = compileNode(ctx, rhs, false);
  return (d, s) => {
    const a = l(d, s);
    const b = r(d, s);
    return a === undefined || b === undefined ? false : a === b;
  };
}

function compileFunctionCall(ctx: CompileContext, node: Node): Evaluator {
  const proc = asNode(node.procedure);
  if (node.value !== '(' || proc.type !== 'variable' || typeof proc.value !== 'string')
    unsupported('function call form');
  const name = proc.value;
  const spec = hasOwn.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!spec) unsupported(`function $${name}`);
  const argNodes = nodeList(node.arguments);
  if (!spec.arity.includes(argNodes.length)) unsupported(`$${name} with ${argNodes.length} argument(s)`);
  const args = argNodes.map((a, i) =>
    isArrayConstructor(a) && spec.arrayArgs?.includes(i) ? compileArrayConstructor(ctx, a) : compileNode(ctx, a, false),
  );
  const specialised = specialisedCall(name, args, argNodes.map(literalOf));
  if (specialised) return specialised;
  const impl = spec.impl;
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
