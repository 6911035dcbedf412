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
