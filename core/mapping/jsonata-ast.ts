/**
 * Reading JSONata's AST (the parser output of jsonata 2.2.x) for the fast path: which node shapes it accepts, and
 * their literal values. A node with anything the fast path does not replicate is {@link Unsupported}.
 */
import { isFiniteNumber } from './jsonata-semantics.js';

export type Node = Record<string, unknown> & { type: string };

/** The expression is outside the fast subset; `message` says what, for `slowReason`. */
export class Unsupported extends Error {}

export function unsupported(what: string): never {
  throw new Unsupported(what);
}

/** The field name when the expression is just a top-level field (`sku`), else undefined. */
export function simpleFieldOf(ast: unknown): string | undefined {
  const path = ast as Node;
  if (path.type !== 'path' || !Array.isArray(path.steps) || path.steps.length !== 1) return undefined;
  const step = path.steps[0] as Node;
  if (step.type !== 'name' || typeof step.value !== 'string' || step.value in Object.prototype) return undefined;
  return step.value;
}

/** The node keys each supported node type may carry; any other (defined) key means a feature we do not replicate. */
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

export function asNode(n: unknown): Node {
  if (typeof n !== 'object' || n === null || typeof (n as Node).type !== 'string') unsupported('malformed AST');
  const node = n as Node;
  const allowed = ALLOWED_KEYS[node.type];
  if (!allowed) unsupported(`${node.type} expressions`);
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key) && node[key] !== undefined) unsupported(`${node.type} with ${key}`);
  }
  return node;
}

export function nodeList(v: unknown): Node[] {
  if (!Array.isArray(v)) unsupported('malformed AST');
  return v.map(asNode);
}

/** Literal value of a node, or NOT_LITERAL. */
export const NOT_LITERAL = Symbol('not literal');
export function literalOf(node: Node): unknown {
  return node.type === 'string' || node.type === 'number' || node.type === 'value' ? node.value : NOT_LITERAL;
}

/**
 * A literal the fast path replicates: null, a string, a boolean or a finite number. That is all JSONata 2.2's parser
 * produces (it rejects `1e999` with S0102); the check keeps an AST from another version from slipping through.
 */
export function isSupportedLiteral(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

export function isArrayConstructor(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as Node).type === 'unary' && (raw as Node).value === '[';
}
