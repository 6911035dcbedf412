/**
 * The JSONata functions the fast path supports, each replicating JSONata's implementation for the argument types it
 * accepts and throwing BAIL for the rest (wrong types make JSONata throw T0410/T0412: JSONata reports those).
 */
import type { Evaluator } from './compile-ast.js';
import {
  BAIL,
  finiteResult,
  isFiniteNumber,
  jsonataBoolean,
  jsonataLength,
  jsonataNumber,
  jsonataRound,
  jsonataString,
  jsonataSubstring,
  jsonataTrim,
} from './jsonata-semantics.js';

interface FunctionSpec {
  /** Allowed explicit argument counts (context-value insertion is left to JSONata). */
  arity: readonly number[];
  impl: (args: unknown[]) => unknown;
  /** Argument indexes that may be an array constructor. */
  arrayArgs?: readonly number[];
}

function stringArg(v: unknown): string | undefined {
  if (v === undefined || typeof v === 'string') return v;
  throw BAIL; // T0410
}

function numberArg(v: unknown): number | undefined {
  if (v === undefined || isFiniteNumber(v)) return v;
  throw BAIL; // T0410 (or a non-finite number)
}

/** A one-argument function: `arg` checks the argument's type; undefined in, undefined out. */
function oneArgument<T>(arg: (v: unknown) => T | undefined, f: (x: T) => unknown): FunctionSpec {
  return {
    arity: [1],
    impl: ([v]) => {
      const x = arg(v);
      return x === undefined ? undefined : f(x);
    },
  };
}

/** `$substringBefore` / `$substringAfter`: the part of the string before / after the first `chars`. */
function aroundFirst(part: (s: string, pos: number, chars: string) => string): FunctionSpec {
  return {
    arity: [2],
    impl: ([v, chars]) => {
      const s = stringArg(v);
      const c = stringArg(chars);
      if (s === undefined) return undefined;
      if (c === undefined) throw BAIL;
      const pos = s.indexOf(c);
      return pos > -1 ? part(s, pos, c) : s;
    },
  };
}

export const FUNCTIONS: Record<string, FunctionSpec> = {
  string: { arity: [1], impl: ([v]) => (v === undefined ? undefined : jsonataString(v)) },
  number: { arity: [1], impl: ([v]) => (v === undefined ? undefined : jsonataNumber(v)) },
  boolean: { arity: [1], impl: ([v]) => jsonataBoolean(v) },
  not: {
    arity: [1],
    impl: ([v]) => {
      const b = jsonataBoolean(v);
      return b === undefined ? undefined : !b;
    },
  },
  exists: { arity: [1], impl: ([v]) => v !== undefined },
  uppercase: oneArgument(stringArg, (s) => s.toUpperCase()),
  lowercase: oneArgument(stringArg, (s) => s.toLowerCase()),
  trim: oneArgument(stringArg, jsonataTrim),
  length: oneArgument(stringArg, jsonataLength),
  substring: {
    arity: [2, 3],
    impl: ([v, start, length]) => {
      const s = stringArg(v);
      const st = numberArg(start);
      const len = numberArg(length);
      if (s === undefined) return undefined;
      if (st === undefined) throw BAIL;
      return jsonataSubstring(s, st, len);
    },
  },
  substringBefore: aroundFirst((s, pos) => s.slice(0, pos)),
  substringAfter: aroundFirst((s, pos, chars) => s.slice(pos + chars.length)),
  contains: {
    arity: [2],
    impl: ([v, token]) => {
      const s = stringArg(v);
      const t = stringArg(token);
      if (s === undefined || t === undefined) return undefined;
      return s.indexOf(t) !== -1;
    },
  },
  round: {
    arity: [1, 2],
    impl: ([v, precision]) => {
      const n = numberArg(v);
      const p = numberArg(precision);
      return n === undefined ? undefined : finiteResult(jsonataRound(n, p));
    },
  },
  floor: oneArgument(numberArg, Math.floor),
  ceil: oneArgument(numberArg, Math.ceil),
  abs: oneArgument(numberArg, Math.abs),
  join: {
    arity: [1, 2],
    arrayArgs: [0],
    impl: ([v, separator]) => {
      const sep = stringArg(separator);
      if (v === undefined) return undefined;
      if (typeof v === 'string') return v; // a single string is a one-item array
      if (!Array.isArray(v)) throw BAIL; // T0412
      for (const item of v) if (typeof item !== 'string') throw BAIL; // T0412
      return v.join(sep === undefined ? '' : sep);
    },
  },
};

/**
 * Allocation-free versions of the hottest calls (no argument array), or undefined.
 * @param literals each argument's literal value where it is a literal (anything else for the others).
 */
export function specialisedCall(
  name: string,
  args: readonly Evaluator[],
  literals: readonly unknown[],
): Evaluator | undefined {
  if (args.length === 1) {
    const a0 = args[0]!;
    switch (name) {
      case 'uppercase':
      case 'lowercase': {
        const upper = name === 'uppercase';
        return (d, s) => {
          const v = a0(d, s);
          if (typeof v === 'string') return upper ? v.toUpperCase() : v.toLowerCase();
          if (v === undefined) return undefined;
          throw BAIL;
        };
      }
      case 'string':
        return (d, s) => {
          const v = a0(d, s);
          return v === undefined ? undefined : jsonataString(v);
        };
      case 'exists':
        return (d, s) => a0(d, s) !== undefined;
      default:
        return undefined;
    }
  }
  const precision = literals[1];
  if (name === 'round' && args.length === 2 && isFiniteNumber(precision)) {
    const a0 = args[0]!;
    return (d, s) => {
      const v = a0(d, s);
      if (isFiniteNumber(v)) return finiteResult(jsonataRound(v, precision));
      if (v === undefined) return undefined;
      throw BAIL;
    };
  }
  return undefined;
}
