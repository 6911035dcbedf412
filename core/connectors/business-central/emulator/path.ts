// OData resource paths as BC takes them: `companies(<guid>)/salesOrders(<guid>)/salesOrderLines('<text>')`,
// GUID keys unquoted, string keys quoted ('' escapes a quote), compound keys positional or `name=value`.
import { badRequest } from './errors.js';

export interface PathSegment {
  name: string;
  /** Raw key text between the parentheses, when the segment has one. */
  key?: string;
}

/** Splits at '/' outside parentheses and quotes; each segment percent-decoded. */
export function splitPath(path: string): PathSegment[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  const decoded = decodeURIComponent(path);
  for (const char of decoded) {
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')') depth--;
    if (char === '/' && depth === 0 && !quoted) {
      if (current) parts.push(current);
      current = '';
    } else current += char;
  }
  if (current) parts.push(current);
  return parts.map((part) => {
    const match = /^([^(]+)(?:\((.*)\))?$/s.exec(part);
    if (!match) throw badRequest(`Bad Request - Error in query syntax.`);
    return match[2] === undefined ? { name: match[1]! } : { name: match[1]!, key: match[2] };
  });
}

function keyValue(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("'") && trimmed.endsWith("'") && trimmed.length >= 2) {
    return trimmed.slice(1, -1).replace(/''/g, "'");
  }
  return trimmed;
}

function splitKeyParts(text: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** Key values in the order of `keyNames`, from `(v)`, `(v1,v2)` or `(name=v,…)`. */
export function parseKey(text: string, keyNames: string[]): string[] {
  const parts = splitKeyParts(text);
  const named = parts.every((p) => /^\s*[A-Za-z_][\w]*\s*=/.test(p));
  if (named) {
    const pairs = new Map(parts.map((p) => [p.slice(0, p.indexOf('=')).trim(), keyValue(p.slice(p.indexOf('=') + 1))]));
    if (keyNames.some((k) => !pairs.has(k)) || pairs.size !== keyNames.length) {
      throw badRequest(`The key in the request URI is not valid for resource: ${text}.`);
    }
    return keyNames.map((k) => pairs.get(k)!);
  }
  if (parts.length !== keyNames.length) throw badRequest(`The key in the request URI is not valid for resource: ${text}.`); // prettier-ignore
  return parts.map(keyValue);
}
