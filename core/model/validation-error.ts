import type { z } from 'zod';

/** One problem in one file: `flows/orders.flow.json: nodes[2].config.entity: expected one of a, b`. */
export interface ValidationProblem {
  file?: string;
  path: string;
  message: string;
}

export class ValidationError extends Error {
  readonly problems: ValidationProblem[];
  constructor(problems: ValidationProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

export function formatProblem(p: ValidationProblem): string {
  const where = [p.file, p.path].filter((s) => s !== undefined && s !== '').join(': ');
  return where ? `${where}: ${p.message}` : p.message;
}

/** `['nodes', 2, 'config', 'entity']` → `nodes[2].config.entity`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += /^[A-Za-z_$][\w$-]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out || '(root)';
}

function describeReceived(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'string') return input.length > 40 ? 'a string' : JSON.stringify(input);
  if (typeof input === 'object') return 'an object';
  return `${typeof input} ${String(input)}`;
}

/** Turns zod issues into messages a consultant can act on; zod's own wording leaks library jargon. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_type': {
      const received = 'input' in issue ? describeReceived(issue.input) : undefined;
      if (received === 'nothing') return `required: expected ${issue.expected}`;
      return `expected ${issue.expected}${received ? `, got ${received}` : ''}`;
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1 ? 'must not be empty' : `expected at least ${String(issue.minimum)} characters`;
      if (issue.origin === 'array') return `expected at least ${String(issue.minimum)} item(s)`;
      return `expected a value ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `expected at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `expected at most ${String(issue.maximum)} item(s)`;
      return `expected a value ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_union':
      return issue.message && !issue.message.startsWith('Invalid input')
        ? issue.message
        : 'does not match any allowed form';
    default:
      return issue.message;
  }
}

export function problemsFromZod(
  error: z.ZodError,
  file?: string,
  basePath: readonly PropertyKey[] = [],
): ValidationProblem[] {
  return error.issues.map((issue) => ({
    file,
    path: formatJsonPath([...basePath, ...issue.path]),
    message: issueMessage(issue),
  }));
}

/** Parses with a schema and throws a ValidationError that names file and JSON path. */
export function parseOrThrow<T>(
  schema: z.ZodType<T>,
  value: unknown,
  file?: string,
  basePath: readonly PropertyKey[] = [],
): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ValidationError(problemsFromZod(result.error, file, basePath));
  return result.data;
}
