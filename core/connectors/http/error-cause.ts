import { errorMessage } from '../errors.js';

export interface ErrorLike {
  code?: unknown;
  message?: string;
  hostname?: string;
}

/** fetch wraps the socket error ("fetch failed" → cause), sometimes in an AggregateError (several addresses tried). */
export function rootCause(error: unknown): ErrorLike {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    if (!current || typeof current !== 'object') break;
    const e = current as ErrorLike & { cause?: unknown; errors?: unknown[] };
    // The TypeError is fetch's own wrapper; the code that matters sits on the socket error below it.
    if (typeof e.code === 'string' && !(current instanceof TypeError)) return e;
    if (Array.isArray(e.errors) && e.errors.length > 0 && e.cause === undefined) current = e.errors[0];
    else if (e.cause !== undefined) current = e.cause;
    else return e;
  }
  return (current && typeof current === 'object' ? current : { message: errorMessage(error) }) as ErrorLike;
}

export function hostOf(text: string): string {
  return text.replace(/^getaddrinfo \w+ /, '');
}

/** OpenSSL's "…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…" → "wrong version number". */
export function opensslReason(message: string): string {
  const match = /SSL routines:[^:]*:([^:]+)/.exec(message);
  return match ? match[1]!.trim() : message;
}
