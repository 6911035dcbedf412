/**
 * Acumatica's error answers put into words. The contract-based API answers `HttpError`
 * (`{message, exceptionMessage, exceptionType, messageDetail, modelState: {field: [msgs]}}`, specs/README.md §3);
 * a 422 returns the submitted entity with `"error"` on the fields (wire.ts `fieldErrors`). The login answers that
 * matter are told apart by their text: "API Login Limit" (the licence's API users are all signed in) and
 * "Invalid credentials".
 */
import { fieldErrors } from './wire.js';

export interface AcuAnswer {
  status: number;
  json: unknown;
  text: string;
}

/** The server's own sentence for a failed answer, with model-state and field errors; capped for logs. */
export function acuErrorText(answer: AcuAnswer): string {
  const body = answer.json;
  const parts: string[] = [];
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const message = [b.exceptionMessage, b.message, b.messageDetail, b.error_description, b.error].find(
      (m): m is string => typeof m === 'string' && m.trim() !== '',
    );
    if (message) parts.push(message.trim());
    const state = b.modelState;
    if (state && typeof state === 'object') {
      for (const [field, messages] of Object.entries(state as Record<string, unknown>)) {
        const list = Array.isArray(messages) ? messages.filter((m) => typeof m === 'string') : [];
        if (list.length > 0) parts.push(`${field}: ${list.join(' ')}`);
      }
    }
    parts.push(...fieldErrors(body).filter((e) => !parts.includes(e)));
  }
  if (parts.length === 0) {
    const plain = answer.text
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    parts.push(plain || `HTTP ${answer.status}`);
  }
  const text = parts.join('; ');
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** The licence's "Maximum Number of Web Services API Users" is reached (the official client maps it to a 429). */
export function isLoginLimit(answer: AcuAnswer): boolean {
  return /API Login Limit/i.test(answer.text);
}

export function isInvalidCredentials(answer: AcuAnswer): boolean {
  return /Invalid credentials/i.test(answer.text);
}

/** The message of the licence's API-user limit, with when to try again. */
export function loginLimitMessage(retryInMs: number, heldByFerry: number): string {
  const minutes = Math.max(1, Math.ceil(retryInMs / 60_000));
  const held =
    heldByFerry === 0
      ? 'Ferry holds no session.'
      : `Ferry itself holds ${heldByFerry} ${heldByFerry === 1 ? 'session' : 'sessions'} on this instance (flows running now).`;
  return (
    "Acumatica refused the login: the license's limit of API users is reached; another integration or an earlier " +
    `session holds it. ${held} Retry in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`
  );
}
